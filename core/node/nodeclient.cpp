#include "node/nodeclient.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>

#include <sodium.h>

#include <algorithm>

Q_LOGGING_CATEGORY(lcNodeClient, "hive.node.client")

namespace hive::core {

using namespace std::chrono;
namespace proto = wire::proto;

namespace {

std::uint64_t unixNow()
{
    return static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch());
}

QString text(const Error& error)
{
    return QString::fromUtf8(error.message());
}

template <typename M>
constexpr std::uint16_t id(M method)
{
    return static_cast<std::uint16_t>(method);
}

} // namespace

NodeClient::NodeClient(NodeCredentials credentials, QObject* parent)
    : QObject(parent)
    , m_credentials(std::move(credentials))
{
    m_timeoutTimer.setSingleShot(true);
    m_handshakeTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &NodeClient::onTimeoutTimer);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        dropConnection(Error(ErrorCode::Timeout, "the node did not complete the handshake in time"));
        flushCompletions();
    });
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        startAttempt();
        flushCompletions();
    });
}

NodeClient::~NodeClient()
{
    m_retryTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    m_destroying = true; // queued signals are not emitted any more
    const Error gone(ErrorCode::Unavailable, "the node client was closed");
    failRequests(false, gone);
    finishConnectWaiters(gone);
    // Whatever is still queued runs now: nobody else will run it.
    auto completions = std::move(m_completions);
    for (auto& c : completions)
        c();
}

QString NodeClient::stateName(State state)
{
    switch (state) {
    case State::Disconnected: return QStringLiteral("disconnected");
    case State::Connecting: return QStringLiteral("connecting");
    case State::Connected: return QStringLiteral("connected");
    case State::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

QString NodeClient::stateName() const
{
    return stateName(m_state);
}

QString NodeClient::addressText() const
{
    return m_address ? QString::fromStdString(m_address->toString()) : QString();
}

void NodeClient::connectTo(const wire::NodeAddress& address)
{
    if (m_socket || m_phase != Phase::Idle) {
        // A deliberate switch is not a failure: keep lastError and the attempt count clean.
        dropConnection(std::nullopt);
    }
    m_retryTimer.stop();
    const bool changed = !m_address || *m_address != address;
    m_address = address;
    m_failedAttempts = 0;
    if (changed)
        emit addressChanged();
    startAttempt();
    flushCompletions();
}

void NodeClient::close()
{
    m_retryTimer.stop();
    const Error closed(ErrorCode::Unavailable, "the connection to the node was closed");
    if (m_socket || m_phase != Phase::Idle) {
        // Mark as Disconnected first so dropConnection does not schedule a retry.
        setState(State::Disconnected);
        dropConnection(std::nullopt);
    }
    failRequests(false, closed);
    finishConnectWaiters(closed);
    setState(State::Disconnected);
    flushCompletions();
}

void NodeClient::startAttempt()
{
    Q_ASSERT(m_address);
    ++m_generation;
    setState(State::Connecting);
    m_phase = Phase::TcpConnecting;
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, &NodeClient::onSocketConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &NodeClient::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &NodeClient::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &NodeClient::onSocketDisconnected);
    m_handshakeTimer.start(m_handshakeTimeout);
    m_socket->connectToHost(QString::fromStdString(m_address->host), m_address->port);
}

void NodeClient::onSocketConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto handshake = wire::noise::HandshakeState::create(wire::noise::Role::Initiator, {}, m_credentials.noiseKey(),
                                                        m_address->key);
    if (!handshake.ok()) {
        dropConnection(handshake.error());
        flushCompletions();
        return;
    }
    m_handshake.emplace(std::move(handshake).value());
    auto hello = m_credentials.hello(unixNow());
    if (!hello.ok()) {
        dropConnection(hello.error().withContext("cannot present this device's certificate"));
        flushCompletions();
        return;
    }
    auto message = m_handshake->writeMessage(hello->encode());
    if (!message.ok()) {
        dropConnection(message.error());
        flushCompletions();
        return;
    }
    Bytes out;
    wire::appendRecord(out, *message);
    m_records = std::make_unique<wire::RecordReader>();
    m_phase = Phase::Handshaking;
    m_socket->write(reinterpret_cast<const char*>(out.data()), static_cast<qint64>(out.size()));
}

