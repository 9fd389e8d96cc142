#include "inbox/inbox.h"

#include "identity/identity.h"
#include "wire/friendrequest.h"

#include <QLoggingCategory>

#include <vector>

Q_LOGGING_CATEGORY(lcInbox, "hive.inbox")

namespace hive::core {

namespace proto = wire::proto;

struct Inbox::Run {
    NodeReply<int> reply;
    std::size_t mailbox = 0;
    std::uint64_t after = 0;
    int rounds = 0;
    int delivered = 0;
};

Result<std::unique_ptr<Inbox>> Inbox::create(Vault& vault, const Identity& identity, NodeClient& client,
                                             QObject* parent)
{
    return std::unique_ptr<Inbox>(new Inbox(vault, identity, client, parent));
}

Inbox::Inbox(Vault& vault, const Identity& identity, NodeClient& client, QObject* parent)
    : QObject(parent), m_vault(vault), m_identity(identity), m_client(client)
{
    const auto self = identity.publicKey();
    m_mailboxes = {wire::requestsMailbox(self), wire::inboxMailbox(self)};
    connect(&m_client, &NodeClient::mailboxNotified, this, &Inbox::onNotified);
    m_retry.setSingleShot(true);
    m_retry.setInterval(RetryDelay);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (m_autoSync && m_client.isConnected()) {
            watch();
            sync();
        }
    });
    connect(&m_client, &NodeClient::connected, this, [this] {
        if (m_autoSync) {
            watch();
            sync();
        }
    });
}

Inbox::~Inbox()
{
    const Error gone(ErrorCode::Unavailable, "the inbox was closed");
    if (m_running)
        m_running->finish(gone);
    if (m_next)
        m_next->finish(gone);
}

void Inbox::registerHandler(wire::EnvelopeKind kind, InboxHandler* handler)
{
    if (handler == nullptr)
        m_handlers.erase(kind);
    else
        m_handlers[kind] = handler;
}

NodeReply<int> Inbox::sync()
{
    if (m_running) {
        m_again = true;
        if (!m_next)
            m_next.emplace();
        return *m_next;
    }
    m_running.emplace();
    NodeReply<int> reply = *m_running;
    startRun();
    return reply;
}

void Inbox::startRun()
{
    qCDebug(lcInbox) << "sync started";
    auto run = std::make_shared<Run>();
    run->reply = *m_running;
    fetchNext(run);
}

void Inbox::fetchNext(std::shared_ptr<Run> run)
{
    if (run->mailbox >= m_mailboxes.size()) {
        finishRun(run, std::nullopt);
        return;
    }
    const proto::MailboxId mailbox = m_mailboxes[run->mailbox];
    m_client.mailboxFetch(mailbox, run->after).then(this, [this, run](const Result<proto::MailboxFetchResult>& result) {
        if (!result.ok()) {
            finishRun(run, Error(result.error()).withContext("fetching the mailbox"));
            return;
        }
        // Handlers run from the event loop, not from inside the client's socket handling:
        // a handler that waits for another reply of this client (a nested event loop) would
        // otherwise never see it, because Qt does not re-emit readyRead inside its own slot.
        QMetaObject::invokeMethod(
            this, [this, run, fetched = *result]() { handleFetched(run, fetched); }, Qt::QueuedConnection);
    });
}

