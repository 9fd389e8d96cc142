#include "trustcommands.h"

#include "session.h"
#include "synccommands.h"

#include "inbox/outbox.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "node/personalnode.h"
#include "profile/profile.h"
#include "signal/safetynumber.h"
#include "signal/signalcontext.h"
#include "trust/contacts.h"
#include "trust/invites.h"
#include "trust/qr.h"
#include "trust/trustnetwork.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>

#include <sodium.h>

namespace hive::cli {

namespace {

const QString kCard = QStringLiteral("card");
const QString kContact = QStringLiteral("contact");

qint64 now() { return QDateTime::currentSecsSinceEpoch(); }

QString trustText(core::TrustLevel level)
{
    switch (level) {
    case core::TrustLevel::VerifiedInPerson: return QStringLiteral("verified in person");
    case core::TrustLevel::VerifiedBySafetyNumber: return QStringLiteral("verified by safety number");
    case core::TrustLevel::Unverified: return QStringLiteral("unverified");
    }
    return QStringLiteral("unverified");
}

QString nodeText(const std::optional<wire::NodeAddress>& node)
{
    return node ? QString::fromStdString(node->toString()) : QStringLiteral("-");
}

// The personal node to put on the card: the configured one, else the local node the app
// runs (once it has run), else none.
Result<std::optional<wire::NodeAddress>> personalNode(core::Vault& vault)
{
    auto configured = HIVE_TRY(core::PersonalNode::configuredAddress(vault));
    if (configured)
        return configured;
    return core::PersonalNode::localAddress(vault);
}

// Registers a card's invite on the own node (admin.registerInvites, owner only).
Status registerInvite(const core::Identity& identity, const wire::NodeAddress& node, ByteView secret,
                      std::uint64_t expires)
{
    using namespace std::chrono_literals;
    core::NodeClient client(HIVE_TRY(core::NodeCredentials::fromIdentity(identity)));
    client.setReconnectPolicy({250ms, 250ms, 1});
    client.connectTo(node);
    HIVE_TRY(client.waitConnected(core::Outbox::ConnectTimeout).wait());
    HIVE_TRY(client.adminRegisterInvites({wire::proto::InviteToken {wire::inviteTokenHash(secret), expires}}).wait());
    return success();
}

// ---- card ----------------------------------------------------------------------------

const QCommandLineOption kPngOption(QStringLiteral("png"), QStringLiteral("Also write the card's QR code to FILE (PNG)."),
                                    QStringLiteral("FILE"));
const QCommandLineOption kExpiresOption(QStringLiteral("expires"),
                                        QStringLiteral("Days until the card and its invite expire (1-365, default 7)."),
                                        QStringLiteral("DAYS"), QStringLiteral("7"));

void setupCard(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Prints a fresh contact card as a hive: link. Each card carries a new single-use invite, so give each "
        "person their own card."));
    parser.addOption(kPngOption);
    parser.addOption(kExpiresOption);
}

int runCard(Context& context, const QCommandLineParser& parser)
{
    bool ok = false;
    const int days = parser.value(kExpiresOption).toInt(&ok);
    if (!ok || days < 1 || days > 365)
        return context.usage(QStringLiteral("--expires takes a number of days from 1 to 365"), kCard);
    const QString png = parser.value(kPngOption);
    if (parser.isSet(kPngOption) && png.isEmpty())
        return context.usage(QStringLiteral("--png needs a file name"), kCard);

    auto session = openProfile(context);
    if (!session.ok())
        return context.fail(session.error());
    core::Profile& profile = session.value()->profile();
    auto node = personalNode(profile.vault());
    if (!node.ok())
        return context.fail(node.error());
    auto invites = core::Invites::create(profile.vault());
    if (!invites.ok())
        return context.fail(invites.error());
    auto card = (*invites)->issueCard(profile.identity(), *node, now(), qint64 {days} * 86400);
    if (!card.ok())
        return context.fail(card.error());
    if (*node) {
        // The node itself refuses a replayed invite, so it must know this one first.
        const Status registered = registerInvite(profile.identity(), **node, card->inviteSecret, card->expires);
        if (!registered.ok())
            context.err << "note: the personal node did not take the card's invite ("
                        << registered.error().message() << "); a friend request with it may be refused\n";
    }
    if (!png.isEmpty()) {
        // The QR code holds the upper-case form: QR's alphanumeric mode makes it smaller.
        auto image = core::qr::encode(QString::fromStdString(card->toUri(wire::ContactCard::UriCase::Upper)));
        if (!image.ok())
            return context.fail(image.error());
        if (!image->save(png, "PNG"))
            return context.fail(QStringLiteral("cannot write the QR code to %1").arg(png));
        context.err << "QR code written to " << png << '\n';
    }
    if (!*node)
        context.err << "note: the card names no node yet, so friend requests cannot reach you; "
                       "set one with 'hivectl node use ADDRESS' or start the app once\n";
    context.out << QString::fromStdString(card->toUri()) << '\n';
    return ExitOk;
}