void NodeClient::onReadyRead()
{
    if (!m_socket || !m_records)
        return;
    const QByteArray data = m_socket->readAll();
    m_records->append(ByteView(reinterpret_cast<const std::uint8_t*>(data.constData()),
                               static_cast<std::size_t>(data.size())));
    const std::uint64_t generation = m_generation;
    Status status = success();
    if (m_phase == Phase::Handshaking)
        status = processHandshake();
    if (status.ok() && generation == m_generation && (m_phase == Phase::AwaitingHello || m_phase == Phase::Ready))
        status = processFrames();
    if (!status.ok() && generation == m_generation)
        dropConnection(status.error());
    // Replies, pushes and `connected` reach their receivers from the event loop, not from
    // inside the socket's readyRead: QAbstractSocket does not emit readyRead again while a
    // slot of it runs, so a receiver that waits for another reply would wait for nothing.
    QMetaObject::invokeMethod(this, &NodeClient::flushCompletions, Qt::QueuedConnection);
}

Status NodeClient::processHandshake()
{
    auto record = HIVE_TRY(m_records->next());
    if (!record)
        return success();
    auto payload = m_handshake->readMessage(*record);
    if (!payload.ok())
        return payload.error().withContext("the handshake with the node failed (is the address's key right?)");
    auto hello = proto::NodeHello::decode(*payload);
    if (!hello.ok())
        return hello.error().withContext("the node's handshake answer does not decode");
    if (hello->status != ErrorCode::Ok) {
        Error refused(hello->status, "the node refused this device: ");
        refused.append(hello->message);
        return refused;
    }
    auto transport = HIVE_TRY(m_handshake->split());
    m_handshake.reset();
    m_transport = std::make_unique<wire::noise::Transport>(std::move(transport));
    m_decoder = std::make_unique<wire::FrameDecoder>(m_transport->receive);
    wire::FrameLimits sendLimits;
    if (hello->maxFrame != 0)
        sendLimits.maxFrame = std::min<std::size_t>(sendLimits.maxFrame, hello->maxFrame);
    m_encoder = std::make_unique<wire::FrameEncoder>(m_transport->send, sendLimits);
    m_nodeHello = std::move(hello).value();
    m_phase = Phase::AwaitingHello;
    return sendFrame(wire::helloFrame());
}

Status NodeClient::processFrames()
{
    const std::uint64_t generation = m_generation;
    for (;;) {
        auto record = HIVE_TRY(m_records->next());
        if (!record)
            break;
        HIVE_CHECK(m_decoder->feedRecord(*record));
        while (auto frame = m_decoder->next()) {
            handleFrame(std::move(*frame));
            // A handler may have ended this connection (or a slot may have started another).
            if (generation != m_generation)
                return success();
        }
    }
    return success();
}

void NodeClient::handleFrame(wire::Frame frame)
{
    if (m_phase == Phase::AwaitingHello) {
        auto range = wire::parseHello(frame);
        if (!range.ok()) {
            dropConnection(range.error().withContext("the node did not start with a Hello frame"));
            return;
        }
        auto version = wire::negotiateVersion(wire::SupportedVersions, *range);
        if (!version.ok()) {
            dropConnection(version.error());
            return;
        }
        m_version = *version;
        becomeConnected();
        return;
    }
    switch (frame.kind) {
    case wire::FrameKind::Response:
    case wire::FrameKind::Error: {
        auto it = m_pending.find(frame.requestId);
        if (it == m_pending.end() || !it->second.sent) {
            // Answers to requests that already timed out are dropped silently.
            return;
        }
        NodeReply<Bytes> reply = it->second.reply;
        const bool matches = frame.service == it->second.frame.service && frame.method == it->second.frame.method;
        m_pending.erase(it);
        if (!matches)
            complete(reply, Error(ErrorCode::Malformed, "the node answered a request with another service or method"));
        else if (frame.kind == wire::FrameKind::Error)
            complete(reply, wire::decodeErrorPayload(frame.payload));
        else
            complete(reply, std::move(frame.payload));
        return;
    }
    case wire::FrameKind::Push: {
        const QByteArray payload(reinterpret_cast<const char*>(frame.payload.data()),
                                 static_cast<qsizetype>(frame.payload.size()));
        // Queued behind the replies that arrived before it, like them (see onReadyRead).
        queueSignal([this, service = frame.service, method = frame.method, subscription = frame.requestId, payload] {
            emit pushReceived(service, method, subscription, payload);
        });
        if (frame.service == static_cast<std::uint16_t>(proto::Service::Presence)
            && frame.method == id(proto::PresenceMethod::Update)) {
            auto update = proto::PresenceUpdate::decode(frame.payload);
            if (update.ok())
                queueSignal([this, update = *update] { emit presenceUpdated(update); });
            else
                qCWarning(lcNodeClient) << "dropping a presence update that does not decode:" << text(update.error());
        } else if (frame.service == static_cast<std::uint16_t>(proto::Service::Mailbox)
                   && frame.method == id(proto::MailboxMethod::Notify)) {
            auto notify = proto::MailboxNotify::decode(frame.payload);
            if (notify.ok())
                queueSignal([this, notify = *notify] { emit mailboxNotified(notify.mailbox, notify.messageId); });
            else
                qCWarning(lcNodeClient) << "dropping a mailbox notification that does not decode:" << text(notify.error());
        }
        return;
    }
    case wire::FrameKind::Hello:
    case wire::FrameKind::Request:
        dropConnection(Error(ErrorCode::Malformed, "the node sent a frame only a client may send"));
        return;
    }
}

