#include "grantcommands.h"

#include "session.h"
#include "synccommands.h"

#include "inbox/outbox.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "profile/profile.h"
#include "trust/contacts.h"
#include "trust/trustnetwork.h"
#include "wire/base32.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>

namespace hive::cli {

namespace {

using namespace std::chrono_literals;

const QString kGrant = QStringLiteral("grant");
const QString kObjects = QStringLiteral("objects");

qint64 now() { return QDateTime::currentSecsSinceEpoch(); }

const QCommandLineOption kStorage(QStringLiteral("storage"), QStringLiteral("Share of storage, e.g. 20%."),
                                  QStringLiteral("PERCENT"));
const QCommandLineOption kCpu(QStringLiteral("cpu"), QStringLiteral("Share of CPU, e.g. 20%."), QStringLiteral("PERCENT"));
const QCommandLineOption kBandwidth(QStringLiteral("bandwidth"), QStringLiteral("Share of bandwidth, e.g. 20%."),
                                    QStringLiteral("PERCENT"));
const QCommandLineOption kRedelegate(QStringLiteral("redelegate"),
                                     QStringLiteral("How many times the grant may be shared on (0-7, default 0)."),
                                     QStringLiteral("DEPTH"), QStringLiteral("0"));
const QCommandLineOption kExpires(QStringLiteral("expires"),
                                  QStringLiteral("How long the grant lasts: 30d, 12h or 90m (default 30d)."),
                                  QStringLiteral("DURATION"), QStringLiteral("30d"));
const QCommandLineOption kGrantOption(QStringLiteral("grant"), QStringLiteral("put: the received grant to use."),
                                      QStringLiteral("ID"));

// "20%", "20" or "12.5%" -> basis points; nullopt if not a percentage from 0 to 100.
std::optional<std::uint16_t> parsePercent(const QString& text)
{
    QString t = text.trimmed();
    if (t.endsWith(QLatin1Char('%')))
        t.chop(1);
    bool ok = false;
    const double value = t.toDouble(&ok);
    if (!ok || !(value >= 0.0) || value > 100.0)
        return std::nullopt;
    return static_cast<std::uint16_t>(std::lround(value * 100.0));
}

// "30d", "12h", "90m" -> seconds.
std::optional<qint64> parseDuration(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,6})([dhm])$"));
    const auto m = pattern.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const qint64 n = m.captured(1).toLongLong();
    const QChar unit = m.captured(2).at(0);
    return n * (unit == QLatin1Char('d') ? 86400 : unit == QLatin1Char('h') ? 3600 : 60);
}

QString percentText(std::uint16_t basisPoints)
{
    return basisPoints % 100 == 0 ? QStringLiteral("%1%").arg(basisPoints / 100)
                                  : QStringLiteral("%1%").arg(basisPoints / 100.0, 0, 'f', 2);
}

QString timeText(std::uint64_t seconds)
{
    return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(seconds), Qt::UTC).toString(Qt::ISODate);
}

struct GrantTerms {
    wire::Shares shares;
    std::uint8_t depth = 0;
    qint64 lifetime = 0;
};

// Reads --storage/--cpu/--bandwidth/--redelegate/--expires; an error message on failure.
std::optional<QString> readTerms(const QCommandLineParser& parser, GrantTerms& terms)
{
    const std::pair<const QCommandLineOption*, std::uint16_t*> shares[] = {
        {&kStorage, &terms.shares.storage}, {&kCpu, &terms.shares.cpu}, {&kBandwidth, &terms.shares.bandwidth}};
    for (const auto& [option, target] : shares) {
        if (!parser.isSet(*option))
            continue;
        auto value = parsePercent(parser.value(*option));
        if (!value)
            return QStringLiteral("--%1 takes a percentage from 0%% to 100%%").arg(option->names().constFirst());
        *target = *value;
    }
    bool ok = false;
    const int depth = parser.value(kRedelegate).toInt(&ok);
    if (!ok || depth < 0 || depth > 7)
        return QStringLiteral("--redelegate takes a depth from 0 to 7");
    terms.depth = static_cast<std::uint8_t>(depth);
    auto lifetime = parseDuration(parser.value(kExpires));
    if (!lifetime)
        return QStringLiteral("--expires takes a duration like 30d, 12h or 90m");
    terms.lifetime = *lifetime;
    return std::nullopt;
}