// ---- contact -------------------------------------------------------------------------

const QCommandLineOption kQrImageOption(QStringLiteral("qr-image"),
                                        QStringLiteral("add: read the card from a QR code in FILE (a photo or "
                                                       "screenshot); the contact is verified in person."),
                                        QStringLiteral("FILE"));
const QCommandLineOption kScannedOption(QStringLiteral("scanned"),
                                        QStringLiteral("verify: the other person's safety-number QR code, as an "
                                                       "image FILE or as its text (HIVE-SAFETY:... or hex)."),
                                        QStringLiteral("IMAGE|TEXT"));
const QCommandLineOption kConfirmOption(QStringLiteral("confirm"),
                                        QStringLiteral("verify: you compared the 60 digits with the other person "
                                                       "and they are the same."));
const QCommandLineOption kVerifyPngOption(QStringLiteral("png"),
                                          QStringLiteral("verify: also write your safety-number QR code to FILE for "
                                                         "the other person to scan."),
                                          QStringLiteral("FILE"));

void setupContact(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Manages contacts. Trust levels: 'verified in person' (card scanned from a QR code), 'verified by safety "
        "number' (60 digits compared or scanned), 'unverified' (added from a link). When a contact's key changes, "
        "nothing is sent to them until you accept or decline the new key."));
    parser.addPositionalArgument(QStringLiteral("add"),
                                 QStringLiteral("'add URI': add the person on a hive: link (unverified). "
                                                "'add --qr-image FILE': add from a QR code image."));
    parser.addPositionalArgument(QStringLiteral("list"), QStringLiteral("List name, trust level, fingerprint, node."));
    parser.addPositionalArgument(QStringLiteral("requests"),
                                 QStringLiteral("List friend requests waiting for a decision ('hivectl sync' fetches "
                                                "them)."));
    parser.addPositionalArgument(QStringLiteral("accept"),
                                 QStringLiteral("'accept NAME': accept NAME's friend request (they are told)."));
    parser.addPositionalArgument(QStringLiteral("decline"),
                                 QStringLiteral("'decline NAME': decline NAME's friend request."));
    parser.addPositionalArgument(QStringLiteral("verify"),
                                 QStringLiteral("'verify NAME': show the safety number to compare; with --scanned "
                                                "or --confirm, mark the contact verified."));
    parser.addPositionalArgument(QStringLiteral("accept-key"),
                                 QStringLiteral("'accept-key NAME': pin the contact's new identity key."));
    parser.addPositionalArgument(QStringLiteral("decline-key"),
                                 QStringLiteral("'decline-key NAME': keep the old key and drop the new one."));
    parser.addOption(kQrImageOption);
    parser.addOption(kScannedOption);
    parser.addOption(kConfirmOption);
    parser.addOption(kVerifyPngOption);
}

// Everything the contact subcommands work with, opened once.
struct Opened {
    std::unique_ptr<app::Session> session;
    std::unique_ptr<core::Contacts> contacts;
};

Result<Opened> openContacts(const Context& context)
{
    Opened opened;
    opened.session = HIVE_TRY(openProfile(context));
    core::Profile& profile = opened.session->profile();
    opened.contacts = HIVE_TRY(core::Contacts::create(profile.vault(), profile.identity()));
    return opened;
}

