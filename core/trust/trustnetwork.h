// TrustNetwork: what travels between friends for the trust network (docs/trust.md,
// "Friend requests over the node" and "Grants"). It joins Contacts and Invites to the
// Outbox (sending) and the Inbox (receiving):
//
//   addCard        pins the card's person and queues a friend request (a FriendRequest
//                  envelope in their requests mailbox, posted with the card's invite secret,
//                  as an anonymous sender) when the card names a node
//   request handler  (Inbox, kind FriendRequest) Contacts::receiveRequest in one vault
//                  transaction: a replayed invite is refused, a person already pinned (both
//                  scanned each other) needs no accept
//   acceptRequest  makes the sender a contact and queues a signed "accepted" Note back
//   issueGrant     signs a root grant link for the person's own node and queues it to the
//                  friend as a Grant Note (node address + chain)
//   shareGrant     signs a narrower link below a received grant (re-delegation)
//   revokeGrant    signs a Revocation of a given grant's link; the caller delivers it to the
//                  granting node (admin.revoke) and it is queued to the holder as a Note
//   note handler   (Inbox, kind Note) dedupes by content id and stores received grants
//                  (after checking the chain) and revocations of them
//
// Grants are kept in trust_grants (component "trust", schema step 2): direction (given or
// received), the leaf link's hash, the whole chain, the node's address and the peer.
#pragma once

#include "inbox/inboxhandler.h"
#include "trust/contacts.h"

#include "wire/contactcard.h"
#include "wire/envelope.h"
#include "wire/grant.h"
#include "wire/nodeaddress.h"
#include "wire/result.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace hive::core {

class Identity;
class Invites;
class Outbox;
class Vault;

enum class GrantDirection : int { Given = 0, Received = 1 };

struct GrantRecord {
    qint64 id = 0;
    GrantDirection direction = GrantDirection::Given;
    wire::GrantChain chain;
    wire::NodeAddress node;           // the node whose resources the chain grants
    Identity::PublicKey peer {};      // given: the holder; received: who signed it to us
    QString peerName;                 // the peer's contact name, or its fingerprint
    qint64 parentId = 0;              // given by re-sharing: the received grant it narrows
    qint64 createdAt = 0;
    qint64 revokedAt = 0;             // 0: not revoked (as far as this profile knows)

    const wire::GrantLink& leaf() const { return chain.links.back(); }
    wire::LinkHash leafHash() const { return leaf().hash(); }
    // The leaf's shares multiplied down the chain (of the node's capacity).
    wire::Shares effective() const;
};

// What the request handler did with one request, for the app's notification.
struct ReceivedRequest {
    RequestResult::Kind kind = RequestResult::Kind::Pending;
    Contact contact;
};

class TrustNetwork : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 DefaultGrantLifetime = 30 * 86400;
    // A new link is valid from this long before now, for clock skew between devices and nodes.
    static constexpr qint64 ClockSkew = 300;
    static constexpr std::string_view GrantUriScheme = "hive-grant:";

    // Everything must outlive the network object.
    static Result<std::unique_ptr<TrustNetwork>> create(Vault& vault, const Identity& identity, Contacts& contacts,
                                                        Invites& invites, Outbox& outbox, QObject* parent = nullptr);
    ~TrustNetwork() override;

    // ---- friend requests ----

    // Adds the card's person (Contacts::addCard) and, when the card names a node and the
    // contact is not blocked by a key change, queues a friend request to it. `queued`
    // receives the outbox row id (0 if nothing was queued).
    Result<AddResult> addCard(const wire::ContactCard& card, CardSource source, qint64 now, qint64* queued = nullptr);
    // Contacts whose friend request waits for a decision.
    Result<std::vector<Contact>> pendingRequests();
    // Accepts a pending request and queues an "accepted" note to the sender (if reachable).
    Status acceptRequest(qint64 contactId, qint64 now);
    // Declines (forgets) a pending request.
    Status declineRequest(qint64 contactId);

    // ---- grants ----

    // Signs a root grant of `node` (the person's own node) to contact `contactId` and queues
    // it to them. Shares in basis points; depth = further re-delegations allowed.
    Result<GrantRecord> issueGrant(qint64 contactId, const wire::NodeAddress& node, wire::Shares shares,
                                   std::uint8_t depth, qint64 lifetime, qint64 now);
    // Re-delegates part of received grant `grantId` to contact `contactId` (shares relative
    // to the received grant; depth at most one less than it allows). The new grant is
    // queued to the contact if their card named a node; grantUri() gives it for other paths.
    Result<GrantRecord> shareGrant(qint64 grantId, qint64 contactId, wire::Shares shares, std::uint8_t depth,
                                   qint64 lifetime, qint64 now);
    // Signs a revocation of given grant `grantId`, marks it revoked and queues a note to
    // the holder. The caller delivers the revocation to grant.node with admin.revoke.
    Result<wire::Revocation> revokeGrant(qint64 grantId, qint64 now);
    // Every grant, given first, newest first within each.
    Result<std::vector<GrantRecord>> grants();
    Result<GrantRecord> grant(qint64 id);
    // "hive-grant:<base32>" carrying node address and chain, for hand delivery.
    static QString grantUri(const GrantRecord& grant);
    // Stores a grant handed over as a hive-grant: link (it must end at this profile).
    Result<GrantRecord> importGrant(const QString& uri, qint64 now);

    // ---- receiving ----

    // The Inbox handlers for FriendRequest and Note envelopes.
    InboxHandler& requestHandler() { return *m_requestHandler; }
    InboxHandler& noteHandler() { return *m_noteHandler; }

signals:
    // A friend request arrived (Pending: the user decides; AlreadyContact: both scanned).
    void requestReceived(const hive::core::ReceivedRequest& request);
    // A friend accepted this profile's request.
    void requestAccepted(qint64 contactId);
    // A grant arrived or was revoked.
    void grantsChanged();

private:
    class RequestHandler;
    class NoteHandler;
    friend class RequestHandler;
    friend class NoteHandler;

    TrustNetwork(Vault& vault, const Identity& identity, Contacts& contacts, Invites& invites, Outbox& outbox,
                 QObject* parent);
    Result<wire::Signature> sign(ByteView message) const;
    Result<qint64> queueNote(const Contact& to, wire::NoteType type, Bytes content, qint64 now);
    Result<GrantRecord> storeGrant(GrantDirection direction, const wire::GrantChain& chain,
                                   const wire::NodeAddress& node, const Identity::PublicKey& peer, qint64 parentId,
                                   qint64 now);
    Result<std::vector<GrantRecord>> queryGrants(std::string_view where, qint64 id);
    Status receiveRequest(const InboxItem& item);
    Status receiveNote(const InboxItem& item);
    Status receiveGrant(const wire::Note& note, qint64 now);
    Status receiveRevocation(const wire::Note& note, qint64 now);

    Vault& m_vault;
    const Identity& m_identity;
    Contacts& m_contacts;
    Invites& m_invites;
    Outbox& m_outbox;
    std::unique_ptr<InboxHandler> m_requestHandler;
    std::unique_ptr<InboxHandler> m_noteHandler;
};

// Grant content of a Note and of a hive-grant: link: text node address | bytes chain.
Bytes encodeGrantContent(const wire::NodeAddress& node, const wire::GrantChain& chain);
Result<std::pair<wire::NodeAddress, wire::GrantChain>> decodeGrantContent(ByteView content);

} // namespace hive::core

Q_DECLARE_METATYPE(hive::core::ReceivedRequest)