void printGrant(Context& context, const core::GrantRecord& g)
{
    const wire::GrantLink& leaf = g.leaf();
    const wire::Shares own = leaf.shares, effective = g.effective();
    context.out << "grant:       " << g.id << '\n'
                << (g.direction == core::GrantDirection::Given ? "to:          " : "from:        ") << g.peerName
                << '\n'
                << "storage:     " << percentText(own.storage) << " (" << percentText(effective.storage)
                << " of the node)\n"
                << "cpu:         " << percentText(own.cpu) << " (" << percentText(effective.cpu) << " of the node)\n"
                << "bandwidth:   " << percentText(own.bandwidth) << " (" << percentText(effective.bandwidth)
                << " of the node)\n"
                << "redelegate:  " << leaf.depth << '\n'
                << "expires:     " << timeText(leaf.notAfter) << '\n'
                << "node:        " << QString::fromStdString(g.node.toString()) << '\n';
}

Result<core::Contact> contactNamed(TrustStack& trust, const QString& name)
{
    auto contact = HIVE_TRY(trust.contacts->lookup(name));
    if (contact.state != core::ContactState::Active)
        return Error(ErrorCode::PermissionDenied, "that contact is not an active friend (a request or key change is pending)");
    return contact;
}

int runIssue(Context& context, const QCommandLineParser& parser, const QString& name)
{
    GrantTerms terms;
    if (auto problem = readTerms(parser, terms))
        return context.usage(*problem, kGrant);
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto node = ownNodeAddress(opened->session->profile().vault());
    if (!node.ok())
        return context.fail(node.error());
    if (!*node)
        return context.fail(QStringLiteral("no personal node to share; set one with 'hivectl node use ADDRESS'"));
    auto contact = contactNamed(*opened, name);
    if (!contact.ok())
        return context.fail(contact.error());
    auto issued = opened->network->issueGrant(contact->id, **node, terms.shares, terms.depth, terms.lifetime, now());
    if (!issued.ok())
        return context.fail(issued.error());
    printGrant(context, *issued);
    flushOutbox(context, *opened->outbox);
    return ExitOk;
}

int runShare(Context& context, const QCommandLineParser& parser, const QString& grantId, const QString& name)
{
    GrantTerms terms;
    if (auto problem = readTerms(parser, terms))
        return context.usage(*problem, kGrant);
    bool ok = false;
    const qint64 id = grantId.toLongLong(&ok);
    if (!ok)
        return context.usage(QStringLiteral("grant share needs a GRANT_ID number (see 'hivectl grant list')"), kGrant);
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto contact = contactNamed(*opened, name);
    if (!contact.ok())
        return context.fail(contact.error());
    auto shared = opened->network->shareGrant(id, contact->id, terms.shares, terms.depth, terms.lifetime, now());
    if (!shared.ok())
        return context.fail(shared.error());
    printGrant(context, *shared);
    context.out << "link:        " << core::TrustNetwork::grantUri(*shared) << '\n';
    if (!contact->node)
        context.out << contact->displayName << " has no node to receive it; give them the link above "
                    << "('hivectl grant import LINK').\n";
    flushOutbox(context, *opened->outbox);
    return ExitOk;
}

