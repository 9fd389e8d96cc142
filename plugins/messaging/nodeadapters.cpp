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

Result<KeyDirectory::Fetched> NodeKeyDirectory::fetch(const core::Identity::PublicKey& person)
{
    const core::Contact contact = HIVE_TRY(m_contacts.findByKey(person));
    if (!contact.node)
        return Error(ErrorCode::NotFound, "the contact has no personal node to fetch keys from");
    auto credentials = HIVE_TRY(core::NodeCredentials::fromIdentity(m_identity));
    core::NodeClient client(std::move(credentials));
    client.setReconnectPolicy({std::chrono::milliseconds(250), std::chrono::milliseconds(250), 1});
    client.connectTo(*contact.node);
    auto hello = client.waitConnected(ConnectTimeout).wait();
    if (!hello.ok())
        return hello.error().withContext("cannot reach the contact's node");
    // The friend's node is their own: its owner (all zero) is the person.
    auto entries = client.directoryFetch(proto::Key32 {}, static_cast<std::uint16_t>(proto::DirectoryKind::PrekeyBundle)).wait();
    if (!entries.ok())
        return entries.error().withContext("fetching the prekey bundle");
    Fetched fetched;
    for (const auto& e : entries->entries) {
        if (e.kind == static_cast<std::uint16_t>(proto::DirectoryKind::PrekeyBundle))
            fetched.bundle = e.entry;
    }
    if (fetched.bundle.empty())
        return Error(ErrorCode::NotFound, "the contact has not published a prekey bundle yet");
    const PrekeyBundle bundle = HIVE_TRY(PrekeyBundle::decode(fetched.bundle));
    auto taken = client.directoryTakePrekey(proto::Key32 {}, bundle.deviceId).wait();
    if (taken.ok() && taken->found)
        fetched.prekey = taken->prekey;
    // Without a one-time prekey X3DH still works (signed prekey only), as in Signal.
    client.close();
    return fetched;
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
