// Contacts: the people this profile knows, each pinned to an Ed25519 identity key, with how
// far that key is trusted (ARCHITECTURE.md, "Trust network").
//
// Trust levels:
//   VerifiedInPerson        the card came from a QR code scanned off the person's screen
//   VerifiedBySafetyNumber  the 60-digit safety number was compared (or its QR scanned)
//   Unverified              the card came as a pasted link (or a remote friend request)
// A key is never silently replaced. A card with an unknown key that claims an existing
// contact (the same node, or the same name on the same or no node) puts that contact into
// state KeyChanged: the new key waits in "pending", canSend() refuses the contact, and only
// acceptKeyChange() (or declineKeyChange()) ends it. Every other component that sends to a
// person must ask canSend() first.
//
// Tables (component "trust", see schema()):
//   trust_contacts  id, identity_key (unique), display_name, node_address (hive:// text or
//                   NULL), trust_level, state, added_at, verified_at, and the pending_*
//                   columns holding an offered new key while state = KeyChanged.
//   trust_invites   owned by Invites (invites.h).
#pragma once

#include "identity/identity.h"
#include "wire/contactcard.h"
#include "wire/friendrequest.h"
#include "wire/nodeaddress.h"
#include "wire/result.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace hive::core {

class Invites;
class SafetyNumber;
class SignalContext;
class Statement;
class Vault;
struct Migration;

enum class TrustLevel : int { Unverified = 0, VerifiedBySafetyNumber = 1, VerifiedInPerson = 2 };
enum class ContactState : int { Active = 0, PendingRequest = 1, KeyChanged = 2 };
// Where a card came from: it decides the trust level of a new contact.
enum class CardSource { ScannedQr, PastedLink };

// Stable names ("verified-in-person", "active", ...) for hivectl, QML and logs.
QString trustLevelName(TrustLevel level);
QString contactStateName(ContactState state);

struct Contact {
    qint64 id = 0;
    Identity::PublicKey identityKey {};
    QString displayName;
    std::optional<wire::NodeAddress> node;
    TrustLevel trust = TrustLevel::Unverified;
    ContactState state = ContactState::Active;
    qint64 addedAt = 0;
    qint64 verifiedAt = 0; // when the trust level was last raised (0: never)
    // While state == KeyChanged: what the new card offered.
    std::optional<Identity::PublicKey> pendingKey;
    QString pendingName;
    std::optional<wire::NodeAddress> pendingNode;
    TrustLevel pendingTrust = TrustLevel::Unverified;

    // The identity fingerprint of the pinned key (Identity::fingerprint).
    QString fingerprint() const { return Identity::fingerprint(identityKey); }
};

// What adding a card did.
struct AddResult {
    enum class Kind {
        Added,        // a new contact
        Updated,      // the key was known: name/node refreshed, trust raised if the source is stronger
        KeyChanged,   // the card claims an existing contact with a different key: blocked
    };
    Kind kind = Kind::Added;
    Contact contact;
};

// What receiving a friend request did.
struct RequestResult {
    enum class Kind {
        Pending,        // a new person waits for acceptRequest/declineRequest
        AlreadyContact, // the sender is pinned already (e.g. both scanned each other): nothing to decide
        KeyChanged,     // the sender claims an existing contact with another key: blocked
    };
    Kind kind = Kind::Pending;
    Contact contact;
};

class Contacts : public QObject {
    Q_OBJECT

public:
    // The trust component's tables (contacts and invites).
    static std::span<const Migration> schema();
    // Prepares the tables in `vault` and serves the contacts of `self`. Both must outlive it.
    static Result<std::unique_ptr<Contacts>> create(Vault& vault, const Identity& self);
    ~Contacts() override;

    // Adds the person on a decoded card (see the header comment for key changes). Adding
    // one's own card is refused (InvalidArgument).
    Result<AddResult> addCard(const wire::ContactCard& card, CardSource source, qint64 now);
    // Decodes a hive: URI (every refusal of ContactCard::fromUri keeps its message, with
    // the reason in `why`) and adds it. Nothing is stored when decoding fails.
    Result<AddResult> addUri(const QString& uri, CardSource source, qint64 now, wire::CardError* why = nullptr);

    // Every contact, sorted by name.
    Result<std::vector<Contact>> list();
    Result<int> count();
    Result<Contact> find(qint64 id);
    // The contact pinned to `key`; NotFound if none.
    Result<Contact> findByKey(const Identity::PublicKey& key);
    // A contact by display name (case-insensitive) or by a fingerprint prefix of at least 4
    // characters (spaces ignored). NotFound, or InvalidArgument if several match.
    Result<Contact> lookup(const QString& nameOrFingerprint);

    // Success if messages, requests or grants may go to `key`: it is an active contact.
    // PermissionDenied, with a message saying why, otherwise.
    Status canSend(const Identity::PublicKey& key);

    // Records that some other path (a friend request, a directory entry) presented `newKey`
    // for contact `id`: the contact is blocked until the user decides.
    Status reportKeyChange(qint64 id, const Identity::PublicKey& newKey, const QString& newName,
                           const std::optional<wire::NodeAddress>& newNode, TrustLevel offeredTrust);
    // The user accepts the pending key: it becomes the pinned key with the trust its source
    // earned (never more), and the contact is active again.
    Status acceptKeyChange(qint64 id, qint64 now);
    // The user refuses the pending key: the old key stays pinned and the contact is active.
    Status declineKeyChange(qint64 id);

    // The safety number between this profile and contact `id`.
    Result<SafetyNumber> safetyNumber(SignalContext& context, qint64 id);
    // The user compared the digits and they matched: raise to VerifiedBySafetyNumber.
    Status confirmSafetyNumber(qint64 id, qint64 now);
    // A scanned safety-number code: raises the trust level if it matches, Crypto error
    // (nothing changed) if it does not.
    Status verifyScannedSafetyNumber(SignalContext& context, qint64 id, ByteView scanned, qint64 now);

    // A friend request that arrived for this profile: spends its invite (a replayed,
    // unknown or expired invite is refused with Invites::redeem's error and nothing is
    // stored), then records the sender as a pending request, or recognises a contact that
    // is already pinned (two people who scanned each other need no accept).
    Result<RequestResult> receiveRequest(const wire::FriendRequest& request, Invites& invites, qint64 now);
    // The user accepts a pending request: the sender becomes an active contact (unverified
    // until the safety number is compared).
    Status acceptRequest(qint64 id);
    // The user declines a pending request: the sender is forgotten.
    Status declineRequest(qint64 id);

    // Removes a contact.
    Status remove(qint64 id);

signals:
    // Any contact was added, changed or removed.
    void changed();

private:
    Contacts(Vault& vault, const Identity& self) : m_vault(vault), m_self(self) {}
    Result<std::vector<Contact>> query(std::string_view where, const std::function<Status(Statement&)>& bind);
    Result<std::optional<Contact>> claimedContact(const wire::ContactCard& card);
    Status raiseTrust(qint64 id, TrustLevel level, qint64 now);

    Vault& m_vault;
    const Identity& m_self;
};

} // namespace hive::core
