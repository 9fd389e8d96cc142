// NodeClient: the app's connection to a Hive node (docs/protocol.md), on the Qt event loop.
//
//   TCP (QTcpSocket) -> Noise IK as initiator (wire/noise.h) with NodeCredentials'
//   ClientHello -> NodeHello check -> Hello frames and version negotiation (wire/frame.h)
//   -> requests with ids and per-request timeouts; pushes arrive as signals.
//
// Every request returns a NodeReply<T> that finishes exactly once: with the node's answer,
// the node's Error frame as an Error, Timeout, or Unavailable when the connection is lost
// after the request went out (it is not re-sent: the node may have acted on it). Requests
// made while a connection is being (re-)established wait for it, bounded by their timeout;
// requests made while Failed or Disconnected fail at once.
//
// A lost or failed connection is retried with exponential backoff and jitter, bounded by
// ReconnectPolicy; a presence subscription is renewed after every reconnect.
#pragma once

#include "node/nodecredentials.h"
#include "node/nodereply.h"

#include "wire/frame.h"
#include "wire/nodeaddress.h"
#include "wire/nodeprotocol.h"
#include "wire/noise.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class QTcpSocket;

namespace hive::core {

struct ReconnectPolicy {
    std::chrono::milliseconds initialDelay {250};
    std::chrono::milliseconds maxDelay {30000}; // the backoff never waits longer than this
    int maxAttempts = 0;                       // consecutive failed attempts; 0 = no limit
};

class NodeClient : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateName READ stateName NOTIFY stateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(QString address READ addressText NOTIFY addressChanged)

public:
    // Disconnected: not started or close()d. Connecting: TCP or handshake under way, or
    // waiting to retry after a lost connection. Connected: requests flow. Failed: the last
    // attempt failed (lastError says why); another follows after the backoff unless
    // ReconnectPolicy::maxAttempts is used up.
    enum class State { Disconnected, Connecting, Connected, Failed };
    Q_ENUM(State)

    static constexpr std::chrono::milliseconds DefaultRequestTimeout {10000};
    static constexpr std::chrono::milliseconds DefaultHandshakeTimeout {10000};

    // A client that is not connected yet; `credentials` are presented to every node.
    explicit NodeClient(NodeCredentials credentials, QObject* parent = nullptr);
    // Fails every outstanding request with Unavailable.
    ~NodeClient() override;

    // Connects (or reconnects) to `address`; a previous connection is closed first.
    void connectTo(const wire::NodeAddress& address);
    // Closes the connection, stops reconnecting and fails outstanding requests.
    void close();

    State state() const { return m_state; }
    // "disconnected", "connecting", "connected" or "failed".
    QString stateName() const;
    static QString stateName(State state);
    bool isConnected() const { return m_state == State::Connected; }
    // Why the last attempt or connection failed; empty after a successful handshake.
    QString lastError() const { return m_lastError; }
    const std::optional<wire::NodeAddress>& address() const { return m_address; }
    QString addressText() const;
    // What the node said about this connection in its handshake (valid once connected).
    const std::optional<wire::proto::NodeHello>& nodeHello() const { return m_nodeHello; }
    // The negotiated protocol version (0 before the Hello frames).
    std::uint16_t version() const { return m_version; }

    void setReconnectPolicy(ReconnectPolicy policy) { m_policy = policy; }
    ReconnectPolicy reconnectPolicy() const { return m_policy; }
    void setRequestTimeout(std::chrono::milliseconds timeout) { m_requestTimeout = timeout; }
    std::chrono::milliseconds requestTimeout() const { return m_requestTimeout; }
    void setHandshakeTimeout(std::chrono::milliseconds timeout) { m_handshakeTimeout = timeout; }
    // Replaces the grant chain used from the next handshake on (see also presentGrant()).
    void setGrantChain(Bytes chain) { m_credentials.setGrantChain(std::move(chain)); }

    // Finishes once the client is Connected (right away if it is), or with the error of the
    // attempt that failed, or Timeout after `timeout`.
    NodeReply<wire::proto::NodeHello> waitConnected(std::chrono::milliseconds timeout = DefaultHandshakeTimeout);

