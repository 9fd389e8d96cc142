#include "nodeadapters.h"

#include "inbox/outbox.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "trust/contacts.h"
#include "wire/envelope.h"

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

Status MessengerInboxHandler::receive(const core::InboxItem& item)
{
    auto result = m_messenger.receive(item.body, m_messenger.currentTime());
    if (!result.ok())
        return result.error();
    return success();
}

} // namespace hive::messaging