void NodeClient::becomeConnected()
{
    m_phase = Phase::Ready;
    m_handshakeTimer.stop();
    m_failedAttempts = 0;
    setLastError({});
    setState(State::Connected);
    qCInfo(lcNodeClient) << "connected to" << addressText() << "as"
                         << proto::roleName(m_nodeHello->role).data();
    finishConnectWaiters(std::nullopt);
    const std::uint64_t generation = m_generation;
    queueSignal([this, generation] {
        if (generation == m_generation)
            emit connected();
    });
    if (m_wantPresence) {
        presenceSubscribe().then(this, [](const Result<proto::PresenceSubscribeResult>& r) {
            if (!r.ok())
                qCWarning(lcNodeClient) << "renewing the presence subscription failed:" << text(r.error());
        });
    }
    if (!m_watched.empty()) {
        mailboxWatch(m_watched).then(this, [](const Result<proto::Empty>& r) {
            if (!r.ok())
                qCWarning(lcNodeClient) << "renewing the mailbox watch failed:" << text(r.error());
        });
    }
    sendPending();
}

void NodeClient::onSocketError(QAbstractSocket::SocketError)
{
    if (!m_socket)
        return;
    Error error(ErrorCode::Unavailable, "");
    error.append(m_socket->errorString().toStdString());
    dropConnection(error);
    flushCompletions();
}

void NodeClient::onSocketDisconnected()
{
    if (!m_socket)
        return;
    dropConnection(Error(ErrorCode::Unavailable, "the node closed the connection"));
    flushCompletions();
}

void NodeClient::dropConnection(std::optional<Error> error)
{
    const bool wasReady = m_phase == Phase::Ready;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    ++m_generation;
    m_phase = Phase::Idle;
    m_handshakeTimer.stop();
    m_handshake.reset();
    m_decoder.reset();
    m_encoder.reset();
    m_transport.reset();
    m_records.reset();
    m_version = 0;

    Error lost(ErrorCode::Unavailable, "the connection to the node was lost before it answered");
    if (error)
        lost.append(": ").append(error->messageView());
    failRequests(true, lost);

    if (!error || m_state == State::Disconnected)
        return; // a deliberate close or switch
    setLastError(text(*error));
    if (wasReady) {
        qCWarning(lcNodeClient) << "lost the connection to" << addressText() << ":" << text(*error);
        // The next attempt starts soon; queued requests wait for it.
        setState(State::Connecting);
        m_failedAttempts = 0;
        scheduleRetry();
        return;
    }
    ++m_failedAttempts;
    qCInfo(lcNodeClient) << "connecting to" << addressText() << "failed:" << text(*error);
    setState(State::Failed);
    Error failed(error->code(), "cannot reach the node: ");
    failed.append(error->messageView());
    failRequests(false, failed);
    finishConnectWaiters(failed);
    if (m_policy.maxAttempts == 0 || m_failedAttempts < m_policy.maxAttempts)
        scheduleRetry();
}