    // A raw request: the payload of the node's Response, or its Error. timeout 0 = default.
    NodeReply<Bytes> request(wire::proto::Service service, std::uint16_t method, Bytes payload,
                             std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

    // ---- session ----
    NodeReply<wire::proto::Pong> ping();
    // Replaces this connection's grant chain (and the one sent on reconnects).
    NodeReply<wire::proto::GrantInfo> presentGrant(Bytes grantChain);
    // ---- mailbox ----
    NodeReply<wire::proto::MailboxPostResult> mailboxPost(const wire::proto::MailboxId& mailbox, Bytes envelope);
    NodeReply<wire::proto::MailboxFetchResult> mailboxFetch(const wire::proto::MailboxId& mailbox,
                                                            std::uint64_t after = 0, std::uint16_t limit = 0);
    NodeReply<wire::proto::MailboxAckResult> mailboxAck(const wire::proto::MailboxId& mailbox,
                                                        std::vector<std::uint64_t> ids);
    // A post authorised by a single-use invite secret (the node refuses a second use).
    NodeReply<wire::proto::MailboxPostResult> mailboxPostWithInvite(const wire::proto::MailboxId& mailbox, Bytes secret,
                                                                    Bytes envelope);
    // Watches these mailboxes (owner): each later post arrives as mailboxNotified().
    // Replaces the previous set; renewed after every reconnect; empty = stop.
    NodeReply<wire::proto::Empty> mailboxWatch(std::vector<wire::proto::MailboxId> mailboxes);
    // ---- directory ----
    NodeReply<wire::proto::DirectoryPublishResult> directoryPublish(std::uint16_t kind, Bytes entry);
    // Entries of `owner` (all zero: the node's owner); kind 0 = every kind.
    NodeReply<wire::proto::DirectoryFetchResult> directoryFetch(const wire::proto::Key32& owner = {},
                                                                std::uint16_t kind = 0);
    // Appends one-time prekeys of a device (owner).
    NodeReply<wire::proto::DirectoryPublishPrekeysResult> directoryPublishPrekeys(std::uint32_t deviceId,
                                                                                  std::vector<Bytes> prekeys);
    // Takes one prekey of `owner`'s device (all zero: the node's owner); found = false when none is left.
    NodeReply<wire::proto::DirectoryTakePrekeyResult> directoryTakePrekey(const wire::proto::Key32& owner,
                                                                          std::uint32_t deviceId);
    // How many one-time prekeys of a device the node still holds (owner).
    NodeReply<wire::proto::DirectoryCountPrekeysResult> directoryCountPrekeys(std::uint32_t deviceId);
    // ---- objects ----
    // Stores content under its id (objectIdOf(content)).
    NodeReply<wire::proto::ObjectPutResult> objectPut(Bytes content);
    // The content of an object; Corrupt if what arrives does not hash to `id`.
    NodeReply<wire::proto::ObjectContent> objectGet(const wire::proto::ObjectId& id);
    NodeReply<wire::proto::ObjectHasResult> objectHas(std::vector<wire::proto::ObjectId> ids);
    NodeReply<wire::proto::ObjectListResult> objectList(std::optional<wire::proto::ObjectId> after = std::nullopt,
                                                        std::uint16_t limit = 0);
    NodeReply<wire::proto::ObjectDeleteResult> objectDelete(std::vector<wire::proto::ObjectId> ids);
    // An object of the node owner's space by its exact id (friends too); Corrupt if what
    // arrives does not hash to `id`.
    NodeReply<wire::proto::ObjectContent> objectGetShared(const wire::proto::ObjectId& id);
    // ---- presence ----
    NodeReply<wire::proto::PresencePublishResult> presencePublish(std::vector<wire::proto::Key32> audience,
                                                                  std::uint32_t ttlSeconds, Bytes blob);
    // Subscribes; updates arrive as presenceUpdated(). Renewed after every reconnect.
    NodeReply<wire::proto::PresenceSubscribeResult> presenceSubscribe();
    NodeReply<wire::proto::Empty> presenceUnsubscribe();
    // ---- admin ----
    NodeReply<wire::proto::AdminStatus> adminStatus();
    NodeReply<wire::proto::AdminRevokeResult> adminRevoke(const wire::Revocation& revocation);
    // Registers single-use invite tokens (owner).
    NodeReply<wire::proto::AdminRegisterInvitesResult> adminRegisterInvites(std::vector<wire::proto::InviteToken> tokens);

signals:
    void stateChanged(hive::core::NodeClient::State state);
    void lastErrorChanged();
    void addressChanged();
    // A handshake completed and the version is negotiated.
    void connected();
    // Any Push frame from the node.
    void pushReceived(quint16 service, quint16 method, quint64 subscriptionId, const QByteArray& payload);
    // A presence update pushed by the node.
    void presenceUpdated(const hive::wire::proto::PresenceUpdate& update);
    // A post landed in a watched mailbox (see mailboxWatch()).
    void mailboxNotified(hive::wire::proto::MailboxId mailbox, quint64 messageId);

private:
    struct Pending {
        wire::Frame frame;
        NodeReply<Bytes> reply;
        std::chrono::steady_clock::time_point deadline;
        bool sent = false;
    };
    enum class Phase { Idle, TcpConnecting, Handshaking, AwaitingHello, Ready };

    template <typename T, typename Request>
    NodeReply<T> call(wire::proto::Service service, std::uint16_t method, const Request& request);

    void startAttempt();
    void onSocketConnected();
    void onReadyRead();
    void onSocketError(QAbstractSocket::SocketError error);
    void onSocketDisconnected();
    Status processHandshake();
    Status processFrames();
    void handleFrame(wire::Frame frame);
    void becomeConnected();
    // Ends the current connection; `error` (if any) becomes lastError and the attempt counts
    // as failed; a retry is scheduled unless close() was asked for.
    void dropConnection(std::optional<Error> error);
    void scheduleRetry();
    void sendPending();
    Status sendFrame(const wire::Frame& frame);
    void failRequests(bool onlySent, const Error& error);
    void armTimeoutTimer();
    void onTimeoutTimer();
    void setState(State state);
    void setLastError(const QString& text);
    void finishConnectWaiters(const std::optional<Error>& error);
    // Queues a reply completion; they run from flushCompletions() once this object's own
    // state is consistent, because a continuation may call back into the client.
    void complete(NodeReply<Bytes> reply, Result<Bytes> result);
    void flushCompletions();
    // Queues a signal emission in order with the completions (skipped once destroying).
    void queueSignal(std::function<void()> emitter);

    NodeCredentials m_credentials;
    std::optional<wire::NodeAddress> m_address;
    ReconnectPolicy m_policy;
    std::chrono::milliseconds m_requestTimeout = DefaultRequestTimeout;
    std::chrono::milliseconds m_handshakeTimeout = DefaultHandshakeTimeout;

    State m_state = State::Disconnected;
    Phase m_phase = Phase::Idle;
    QString m_lastError;
    int m_failedAttempts = 0;
    bool m_wantPresence = false;
    std::vector<wire::proto::MailboxId> m_watched; // renewed after reconnects

    QTcpSocket* m_socket = nullptr;
    std::optional<wire::noise::HandshakeState> m_handshake;
    std::unique_ptr<wire::noise::Transport> m_transport;
    std::unique_ptr<wire::RecordReader> m_records;
    std::unique_ptr<wire::FrameDecoder> m_decoder;
    std::unique_ptr<wire::FrameEncoder> m_encoder;
    std::optional<wire::proto::NodeHello> m_nodeHello;
    std::uint16_t m_version = 0;

    std::uint64_t m_nextRequestId = 1;
    std::map<std::uint64_t, Pending> m_pending; // by request id, in order of issue
    std::vector<std::pair<std::chrono::steady_clock::time_point, NodeReply<wire::proto::NodeHello>>> m_connectWaiters;
    std::deque<std::function<void()>> m_completions;
    bool m_destroying = false;
    std::uint64_t m_generation = 0; // bumped whenever a connection ends or starts
    std::chrono::steady_clock::time_point m_timerDeadline;
    QTimer m_timeoutTimer;   // fires at the earliest request or connect-waiter deadline
    QTimer m_handshakeTimer; // bounds TCP connect + handshake
    QTimer m_retryTimer;
};

} // namespace hive::core
