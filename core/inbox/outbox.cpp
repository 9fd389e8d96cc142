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

// One flush in progress: the clients it opened and how many posts are outstanding.
struct Outbox::Flush {
    NodeReply<OutboxFlushResult> reply;
    OutboxFlushResult result;
    int outstanding = 0;
    std::vector<std::unique_ptr<NodeClient>> clients;
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
}

Outbox::~Outbox()
{
    if (m_running)
        m_running->finish(Error(ErrorCode::Unavailable, "the outbox was closed"));
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
    if (m_running)
        return *m_running;
    auto rows = pending();
    if (!rows.ok())
        return NodeReply<OutboxFlushResult>::finished(rows.error());
    const qint64 now = m_clock();
    auto flush = std::make_shared<Flush>();
    m_running = flush->reply;

    // One client per (node, sender mode).
    std::map<std::pair<std::string, OutboxSender>, NodeClient*> clients;
    std::vector<std::pair<NodeClient*, OutboxEntry>> due;
    for (OutboxEntry& entry : *rows) {
        if (entry.nextAttempt > now) {
            ++flush->result.waiting;
            continue;
        }
        const auto key = std::make_pair(entry.node.toString(), entry.sender);
        auto found = clients.find(key);
        if (found == clients.end()) {
            std::optional<NodeCredentials> credentials;
            if (entry.sender == OutboxSender::Anonymous) {
                credentials = NodeCredentials::anonymous();
            } else {
                auto certified = NodeCredentials::fromIdentity(m_identity);
                if (!certified.ok()) {
                    flush->reply.finish(certified.error());
                    m_running.reset();
                    return flush->reply;
                }
                credentials = std::move(certified).value();
            }
            auto client = std::make_unique<NodeClient>(std::move(*credentials));
            // One attempt per flush: the outbox's own backoff decides when to try again.
            client->setReconnectPolicy({std::chrono::milliseconds(100), std::chrono::milliseconds(100), 1});
            client->setHandshakeTimeout(ConnectTimeout);
            client->setRequestTimeout(ConnectTimeout);
            client->connectTo(entry.node);
            found = clients.emplace(key, client.get()).first;
            flush->clients.push_back(std::move(client));
        }
        // Claim the row for the length of one attempt, so another Outbox on the same vault
        // (the app has one per service) does not post it at the same time. A crash leaves
        // the claim to expire and the row is posted again.
        auto claim = m_vault.prepare("UPDATE outbox SET next_attempt = ?2 WHERE id = ?1");
        if (claim.ok() && claim->bindInt64(1, entry.id).ok() && claim->bindInt64(2, now + ClaimSeconds).ok())
            (void)claim->run();
        due.emplace_back(found->second, std::move(entry));
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

void Outbox::settle(const std::shared_ptr<Flush>& flush, const OutboxEntry& entry, const Result<std::uint64_t>& posted)
{
    const qint64 now = m_clock();
    if (posted.ok()) {
        auto s = m_vault.prepare("DELETE FROM outbox WHERE id = ?1");
        if (s.ok() && s->bindInt64(1, entry.id).ok() && s->run().ok()) {
            ++flush->result.delivered;
            emit delivered(entry.id);
        } else {
            // Posted but still queued: the next flush posts it again and the receiver dedupes.
            ++flush->result.waiting;
        }
    } else {
        const Error& error = posted.error();
        const QString why = QString::fromUtf8(error.message());
        const bool permanent = isPermanent(error.code()) || now - entry.createdAt > MaxAge;
        if (permanent) {
            qCWarning(lcOutbox) << "dropping queued message" << entry.id << ":" << error.message();
            auto s = m_vault.prepare("DELETE FROM outbox WHERE id = ?1");
            if (s.ok() && s->bindInt64(1, entry.id).ok())
                (void)s->run();
            ++flush->result.dropped;
        } else {
            const int shift = std::min(entry.attempts, 10);
            const qint64 delay = std::min(MaxBackoff, InitialBackoff << shift);
            auto s = m_vault.prepare("UPDATE outbox SET attempts = attempts + 1, next_attempt = ?2, last_error = ?3"
                                     " WHERE id = ?1");
            if (s.ok() && s->bindInt64(1, entry.id).ok() && s->bindInt64(2, now + delay).ok()
                && s->bindText(3, why).ok())
                (void)s->run();
            ++flush->result.waiting;
        }
        emit failed(entry.id, why);
    }
    --flush->outstanding;
    finishIfDone(flush);
}

void Outbox::finishIfDone(const std::shared_ptr<Flush>& flush)
{
    if (flush->outstanding > 0)
        return;
    m_running.reset();
    // The clients may be inside their own signal handlers right now: delete them later.
    for (auto& client : flush->clients) {
        client->close();
        client.release()->deleteLater();
    }
    flush->clients.clear();
    flush->reply.finish(flush->result);
}

} // namespace hive::core
