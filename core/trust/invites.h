// Invites: the single-use secrets (Swiss numbers) this profile puts on its own contact
// cards. Whoever holds a card may send exactly one friend request with its secret; the
// redeeming side (the node's mailbox, or this service in tests and for local checks)
// calls redeem(), which succeeds once and then reports a replay.
//
// Only a hash of each secret is stored (BLAKE2b-256 under the domain
// "hive-invite-v1"), so a copy of the vault does not hand out working invites.
// Secrets are 16 random bytes: 128 bits cannot be guessed, and fewer bytes keep the QR
// code easy to scan.
#pragma once

#include "wire/bytes.h"
#include "wire/contactcard.h"
#include "wire/nodeaddress.h"
#include "wire/result.h"

#include <QtGlobal>

#include <memory>
#include <optional>

namespace hive::core {

class Identity;
class Vault;

// Why an invite was refused.
enum class InviteError { None, Unknown, Expired, AlreadyUsed };

class Invites {
public:
    static constexpr std::size_t SecretSize = 16;
    static constexpr qint64 DefaultLifetime = 7 * 24 * 3600; // a week, in seconds
    static constexpr qint64 MaxLifetime = 365 * 24 * 3600;

    struct Invite {
        qint64 id = 0;
        Bytes secret;
        qint64 expires = 0;
    };

    // Serves the invites stored in `vault` (the trust tables of Contacts::schema(), which
    // this prepares too). The vault must outlive it.
    static Result<std::unique_ptr<Invites>> create(Vault& vault);

    // A fresh random secret valid until now + lifetime (1 s .. MaxLifetime).
    Result<Invite> issue(qint64 now, qint64 lifetime = DefaultLifetime);
    // The person's own card with a fresh invite: signed by the identity key, naming `node`
    // (if the person has one) and the identity's display name.
    Result<wire::ContactCard> issueCard(const Identity& identity, const std::optional<wire::NodeAddress>& node,
                                        qint64 now, qint64 lifetime = DefaultLifetime);
    // Marks the invite with this secret as used and returns its id. Errors, each with its
    // own message and `why`: NotFound (Unknown), PermissionDenied (Expired), AlreadyExists
    // (AlreadyUsed: a replay). A refused redeem changes nothing.
    Result<qint64> redeem(ByteView secret, qint64 now, InviteError* why = nullptr);
    // Invites neither used nor expired.
    Result<int> outstanding(qint64 now);
    // Deletes invites that expired before `before` (used ones too: their replays are
    // refused as unknown from then on, and the card has expired anyway).
    Status prune(qint64 before);

private:
    explicit Invites(Vault& vault) : m_vault(vault) {}
    Vault& m_vault;
};

} // namespace hive::core