void printContact(Context& context, const core::Contact& c)
{
    context.out << "name:        " << c.displayName << '\n'
                << "trust:       " << trustText(c.trust) << '\n'
                << "fingerprint: " << c.fingerprint() << '\n'
                << "node:        " << nodeText(c.node) << '\n';
}

int runAdd(Context& context, const QCommandLineParser& parser, const QStringList& args)
{
    const bool fromImage = parser.isSet(kQrImageOption);
    if (fromImage == (args.size() == 2))
        return context.usage(QStringLiteral("contact add needs either a hive: URI or --qr-image FILE"), kContact);
    // Read and check the card before the profile is opened: a bad card changes nothing.
    QString uri;
    core::CardSource source = core::CardSource::PastedLink;
    if (fromImage) {
        auto decoded = core::qr::decodeFile(parser.value(kQrImageOption));
        if (!decoded.ok())
            return context.fail(decoded.error());
        uri = *decoded;
        source = core::CardSource::ScannedQr;
    } else {
        uri = args.at(1);
    }
    auto card = wire::ContactCard::fromUri(uri.toStdString(), static_cast<std::uint64_t>(now()));
    if (!card.ok())
        return context.fail(card.error());

    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    qint64 queued = 0;
    auto added = opened->network->addCard(*card, source, now(), &queued);
    if (!added.ok())
        return context.fail(added.error());
    const core::Contact& c = added->contact;
    switch (added->kind) {
    case core::AddResult::Kind::Added:
        context.out << "Added " << c.displayName << ".\n";
        break;
    case core::AddResult::Kind::Updated:
        context.out << "Already a contact; updated " << c.displayName << ".\n";
        break;
    case core::AddResult::Kind::KeyChanged:
        context.err << "hivectl: WARNING: this card claims to be " << c.displayName
                    << " with a different identity key.\n"
                    << "  pinned key: " << c.fingerprint() << '\n'
                    << "  new key:    " << core::Identity::fingerprint(*c.pendingKey) << '\n'
                    << "Nothing is sent to " << c.displayName << " until you decide: 'hivectl contact accept-key "
                    << c.displayName << "' or 'hivectl contact decline-key " << c.displayName << "'.\n";
        return ExitError;
    }
    printContact(context, c);
    if (queued == 0) {
        context.out << "No friend request sent: the card names no node.\n";
        return ExitOk;
    }
    bool refused = false;
    QObject::connect(opened->outbox.get(), &core::Outbox::failed, [&](qint64 id, const QString& why) {
        if (id == queued) {
            refused = true;
            context.err << "hivectl: the friend request was not delivered: " << why << '\n';
        }
    });
    auto flushed = opened->outbox->flush().wait();
    if (!flushed.ok())
        return context.fail(flushed.error());
    auto rows = opened->outbox->pending();
    const bool waiting = rows.ok() && std::any_of(rows->begin(), rows->end(), [&](const core::OutboxEntry& e) { return e.id == queued; });
    if (waiting) {
        context.out << "The friend request waits in the outbox; 'hivectl sync' sends it when " << c.displayName
                    << "'s node can be reached.\n";
        return ExitOk;
    }
    if (refused)
        return ExitError;
    context.out << "Friend request sent to " << c.displayName << ".\n";
    return ExitOk;
}

int runRequests(Context& context)
{
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto pending = opened->network->pendingRequests();
    if (!pending.ok())
        return context.fail(pending.error());
    if (pending->empty()) {
        context.out << "No friend requests waiting. ('hivectl sync' fetches new ones.)\n";
        return ExitOk;
    }
    for (const core::Contact& c : *pending)
        context.out << c.displayName << "  " << c.fingerprint() << "  " << nodeText(c.node) << '\n';
    return ExitOk;
}