void NodeClient::scheduleRetry()
{
    // Exponential backoff with "equal jitter": half the delay fixed, half random, so many
    // clients of one restarted node do not all come back in the same instant.
    const int shift = std::clamp(m_failedAttempts - 1, 0, 20);
    const auto base = std::min<milliseconds::rep>(m_policy.initialDelay.count() << shift, m_policy.maxDelay.count());
    const auto half = std::max<milliseconds::rep>(base / 2, 1);
    const auto delay = half + static_cast<milliseconds::rep>(QRandomGenerator::global()->bounded(static_cast<quint64>(half) + 1));
    m_retryTimer.start(milliseconds(delay));
}

Status NodeClient::sendFrame(const wire::Frame& frame)
{
    Q_ASSERT(m_encoder && m_socket);
    const Bytes bytes = HIVE_TRY(m_encoder->encode(frame));
    m_socket->write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
    return success();
}

void NodeClient::sendPending()
{
    const std::uint64_t generation = m_generation;
    for (auto it = m_pending.begin(); it != m_pending.end() && generation == m_generation;) {
        if (it->second.sent) {
            ++it;
            continue;
        }
        it->second.frame.version = m_version;
        auto sent = sendFrame(it->second.frame);
        if (!sent.ok()) {
            // Too large for this node, most likely: only this request fails.
            complete(it->second.reply, sent.error());
            it = m_pending.erase(it);
            continue;
        }
        it->second.sent = true;
        ++it;
    }
}

void NodeClient::failRequests(bool onlySent, const Error& error)
{
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (onlySent && !it->second.sent) {
            ++it;
            continue;
        }
        complete(it->second.reply, error);
        it = m_pending.erase(it);
    }
}

void NodeClient::finishConnectWaiters(const std::optional<Error>& error)
{
    auto waiters = std::move(m_connectWaiters);
    m_connectWaiters.clear();
    for (auto& [deadline, reply] : waiters) {
        if (error)
            m_completions.push_back([reply = reply, e = *error] { reply.finish(e); });
        else
            m_completions.push_back([reply = reply, hello = *m_nodeHello] { reply.finish(hello); });
    }
}

void NodeClient::complete(NodeReply<Bytes> reply, Result<Bytes> result)
{
    m_completions.push_back([reply = std::move(reply), result = std::move(result)]() mutable {
        reply.finish(std::move(result));
    });
}

void NodeClient::queueSignal(std::function<void()> emitter)
{
    m_completions.push_back([this, emitter = std::move(emitter)] {
        if (!m_destroying)
            emitter();
    });
}

void NodeClient::flushCompletions()
{
    // Re-entered when a completion waits for another reply (a local event loop runs a later
    // flush); the inner flush simply runs the completions queued after it, in order.
    QPointer<NodeClient> self(this);
    while (!m_completions.empty()) {
        auto completion = std::move(m_completions.front());
        m_completions.pop_front();
        completion();
        if (!self)
            return; // a continuation deleted the client; its destructor ran the rest
    }
}

void NodeClient::armTimeoutTimer()
{
    std::optional<steady_clock::time_point> earliest;
    for (const auto& [requestId, pending] : m_pending)
        earliest = earliest ? std::min(*earliest, pending.deadline) : pending.deadline;
    for (const auto& waiter : m_connectWaiters)
        earliest = earliest ? std::min(*earliest, waiter.first) : waiter.first;
    if (!earliest) {
        m_timeoutTimer.stop();
        return;
    }
    m_timerDeadline = *earliest;
    const auto wait = duration_cast<milliseconds>(*earliest - steady_clock::now());
    m_timeoutTimer.start(std::max(wait, milliseconds(0)) + milliseconds(1));
}

void NodeClient::onTimeoutTimer()
{
    const auto now = steady_clock::now();
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->second.deadline > now) {
            ++it;
            continue;
        }
        Error timeout(ErrorCode::Timeout, it->second.sent ? "the node did not answer in time"
                                                          : "no connection to the node came up in time");
        complete(it->second.reply, timeout);
        it = m_pending.erase(it);
    }
    for (auto it = m_connectWaiters.begin(); it != m_connectWaiters.end();) {
        if (it->first > now) {
            ++it;
            continue;
        }
        Error timeout(ErrorCode::Timeout, "no connection to the node came up in time");
        if (!m_lastError.isEmpty())
            timeout.append(" (").append(m_lastError.toStdString()).append(")");
        m_completions.push_back([reply = it->second, timeout] { reply.finish(timeout); });
        it = m_connectWaiters.erase(it);
    }
    armTimeoutTimer();
    flushCompletions();
}

void NodeClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void NodeClient::setLastError(const QString& textValue)
{
    if (m_lastError == textValue)
        return;
    m_lastError = textValue;
    emit lastErrorChanged();
}

NodeReply<proto::NodeHello> NodeClient::waitConnected(milliseconds timeout)
{
    if (m_state == State::Connected && m_nodeHello)
        return NodeReply<proto::NodeHello>::finished(*m_nodeHello);
    if (m_state == State::Disconnected || m_state == State::Failed) {
        Error error(ErrorCode::Unavailable, "not connected to a node");
        if (!m_lastError.isEmpty())
            error.append(": ").append(m_lastError.toStdString());
        return NodeReply<proto::NodeHello>::finished(error);
    }
    NodeReply<proto::NodeHello> reply;
    const auto deadline = steady_clock::now() + timeout;
    m_connectWaiters.emplace_back(deadline, reply);
    if (!m_timeoutTimer.isActive() || deadline < m_timerDeadline)
        armTimeoutTimer();
    return reply;
}

NodeReply<Bytes> NodeClient::request(proto::Service service, std::uint16_t method, Bytes payload, milliseconds timeout)
{
    if (m_state == State::Disconnected || m_state == State::Failed || !m_address) {
        Error error(ErrorCode::Unavailable, "not connected to a node");
        if (!m_lastError.isEmpty())
            error.append(": ").append(m_lastError.toStdString());
        return NodeReply<Bytes>::finished(error);
    }
    if (timeout <= milliseconds(0))
        timeout = m_requestTimeout;
    const std::uint64_t requestId = m_nextRequestId++;
    Pending pending;
    pending.frame = proto::requestFrame(m_version, requestId, service, method, std::move(payload));
    pending.deadline = steady_clock::now() + timeout;
    NodeReply<Bytes> reply = pending.reply;
    const auto deadline = pending.deadline;
    auto [it, inserted] = m_pending.emplace(requestId, std::move(pending));
    Q_ASSERT(inserted);
    if (m_phase == Phase::Ready) {
        auto sent = sendFrame(it->second.frame);
        if (!sent.ok()) {
            m_pending.erase(it);
            return NodeReply<Bytes>::finished(sent.error());
        }
        it->second.sent = true;
    }
    if (!m_timeoutTimer.isActive() || deadline < m_timerDeadline)
        armTimeoutTimer();
    return reply;
}

template <typename T, typename Request>
NodeReply<T> NodeClient::call(proto::Service service, std::uint16_t method, const Request& request)
{
    NodeReply<Bytes> raw = this->request(service, method, request.encode());
    NodeReply<T> typed;
    raw.then(nullptr, [typed](const Result<Bytes>& result) {
        if (!result.ok()) {
            typed.finish(result.error());
            return;
        }
        auto decoded = T::decode(*result);
        if (!decoded.ok()) {
            typed.finish(decoded.error().withContext("the node's answer does not decode"));
            return;
        }
        typed.finish(std::move(decoded).value());
    });
    return typed;
}

NodeReply<proto::Pong> NodeClient::ping()
{
    return call<proto::Pong>(proto::Service::Session, id(proto::SessionMethod::Ping), proto::Empty {});
}

NodeReply<proto::GrantInfo> NodeClient::presentGrant(Bytes grantChain)
{
    m_credentials.setGrantChain(grantChain);
    proto::PresentGrant request;
    request.grantChain = std::move(grantChain);
    return call<proto::GrantInfo>(proto::Service::Session, id(proto::SessionMethod::PresentGrant), request);
}

NodeReply<proto::MailboxPostResult> NodeClient::mailboxPost(const proto::MailboxId& mailbox, Bytes envelope)
{
    proto::MailboxPost request;
    request.mailbox = mailbox;
    request.envelope = std::move(envelope);
    return call<proto::MailboxPostResult>(proto::Service::Mailbox, id(proto::MailboxMethod::Post), request);
}

