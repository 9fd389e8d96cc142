#include "trust/contacts.h"

#include "signal/safetynumber.h"
#include "trust/invites.h"
#include "vault/vault.h"

#include <algorithm>

namespace hive::core {

namespace {

const Migration TrustSchema[] = {
    {1,
     "CREATE TABLE trust_contacts ("
     " id INTEGER PRIMARY KEY,"
     " identity_key BLOB NOT NULL UNIQUE CHECK (length(identity_key) = 32),"
     " display_name TEXT NOT NULL,"
     " node_address TEXT,"
     " trust_level INTEGER NOT NULL CHECK (trust_level BETWEEN 0 AND 2),"
     " state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 2),"
     " added_at INTEGER NOT NULL,"
     " verified_at INTEGER NOT NULL DEFAULT 0,"
     " pending_key BLOB CHECK (pending_key IS NULL OR length(pending_key) = 32),"
     " pending_name TEXT,"
     " pending_node TEXT,"
     " pending_trust INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE trust_invites ("
     " id INTEGER PRIMARY KEY,"
     " secret_hash BLOB NOT NULL UNIQUE CHECK (length(secret_hash) = 32),"
     " created_at INTEGER NOT NULL,"
     " expires_at INTEGER NOT NULL,"
     " used_at INTEGER);",
     {}},
    // Grants given to and received from contacts (trustnetwork.h), and the notes already
    // handled (a note can be delivered twice; its content id dedupes it).
    {2,
     "CREATE TABLE trust_grants ("
     " id INTEGER PRIMARY KEY,"
     " direction INTEGER NOT NULL CHECK (direction IN (0, 1)),"
     " leaf BLOB NOT NULL UNIQUE CHECK (length(leaf) = 32),"
     " chain BLOB NOT NULL,"
     " node_address TEXT NOT NULL,"
     " peer BLOB NOT NULL CHECK (length(peer) = 32),"
     " parent_id INTEGER,"
     " created_at INTEGER NOT NULL,"
     " revoked_at INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE trust_seen_notes ("
     " content_id BLOB PRIMARY KEY CHECK (length(content_id) = 32),"
     " received_at INTEGER NOT NULL);",
     {}},
};

constexpr std::string_view Columns =
    "SELECT id, identity_key, display_name, node_address, trust_level, state, added_at, verified_at,"
    " pending_key, pending_name, pending_node, pending_trust FROM trust_contacts ";

QString nodeText(const std::optional<wire::NodeAddress>& node)
{
    return node ? QString::fromStdString(node->toString()) : QString();
}

Status bindNode(Statement& s, int index, const std::optional<wire::NodeAddress>& node)
{
    return node ? s.bindText(index, nodeText(node)) : s.bindNull(index);
}

std::optional<wire::NodeAddress> parseNode(const QString& text)
{
    if (text.isEmpty())
        return std::nullopt;
    auto parsed = wire::NodeAddress::parse(text.toStdString());
    if (!parsed)
        return std::nullopt;
    return *parsed;
}

TrustLevel levelFor(CardSource source)
{
    return source == CardSource::ScannedQr ? TrustLevel::VerifiedInPerson : TrustLevel::Unverified;
}

int rank(TrustLevel level) { return static_cast<int>(level); }

TrustLevel toLevel(std::int64_t value)
{
    switch (value) {
    case 2: return TrustLevel::VerifiedInPerson;
    case 1: return TrustLevel::VerifiedBySafetyNumber;
    default: return TrustLevel::Unverified;
    }
}

ContactState toState(std::int64_t value)
{
    switch (value) {
    case 1: return ContactState::PendingRequest;
    case 2: return ContactState::KeyChanged;
    default: return ContactState::Active;
    }
}

bool sameNodeKey(const std::optional<wire::NodeAddress>& a, const std::optional<wire::NodeAddress>& b)
{
    return a && b && a->key == b->key;
}

QString normalisedFingerprint(const QString& text)
{
    QString out = text.toLower();
    out.remove(QLatin1Char(' '));
    return out;
}

} // namespace

QString trustLevelName(TrustLevel level)
{
    switch (level) {
    case TrustLevel::VerifiedInPerson: return QStringLiteral("verified-in-person");
    case TrustLevel::VerifiedBySafetyNumber: return QStringLiteral("verified-by-safety-number");
    case TrustLevel::Unverified: return QStringLiteral("unverified");
    }
    return QStringLiteral("unverified");
}

QString contactStateName(ContactState state)
{
    switch (state) {
    case ContactState::Active: return QStringLiteral("active");
    case ContactState::PendingRequest: return QStringLiteral("pending-request");
    case ContactState::KeyChanged: return QStringLiteral("key-changed");
    }
    return QStringLiteral("active");
}

std::span<const Migration> Contacts::schema() { return TrustSchema; }

Result<std::unique_ptr<Contacts>> Contacts::create(Vault& vault, const Identity& self)
{
    HIVE_CHECK(vault.migrateComponent("trust", schema()));
    return std::unique_ptr<Contacts>(new Contacts(vault, self));
}

Contacts::~Contacts() = default;

Result<std::vector<Contact>> Contacts::query(std::string_view where, const std::function<Status(Statement&)>& bind)
{
    std::string sql(Columns);
    sql += where;
    auto statement = HIVE_TRY(m_vault.prepare(sql));
    if (bind)
        HIVE_CHECK(bind(statement));
    std::vector<Contact> out;
    while (HIVE_TRY(statement.step())) {
        Contact c;
        c.id = statement.columnInt64(0);
        const Bytes key = statement.columnBytes(1);
        if (key.size() != c.identityKey.size())
            return Error(ErrorCode::Corrupt, "a stored contact key has the wrong length");
        std::copy(key.begin(), key.end(), c.identityKey.begin());
        c.displayName = statement.columnText(2);
        c.node = parseNode(statement.columnText(3));
        c.trust = toLevel(statement.columnInt64(4));
        c.state = toState(statement.columnInt64(5));
        c.addedAt = statement.columnInt64(6);
        c.verifiedAt = statement.columnInt64(7);
        if (!statement.columnIsNull(8)) {
            const Bytes pending = statement.columnBytes(8);
            if (pending.size() == c.identityKey.size()) {
                Identity::PublicKey p {};
                std::copy(pending.begin(), pending.end(), p.begin());
                c.pendingKey = p;
            }
        }
        c.pendingName = statement.columnText(9);
        c.pendingNode = parseNode(statement.columnText(10));
        c.pendingTrust = toLevel(statement.columnInt64(11));
        out.push_back(std::move(c));
    }
    return out;
}

Result<std::vector<Contact>> Contacts::list()
{
    return query("ORDER BY display_name COLLATE NOCASE, id", {});
}

Result<int> Contacts::count()
{
    auto statement = HIVE_TRY(m_vault.prepare("SELECT count(*) FROM trust_contacts"));
    if (!HIVE_TRY(statement.step()))
        return Error(ErrorCode::Internal, "count returned no row");
    return static_cast<int>(statement.columnInt64(0));
}

Result<Contact> Contacts::find(qint64 id)
{
    auto rows = HIVE_TRY(query("WHERE id = ?1", [&](Statement& s) { return s.bindInt64(1, id); }));
    if (rows.empty())
        return Error(ErrorCode::NotFound, "no such contact");
    return rows.front();
}

Result<Contact> Contacts::findByKey(const Identity::PublicKey& key)
{
    auto rows = HIVE_TRY(query("WHERE identity_key = ?1", [&](Statement& s) { return s.bindBlob(1, key); }));
    if (rows.empty())
        return Error(ErrorCode::NotFound, "no contact has this identity key");
    return rows.front();
}

Result<Contact> Contacts::lookup(const QString& nameOrFingerprint)
{
    const QString wanted = nameOrFingerprint.trimmed();
    if (wanted.isEmpty())
        return Error(ErrorCode::InvalidArgument, "name a contact");
    auto all = HIVE_TRY(list());
    std::vector<Contact> byName;
    for (const Contact& c : all)
        if (c.displayName.compare(wanted, Qt::CaseInsensitive) == 0)
            byName.push_back(c);
    if (byName.size() == 1)
        return byName.front();
    if (byName.size() > 1)
        return Error(ErrorCode::InvalidArgument,
                     "several contacts have this name; name one by the start of its fingerprint instead");
    const QString prefix = normalisedFingerprint(wanted);
    if (prefix.size() >= 4) {
        std::vector<Contact> byFingerprint;
        for (const Contact& c : all)
            if (normalisedFingerprint(c.fingerprint()).startsWith(prefix))
                byFingerprint.push_back(c);
        if (byFingerprint.size() == 1)
            return byFingerprint.front();
        if (byFingerprint.size() > 1)
            return Error(ErrorCode::InvalidArgument, "several contacts' fingerprints start like this; give more of it");
    }
    Error e(ErrorCode::NotFound, "no contact named '");
    e.append(wanted.toStdString()).append("'");
    return e;
}

Result<std::optional<Contact>> Contacts::claimedContact(const wire::ContactCard& card)
{
    const QString name = QString::fromStdString(card.displayName);
    auto all = HIVE_TRY(list());
    // The same node is the strongest claim (a node belongs to one person), so look for it
    // first; then the same name on the same node or where either side has none.
    for (const Contact& c : all)
        if (sameNodeKey(c.node, card.node))
            return std::optional<Contact>(c);
    for (const Contact& c : all)
        if (c.displayName.compare(name, Qt::CaseInsensitive) == 0 && (!c.node || !card.node))
            return std::optional<Contact>(c);
    return std::optional<Contact>();
}

Result<AddResult> Contacts::addCard(const wire::ContactCard& card, CardSource source, qint64 now)
{
    if (card.identityKey == m_self.publicKey())
        return Error(ErrorCode::InvalidArgument, "this is your own card");
    HIVE_CHECK(card.validate());
    const TrustLevel offered = levelFor(source);
    const QString name = QString::fromStdString(card.displayName);

    auto known = findByKey(card.identityKey);
    if (known.ok()) {
        // The key is already pinned: refresh what the person may change (name, node) and
        // raise the trust level if this source is stronger. Nothing else changes.
        Contact c = *known;
        const bool raise = rank(offered) > rank(c.trust);
        const Status updated = m_vault.transaction([&]() -> Status {
            auto s = HIVE_TRY(m_vault.prepare(
                "UPDATE trust_contacts SET display_name = ?1, node_address = ?2 WHERE id = ?3"));
            HIVE_CHECK(s.bindText(1, name));
            HIVE_CHECK(bindNode(s, 2, card.node));
            HIVE_CHECK(s.bindInt64(3, c.id));
            HIVE_CHECK(s.run());
            if (raise)
                HIVE_CHECK(raiseTrust(c.id, offered, now));
            return success();
        });
        HIVE_CHECK(updated);
        emit changed();
        return AddResult {AddResult::Kind::Updated, HIVE_TRY(find(c.id))};
    }
    if (known.error().code() != ErrorCode::NotFound)
        return known.error();

    auto claimed = HIVE_TRY(claimedContact(card));
    if (claimed) {
        HIVE_CHECK(reportKeyChange(claimed->id, card.identityKey, name, card.node, offered));
        return AddResult {AddResult::Kind::KeyChanged, HIVE_TRY(find(claimed->id))};
    }

    auto s = HIVE_TRY(m_vault.prepare(
        "INSERT INTO trust_contacts (identity_key, display_name, node_address, trust_level, state, added_at,"
        " verified_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)"));
    HIVE_CHECK(s.bindBlob(1, card.identityKey));
    HIVE_CHECK(s.bindText(2, name));
    HIVE_CHECK(bindNode(s, 3, card.node));
    HIVE_CHECK(s.bindInt64(4, rank(offered)));
    HIVE_CHECK(s.bindInt64(5, now));
    HIVE_CHECK(s.bindInt64(6, offered == TrustLevel::Unverified ? 0 : now));
    HIVE_CHECK(s.run());
    emit changed();
    return AddResult {AddResult::Kind::Added, HIVE_TRY(findByKey(card.identityKey))};
}

Result<AddResult> Contacts::addUri(const QString& uri, CardSource source, qint64 now, wire::CardError* why)
{
    auto card = HIVE_TRY(wire::ContactCard::fromUri(uri.toStdString(), static_cast<std::uint64_t>(now), why));
    return addCard(card, source, now);
}

Status Contacts::canSend(const Identity::PublicKey& key)
{
    auto contact = findByKey(key);
    if (!contact) {
        if (contact.error().code() == ErrorCode::NotFound)
            return Error(ErrorCode::PermissionDenied, "this person is not a contact");
        return contact.error();
    }
    switch (contact->state) {
    case ContactState::Active: return success();
    case ContactState::PendingRequest:
        return Error(ErrorCode::PermissionDenied, "the friend request from this person is not accepted yet");
    case ContactState::KeyChanged:
        return Error(ErrorCode::PermissionDenied,
                     "this contact's identity key changed; nothing is sent until you accept or decline the new key");
    }
    return Error(ErrorCode::Internal, "unknown contact state");
}

Status Contacts::reportKeyChange(qint64 id, const Identity::PublicKey& newKey, const QString& newName,
                                 const std::optional<wire::NodeAddress>& newNode, TrustLevel offeredTrust)
{
    auto contact = HIVE_TRY(find(id));
    if (contact.identityKey == newKey)
        return Error(ErrorCode::InvalidArgument, "the offered key is the one already pinned");
    auto s = HIVE_TRY(m_vault.prepare(
        "UPDATE trust_contacts SET state = 2, pending_key = ?1, pending_name = ?2, pending_node = ?3,"
        " pending_trust = ?4 WHERE id = ?5"));
    HIVE_CHECK(s.bindBlob(1, newKey));
    HIVE_CHECK(s.bindText(2, newName));
    HIVE_CHECK(bindNode(s, 3, newNode));
    HIVE_CHECK(s.bindInt64(4, rank(offeredTrust)));
    HIVE_CHECK(s.bindInt64(5, id));
    HIVE_CHECK(s.run());
    emit changed();
    return success();
}

Status Contacts::acceptKeyChange(qint64 id, qint64 now)
{
    auto contact = HIVE_TRY(find(id));
    if (contact.state != ContactState::KeyChanged || !contact.pendingKey)
        return Error(ErrorCode::InvalidArgument, "this contact has no changed key to accept");
    auto other = findByKey(*contact.pendingKey);
    if (other.ok())
        return Error(ErrorCode::AlreadyExists, "the new key already belongs to another contact");
    auto s = HIVE_TRY(m_vault.prepare(
        "UPDATE trust_contacts SET identity_key = pending_key, display_name = coalesce(nullif(pending_name, ''),"
        " display_name), node_address = pending_node, trust_level = pending_trust, verified_at = ?1, state = 0,"
        " pending_key = NULL, pending_name = NULL, pending_node = NULL, pending_trust = 0 WHERE id = ?2"));
    HIVE_CHECK(s.bindInt64(1, contact.pendingTrust == TrustLevel::Unverified ? 0 : now));
    HIVE_CHECK(s.bindInt64(2, id));
    HIVE_CHECK(s.run());
    emit changed();
    return success();
}

Status Contacts::declineKeyChange(qint64 id)
{
    auto contact = HIVE_TRY(find(id));
    if (contact.state != ContactState::KeyChanged)
        return Error(ErrorCode::InvalidArgument, "this contact has no changed key to decline");
    auto s = HIVE_TRY(m_vault.prepare(
        "UPDATE trust_contacts SET state = 0, pending_key = NULL, pending_name = NULL, pending_node = NULL,"
        " pending_trust = 0 WHERE id = ?1"));
    HIVE_CHECK(s.bindInt64(1, id));
    HIVE_CHECK(s.run());
    emit changed();
    return success();
}

Status Contacts::raiseTrust(qint64 id, TrustLevel level, qint64 now)
{
    auto s = HIVE_TRY(m_vault.prepare(
        "UPDATE trust_contacts SET trust_level = ?1, verified_at = ?2 WHERE id = ?3 AND trust_level < ?1"));
    HIVE_CHECK(s.bindInt64(1, rank(level)));
    HIVE_CHECK(s.bindInt64(2, now));
    HIVE_CHECK(s.bindInt64(3, id));
    return s.run();
}

Result<SafetyNumber> Contacts::safetyNumber(SignalContext& context, qint64 id)
{
    auto contact = HIVE_TRY(find(id));
    return SafetyNumber::compute(context, m_self.publicKey(), contact.identityKey);
}

Status Contacts::confirmSafetyNumber(qint64 id, qint64 now)
{
    auto contact = HIVE_TRY(find(id));
    if (contact.state == ContactState::KeyChanged)
        return Error(ErrorCode::InvalidArgument, "accept or decline the changed key before verifying this contact");
    HIVE_CHECK(raiseTrust(id, TrustLevel::VerifiedBySafetyNumber, now));
    emit changed();
    return success();
}

Status Contacts::verifyScannedSafetyNumber(SignalContext& context, qint64 id, ByteView scanned, qint64 now)
{
    auto mine = HIVE_TRY(safetyNumber(context, id));
    const bool matches = HIVE_TRY(mine.matchesScanned(context, scanned));
    if (!matches)
        return Error(ErrorCode::Crypto,
                     "the scanned safety number does not match: this contact's key is not the one on that screen");
    return confirmSafetyNumber(id, now);
}

Result<RequestResult> Contacts::receiveRequest(const wire::FriendRequest& request, Invites& invites, qint64 now)
{
    if (request.recipient != m_self.publicKey())
        return Error(ErrorCode::InvalidArgument, "the friend request is meant for someone else");
    if (request.sender == m_self.publicKey())
        return Error(ErrorCode::InvalidArgument, "the friend request comes from this profile itself");
    if (!request.hasValidSignature())
        return Error(ErrorCode::Crypto, "the friend request's signature does not match its sender");
    // The invite authorises exactly one request: spend it before anything is stored.
    auto redeemed = invites.redeem(request.inviteSecret, now);
    if (!redeemed.ok())
        return redeemed.error();

    const QString name = QString::fromStdString(request.displayName);
    auto known = findByKey(request.sender);
    if (known.ok())
        return RequestResult {RequestResult::Kind::AlreadyContact, *known};
    if (known.error().code() != ErrorCode::NotFound)
        return known.error();

    wire::ContactCard asCard;
    asCard.identityKey = request.sender;
    asCard.displayName = request.displayName;
    asCard.node = request.node;
    auto claimed = HIVE_TRY(claimedContact(asCard));
    if (claimed) {
        HIVE_CHECK(reportKeyChange(claimed->id, request.sender, name, request.node, TrustLevel::Unverified));
        return RequestResult {RequestResult::Kind::KeyChanged, HIVE_TRY(find(claimed->id))};
    }

    auto s = HIVE_TRY(m_vault.prepare(
        "INSERT INTO trust_contacts (identity_key, display_name, node_address, trust_level, state, added_at)"
        " VALUES (?1, ?2, ?3, 0, 1, ?4)"));
    HIVE_CHECK(s.bindBlob(1, request.sender));
    HIVE_CHECK(s.bindText(2, name));
    HIVE_CHECK(bindNode(s, 3, request.node));
    HIVE_CHECK(s.bindInt64(4, now));
    HIVE_CHECK(s.run());
    emit changed();
    return RequestResult {RequestResult::Kind::Pending, HIVE_TRY(findByKey(request.sender))};
}

Status Contacts::acceptRequest(qint64 id)
{
    auto contact = HIVE_TRY(find(id));
    if (contact.state != ContactState::PendingRequest)
        return Error(ErrorCode::InvalidArgument, "there is no pending friend request from this contact");
    auto s = HIVE_TRY(m_vault.prepare("UPDATE trust_contacts SET state = 0 WHERE id = ?1"));
    HIVE_CHECK(s.bindInt64(1, id));
    HIVE_CHECK(s.run());
    emit changed();
    return success();
}

Status Contacts::declineRequest(qint64 id)
{
    auto contact = HIVE_TRY(find(id));
    if (contact.state != ContactState::PendingRequest)
        return Error(ErrorCode::InvalidArgument, "there is no pending friend request from this contact");
    return remove(id);
}

Status Contacts::remove(qint64 id)
{
    auto s = HIVE_TRY(m_vault.prepare("DELETE FROM trust_contacts WHERE id = ?1"));
    HIVE_CHECK(s.bindInt64(1, id));
    HIVE_CHECK(s.run());
    emit changed();
    return success();
}

} // namespace hive::core