int runDecision(Context& context, const QString& name, bool accept)
{
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto pending = opened->network->pendingRequests();
    if (!pending.ok())
        return context.fail(pending.error());
    auto contact = opened->contacts->lookup(name);
    if (!contact.ok())
        return context.fail(contact.error());
    if (contact->state != core::ContactState::PendingRequest)
        return context.fail(QStringLiteral("there is no friend request from %1").arg(contact->displayName));
    const Status decided = accept ? opened->network->acceptRequest(contact->id, now())
                                  : opened->network->declineRequest(contact->id);
    if (!decided.ok())
        return context.fail(decided.error());
    if (!accept) {
        context.out << "Declined the friend request from " << contact->displayName << ".\n";
        return ExitOk;
    }
    context.out << "Accepted " << contact->displayName << " as a friend.\n";
    flushOutbox(context, *opened->outbox);
    return ExitOk;
}

int runList(Context& context)
{
    auto opened = openContacts(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto all = opened->contacts->list();
    if (!all.ok())
        return context.fail(all.error());
    if (all->empty()) {
        context.out << "No contacts yet. Add one with 'hivectl contact add URI'.\n";
        return ExitOk;
    }
    qsizetype nameWidth = 4;
    for (const core::Contact& c : *all)
        nameWidth = std::max(nameWidth, c.displayName.size());
    const qsizetype trustWidth = 25;
    const qsizetype printWidth = 39;
    context.out << QStringLiteral("NAME").leftJustified(nameWidth + 2) << QStringLiteral("TRUST").leftJustified(trustWidth + 2)
                << QStringLiteral("FINGERPRINT").leftJustified(printWidth + 2) << "NODE\n";
    for (const core::Contact& c : *all) {
        QString trust = trustText(c.trust);
        if (c.state == core::ContactState::KeyChanged)
            trust = QStringLiteral("KEY CHANGED");
        else if (c.state == core::ContactState::PendingRequest)
            trust = QStringLiteral("request pending");
        context.out << c.displayName.leftJustified(nameWidth + 2) << trust.leftJustified(trustWidth + 2)
                    << c.fingerprint().leftJustified(printWidth + 2) << nodeText(c.node) << '\n';
    }
    return ExitOk;
}

// A scanned safety-number code given as an image file or as text.
Result<Bytes> scannedBytes(const QString& value)
{
    if (QFileInfo(value).isFile()) {
        const QString decoded = HIVE_TRY(core::qr::decodeFile(value));
        return core::SafetyNumber::parseScannable(decoded);
    }
    return core::SafetyNumber::parseScannable(value);
}

int runVerify(Context& context, const QCommandLineParser& parser, const QString& name)
{
    const bool scanned = parser.isSet(kScannedOption);
    const bool confirm = parser.isSet(kConfirmOption);
    if (scanned && confirm)
        return context.usage(QStringLiteral("use either --scanned or --confirm"), kContact);
    Bytes scannedCode;
    if (scanned) {
        auto bytes = scannedBytes(parser.value(kScannedOption));
        if (!bytes.ok())
            return context.fail(bytes.error());
        scannedCode = std::move(*bytes);
    }
    auto opened = openContacts(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto contact = opened->contacts->lookup(name);
    if (!contact.ok())
        return context.fail(contact.error());
    if (contact->state == core::ContactState::KeyChanged)
        return context.fail(QStringLiteral("%1's key changed; accept or decline it first").arg(contact->displayName));
    auto signal = core::SignalContext::create();
    if (!signal.ok())
        return context.fail(signal.error());
    core::SignalContext& signalContext = **signal;
    if (scanned) {
        auto verified = opened->contacts->verifyScannedSafetyNumber(signalContext, contact->id, scannedCode, now());
        if (!verified.ok())
            return context.fail(verified.error());
        context.out << "The safety numbers match: " << contact->displayName << " is verified.\n";
        return ExitOk;
    }
    if (confirm) {
        auto confirmed = opened->contacts->confirmSafetyNumber(contact->id, now());
        if (!confirmed.ok())
            return context.fail(confirmed.error());
        context.out << contact->displayName << " is marked as verified by safety number.\n";
        return ExitOk;
    }
    auto number = opened->contacts->safetyNumber(signalContext, contact->id);
    if (!number.ok())
        return context.fail(number.error());
    const QString png = parser.value(kVerifyPngOption);
    if (!png.isEmpty()) {
        auto image = core::qr::encode(number->scannableText());
        if (!image.ok())
            return context.fail(image.error());
        if (!image->save(png, "PNG"))
            return context.fail(QStringLiteral("cannot write the QR code to %1").arg(png));
    }
    context.out << "Safety number with " << contact->displayName << " (" << trustText(contact->trust) << "):\n\n"
                << number->displayText() << "\n\n"
                << "scannable: " << number->scannableText() << "\n\n"
                << "Compare the digits with " << contact->displayName
                << "'s screen. If they are the same, run 'hivectl contact verify " << name
                << " --confirm', or scan their code with --scanned.\n";
    return ExitOk;
}

int runKeyDecision(Context& context, const QString& name, bool accept)
{
    auto opened = openContacts(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto contact = opened->contacts->lookup(name);
    if (!contact.ok())
        return context.fail(contact.error());
    const Status decided = accept ? opened->contacts->acceptKeyChange(contact->id, now())
                                  : opened->contacts->declineKeyChange(contact->id);
    if (!decided.ok())
        return context.fail(decided.error());
    auto after = opened->contacts->find(contact->id);
    if (!after.ok())
        return context.fail(after.error());
    context.out << (accept ? "Accepted the new key of " : "Kept the old key of ") << after->displayName << ".\n";
    printContact(context, *after);
    return ExitOk;
}

int runContact(Context& context, const QCommandLineParser& parser)
{
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty())
        return context.usage(QStringLiteral("contact needs a subcommand: add, list, requests, accept, decline, verify, accept-key or "
                                            "decline-key"),
                             kContact);
    const QString& sub = args.constFirst();
    const bool addOnly = parser.isSet(kQrImageOption);
    const bool verifyOnly = parser.isSet(kScannedOption) || parser.isSet(kConfirmOption) || parser.isSet(kVerifyPngOption);
    if ((addOnly && sub != QLatin1String("add")) || (verifyOnly && sub != QLatin1String("verify")))
        return context.usage(QStringLiteral("that option does not belong to 'contact %1'").arg(sub), kContact);
    if (sub == QLatin1String("add")) {
        if (args.size() > 2)
            return context.usage(QStringLiteral("contact add takes one URI"), kContact);
        return runAdd(context, parser, args);
    }
    if (sub == QLatin1String("requests")) {
        if (args.size() != 1)
            return context.usage(QStringLiteral("contact requests takes no arguments"), kContact);
        return runRequests(context);
    }
    if (sub == QLatin1String("accept") || sub == QLatin1String("decline")) {
        if (args.size() != 2)
            return context.usage(QStringLiteral("contact %1 needs exactly one NAME").arg(sub), kContact);
        return runDecision(context, args.at(1), sub == QLatin1String("accept"));
    }
    if (sub == QLatin1String("list")) {
        if (args.size() != 1)
            return context.usage(QStringLiteral("contact list takes no arguments"), kContact);
        return runList(context);
    }
    if (sub == QLatin1String("verify") || sub == QLatin1String("accept-key") || sub == QLatin1String("decline-key")) {
        if (args.size() != 2)
            return context.usage(QStringLiteral("contact %1 needs exactly one NAME").arg(sub), kContact);
        if (sub == QLatin1String("verify"))
            return runVerify(context, parser, args.at(1));
        return runKeyDecision(context, args.at(1), sub == QLatin1String("accept-key"));
    }
    return context.usage(QStringLiteral("unknown contact subcommand '%1'").arg(sub), kContact);
}

} // namespace

Command cardCommand()
{
    return {kCard, QStringLiteral("card [--png FILE] [--expires DAYS]"),
            QStringLiteral("Print a fresh contact card (hive: link with a new single-use invite)."), setupCard, runCard,
            0};
}

Command contactCommand()
{
    return {kContact,
            QStringLiteral("contact (add URI|--qr-image FILE | list | requests | accept NAME | decline NAME | "
                           "verify NAME [--scanned X|--confirm] | accept-key NAME | decline-key NAME)"),
            QStringLiteral("Add, list and verify contacts; answer friend requests; decide on changed keys."), setupContact, runContact, 2};
}

} // namespace hive::cli