void Inbox::handleFetched(std::shared_ptr<Run> run, const proto::MailboxFetchResult& result)
{
    const proto::MailboxId mailbox = m_mailboxes[run->mailbox];
    const auto x25519Public = m_identity.x25519PublicKey();
    std::vector<std::uint64_t> ack;
    std::optional<Error> handlerError;
    for (const proto::Envelope& envelope : result.envelopes) {
        run->after = std::max(run->after, envelope.id);
        auto opened = wire::openEnvelope(envelope.body, x25519Public, m_identity.x25519SecretKey());
        if (!opened.ok()) {
            qCWarning(lcInbox) << "dropping message" << envelope.id << "that cannot be opened:" << opened.error().message();
            ++m_dropped;
            ack.push_back(envelope.id);
            continue;
        }
        // Friend requests belong in the requests mailbox and nothing else does: a request
        // in the inbox (or a note among requests) did not come the way it claims.
        const bool isRequest = opened->kind == wire::EnvelopeKind::FriendRequest;
        if (isRequest != (run->mailbox == 0)) {
            qCWarning(lcInbox) << "dropping message" << envelope.id << "of kind"
                               << wire::envelopeKindName(opened->kind).data() << "in the wrong mailbox";
            ++m_dropped;
            ack.push_back(envelope.id);
            continue;
        }
        auto handler = m_handlers.find(opened->kind);
        if (handler == m_handlers.end())
            continue; // left for a process that handles this kind
        InboxItem item {opened->kind, std::move(opened->body), mailbox, envelope.id, envelope.receivedAt};
        const Status handled = handler->second->receive(item);
        if (!handled.ok()) {
            // Undecodable or forged content is the sender's fault and is dropped; anything
            // else (a full disk, a locked vault) is ours and is retried on the next sync.
            const ErrorCode code = handled.error().code();
            if (code == ErrorCode::Malformed || code == ErrorCode::Crypto || code == ErrorCode::Unsupported
                || code == ErrorCode::TooLarge || code == ErrorCode::PermissionDenied
                || code == ErrorCode::InvalidArgument || code == ErrorCode::AlreadyExists
                || code == ErrorCode::NotFound) {
                qCWarning(lcInbox) << "dropping message" << envelope.id << "its handler refused:"
                                   << handled.error().message();
                ++m_dropped;
                ack.push_back(envelope.id);
            } else if (!handlerError) {
                handlerError = handled.error();
            }
            continue;
        }
        ++run->delivered;
        ack.push_back(envelope.id);
    }
    const bool more = result.more && !result.envelopes.empty() && ++run->rounds < MaxRoundsPerMailbox;
    auto next = [this, run, more, handlerError]() {
        if (handlerError) {
            finishRun(run, Error(*handlerError).withContext("storing a received message"));
            return;
        }
        if (!more) {
            ++run->mailbox;
            run->after = 0;
            run->rounds = 0;
        }
        fetchNext(run);
    };
    if (ack.empty()) {
        next();
        return;
    }
    m_client.mailboxAck(mailbox, std::move(ack)).then(this, [this, run, next](const Result<proto::MailboxAckResult>& acked) {
        if (!acked.ok()) {
            // Not fatal for what was stored (handlers dedupe), but the sync stops here.
            finishRun(run, Error(acked.error()).withContext("acknowledging messages"));
            return;
        }
        next();
    });
}

void Inbox::finishRun(std::shared_ptr<Run> run, std::optional<Error> error)
{
    if (error) {
        qCWarning(lcInbox) << "sync failed:" << error->message();
        run->reply.finish(*error);
        emit failed(QString::fromUtf8(error->message()));
        // While watching, try again a little later (a busy or briefly stuck connection
        // would otherwise leave new mail until the next push, which may never come).
        if (m_autoSync && !m_retry.isActive())
            m_retry.start();
    } else {
        qCDebug(lcInbox) << "sync delivered" << run->delivered << "dropped so far" << m_dropped;
        run->reply.finish(run->delivered);
        emit synced(run->delivered);
    }
    m_running.reset();
    if (m_again) {
        m_again = false;
        m_running = std::move(m_next);
        m_next.reset();
        if (!m_running)
            m_running.emplace();
        startRun();
    }
}

void Inbox::setAutoSync(bool on)
{
    if (on == m_autoSync)
        return;
    m_autoSync = on;
    if (on && m_client.isConnected()) {
        watch();
        sync();
    }
}

void Inbox::watch()
{
    // A node that cannot push leaves the inbox syncing on connect and when asked.
    m_client.mailboxWatch({m_mailboxes.begin(), m_mailboxes.end()}).then(this, [](const Result<proto::Empty>& result) {
        if (!result.ok())
            qCInfo(lcInbox) << "the node does not push new mail:" << result.error().message();
    });
}

void Inbox::onNotified(const proto::MailboxId& mailbox, quint64)
{
    if (m_autoSync && (mailbox == m_mailboxes[0] || mailbox == m_mailboxes[1]))
        sync();
}

} // namespace hive::core
