#include "trust/invites.h"

#include "identity/identity.h"
#include "trust/contacts.h"
#include "vault/vault.h"

#include <sodium.h>

#include <array>

namespace hive::core {

namespace {

constexpr std::string_view HashDomain = "hive-invite-v1";

std::array<std::uint8_t, 32> secretHash(ByteView secret)
{
    std::array<std::uint8_t, 32> out {};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, out.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(HashDomain.data()), HashDomain.size());
    crypto_generichash_update(&state, secret.data(), secret.size());
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

Error refuse(InviteError reason, InviteError* why, ErrorCode code, std::string_view message)
{
    if (why != nullptr)
        *why = reason;
    return Error(code, message);
}

} // namespace

Result<std::unique_ptr<Invites>> Invites::create(Vault& vault)
{
    HIVE_CHECK(vault.migrateComponent("trust", Contacts::schema()));
    return std::unique_ptr<Invites>(new Invites(vault));
}

Result<Invites::Invite> Invites::issue(qint64 now, qint64 lifetime)
{
    if (lifetime < 1 || lifetime > MaxLifetime)
        return Error(ErrorCode::InvalidArgument, "an invite lasts from one second to a year");
    if (sodium_init() < 0)
        return Error(ErrorCode::Internal, "libsodium could not be initialised");
    Invite invite;
    invite.secret.resize(SecretSize);
    randombytes_buf(invite.secret.data(), invite.secret.size());
    invite.expires = now + lifetime;
    const auto hash = secretHash(invite.secret);
    auto s = HIVE_TRY(m_vault.prepare("INSERT INTO trust_invites (secret_hash, created_at, expires_at) VALUES (?1, ?2, ?3)"));
    HIVE_CHECK(s.bindBlob(1, hash));
    HIVE_CHECK(s.bindInt64(2, now));
    HIVE_CHECK(s.bindInt64(3, invite.expires));
    HIVE_CHECK(s.run());
    auto id = HIVE_TRY(m_vault.prepare("SELECT id FROM trust_invites WHERE secret_hash = ?1"));
    HIVE_CHECK(id.bindBlob(1, hash));
    if (!HIVE_TRY(id.step()))
        return Error(ErrorCode::Internal, "the invite just stored cannot be found");
    invite.id = id.columnInt64(0);
    return invite;
}

Result<wire::ContactCard> Invites::issueCard(const Identity& identity, const std::optional<wire::NodeAddress>& node,
                                             qint64 now, qint64 lifetime)
{
    wire::ContactCard card;
    card.identityKey = identity.publicKey();
    card.displayName = identity.displayName().toStdString();
    card.node = node;
    card.expires = static_cast<std::uint64_t>(now + lifetime);
    // Validate before an invite is spent on a card that cannot be signed.
    card.inviteSecret = Bytes(SecretSize, 0);
    HIVE_CHECK(card.validate());
    auto invite = HIVE_TRY(issue(now, lifetime));
    card.inviteSecret = invite.secret;
    card.expires = static_cast<std::uint64_t>(invite.expires);
    const Bytes signature = HIVE_TRY(identity.sign(card.signedBytes()));
    if (signature.size() != card.signature.size())
        return Error(ErrorCode::Internal, "the identity produced a signature of unexpected length");
    std::copy(signature.begin(), signature.end(), card.signature.begin());
    return card;
}

Result<qint64> Invites::redeem(ByteView secret, qint64 now, InviteError* why)
{
    if (why != nullptr)
        *why = InviteError::None;
    auto s = HIVE_TRY(m_vault.prepare("SELECT id, expires_at, used_at FROM trust_invites WHERE secret_hash = ?1"));
    HIVE_CHECK(s.bindBlob(1, secretHash(secret)));
    if (!HIVE_TRY(s.step()))
        return refuse(InviteError::Unknown, why, ErrorCode::NotFound, "this invite was not issued here");
    const qint64 id = s.columnInt64(0);
    const qint64 expires = s.columnInt64(1);
    if (!s.columnIsNull(2))
        return refuse(InviteError::AlreadyUsed, why, ErrorCode::AlreadyExists,
                      "this invite was already used; each code admits one friend request");
    if (now >= expires)
        return refuse(InviteError::Expired, why, ErrorCode::PermissionDenied, "this invite has expired");
    // The condition repeats the check, so two redeems racing on one vault cannot both win.
    auto use = HIVE_TRY(m_vault.prepare("UPDATE trust_invites SET used_at = ?1 WHERE id = ?2 AND used_at IS NULL"));
    HIVE_CHECK(use.bindInt64(1, now));
    HIVE_CHECK(use.bindInt64(2, id));
    HIVE_CHECK(use.run());
    auto changes = HIVE_TRY(m_vault.prepare("SELECT changes()"));
    if (!HIVE_TRY(changes.step()) || changes.columnInt64(0) != 1)
        return refuse(InviteError::AlreadyUsed, why, ErrorCode::AlreadyExists,
                      "this invite was already used; each code admits one friend request");
    return id;
}

Result<int> Invites::outstanding(qint64 now)
{
    auto s = HIVE_TRY(m_vault.prepare("SELECT count(*) FROM trust_invites WHERE used_at IS NULL AND expires_at > ?1"));
    HIVE_CHECK(s.bindInt64(1, now));
    if (!HIVE_TRY(s.step()))
        return Error(ErrorCode::Internal, "count returned no row");
    return static_cast<int>(s.columnInt64(0));
}

Status Invites::prune(qint64 before)
{
    auto s = HIVE_TRY(m_vault.prepare("DELETE FROM trust_invites WHERE expires_at < ?1"));
    HIVE_CHECK(s.bindInt64(1, before));
    return s.run();
}

} // namespace hive::core