int runList(Context& context)
{
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto all = opened->network->grants();
    if (!all.ok())
        return context.fail(all.error());
    if (all->empty()) {
        context.out << "No grants given or received.\n";
        return ExitOk;
    }
    context.out << "ID    DIRECTION  PEER                STORAGE  CPU      BANDWIDTH  DEPTH  EXPIRES               STATE\n";
    for (const core::GrantRecord& g : *all) {
        const wire::Shares e = g.effective();
        const bool expired = static_cast<std::uint64_t>(now()) >= g.leaf().notAfter;
        context.out << QString::number(g.id).leftJustified(6)
                    << (g.direction == core::GrantDirection::Given ? QStringLiteral("given") : QStringLiteral("received"))
                           .leftJustified(11)
                    << g.peerName.left(18).leftJustified(20) << percentText(e.storage).leftJustified(9)
                    << percentText(e.cpu).leftJustified(9) << percentText(e.bandwidth).leftJustified(11)
                    << QString::number(g.leaf().depth).leftJustified(7) << timeText(g.leaf().notAfter).leftJustified(22)
                    << (g.revokedAt != 0 ? "revoked" : expired ? "expired" : "active") << '\n';
    }
    return ExitOk;
}

int runRevoke(Context& context, const QString& grantId)
{
    bool ok = false;
    const qint64 id = grantId.toLongLong(&ok);
    if (!ok)
        return context.usage(QStringLiteral("grant revoke needs a grant ID number (see 'hivectl grant list')"), kGrant);
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto grant = opened->network->grant(id);
    if (!grant.ok())
        return context.fail(grant.error());
    auto revocation = opened->network->revokeGrant(id, now());
    if (!revocation.ok())
        return context.fail(revocation.error());
    // The node enforces it from its next request on; it must hear of it now.
    auto credentials = core::NodeCredentials::fromIdentity(opened->session->profile().identity());
    if (!credentials.ok())
        return context.fail(credentials.error());
    core::NodeClient client(std::move(credentials).value());
    client.setReconnectPolicy({250ms, 250ms, 1});
    client.connectTo(grant->node);
    auto told = client.adminRevoke(*revocation).wait();
    if (!told.ok())
        return context.fail(QStringLiteral("revoked here, but the node at %1 did not take the revocation: %2; run "
                                           "'hivectl grant revoke %3' again when it can be reached")
                                .arg(QString::fromStdString(grant->node.toString()),
                                     QString::fromUtf8(told.error().message()), grantId));
    context.out << "Revoked grant " << id << " to " << grant->peerName << "; the node refuses it from now on.\n";
    flushOutbox(context, *opened->outbox);
    return ExitOk;
}

int runImport(Context& context, const QString& link)
{
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto imported = opened->network->importGrant(link, now());
    if (!imported.ok())
        return context.fail(imported.error());
    printGrant(context, *imported);
    return ExitOk;
}

void setupGrant(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Shares of a node's storage, CPU and bandwidth. 'issue NAME' gives a friend part of your own node; "
        "'share GRANT_ID NAME' passes part of a grant you received on (if its redelegation depth allows); "
        "'list' shows given and received grants; 'revoke ID' ends a grant you gave (the node refuses it from "
        "its next request on); 'import LINK' stores a grant handed over as a hive-grant: link."));
    parser.addPositionalArgument(QStringLiteral("subcommand"), QStringLiteral("issue, share, list, revoke or import."));
    parser.addOption(kStorage);
    parser.addOption(kCpu);
    parser.addOption(kBandwidth);
    parser.addOption(kRedelegate);
    parser.addOption(kExpires);
}

int runGrant(Context& context, const QCommandLineParser& parser)
{
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty())
        return context.usage(QStringLiteral("grant needs a subcommand: issue, share, list, revoke or import"), kGrant);
    const QString& sub = args.constFirst();
    if (sub == QLatin1String("issue") && args.size() == 2)
        return runIssue(context, parser, args.at(1));
    if (sub == QLatin1String("share") && args.size() == 3)
        return runShare(context, parser, args.at(1), args.at(2));
    if (sub == QLatin1String("list") && args.size() == 1)
        return runList(context);
    if (sub == QLatin1String("revoke") && args.size() == 2)
        return runRevoke(context, args.at(1));
    if (sub == QLatin1String("import") && args.size() == 2)
        return runImport(context, args.at(1));
    return context.usage(QStringLiteral("usage: grant issue NAME | share GRANT_ID NAME | list | revoke ID | import LINK"),
                         kGrant);
}

