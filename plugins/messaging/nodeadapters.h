// The Messenger's connections to the outside, over the real node services:
//   NodeKeyDirectory        prekeys on the own node (publish, count) and friends' nodes
//                           (the bundle from directory.fetch, one prekey by takePrekey)
//   OutboxTransport         a Signal body sealed into an EnvelopeKind::Signal envelope for
//                           the recipient's inbox mailbox, queued in the Outbox and posted
//                           anonymously (the node sees mailbox, size and time only)
//   MessengerInboxHandler   the Inbox's handler for EnvelopeKind::Signal
#pragma once

#include "messenger.h"

#include "inbox/inboxhandler.h"

#include <QObject>

#include <chrono>
#include <map>
#include <memory>
#include <vector>

namespace hive::core {
class Contacts;
class Identity;
class NodeClient;
class Outbox;
}

namespace hive::messaging {

class NodeKeyDirectory : public KeyDirectory {
public:
    static constexpr std::chrono::milliseconds ConnectTimeout {5000};

    // `own` is connected (or connecting) to the person's own node as its owner.
    NodeKeyDirectory(core::NodeClient& own, const core::Identity& identity, core::Contacts& contacts);
    // Fetches still running finish with Unavailable.
    ~NodeKeyDirectory() override;
    Status publish(const Bytes& bundle, std::uint32_t deviceId, const std::vector<Bytes>& prekeys) override;
    Result<int> remainingPrekeys(std::uint32_t deviceId) override;
    // Connects to the contact's node as this person's certified device and returns at once;
    // the reply finishes from the event loop (bounded by the connect and request timeouts).
    core::NodeReply<Fetched> fetch(const core::Identity::PublicKey& person) override;

private:
    struct Fetch;
    void finishFetch(std::uint64_t id, Result<Fetched> result);

    core::NodeClient& m_own;
    const core::Identity& m_identity;
    core::Contacts& m_contacts;
    // Each running fetch owns its connection until its reply is finished.
    std::map<std::uint64_t, std::unique_ptr<Fetch>> m_fetches;
    std::uint64_t m_nextFetch = 0;
    // Context of the connection's continuations: they are dropped once the directory is gone.
    std::unique_ptr<QObject> m_context;
};

class OutboxTransport : public MessageTransport {
public:
    OutboxTransport(core::Outbox& outbox, core::Contacts& contacts) : m_outbox(outbox), m_contacts(contacts) {}
    Status send(const core::Identity::PublicKey& recipient, const Bytes& signalBody) override;
    // How many bodies were queued since creation.
    int queued() const { return m_queued; }

private:
    core::Outbox& m_outbox;
    core::Contacts& m_contacts;
    int m_queued = 0;
};

// Attachment chunks: put on the own node as its owner, read from a friend's node with
// objects.getShared as that friend's certified contact (one connection per node, kept).
// Nothing blocks: replies finish from the event loop, and when a friend's node says "try
// again in N s" (its shared read rate limit) the read is repeated from a timer.
class NodeObjectStore : public ObjectStore {
public:
    // Rate-limited reads of one chunk are retried at most this often before giving up.
    static constexpr int MaxRateLimitRetries = 120;

    NodeObjectStore(core::NodeClient& own, const core::Identity& identity, core::Contacts& contacts);
    // Replies still running finish with Unavailable.
    ~NodeObjectStore() override;
    core::NodeReply<Key32> put(const Bytes& content) override;
    core::NodeReply<Bytes> getShared(const core::Identity::PublicKey& owner, const Key32& id) override;

private:
    void readShared(core::NodeClient& client, const Key32& id, core::NodeReply<Bytes> reply, int attempt);

    core::NodeClient& m_own;
    const core::Identity& m_identity;
    core::Contacts& m_contacts;
    std::map<core::Identity::PublicKey, std::unique_ptr<core::NodeClient>> m_friends;
    // Replies handed out and not finished yet (finished with an error on destruction).
    std::vector<core::NodeReply<Bytes>> m_reads;
    // Context of the continuations and retry timers: they are dropped once the store is gone.
    std::unique_ptr<QObject> m_context;
};

class MessengerInboxHandler : public core::InboxHandler {
public:
    explicit MessengerInboxHandler(Messenger& messenger) : m_messenger(messenger) {}
    // Stores the message (or drops bad input, which is then acked); an error keeps it on
    // the node for the next sync.
    Status receive(const core::InboxItem& item) override;

private:
    Messenger& m_messenger;
};

} // namespace hive::messaging
