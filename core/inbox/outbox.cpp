#include "inbox/outbox.h"

#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "vault/vault.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <map>

Q_LOGGING_CATEGORY(lcOutbox, "hive.outbox")

namespace hive::core {

namespace proto = wire::proto;

namespace {

const Migration OutboxSchema[] = {
    {1,
     "CREATE TABLE outbox ("
     " id INTEGER PRIMARY KEY,"
     " recipient BLOB NOT NULL CHECK (length(recipient) = 32),"
     " node_address TEXT NOT NULL,"
     " mailbox BLOB NOT NULL CHECK (length(mailbox) = 32),"
     " envelope BLOB NOT NULL,"
     " invite BLOB,"
     " sender INTEGER NOT NULL CHECK (sender IN (0, 1)),"
     " attempts INTEGER NOT NULL DEFAULT 0,"
     " next_attempt INTEGER NOT NULL,"
     " created_at INTEGER NOT NULL,"
     " last_error TEXT);",
     {}},
};

// Errors that retrying cannot fix: the row is dropped.
bool isPermanent(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::Malformed:
    case ErrorCode::TooLarge:
    case ErrorCode::Unsupported:
    case ErrorCode::NotFound:
    case ErrorCode::AlreadyExists:
    case ErrorCode::Crypto:
    case ErrorCode::PermissionDenied:
        return true;
    default:
        return false;
    }
}

template <typename T>
T fixedFrom(const Bytes& bytes)
{
    T out {};
    if (bytes.size() == out.size())
        std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

} // namespace

// One flush in progress: what it did so far, the posts still outstanding and the answers
// not yet written to the vault.
struct Outbox::Flush {
    NodeReply<OutboxFlushResult> reply;
    OutboxFlushResult result;
    int outstanding = 0;
    std::vector<Settled> settled;
    bool applyQueued = false;
};

std::span<const Migration> Outbox::schema() { return OutboxSchema; }

Result<std::unique_ptr<Outbox>> Outbox::create(Vault& vault, const Identity& identity, QObject* parent)
{
    HIVE_CHECK(vault.migrateComponent("outbox", schema()));
    return std::unique_ptr<Outbox>(new Outbox(vault, identity, parent));
}

Outbox::Outbox(Vault& vault, const Identity& identity, QObject* parent)
    : QObject(parent), m_vault(vault), m_identity(identity), m_clock([] { return QDateTime::currentSecsSinceEpoch(); })
{
    m_idleTimer.setInterval(IdleClose / 2);
    connect(&m_idleTimer, &QTimer::timeout, this, &Outbox::closeIdle);
}

Outbox::~Outbox()
{
    if (m_running)
        m_running->finish(Error(ErrorCode::Unavailable, "the outbox was closed"));
}

Result<NodeClient*> Outbox::clientFor(const OutboxEntry& entry)
{
    Pooled& pooled = m_clients[std::make_pair(entry.node.toString(), entry.sender)];
    pooled.lastUsed = std::chrono::steady_clock::now();
    if (!pooled.client) {
        std::optional<NodeCredentials> credentials;
        if (entry.sender == OutboxSender::Anonymous) {
            credentials = NodeCredentials::anonymous();
        } else {
            auto certified = NodeCredentials::fromIdentity(m_identity);
            if (!certified.ok()) {
                m_clients.erase(std::make_pair(entry.node.toString(), entry.sender));
                return certified.error();
            }
            credentials = std::move(certified).value();
        }
        pooled.client = std::make_unique<NodeClient>(std::move(*credentials));
        // One attempt per flush: the outbox's own backoff decides when to try again.
        pooled.client->setReconnectPolicy({std::chrono::milliseconds(100), std::chrono::milliseconds(100), 1});
        pooled.client->setHandshakeTimeout(ConnectTimeout);
        pooled.client->setRequestTimeout(ConnectTimeout);
    }
    const NodeClient::State state = pooled.client->state();
    if (state == NodeClient::State::Disconnected || state == NodeClient::State::Failed)
        pooled.client->connectTo(entry.node);
    if (!m_idleTimer.isActive())
        m_idleTimer.start();
    return pooled.client.get();
}

void Outbox::closeIdle()
{
    if (m_running)
        return;
    const auto cutoff = std::chrono::steady_clock::now() - IdleClose;
    for (auto it = m_clients.begin(); it != m_clients.end();) {
        if (it->second.lastUsed < cutoff) {
            // It may be inside one of its own signal handlers' callers: delete it later.
            it->second.client->close();
            it->second.client.release()->deleteLater();
            it = m_clients.erase(it);
        } else {
            ++it;
        }
    }
    if (m_clients.empty())
        m_idleTimer.stop();
}

Result<qint64> Outbox::enqueue(const Identity::PublicKey& recipient, const wire::NodeAddress& node,
                               const proto::MailboxId& mailbox, Bytes envelope, std::optional<Bytes> invite,
                               OutboxSender sender)
{
    if (envelope.empty() || envelope.size() > proto::MaxEnvelope)
        return Error(ErrorCode::TooLarge, "a mailbox message holds 1 byte to 64 KiB");
    const qint64 now = m_clock();
    auto s = HIVE_TRY(m_vault.prepare(
        "INSERT INTO outbox (recipient, node_address, mailbox, envelope, invite, sender, next_attempt, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"));
    HIVE_CHECK(s.bindBlob(1, recipient));
    HIVE_CHECK(s.bindText(2, QString::fromStdString(node.toString())));
    HIVE_CHECK(s.bindBlob(3, mailbox));
    HIVE_CHECK(s.bindBlob(4, envelope));
    if (invite)
        HIVE_CHECK(s.bindBlob(5, *invite));
    else
        HIVE_CHECK(s.bindNull(5));
    HIVE_CHECK(s.bindInt64(6, static_cast<int>(sender)));
    HIVE_CHECK(s.bindInt64(7, now));
    HIVE_CHECK(s.run());
    auto id = HIVE_TRY(m_vault.prepare("SELECT last_insert_rowid()"));
    if (!HIVE_TRY(id.step()))
        return Error(ErrorCode::Internal, "the queued message has no id");
    return qint64 {id.columnInt64(0)};
}

Result<std::vector<OutboxEntry>> Outbox::pending()
{
    auto s = HIVE_TRY(m_vault.prepare("SELECT id, recipient, node_address, mailbox, envelope, invite, sender, attempts,"
                                      " next_attempt, created_at, last_error FROM outbox ORDER BY id"));
    std::vector<OutboxEntry> out;
    while (HIVE_TRY(s.step())) {
        OutboxEntry e;
        e.id = s.columnInt64(0);
        e.recipient = fixedFrom<Identity::PublicKey>(s.columnBytes(1));
        auto node = wire::NodeAddress::parse(s.columnText(2).toStdString());
        if (!node.ok())
            return Error(ErrorCode::Corrupt, "a queued message names an unreadable node address");
        e.node = *node;
        e.mailbox = fixedFrom<proto::MailboxId>(s.columnBytes(3));
        e.envelope = s.columnBytes(4);
        if (!s.columnIsNull(5))
            e.invite = s.columnBytes(5);
        e.sender = s.columnInt64(6) == 1 ? OutboxSender::Anonymous : OutboxSender::Certified;
        e.attempts = static_cast<int>(s.columnInt64(7));
        e.nextAttempt = s.columnInt64(8);
        e.createdAt = s.columnInt64(9);
        e.lastError = s.columnIsNull(10) ? QString() : s.columnText(10);
        out.push_back(std::move(e));
    }
    return out;
}

NodeReply<OutboxFlushResult> Outbox::flush()
{
    if (m_running) {
        m_flushAgain = true;
        return *m_running;
    }
    m_flushAgain = false;
    auto rows = pending();
    if (!rows.ok())
        return NodeReply<OutboxFlushResult>::finished(rows.error());
    const qint64 now = m_clock();
    auto flush = std::make_shared<Flush>();
    m_running = flush->reply;

    std::vector<std::pair<NodeClient*, OutboxEntry>> due;
    for (OutboxEntry& entry : *rows) {
        if (entry.nextAttempt > now) {
            ++flush->result.waiting;
            continue;
        }
        auto client = clientFor(entry);
        if (!client.ok()) {
            m_running.reset();
            flush->reply.finish(client.error());
            return flush->reply;
        }
        due.emplace_back(*client, std::move(entry));
    }
    // Claim the rows for the length of one attempt, so another Outbox on the same vault does
    // not post them at the same time. A crash leaves the claims to expire and the rows are
    // posted again. One transaction for all of them.
    if (!due.empty()) {
        const Status claimed = m_vault.transaction([&]() -> Status {
            auto claim = HIVE_TRY(m_vault.prepare("UPDATE outbox SET next_attempt = ?2 WHERE id = ?1"));
            for (const auto& [client, entry] : due) {
                HIVE_CHECK(claim.reset());
                HIVE_CHECK(claim.bindInt64(1, entry.id));
                HIVE_CHECK(claim.bindInt64(2, now + ClaimSeconds));
                HIVE_CHECK(claim.run());
            }
            return success();
        });
        if (!claimed.ok())
            qCWarning(lcOutbox) << "could not claim the rows being posted:" << claimed.error().message();
    }
    flush->outstanding = static_cast<int>(due.size()) + 1; // +1 until every post is issued
    for (auto& [client, entry] : due) {
        auto settleWith = [this, flush, entry](const Result<proto::MailboxPostResult>& posted) {
            settle(flush, entry, posted.ok() ? Result<std::uint64_t>(posted->messageId) : Result<std::uint64_t>(posted.error()));
        };
        if (entry.invite)
            client->mailboxPostWithInvite(entry.mailbox, *entry.invite, entry.envelope).then(this, settleWith);
        else
            client->mailboxPost(entry.mailbox, entry.envelope).then(this, settleWith);
    }
    NodeReply<OutboxFlushResult> reply = flush->reply;
    --flush->outstanding;
    finishIfDone(flush);
    return reply;
}

void Outbox::settle(const std::shared_ptr<Flush>& flush, OutboxEntry entry, Result<std::uint64_t> posted)
{
    flush->settled.push_back({std::move(entry), std::move(posted)});
    --flush->outstanding;
    if (flush->outstanding > 0) {
        // Answers that arrive together are written together, in the next event-loop turn.
        if (!flush->applyQueued) {
            flush->applyQueued = true;
            QTimer::singleShot(0, this, [this, flush] { applySettled(flush); });
        }
        return;
    }
    finishIfDone(flush);
}

void Outbox::applySettled(const std::shared_ptr<Flush>& flush)
{
    flush->applyQueued = false;
    if (flush->settled.empty())
        return;
    std::vector<Settled> batch = std::move(flush->settled);
    flush->settled.clear();
    const qint64 now = m_clock();
    std::vector<qint64> deliveredIds;
    std::vector<std::pair<qint64, QString>> failedRows;
    const Status written = m_vault.transaction([&]() -> Status {
        deliveredIds.clear();
        failedRows.clear();
        auto remove = HIVE_TRY(m_vault.prepare("DELETE FROM outbox WHERE id = ?1"));
        auto retry = HIVE_TRY(m_vault.prepare(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?2, last_error = ?3 WHERE id = ?1"));
        for (const Settled& s : batch) {
            if (s.posted.ok()) {
                HIVE_CHECK(remove.reset());
                HIVE_CHECK(remove.bindInt64(1, s.entry.id));
                HIVE_CHECK(remove.run());
                deliveredIds.push_back(s.entry.id);
                continue;
            }
            const Error& error = s.posted.error();
            const QString why = QString::fromUtf8(error.message());
            if (isPermanent(error.code()) || now - s.entry.createdAt > MaxAge) {
                qCWarning(lcOutbox) << "dropping queued message" << s.entry.id << ":" << error.message();
                HIVE_CHECK(remove.reset());
                HIVE_CHECK(remove.bindInt64(1, s.entry.id));
                HIVE_CHECK(remove.run());
            } else {
                const int shift = std::min(s.entry.attempts, 10);
                HIVE_CHECK(retry.reset());
                HIVE_CHECK(retry.bindInt64(1, s.entry.id));
                HIVE_CHECK(retry.bindInt64(2, now + std::min(MaxBackoff, InitialBackoff << shift)));
                HIVE_CHECK(retry.bindText(3, why));
                HIVE_CHECK(retry.run());
            }
            failedRows.emplace_back(s.entry.id, why);
        }
        return success();
    });
    if (!written.ok()) {
        // Posted but still queued: the next flush posts them again and the receivers dedupe.
        qCWarning(lcOutbox) << "could not record what was posted:" << written.error().message();
        flush->result.waiting += static_cast<int>(batch.size());
        return;
    }
    flush->result.delivered += static_cast<int>(deliveredIds.size());
    for (const Settled& s : batch) {
        if (!s.posted.ok()) {
            const bool permanent = isPermanent(s.posted.error().code()) || now - s.entry.createdAt > MaxAge;
            ++(permanent ? flush->result.dropped : flush->result.waiting);
        }
    }
    for (qint64 id : deliveredIds)
        emit delivered(id);
    for (const auto& [id, why] : failedRows)
        emit failed(id, why);
}

void Outbox::finishIfDone(const std::shared_ptr<Flush>& flush)
{
    if (flush->outstanding > 0)
        return;
    applySettled(flush);
    m_running.reset();
    flush->reply.finish(flush->result);
    if (m_flushAgain)
        QTimer::singleShot(0, this, [this] { this->flush(); });
}

} // namespace hive::core
