// Outbox: a persistent queue of envelopes to post into other people's mailboxes (s2
// contract [inbox]; docs/trust.md, "Inbox and outbox").
//
// A row is (recipient identity, node address, mailbox, envelope, optional invite secret,
// sender mode, attempts, next attempt). enqueue() stores it durably in the vault
// (component "outbox") before returning its id; flush() posts every row that is due, with
// one NodeClient per destination node and sender mode (kept open between flushes and
// closed after IdleClose without use), and deletes a row only after the node acknowledged
// it. Claims and settlements of one flush are written in batched transactions, not one
// commit per row. A process killed mid-send leaves the row, so it is posted again by the next flush
// (receivers dedupe). A refusal that cannot change by retrying (the node says the invite
// was used, the envelope is malformed, ...) drops the row and reports failed(); a node that
// cannot be reached is retried with exponential backoff (5 s doubling up to an hour) for
// up to MaxAge.
#pragma once

#include "node/nodereply.h"

#include "identity/identity.h"
#include "wire/nodeaddress.h"
#include "wire/nodeprotocol.h"
#include "wire/result.h"

#include <QObject>
#include <QTimer>
#include <QString>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace hive::core {

class NodeClient;
class Vault;
struct Migration;

// Who the destination node sees posting: this person's certified device, or nobody
// (sealed sender: the node learns only mailbox, size and time).
enum class OutboxSender : int { Certified = 0, Anonymous = 1 };

struct OutboxEntry {
    qint64 id = 0;
    Identity::PublicKey recipient {};
    wire::NodeAddress node;
    wire::proto::MailboxId mailbox {};
    Bytes envelope;
    std::optional<Bytes> invite; // posted with mailbox.postWithInvite when set
    OutboxSender sender = OutboxSender::Certified;
    int attempts = 0;
    qint64 nextAttempt = 0; // Unix seconds
    qint64 createdAt = 0;
    QString lastError;
};

// What one flush did.
struct OutboxFlushResult {
    int delivered = 0; // acknowledged by the node and deleted
    int dropped = 0;   // refused for good and deleted
    int waiting = 0;   // still queued (not due, or to be retried)
};

class Outbox : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 InitialBackoff = 5;   // seconds
    static constexpr qint64 MaxBackoff = 3600;    // seconds
    static constexpr qint64 MaxAge = 7 * 86400;   // seconds before an undeliverable row is dropped
    static constexpr std::chrono::milliseconds ConnectTimeout {5000};
    // How long a flush holds the rows it is posting (longer than connect + request timeouts).
    static constexpr qint64 ClaimSeconds = 60;
    // A connection to a destination node unused this long is closed.
    static constexpr std::chrono::milliseconds IdleClose {60000};

    // The outbox component's tables.
    static std::span<const Migration> schema();
    // An outbox in `vault` posting as `identity`; both must outlive it.
    static Result<std::unique_ptr<Outbox>> create(Vault& vault, const Identity& identity, QObject* parent = nullptr);
    ~Outbox() override;

    // Stores a post durably and returns its row id; it is sent by the next flush().
    Result<qint64> enqueue(const Identity::PublicKey& recipient, const wire::NodeAddress& node,
                           const wire::proto::MailboxId& mailbox, Bytes envelope,
                           std::optional<Bytes> invite = std::nullopt,
                           OutboxSender sender = OutboxSender::Certified);
    // Every queued row, oldest first.
    Result<std::vector<OutboxEntry>> pending();
    // Posts every row due now; finishes when each has been acknowledged, refused or
    // rescheduled. A flush asked for while one runs returns the running one, and another
    // flush follows it so rows queued meanwhile do not wait for the next caller.
    NodeReply<OutboxFlushResult> flush();
    // Connections kept open to destination nodes (for tests and status).
    int openConnections() const { return static_cast<int>(m_clients.size()); }

    // The clock (Unix seconds); tests replace it to step through backoff.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

signals:
    void delivered(qint64 id);
    // A row was refused for good (it is gone) or failed this time (it will be retried).
    void failed(qint64 id, const QString& why);

private:
    struct Flush;
    struct Settled {
        OutboxEntry entry;
        Result<std::uint64_t> posted;
    };
    struct Pooled {
        std::unique_ptr<NodeClient> client;
        std::chrono::steady_clock::time_point lastUsed;
    };
    Outbox(Vault& vault, const Identity& identity, QObject* parent);
    // The kept connection for a destination, (re)connected if needed; nullptr on error.
    Result<NodeClient*> clientFor(const OutboxEntry& entry);
    void settle(const std::shared_ptr<Flush>& flush, OutboxEntry entry, Result<std::uint64_t> posted);
    // Writes the settled rows of `flush` in one transaction and emits their signals.
    void applySettled(const std::shared_ptr<Flush>& flush);
    void finishIfDone(const std::shared_ptr<Flush>& flush);
    void closeIdle();

    Vault& m_vault;
    const Identity& m_identity;
    std::function<qint64()> m_clock;
    std::optional<NodeReply<OutboxFlushResult>> m_running;
    bool m_flushAgain = false;
    std::map<std::pair<std::string, OutboxSender>, Pooled> m_clients;
    QTimer m_idleTimer;
};

} // namespace hive::core