NodeReply<proto::MailboxFetchResult> NodeClient::mailboxFetch(const proto::MailboxId& mailbox, std::uint64_t after,
                                                              std::uint16_t limit)
{
    proto::MailboxFetch request;
    request.mailbox = mailbox;
    request.after = after;
    request.limit = limit;
    return call<proto::MailboxFetchResult>(proto::Service::Mailbox, id(proto::MailboxMethod::Fetch), request);
}

NodeReply<proto::MailboxAckResult> NodeClient::mailboxAck(const proto::MailboxId& mailbox,
                                                          std::vector<std::uint64_t> ids)
{
    proto::MailboxAck request;
    request.mailbox = mailbox;
    request.ids = std::move(ids);
    return call<proto::MailboxAckResult>(proto::Service::Mailbox, id(proto::MailboxMethod::Ack), request);
}

NodeReply<proto::MailboxPostResult> NodeClient::mailboxPostWithInvite(const proto::MailboxId& mailbox, Bytes secret,
                                                                      Bytes envelope)
{
    proto::MailboxPostWithInvite request;
    request.mailbox = mailbox;
    request.invite = std::move(secret);
    request.envelope = std::move(envelope);
    auto reply = call<proto::MailboxPostResult>(proto::Service::Mailbox, id(proto::MailboxMethod::PostWithInvite), request);
    sodium_memzero(request.invite.data(), request.invite.size());
    return reply;
}

NodeReply<proto::Empty> NodeClient::mailboxWatch(std::vector<proto::MailboxId> mailboxes)
{
    m_watched = mailboxes;
    proto::MailboxWatch request;
    request.mailboxes = std::move(mailboxes);
    return call<proto::Empty>(proto::Service::Mailbox, id(proto::MailboxMethod::Watch), request);
}

NodeReply<proto::DirectoryPublishPrekeysResult> NodeClient::directoryPublishPrekeys(std::uint32_t deviceId,
                                                                                    std::vector<Bytes> prekeys)
{
    proto::DirectoryPublishPrekeys request;
    request.deviceId = deviceId;
    request.prekeys = std::move(prekeys);
    return call<proto::DirectoryPublishPrekeysResult>(proto::Service::Directory,
                                                      id(proto::DirectoryMethod::PublishPrekeys), request);
}

NodeReply<proto::DirectoryTakePrekeyResult> NodeClient::directoryTakePrekey(const proto::Key32& owner, std::uint32_t deviceId)
{
    proto::DirectoryTakePrekey request;
    request.owner = owner;
    request.deviceId = deviceId;
    return call<proto::DirectoryTakePrekeyResult>(proto::Service::Directory, id(proto::DirectoryMethod::TakePrekey),
                                                  request);
}

NodeReply<proto::DirectoryCountPrekeysResult> NodeClient::directoryCountPrekeys(std::uint32_t deviceId)
{
    proto::DirectoryCountPrekeys request;
    request.deviceId = deviceId;
    return call<proto::DirectoryCountPrekeysResult>(proto::Service::Directory, id(proto::DirectoryMethod::CountPrekeys),
                                                    request);
}

NodeReply<proto::DirectoryPublishResult> NodeClient::directoryPublish(std::uint16_t kind, Bytes entry)
{
    proto::DirectoryPublish request;
    request.kind = kind;
    request.entry = std::move(entry);
    return call<proto::DirectoryPublishResult>(proto::Service::Directory, id(proto::DirectoryMethod::Publish),
                                               request);
}

NodeReply<proto::DirectoryFetchResult> NodeClient::directoryFetch(const proto::Key32& owner, std::uint16_t kind)
{
    proto::DirectoryFetch request;
    request.owner = owner;
    request.kind = kind;
    return call<proto::DirectoryFetchResult>(proto::Service::Directory, id(proto::DirectoryMethod::Fetch), request);
}

NodeReply<proto::ObjectPutResult> NodeClient::objectPut(Bytes content)
{
    proto::ObjectPut request;
    request.id = proto::objectIdOf(content);
    request.content = std::move(content);
    return call<proto::ObjectPutResult>(proto::Service::Objects, id(proto::ObjectsMethod::Put), request);
}