// ---- objects ---------------------------------------------------------------------------

void setupObjects(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "'put --grant ID FILE...' stores each file as an object on the node of a grant you received, within "
        "its quota. Prints the object id and the grant's use after each file; exit code 1 at the first refusal."));
    parser.addPositionalArgument(QStringLiteral("put"), QStringLiteral("put FILE..."));
    parser.addOption(kGrantOption);
}

int runObjects(Context& context, const QCommandLineParser& parser)
{
    const QStringList args = parser.positionalArguments();
    if (args.size() < 2 || args.constFirst() != QLatin1String("put") || !parser.isSet(kGrantOption))
        return context.usage(QStringLiteral("usage: objects put --grant ID FILE..."), kObjects);
    bool ok = false;
    const qint64 id = parser.value(kGrantOption).toLongLong(&ok);
    if (!ok)
        return context.usage(QStringLiteral("--grant takes a grant ID number (see 'hivectl grant list')"), kObjects);
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    auto grant = opened->network->grant(id);
    if (!grant.ok())
        return context.fail(grant.error());
    if (grant->direction != core::GrantDirection::Received)
        return context.fail(QStringLiteral("grant %1 is one you gave, not one you can use").arg(id));
    auto credentials = core::NodeCredentials::fromIdentity(opened->session->profile().identity());
    if (!credentials.ok())
        return context.fail(credentials.error());
    core::NodeClient client(std::move(credentials).value());
    client.setReconnectPolicy({250ms, 250ms, 1});
    client.setGrantChain(grant->chain.encode());
    client.connectTo(grant->node);
    auto hello = client.waitConnected(core::Outbox::ConnectTimeout).wait();
    if (!hello.ok())
        return context.fail(QStringLiteral("cannot reach the node: %1").arg(QString::fromUtf8(hello.error().message())));
    if (!hello->grantAccepted)
        return context.fail(QStringLiteral("the node refused the grant: %1").arg(QString::fromStdString(hello->message)));
    for (qsizetype i = 1; i < args.size(); ++i) {
        QFile file(args.at(i));
        if (!file.open(QIODevice::ReadOnly))
            return context.fail(QStringLiteral("cannot read %1").arg(args.at(i)));
        const QByteArray data = file.readAll();
        Bytes content(data.begin(), data.end());
        const auto objectId = wire::proto::objectIdOf(content);
        auto put = client.objectPut(std::move(content)).wait();
        if (!put.ok())
            return context.fail(QStringLiteral("the node refused %1: %2").arg(args.at(i), QString::fromUtf8(put.error().message())));
        context.out << "stored " << args.at(i) << " (" << data.size() << " bytes) as "
                    << QString::fromStdString(base32::encode(objectId)) << "; used " << put->storageUsed << " of "
                    << put->storageQuota << " bytes\n";
        context.out.flush();
    }
    return ExitOk;
}

} // namespace

Command grantCommand()
{
    return {kGrant,
            QStringLiteral("grant (issue NAME --storage P [--cpu P] [--bandwidth P] [--redelegate N] [--expires 30d] | "
                           "share GRANT_ID NAME --storage P ... | list | revoke ID | import LINK)"),
            QStringLiteral("Give friends shares of your node, pass them on, list and revoke them."), setupGrant,
            runGrant, 3};
}

Command objectsCommand()
{
    return {kObjects, QStringLiteral("objects put --grant ID FILE..."),
            QStringLiteral("Store files on a node through a grant you received."), setupObjects, runObjects, 64};
}

} // namespace hive::cli
