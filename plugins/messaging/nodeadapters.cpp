#include "nodeadapters.h"

#include "inbox/outbox.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "trust/contacts.h"
#include "wire/envelope.h"

#include <QEventLoop>
#include <QTimer>

#include <algorithm>

namespace hive::messaging {

namespace proto = wire::proto;

Status NodeKeyDirectory::publish(const Bytes& bundle, std::uint32_t deviceId, const std::vector<Bytes>& prekeys)
{
    auto published = m_own.directoryPublish(static_cast<std::uint16_t>(proto::DirectoryKind::PrekeyBundle), bundle).wait();
    if (!published.ok())
        return published.error().withContext("publishing the prekey bundle");
    if (!prekeys.empty()) {
        auto stored = m_own.directoryPublishPrekeys(deviceId, prekeys).wait();
        if (!stored.ok())
            return stored.error().withContext("publishing one-time prekeys");
    }
    return success();
}

Result<int> NodeKeyDirectory::remainingPrekeys(std::uint32_t deviceId)
{
    auto counted = m_own.directoryCountPrekeys(deviceId).wait();
    if (!counted.ok())
        return counted.error().withContext("counting prekeys on the node");
    return static_cast<int>(counted->remaining);
}

struct NodeKeyDirectory::Fetch {
    std::unique_ptr<core::NodeClient> client;
    core::NodeReply<Fetched> reply;
    Fetched fetched;
};

NodeKeyDirectory::NodeKeyDirectory(core::NodeClient& own, const core::Identity& identity, core::Contacts& contacts)
    : m_own(own), m_identity(identity), m_contacts(contacts), m_context(std::make_unique<QObject>())
{
}

NodeKeyDirectory::~NodeKeyDirectory()
{
    // First the context, so closing the connections runs none of our continuations.
    m_context.reset();
    auto fetches = std::move(m_fetches);
    m_fetches.clear();
    for (auto& [id, fetch] : fetches)
        fetch->reply.finish(Error(ErrorCode::Unavailable, "the key directory was closed"));
}

core::NodeReply<KeyDirectory::Fetched> NodeKeyDirectory::fetch(const core::Identity::PublicKey& person)
{
    using Reply = core::NodeReply<Fetched>;
    auto contact = m_contacts.findByKey(person);
    if (!contact.ok())
        return Reply::finished(contact.error());
    if (!contact->node)
        return Reply::finished(Error(ErrorCode::NotFound, "the contact has no personal node to fetch keys from"));
    auto credentials = core::NodeCredentials::fromIdentity(m_identity);
    if (!credentials.ok())
        return Reply::finished(credentials.error());
    const std::uint64_t id = ++m_nextFetch;
    auto fetch = std::make_unique<Fetch>();
    fetch->client = std::make_unique<core::NodeClient>(std::move(*credentials));
    core::NodeClient& client = *fetch->client;
    const Reply reply = fetch->reply;
    m_fetches.emplace(id, std::move(fetch));
    client.setReconnectPolicy({std::chrono::milliseconds(250), std::chrono::milliseconds(250), 1});
    client.connectTo(*contact->node);
    // Each step looks its fetch up by id: it may have been finished (or the directory
    // closed) in between.
    client.waitConnected(ConnectTimeout).then(m_context.get(), [this, id](const auto& hello) {
        auto it = m_fetches.find(id);
        if (it == m_fetches.end())
            return;
        if (!hello.ok())
            return finishFetch(id, hello.error().withContext("cannot reach the contact's node"));
        // The friend's node is their own: its owner (all zero) is the person.
        it->second->client->directoryFetch(proto::Key32 {}, static_cast<std::uint16_t>(proto::DirectoryKind::PrekeyBundle))
            .then(m_context.get(), [this, id](const auto& entries) {
                auto at = m_fetches.find(id);
                if (at == m_fetches.end())
                    return;
                if (!entries.ok())
                    return finishFetch(id, entries.error().withContext("fetching the prekey bundle"));
                Fetch& f = *at->second;
                for (const auto& e : entries->entries) {
                    if (e.kind == static_cast<std::uint16_t>(proto::DirectoryKind::PrekeyBundle))
                        f.fetched.bundle = e.entry;
                }
                if (f.fetched.bundle.empty())
                    return finishFetch(id, Error(ErrorCode::NotFound, "the contact has not published a prekey bundle yet"));
                auto bundle = PrekeyBundle::decode(f.fetched.bundle);
                if (!bundle.ok())
                    return finishFetch(id, bundle.error());
                f.client->directoryTakePrekey(proto::Key32 {}, bundle->deviceId).then(m_context.get(), [this, id](const auto& taken) {
                    auto found = m_fetches.find(id);
                    if (found == m_fetches.end())
                        return;
                    // Without a one-time prekey X3DH still works (signed prekey only), as in Signal.
                    if (taken.ok() && taken->found)
                        found->second->fetched.prekey = taken->prekey;
                    finishFetch(id, found->second->fetched);
                });
            });
    });
    return reply;
}

void NodeKeyDirectory::finishFetch(std::uint64_t id, Result<Fetched> result)
{
    auto entry = m_fetches.extract(id);
    if (entry.empty())
        return;
    std::unique_ptr<Fetch> fetch = std::move(entry.mapped());
    fetch->client->close();
    // We are inside one of the client's replies: it is deleted from the event loop.
    fetch->client.release()->deleteLater();
    fetch->reply.finish(std::move(result));
}

Status OutboxTransport::send(const core::Identity::PublicKey& recipient, const Bytes& signalBody)
{
    const core::Contact contact = HIVE_TRY(m_contacts.findByKey(recipient));
    if (!contact.node)
        return Error(ErrorCode::NotFound, "the contact has no personal node to deliver to");
    Bytes envelope = HIVE_TRY(wire::sealEnvelope(wire::EnvelopeKind::Signal, signalBody, recipient));
    HIVE_TRY(m_outbox.enqueue(recipient, *contact.node, wire::inboxMailbox(recipient), std::move(envelope), std::nullopt,
                              core::OutboxSender::Anonymous));
    ++m_queued;
    return success();
}

NodeObjectStore::NodeObjectStore(core::NodeClient& own, const core::Identity& identity, core::Contacts& contacts)
    : m_own(own), m_identity(identity), m_contacts(contacts), m_context(std::make_unique<QObject>())
{
}

NodeObjectStore::~NodeObjectStore()
{
    // First the context (no continuation or retry of ours runs after this), then tell the
    // waiting transfers.
    m_context.reset();
    auto reads = std::move(m_reads);
    m_reads.clear();
    for (auto& reply : reads)
        reply.finish(Error(ErrorCode::Unavailable, "the object store was closed"));
}

core::NodeReply<Key32> NodeObjectStore::put(const Bytes& content)
{
    core::NodeReply<Key32> reply;
    const Key32 id = proto::objectIdOf(content);
    m_own.objectPut(content).then(m_context.get(), [reply, id](const auto& stored) {
        if (!stored.ok())
            reply.finish(stored.error().withContext("storing on the personal node"));
        else
            reply.finish(id);
    });
    return reply;
}

core::NodeReply<Bytes> NodeObjectStore::getShared(const core::Identity::PublicKey& owner, const Key32& id)
{
    using Reply = core::NodeReply<Bytes>;
    std::erase_if(m_reads, [](const Reply& r) { return r.isFinished(); });
    Reply reply;
    if (owner == m_identity.publicKey()) {
        m_own.objectGet(id).then(m_context.get(), [reply](const auto& own) {
            if (!own.ok())
                reply.finish(own.error());
            else
                reply.finish(own->content);
        });
        return reply;
    }
    auto& client = m_friends[owner];
    if (!client) {
        auto contact = m_contacts.findByKey(owner);
        if (!contact.ok())
            return Reply::finished(contact.error());
        if (!contact->node)
            return Reply::finished(Error(ErrorCode::NotFound, "the sender has no personal node to fetch from"));
        auto credentials = core::NodeCredentials::fromIdentity(m_identity);
        if (!credentials.ok())
            return Reply::finished(credentials.error());
        client = std::make_unique<core::NodeClient>(std::move(*credentials));
        client->setReconnectPolicy({std::chrono::milliseconds(250), std::chrono::milliseconds(1000), 3});
        client->connectTo(*contact->node);
    }
    m_reads.push_back(reply);
    core::NodeClient* c = client.get();
    client->waitConnected(NodeKeyDirectory::ConnectTimeout).then(m_context.get(), [this, c, id, reply](const auto& hello) {
        if (!hello.ok())
            reply.finish(hello.error().withContext("cannot reach the sender's node"));
        else
            readShared(*c, id, reply, 0);
    });
    return reply;
}

void NodeObjectStore::readShared(core::NodeClient& client, const Key32& id, core::NodeReply<Bytes> reply, int attempt)
{
    core::NodeClient* c = &client;
    client.objectGetShared(id).then(m_context.get(), [this, c, id, reply, attempt](const auto& content) {
        if (content.ok()) {
            reply.finish(content->content);
            return;
        }
        // The node rate-limits shared reads per friend and says when to come back; wait as
        // told (bounded) from a timer, so a large attachment arrives at the node's pace
        // instead of failing, and nothing waits on the stack meanwhile.
        const std::string_view message = content.error().messageView();
        const auto at = message.find("try again in ");
        if (at == std::string_view::npos || attempt >= MaxRateLimitRetries) {
            reply.finish(content.error().withContext("fetching an attachment chunk"));
            return;
        }
        int seconds = 0;
        for (std::size_t i = at + 13; i < message.size() && message[i] >= '0' && message[i] <= '9' && seconds < 3600; ++i)
            seconds = seconds * 10 + (message[i] - '0');
        QTimer::singleShot(std::clamp(seconds, 1, 60) * 1000, m_context.get(),
                           [this, c, id, reply, attempt] { readShared(*c, id, reply, attempt + 1); });
    });
}

Status MessengerInboxHandler::receive(const core::InboxItem& item)
{
    auto result = m_messenger.receive(item.body, m_messenger.currentTime());
    if (!result.ok())
        return result.error();
    return success();
}

} // namespace hive::messaging
