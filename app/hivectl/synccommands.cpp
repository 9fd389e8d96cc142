#include "synccommands.h"

#include "messagecommands.h"
#include "session.h"

#include "inbox/inbox.h"
#include "inbox/outbox.h"
#include "messaging/messenger.h"
#include "messaging/nodeadapters.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "node/personalnode.h"
#include "profile/profile.h"
#include "trust/contacts.h"
#include "trust/invites.h"
#include "trust/trustnetwork.h"

#include <QCommandLineParser>

#include <sodium.h>

namespace hive::cli {

namespace {

using namespace std::chrono_literals;

const QString kSync = QStringLiteral("sync");

int runSync(Context& context, const QCommandLineParser&)
{
    auto opened = openTrust(context);
    if (!opened.ok())
        return context.fail(opened.error());
    TrustStack& trust = *opened;
    core::Profile& profile = trust.session->profile();
    flushOutbox(context, *trust.outbox);

    auto address = ownNodeAddress(profile.vault());
    if (!address.ok())
        return context.fail(address.error());
    if (!*address)
        return context.fail(QStringLiteral("no personal node to fetch from; set one with 'hivectl node use ADDRESS' "
                                           "or start the app once"));
    auto credentials = core::NodeCredentials::fromIdentity(profile.identity());
    if (!credentials.ok())
        return context.fail(credentials.error());
    core::NodeClient client(std::move(credentials).value());
    client.setReconnectPolicy({250ms, 250ms, 1});
    client.connectTo(**address);
    auto hello = client.waitConnected(core::Outbox::ConnectTimeout).wait();
    if (!hello.ok())
        return context.fail(QStringLiteral("cannot reach the personal node: %1").arg(QString::fromUtf8(hello.error().message())));

    auto inbox = core::Inbox::create(profile.vault(), profile.identity(), client);
    if (!inbox.ok())
        return context.fail(inbox.error());
    core::TrustNetwork& network = *trust.network;
    (*inbox)->registerHandler(wire::EnvelopeKind::FriendRequest, &network.requestHandler());
    (*inbox)->registerHandler(wire::EnvelopeKind::Note, &network.noteHandler());
    // Messages (Signal envelopes) go to the Messenger, which also tops up its prekeys.
    auto messaging = openMessaging(trust, client);
    if (!messaging.ok())
        return context.fail(messaging.error());
    (*inbox)->registerHandler(wire::EnvelopeKind::Signal, messaging->handler.get());
    if (const Status published = messaging->messenger->publishKeys(); !published.ok())
        context.err << "note: prekeys not published: " << published.error().message() << '\n';

    int requests = 0;
    QObject::connect(&network, &core::TrustNetwork::requestReceived, [&](const core::ReceivedRequest& r) {
        ++requests;
        switch (r.kind) {
        case core::RequestResult::Kind::Pending:
            context.out << "Friend request from " << r.contact.displayName << " (" << r.contact.fingerprint()
                        << "); answer with 'hivectl contact accept " << r.contact.displayName << "' or 'decline'.\n";
            break;
        case core::RequestResult::Kind::AlreadyContact:
            context.out << r.contact.displayName << " added you too; you are now friends.\n";
            break;
        case core::RequestResult::Kind::KeyChanged:
            context.out << "WARNING: a friend request claims to be " << r.contact.displayName
                        << " with another key; decide with 'hivectl contact accept-key' or 'decline-key'.\n";
            break;
        }
    });
    QObject::connect(&network, &core::TrustNetwork::requestAccepted, [&](qint64 id) {
        auto c = trust.contacts->find(id);
        if (c.ok())
            context.out << c->displayName << " accepted your friend request.\n";
    });
    auto synced = (*inbox)->sync().wait();
    if (!synced.ok())
        return context.fail(synced.error());
    context.out << "Received " << *synced << (*synced == 1 ? " message" : " messages");
    if ((*inbox)->dropped() > 0)
        context.out << ", refused " << (*inbox)->dropped();
    context.out << ".\n";
    // Receipts for what just arrived, and sends a crash left behind.
    (void)messaging->messenger->resendPending();
    if (!trust.outbox->pending().valueOr({}).empty())
        flushOutbox(context, *trust.outbox);
    return ExitOk;
}

} // namespace

TrustStack::TrustStack() = default;
TrustStack::TrustStack(TrustStack&&) noexcept = default;
TrustStack& TrustStack::operator=(TrustStack&& other) noexcept
{
    // Services before the session whose vault they use, as in the destructor.
    network = std::move(other.network);
    outbox = std::move(other.outbox);
    invites = std::move(other.invites);
    contacts = std::move(other.contacts);
    session = std::move(other.session);
    return *this;
}
TrustStack::~TrustStack()
{
    // Services before the session whose vault they use.
    network.reset();
    outbox.reset();
    invites.reset();
    contacts.reset();
}

Result<TrustStack> openTrust(const Context& context)
{
    TrustStack stack;
    stack.session = HIVE_TRY(openProfile(context));
    core::Profile& profile = stack.session->profile();
    stack.contacts = HIVE_TRY(core::Contacts::create(profile.vault(), profile.identity()));
    stack.invites = HIVE_TRY(core::Invites::create(profile.vault()));
    stack.outbox = HIVE_TRY(core::Outbox::create(profile.vault(), profile.identity()));
    stack.network = HIVE_TRY(core::TrustNetwork::create(profile.vault(), profile.identity(), *stack.contacts,
                                                        *stack.invites, *stack.outbox));
    return stack;
}

Result<std::optional<wire::NodeAddress>> ownNodeAddress(core::Vault& vault)
{
    auto configured = HIVE_TRY(core::PersonalNode::configuredAddress(vault));
    if (configured)
        return configured;
    return core::PersonalNode::localAddress(vault);
}

int flushOutbox(Context& context, core::Outbox& outbox)
{
    int refused = 0;
    QObject::connect(&outbox, &core::Outbox::failed, [&](qint64 id, const QString& why) {
        context.err << "hivectl: could not deliver queued message " << id << ": " << why << '\n';
    });
    auto flushed = outbox.flush().wait();
    if (!flushed.ok()) {
        context.err << "hivectl: the outbox could not be sent: " << flushed.error().message() << '\n';
        return 0;
    }
    refused = flushed->dropped;
    if (flushed->waiting > 0)
        context.err << "note: " << flushed->waiting << " message(s) wait in the outbox for their node; "
                    << "'hivectl sync' tries again\n";
    return refused;
}

Command syncCommand()
{
    return {kSync, QStringLiteral("sync"),
            QStringLiteral("Send what the outbox holds, then fetch requests, grants and notes from the own node."),
            nullptr, runSync, 0};
}

} // namespace hive::cli
