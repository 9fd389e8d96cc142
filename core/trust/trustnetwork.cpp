#include "trust/trustnetwork.h"

#include "identity/identity.h"
#include "inbox/outbox.h"
#include "node/personalnode.h"
#include "trust/invites.h"
#include "vault/vault.h"
#include "wire/base32.h"
#include "wire/codec.h"
#include "wire/friendrequest.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcTrustNet, "hive.trust.network")

namespace hive::core {

namespace {

constexpr qint64 MaxGrantLifetime = 365 * 86400;

template <typename T>
T fixedFrom(const Bytes& bytes)
{
    T out {};
    if (bytes.size() == out.size())
        std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

Status checkShares(const wire::Shares& shares)
{
    if (shares.storage > wire::FullShare || shares.cpu > wire::FullShare || shares.bandwidth > wire::FullShare)
        return Error(ErrorCode::InvalidArgument, "a share is at most 100%");
    if (shares.storage == 0 && shares.cpu == 0 && shares.bandwidth == 0)
        return Error(ErrorCode::InvalidArgument, "a grant must share at least one resource");
    return success();
}

// The personal node the person's own requests name: the configured one, else the local one.
Result<std::optional<wire::NodeAddress>> ownNode(Vault& vault)
{
    auto configured = HIVE_TRY(PersonalNode::configuredAddress(vault));
    if (configured)
        return configured;
    return PersonalNode::localAddress(vault);
}

} // namespace

class TrustNetwork::RequestHandler : public InboxHandler {
public:
    explicit RequestHandler(TrustNetwork& network) : m_network(network) {}
    Status receive(const InboxItem& item) override { return m_network.receiveRequest(item); }

private:
    TrustNetwork& m_network;
};

class TrustNetwork::NoteHandler : public InboxHandler {
public:
    explicit NoteHandler(TrustNetwork& network) : m_network(network) {}
    Status receive(const InboxItem& item) override { return m_network.receiveNote(item); }

private:
    TrustNetwork& m_network;
};

wire::Shares GrantRecord::effective() const
{
    std::uint64_t storage = wire::FullShare, cpu = wire::FullShare, bandwidth = wire::FullShare;
    for (const wire::GrantLink& link : chain.links) {
        storage = wire::applyShare(storage, link.shares.storage);
        cpu = wire::applyShare(cpu, link.shares.cpu);
        bandwidth = wire::applyShare(bandwidth, link.shares.bandwidth);
    }
    return {static_cast<std::uint16_t>(storage), static_cast<std::uint16_t>(cpu), static_cast<std::uint16_t>(bandwidth)};
}

Bytes encodeGrantContent(const wire::NodeAddress& node, const wire::GrantChain& chain)
{
    wire::Writer w;
    w.text(node.toString()).bytes(chain.encode());
    return w.take();
}

Result<std::pair<wire::NodeAddress, wire::GrantChain>> decodeGrantContent(ByteView content)
{
    wire::Reader r(content, wire::Limits {.maxBytes = wire::Note::MaxContent, .maxList = 0, .maxDepth = 1});
    const std::string address = r.text(300);
    const Bytes chainBytes = r.bytes(1 + wire::MaxChainLinks * wire::GrantLink::EncodedSize);
    HIVE_CHECK(r.finish());
    auto node = HIVE_TRY(wire::NodeAddress::parse(address));
    auto chain = HIVE_TRY(wire::GrantChain::decode(chainBytes));
    return std::make_pair(std::move(node), std::move(chain));
}

Result<std::unique_ptr<TrustNetwork>> TrustNetwork::create(Vault& vault, const Identity& identity, Contacts& contacts,
                                                           Invites& invites, Outbox& outbox, QObject* parent)
{
    HIVE_CHECK(vault.migrateComponent("trust", Contacts::schema()));
    return std::unique_ptr<TrustNetwork>(new TrustNetwork(vault, identity, contacts, invites, outbox, parent));
}

TrustNetwork::TrustNetwork(Vault& vault, const Identity& identity, Contacts& contacts, Invites& invites,
                           Outbox& outbox, QObject* parent)
    : QObject(parent)
    , m_vault(vault)
    , m_identity(identity)
    , m_contacts(contacts)
    , m_invites(invites)
    , m_outbox(outbox)
    , m_requestHandler(std::make_unique<RequestHandler>(*this))
    , m_noteHandler(std::make_unique<NoteHandler>(*this))
{
    qRegisterMetaType<hive::core::ReceivedRequest>();
}

TrustNetwork::~TrustNetwork() = default;

Result<wire::Signature> TrustNetwork::sign(ByteView message) const
{
    const Bytes signature = HIVE_TRY(m_identity.sign(message));
    if (signature.size() != wire::Signature {}.size())
        return Error(ErrorCode::Internal, "the identity produced a signature of the wrong size");
    return fixedFrom<wire::Signature>(signature);
}

// ---- friend requests -------------------------------------------------------------------

Result<AddResult> TrustNetwork::addCard(const wire::ContactCard& card, CardSource source, qint64 now, qint64* queued)
{
    if (queued != nullptr)
        *queued = 0;
    AddResult added = HIVE_TRY(m_contacts.addCard(card, source, now));
    if (added.kind == AddResult::Kind::KeyChanged || !card.node)
        return added;

    wire::FriendRequest request;
    request.recipient = card.identityKey;
    request.inviteSecret = card.inviteSecret;
    request.sender = m_identity.publicKey();
    request.displayName = m_identity.displayName().toStdString();
    request.node = HIVE_TRY(ownNode(m_vault));
    request.sentAt = static_cast<std::uint64_t>(now);
    request.scannedInPerson = source == CardSource::ScannedQr;
    request.signature = HIVE_TRY(sign(request.signedBytes()));
    Bytes sealed = HIVE_TRY(wire::sealEnvelope(wire::EnvelopeKind::FriendRequest, request.encode(), card.identityKey));
    // Sent without a certificate: the card owner's node learns nothing about who asks.
    const qint64 id = HIVE_TRY(m_outbox.enqueue(card.identityKey, *card.node, wire::requestsMailbox(card.identityKey),
                                                std::move(sealed), card.inviteSecret, OutboxSender::Anonymous));
    if (queued != nullptr)
        *queued = id;
    return added;
}

Result<std::vector<Contact>> TrustNetwork::pendingRequests()
{
    auto all = HIVE_TRY(m_contacts.list());
    std::vector<Contact> pending;
    for (Contact& c : all) {
        if (c.state == ContactState::PendingRequest)
            pending.push_back(std::move(c));
    }
    return pending;
}

Status TrustNetwork::acceptRequest(qint64 contactId, qint64 now)
{
    HIVE_CHECK(m_contacts.acceptRequest(contactId));
    const Contact contact = HIVE_TRY(m_contacts.find(contactId));
    if (contact.node)
        HIVE_TRY(queueNote(contact, wire::NoteType::RequestAccepted, {}, now));
    return success();
}

Status TrustNetwork::declineRequest(qint64 contactId) { return m_contacts.declineRequest(contactId); }

Result<qint64> TrustNetwork::queueNote(const Contact& to, wire::NoteType type, Bytes content, qint64 now)
{
    HIVE_CHECK(m_contacts.canSend(to.identityKey));
    if (!to.node)
        return qint64 {0};
    wire::Note note;
    note.sender = m_identity.publicKey();
    note.recipient = to.identityKey;
    note.sentAt = static_cast<std::uint64_t>(now);
    note.type = type;
    note.content = std::move(content);
    note.signature = HIVE_TRY(sign(note.signedBytes()));
    Bytes sealed = HIVE_TRY(wire::sealEnvelope(wire::EnvelopeKind::Note, note.encode(), to.identityKey));
    return m_outbox.enqueue(to.identityKey, *to.node, wire::inboxMailbox(to.identityKey), std::move(sealed));
}

// ---- grants ----------------------------------------------------------------------------

Result<GrantRecord> TrustNetwork::issueGrant(qint64 contactId, const wire::NodeAddress& node, wire::Shares shares,
                                             std::uint8_t depth, qint64 lifetime, qint64 now)
{
    HIVE_CHECK(checkShares(shares));
    if (lifetime < 60 || lifetime > MaxGrantLifetime)
        return Error(ErrorCode::InvalidArgument, "a grant lasts from a minute to a year");
    if (depth >= wire::MaxChainLinks)
        return Error(ErrorCode::InvalidArgument, "a grant chain has at most 8 links, so re-delegation depth is at most 7");
    const Contact contact = HIVE_TRY(m_contacts.find(contactId));
    HIVE_CHECK(m_contacts.canSend(contact.identityKey));

    wire::GrantLink link;
    link.node = node.key;
    link.issuer = m_identity.publicKey();
    link.audience = contact.identityKey;
    link.notBefore = static_cast<std::uint64_t>(now - ClockSkew);
    link.notAfter = static_cast<std::uint64_t>(now + lifetime);
    link.depth = depth;
    link.shares = shares;
    link.signature = HIVE_TRY(sign(link.signedBytes()));
    wire::GrantChain chain {{link}};
    HIVE_TRY(wire::verifyChain(chain, m_identity.publicKey(), node.key, static_cast<std::uint64_t>(now),
                               wire::RevocationSet {}));

    GrantRecord record;
    const Status committed = m_vault.transaction([&]() -> Status {
        record = HIVE_TRY(storeGrant(GrantDirection::Given, chain, node, contact.identityKey, 0, now));
        HIVE_TRY(queueNote(contact, wire::NoteType::Grant, encodeGrantContent(node, chain), now));
        return success();
    });
    if (!committed.ok())
        return committed.error();
    return record;
}

Result<GrantRecord> TrustNetwork::shareGrant(qint64 grantId, qint64 contactId, wire::Shares shares, std::uint8_t depth,
                                             qint64 lifetime, qint64 now)
{
    HIVE_CHECK(checkShares(shares));
    if (lifetime < 60 || lifetime > MaxGrantLifetime)
        return Error(ErrorCode::InvalidArgument, "a grant lasts from a minute to a year");
    const GrantRecord parent = HIVE_TRY(grant(grantId));
    if (parent.direction != GrantDirection::Received)
        return Error(ErrorCode::InvalidArgument, "only a grant you received can be shared on");
    if (parent.revokedAt != 0)
        return Error(ErrorCode::PermissionDenied, "that grant was revoked");
    const wire::GrantLink& above = parent.leaf();
    if (above.depth == 0)
        return Error(ErrorCode::PermissionDenied, "that grant may not be shared on (its re-delegation depth is 0)");
    if (depth >= above.depth)
        return Error(ErrorCode::InvalidArgument, "a shared grant's depth must be below the grant it comes from");
    if (static_cast<std::uint64_t>(now) >= above.notAfter)
        return Error(ErrorCode::PermissionDenied, "that grant has expired");
    const Contact contact = HIVE_TRY(m_contacts.find(contactId));
    HIVE_CHECK(m_contacts.canSend(contact.identityKey));

    wire::GrantLink link;
    link.node = above.node;
    link.issuer = m_identity.publicKey();
    link.audience = contact.identityKey;
    link.parent = parent.leafHash();
    link.notBefore = std::max(above.notBefore, static_cast<std::uint64_t>(now - ClockSkew));
    link.notAfter = std::min(above.notAfter, static_cast<std::uint64_t>(now + lifetime));
    link.depth = depth;
    link.shares = shares;
    link.signature = HIVE_TRY(sign(link.signedBytes()));
    wire::GrantChain chain = parent.chain;
    chain.links.push_back(link);
    HIVE_TRY(wire::verifyChain(chain, chain.links.front().issuer, link.node, static_cast<std::uint64_t>(now),
                               wire::RevocationSet {}));

    GrantRecord record;
    const Status committed = m_vault.transaction([&]() -> Status {
        record = HIVE_TRY(storeGrant(GrantDirection::Given, chain, parent.node, contact.identityKey, parent.id, now));
        HIVE_TRY(queueNote(contact, wire::NoteType::Grant, encodeGrantContent(parent.node, chain), now));
        return success();
    });
    if (!committed.ok())
        return committed.error();
    return record;
}

Result<wire::Revocation> TrustNetwork::revokeGrant(qint64 grantId, qint64 now)
{
    const GrantRecord given = HIVE_TRY(grant(grantId));
    if (given.direction != GrantDirection::Given)
        return Error(ErrorCode::InvalidArgument, "only a grant you gave can be revoked here");
    wire::Revocation revocation;
    revocation.link = given.leafHash();
    revocation.revoker = m_identity.publicKey();
    revocation.time = static_cast<std::uint64_t>(now);
    revocation.signature = HIVE_TRY(sign(revocation.signedBytes()));
    const Status committed = m_vault.transaction([&]() -> Status {
        auto s = HIVE_TRY(m_vault.prepare("UPDATE trust_grants SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = 0"));
        HIVE_CHECK(s.bindInt64(1, grantId));
        HIVE_CHECK(s.bindInt64(2, now));
        HIVE_CHECK(s.run());
        // Telling the holder is a courtesy; the node's revocation set is what counts.
        auto holder = m_contacts.findByKey(given.peer);
        if (holder.ok() && m_contacts.canSend(holder->identityKey).ok())
            HIVE_TRY(queueNote(*holder, wire::NoteType::Revocation, revocation.encode(), now));
        return success();
    });
    if (!committed.ok())
        return committed.error();
    emit grantsChanged();
    return revocation;
}

Result<GrantRecord> TrustNetwork::storeGrant(GrantDirection direction, const wire::GrantChain& chain,
                                             const wire::NodeAddress& node, const Identity::PublicKey& peer,
                                             qint64 parentId, qint64 now)
{
    const wire::LinkHash leaf = chain.links.back().hash();
    auto s = HIVE_TRY(m_vault.prepare(
        "INSERT OR IGNORE INTO trust_grants (direction, leaf, chain, node_address, peer, parent_id, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    HIVE_CHECK(s.bindInt64(1, static_cast<int>(direction)));
    HIVE_CHECK(s.bindBlob(2, leaf));
    HIVE_CHECK(s.bindBlob(3, chain.encode()));
    HIVE_CHECK(s.bindText(4, QString::fromStdString(node.toString())));
    HIVE_CHECK(s.bindBlob(5, peer));
    if (parentId != 0)
        HIVE_CHECK(s.bindInt64(6, parentId));
    else
        HIVE_CHECK(s.bindNull(6));
    HIVE_CHECK(s.bindInt64(7, now));
    HIVE_CHECK(s.run());
    auto id = HIVE_TRY(m_vault.prepare("SELECT id FROM trust_grants WHERE leaf = ?1"));
    HIVE_CHECK(id.bindBlob(1, leaf));
    if (!HIVE_TRY(id.step()))
        return Error(ErrorCode::Internal, "the grant just stored cannot be found");
    return grant(id.columnInt64(0));
}

Result<std::vector<GrantRecord>> TrustNetwork::queryGrants(std::string_view where, qint64 id)
{
    std::string sql = "SELECT id, direction, chain, node_address, peer, parent_id, created_at, revoked_at"
                      " FROM trust_grants ";
    sql += where;
    auto s = HIVE_TRY(m_vault.prepare(sql));
    if (id != 0)
        HIVE_CHECK(s.bindInt64(1, id));
    std::vector<GrantRecord> out;
    while (HIVE_TRY(s.step())) {
        GrantRecord g;
        g.id = s.columnInt64(0);
        g.direction = s.columnInt64(1) == 1 ? GrantDirection::Received : GrantDirection::Given;
        auto chain = wire::GrantChain::decode(s.columnBytes(2));
        auto node = wire::NodeAddress::parse(s.columnText(3).toStdString());
        if (!chain.ok() || !node.ok())
            return Error(ErrorCode::Corrupt, "a stored grant cannot be read");
        g.chain = std::move(*chain);
        g.node = std::move(*node);
        g.peer = fixedFrom<Identity::PublicKey>(s.columnBytes(4));
        g.parentId = s.columnIsNull(5) ? 0 : s.columnInt64(5);
        g.createdAt = s.columnInt64(6);
        g.revokedAt = s.columnInt64(7);
        auto contact = m_contacts.findByKey(g.peer);
        g.peerName = contact.ok() ? contact->displayName : Identity::fingerprint(g.peer);
        out.push_back(std::move(g));
    }
    return out;
}

Result<std::vector<GrantRecord>> TrustNetwork::grants()
{
    return queryGrants("ORDER BY direction, id DESC", 0);
}

Result<GrantRecord> TrustNetwork::grant(qint64 id)
{
    auto found = HIVE_TRY(queryGrants("WHERE id = ?1", id));
    if (found.empty())
        return Error(ErrorCode::NotFound, "no grant with that id");
    return std::move(found.front());
}

QString TrustNetwork::grantUri(const GrantRecord& grant)
{
    return QString::fromLatin1(GrantUriScheme.data(), static_cast<qsizetype>(GrantUriScheme.size()))
        + QString::fromStdString(base32::encode(encodeGrantContent(grant.node, grant.chain)));
}

Result<GrantRecord> TrustNetwork::importGrant(const QString& uri, qint64 now)
{
    const std::string text = uri.trimmed().toStdString();
    if (text.size() <= GrantUriScheme.size() || text.compare(0, GrantUriScheme.size(), GrantUriScheme) != 0)
        return Error(ErrorCode::InvalidArgument, "not a hive-grant: link");
    const Bytes content = HIVE_TRY(base32::decode(std::string_view(text).substr(GrantUriScheme.size())));
    auto [node, chain] = HIVE_TRY(decodeGrantContent(content));
    const wire::GrantLink& leaf = chain.links.back();
    if (leaf.audience != m_identity.publicKey())
        return Error(ErrorCode::PermissionDenied, "that grant is for someone else");
    if (leaf.node != node.key)
        return Error(ErrorCode::Malformed, "the grant names another node than its address");
    HIVE_TRY(wire::verifyChain(chain, chain.links.front().issuer, node.key, static_cast<std::uint64_t>(now),
                               wire::RevocationSet {}));
    auto stored = storeGrant(GrantDirection::Received, chain, node, leaf.issuer, 0, now);
    if (stored.ok())
        emit grantsChanged();
    return stored;
}

// ---- receiving -------------------------------------------------------------------------

Status TrustNetwork::receiveRequest(const InboxItem& item)
{
    const wire::FriendRequest request = HIVE_TRY(wire::FriendRequest::decode(item.body));
    const qint64 now = static_cast<qint64>(item.receivedAt);
    RequestResult result;
    // Spending the invite and recording the sender happen together or not at all.
    const Status committed = m_vault.transaction([&]() -> Status {
        result = HIVE_TRY(m_contacts.receiveRequest(request, m_invites, now));
        return success();
    });
    if (!committed.ok())
        return committed.error();
    // A second request from someone whose first still waits is still a request to decide on.
    if (result.kind == RequestResult::Kind::AlreadyContact && result.contact.state == ContactState::PendingRequest)
        result.kind = RequestResult::Kind::Pending;
    emit requestReceived(ReceivedRequest {result.kind, result.contact});
    return success();
}

Status TrustNetwork::receiveNote(const InboxItem& item)
{
    const wire::Note note = HIVE_TRY(wire::Note::decode(item.body));
    if (note.recipient != m_identity.publicKey())
        return Error(ErrorCode::PermissionDenied, "the note is meant for someone else");
    const auto contentId = note.contentId();
    {
        auto seen = HIVE_TRY(m_vault.prepare("SELECT 1 FROM trust_seen_notes WHERE content_id = ?1"));
        HIVE_CHECK(seen.bindBlob(1, contentId));
        if (HIVE_TRY(seen.step()))
            return success(); // delivered before; already handled
    }
    auto known = m_contacts.findByKey(note.sender);
    if (!known.ok()) {
        if (known.error().code() == ErrorCode::NotFound)
            return Error(ErrorCode::PermissionDenied, "a note from someone who is not a contact");
        return known.error();
    }
    const Contact sender = *known;
    if (sender.state == ContactState::KeyChanged)
        return Error(ErrorCode::PermissionDenied, "a note from a contact whose key changed");
    const qint64 now = static_cast<qint64>(item.receivedAt);
    bool grantsTouched = false;
    const Status committed = m_vault.transaction([&]() -> Status {
        switch (note.type) {
        case wire::NoteType::RequestAccepted:
            break;
        case wire::NoteType::Grant:
            HIVE_CHECK(receiveGrant(note, now));
            grantsTouched = true;
            break;
        case wire::NoteType::Revocation:
            HIVE_CHECK(receiveRevocation(note, now));
            grantsTouched = true;
            break;
        }
        auto s = HIVE_TRY(m_vault.prepare("INSERT INTO trust_seen_notes (content_id, received_at) VALUES (?1, ?2)"));
        HIVE_CHECK(s.bindBlob(1, contentId));
        HIVE_CHECK(s.bindInt64(2, now));
        return s.run();
    });
    if (!committed.ok())
        return committed.error();
    if (note.type == wire::NoteType::RequestAccepted)
        emit requestAccepted(sender.id);
    if (grantsTouched)
        emit grantsChanged();
    return success();
}

Status TrustNetwork::receiveGrant(const wire::Note& note, qint64 now)
{
    auto [node, chain] = HIVE_TRY(decodeGrantContent(note.content));
    const wire::GrantLink& leaf = chain.links.back();
    if (leaf.audience != m_identity.publicKey())
        return Error(ErrorCode::PermissionDenied, "the grant is for someone else");
    if (leaf.issuer != note.sender)
        return Error(ErrorCode::PermissionDenied, "the grant was not signed by the friend who sent it");
    if (leaf.node != node.key)
        return Error(ErrorCode::Malformed, "the grant names another node than its address");
    // The node checks the chain again on every use; this refuses a broken one early.
    HIVE_TRY(wire::verifyChain(chain, chain.links.front().issuer, node.key, static_cast<std::uint64_t>(now),
                               wire::RevocationSet {}));
    HIVE_TRY(storeGrant(GrantDirection::Received, chain, node, note.sender, 0, now));
    return success();
}

Status TrustNetwork::receiveRevocation(const wire::Note& note, qint64 now)
{
    const wire::Revocation revocation = HIVE_TRY(wire::Revocation::decode(note.content));
    if (!revocation.hasValidSignature() || revocation.revoker != note.sender)
        return Error(ErrorCode::Crypto, "the revocation is not signed by the friend who sent it");
    auto s = HIVE_TRY(m_vault.prepare("UPDATE trust_grants SET revoked_at = ?2"
                                      " WHERE leaf = ?1 AND direction = 1 AND revoked_at = 0 AND peer = ?3"));
    HIVE_CHECK(s.bindBlob(1, revocation.link));
    HIVE_CHECK(s.bindInt64(2, now));
    HIVE_CHECK(s.bindBlob(3, note.sender));
    return s.run();
}

} // namespace hive::core