NodeReply<proto::ObjectContent> NodeClient::objectGet(const proto::ObjectId& objectId)
{
    proto::ObjectGet request;
    request.id = objectId;
    NodeReply<proto::ObjectContent> raw =
        call<proto::ObjectContent>(proto::Service::Objects, id(proto::ObjectsMethod::Get), request);
    NodeReply<proto::ObjectContent> checked;
    // Content addressing lets the device check the node: what comes back must hash to the id.
    raw.then(nullptr, [checked, objectId](const Result<proto::ObjectContent>& result) {
        if (result.ok() && proto::objectIdOf(result->content) != objectId)
            checked.finish(Error(ErrorCode::Corrupt, "the node returned content that does not match the object id"));
        else
            checked.finish(result);
    });
    return checked;
}

NodeReply<proto::ObjectContent> NodeClient::objectGetShared(const proto::ObjectId& objectId)
{
    proto::ObjectGetShared request;
    request.id = objectId;
    NodeReply<proto::ObjectContent> raw =
        call<proto::ObjectContent>(proto::Service::Objects, id(proto::ObjectsMethod::GetShared), request);
    NodeReply<proto::ObjectContent> checked;
    raw.then(nullptr, [checked, objectId](const Result<proto::ObjectContent>& result) {
        if (result.ok() && proto::objectIdOf(result->content) != objectId)
            checked.finish(Error(ErrorCode::Corrupt, "the node returned content that does not match the object id"));
        else
            checked.finish(result);
    });
    return checked;
}

NodeReply<proto::ObjectHasResult> NodeClient::objectHas(std::vector<proto::ObjectId> ids)
{
    proto::ObjectHas request;
    request.ids = std::move(ids);
    return call<proto::ObjectHasResult>(proto::Service::Objects, id(proto::ObjectsMethod::Has), request);
}

NodeReply<proto::ObjectListResult> NodeClient::objectList(std::optional<proto::ObjectId> after, std::uint16_t limit)
{
    proto::ObjectList request;
    request.after = after;
    request.limit = limit;
    return call<proto::ObjectListResult>(proto::Service::Objects, id(proto::ObjectsMethod::List), request);
}

NodeReply<proto::ObjectDeleteResult> NodeClient::objectDelete(std::vector<proto::ObjectId> ids)
{
    proto::ObjectDelete request;
    request.ids = std::move(ids);
    return call<proto::ObjectDeleteResult>(proto::Service::Objects, id(proto::ObjectsMethod::Delete), request);
}

NodeReply<proto::PresencePublishResult> NodeClient::presencePublish(std::vector<proto::Key32> audience,
                                                                    std::uint32_t ttlSeconds, Bytes blob)
{
    proto::PresencePublish request;
    request.audience = std::move(audience);
    request.ttlSeconds = ttlSeconds;
    request.blob = std::move(blob);
    return call<proto::PresencePublishResult>(proto::Service::Presence, id(proto::PresenceMethod::Publish), request);
}

NodeReply<proto::PresenceSubscribeResult> NodeClient::presenceSubscribe()
{
    m_wantPresence = true;
    return call<proto::PresenceSubscribeResult>(proto::Service::Presence, id(proto::PresenceMethod::Subscribe),
                                                proto::Empty {});
}

NodeReply<proto::Empty> NodeClient::presenceUnsubscribe()
{
    m_wantPresence = false;
    return call<proto::Empty>(proto::Service::Presence, id(proto::PresenceMethod::Unsubscribe), proto::Empty {});
}

NodeReply<proto::AdminStatus> NodeClient::adminStatus()
{
    return call<proto::AdminStatus>(proto::Service::Admin, id(proto::AdminMethod::Status), proto::Empty {});
}

NodeReply<proto::AdminRevokeResult> NodeClient::adminRevoke(const wire::Revocation& revocation)
{
    proto::AdminRevoke request;
    request.revocation = revocation;
    return call<proto::AdminRevokeResult>(proto::Service::Admin, id(proto::AdminMethod::Revoke), request);
}

NodeReply<proto::AdminRegisterInvitesResult> NodeClient::adminRegisterInvites(std::vector<proto::InviteToken> tokens)
{
    proto::AdminRegisterInvites request;
    request.tokens = std::move(tokens);
    return call<proto::AdminRegisterInvitesResult>(proto::Service::Admin, id(proto::AdminMethod::RegisterInvites),
                                                   request);
}

} // namespace hive::core
