// The node's services (mailbox, directory, objects, presence, admin) over its store: the
// part of the node that does not depend on which devices it runs on, so it is compiled
// once. Node<...> (node.h) owns the connections and calls handle() for each request.
//
// Store layout (keys of the object log, see store/store.h):
//   'o' space[32] id[32]      object content (space = the caller's identity key)
//   'm' mailbox[32] u64be id  mailbox message: u64 receivedAt | sender[32] | bytes body
//   'c' "msgid"               highest message id ever issued (u64), written with each post
//   'd' u16be kind            directory entry (proto::DirectoryEntry)
//   'r' link[32] revoker[32]  revocation (wire::Revocation)
//   'g' space[32]             the grant path a space's objects are charged to
//   'i' hash[32]              invite token: u8 version | bool used | u64 expiresAt
//   'p' u32be device u64be n  one-time prekey of a device (taken oldest first)
// Config slots: 0 = node key record, 1 = owner binding, 2 = listen address (hosted).
//
// Freestanding-safe: no OS headers, no exceptions.
#pragma once

#include "core/devices.h"
#include "store/store.h"
#include "wire/frame.h"
#include "wire/grant.h"
#include "wire/nodeprotocol.h"
#include "wire/noise.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace hive::node {

namespace proto = hive::wire::proto;
using wire::Frame;

// Config slots of the store's config partition.
inline constexpr std::size_t NodeKeySlot = 0;
inline constexpr std::size_t OwnerSlot = 1;
inline constexpr std::size_t ListenSlot = 2;

// Limits the services enforce; defaults suit a personal node.
struct ServiceLimits {
    std::uint64_t mailboxMaxBytes = 16u << 20;      // per mailbox (envelope bytes)
    std::uint32_t mailboxMaxMessages = 4096;        // per mailbox
    std::uint32_t mailboxBudgetPercent = 25;        // all mailboxes together, of the store capacity
    std::uint32_t postBurst = 30;                   // token bucket per known sender: burst ...
    std::uint32_t postsPerMinute = 120;             // ... and refill rate
    std::uint32_t anonymousPostsPerMinute = 600;    // all anonymous senders together (burst half a minute)
    // objects.getShared per friend: attachments are fetched as ~1 MiB chunks, so the budget
    // is a few hundred chunks at once and about 60 MiB/s after that (posts' 30 + 2/s made a
    // 100 MiB attachment take a minute to download).
    std::uint32_t sharedReadBurst = 256;
    std::uint32_t sharedReadsPerMinute = 3600;
    std::size_t maxRevocations = 65536;
};

// Who is asking: decided at the handshake, mutable by session/presence requests.
struct Caller {
    proto::Role role = proto::Role::Anonymous;
    wire::SigningPublicKey identity {}; // zero for anonymous
    wire::noise::PublicKey noiseKey {}; // the Noise static key the handshake authenticated
    std::optional<wire::GrantChain> grant;
    std::uint64_t subscriptionId = 0; // presence subscription, 0 = none
    std::vector<proto::MailboxId> watched; // mailbox.watch, sorted
};

// Runtime facts the services report but do not own.
struct RequestContext {
    std::uint64_t nowSeconds = 0; // wall clock, Unix seconds
    Nanos nowMonotonic = 0;
    std::uint64_t uptimeSeconds = 0;
    std::uint32_t connections = 0;
};

// Implemented by the node: delivers a presence update to every subscribed connection whose
// caller may see it; returns how many pushes were queued.
class PresenceHub {
public:
    virtual std::uint32_t deliver(const proto::PresenceUpdate& update) = 0;
    // A post landed in a mailbox: push it to the owner connections watching that mailbox
    // (the node sends pushes only after the post is durable).
    virtual void mailboxPosted(const proto::MailboxNotify& notify) { (void)notify; }

protected:
    ~PresenceHub() = default;
};

// One line per event for the node's console.
class EventLog {
public:
    virtual void logLine(std::string_view line) = 0;

protected:
    ~EventLog() = default;
};

// The node's persistent identity as kept in the config partition.
struct NodeIdentity {
    wire::noise::KeyPair key;      // Noise static key; its public half is the node address key
    wire::SigningPublicKey owner {}; // owner's Ed25519 identity key
};

class NodeServices {
public:
    // Formats block as a new node store holding key and owner (destroys what was there).
    static Status initialize(BlockRef block, const NodeIdentity& identity, std::uint64_t storeId);
    // Opens the store, loads the identity and rebuilds every index.
    static Result<std::unique_ptr<NodeServices>> open(BlockRef block, ServiceLimits limits, EventLog& log);
    // Reads only the identity (for `hive-node address`).
    static Result<NodeIdentity> readIdentity(const Store& store);

    ~NodeServices();
    NodeServices(const NodeServices&) = delete;
    NodeServices& operator=(const NodeServices&) = delete;

    const NodeIdentity& identity() const { return m_identity; }
    Store& store() { return *m_store; }

    // The role a certified (or anonymous) client gets, and its verified grant if any.
    proto::Role roleFor(const std::optional<wire::SigningPublicKey>& identity) const;
    // verifyChain against the owner, this node, the clock and the revocation set, plus
    // "the chain is for this identity".
    Result<wire::EffectiveGrant> verifyGrant(const wire::GrantChain& chain, const wire::SigningPublicKey& holder,
                                             std::uint64_t nowSeconds) const;

    // Serves one request frame; the payload of the Response, or the Error to send.
    Result<Bytes> handle(Caller& caller, const Frame& request, const RequestContext& context, PresenceHub& hub);
    // The current presence blob as caller may see it (after subscribe), if any.
    std::optional<proto::PresenceUpdate> currentPresenceFor(const Caller& caller, std::uint64_t nowSeconds) const;
    // True if caller may see the owner's presence (the owner, or a friend in the audience).
    bool maySee(const Caller& caller) const;
    // Forgets rate-limit state that has fully refilled (bounded memory); call now and then.
    void prune(Nanos nowMonotonic);

    std::uint64_t mailboxMessages() const { return m_mailboxMessages; }
    std::uint64_t mailboxBytes() const { return m_mailboxBytes; }
    // Registered invites that are neither used nor expired at nowSeconds.
    std::uint32_t invitesOutstanding(std::uint64_t nowSeconds) const;
    // One-time prekeys held for a device.
    std::uint32_t prekeyCount(std::uint32_t deviceId) const;
    // Rebuilds every in-memory index from the store (after the store undid writes whose
    // flush failed, the services forget them too).
    Status reload();

private:
    struct MailboxState {
        std::uint64_t bytes = 0;
        std::uint32_t messages = 0;
    };
    struct Bucket {
        std::uint64_t milliTokens = 0;
        Nanos updated = 0;
    };
    struct GrantRecord {
        wire::EffectiveGrant grant; // path and effective shares as last charged
    };
    struct Presence {
        std::vector<proto::Key32> audience; // sorted
        proto::PresenceUpdate update;
    };
    struct InviteState {
        std::uint64_t expiresAt = 0;
        bool used = false;
    };
    struct PrekeyState {
        std::uint64_t nextSeq = 0;
        std::uint32_t count = 0;
    };
    struct ObjectAccess {
        proto::Key32 space {};
        std::optional<wire::EffectiveGrant> grant;
        bool recordChanged = false;
    };

    NodeServices(std::unique_ptr<Store> store, NodeIdentity identity, ServiceLimits limits, EventLog& log);
    Status rebuild();

    Result<Bytes> session(Caller& caller, const Frame& request, const RequestContext& context);
    Result<Bytes> mailbox(Caller& caller, const Frame& request, const RequestContext& context, PresenceHub& hub);
    // Stores a post (plus `extra`, in the same durable write) and tells hub; the message id.
    Result<std::uint64_t> storePost(const Caller& caller, const proto::MailboxId& mailbox, ByteView envelope,
                                    const RequestContext& context, PresenceHub& hub, const StoreBatch* extra);
    Result<Bytes> registerInvites(const proto::AdminRegisterInvites& request, std::uint64_t nowSeconds);
    Result<Bytes> directory(Caller& caller, const Frame& request, const RequestContext& context);
    Result<Bytes> objects(Caller& caller, const Frame& request, const RequestContext& context);
    Result<Bytes> presence(Caller& caller, const Frame& request, const RequestContext& context, PresenceHub& hub);
    Result<Bytes> admin(Caller& caller, const Frame& request, const RequestContext& context);

    Result<ObjectAccess> objectAccess(const Caller& caller, std::uint64_t nowSeconds);
    Status takeToken(std::map<proto::Key32, Bucket>& buckets, const proto::Key32& key, std::uint32_t perMinute,
                     std::uint32_t burst, Nanos now, std::string_view what = "mailbox posts");
    std::uint64_t quotaOf(const ObjectAccess& access) const;
    std::uint64_t usedBy(const ObjectAccess& access) const;

    std::unique_ptr<Store> m_store;
    NodeIdentity m_identity;
    ServiceLimits m_limits;
    EventLog& m_log;
    wire::RevocationSet m_revocations;
    wire::UsageLedger m_ledger;
    std::map<proto::MailboxId, MailboxState> m_mailboxes;
    std::uint64_t m_mailboxMessages = 0;
    std::uint64_t m_mailboxBytes = 0;
    std::uint64_t m_lastMessageId = 0;
    std::map<proto::Key32, std::uint64_t> m_spaceBytes;
    std::map<proto::Key32, GrantRecord> m_grantRecords;
    std::map<proto::Key32, Bucket> m_senderBuckets;
    std::map<proto::Key32, Bucket> m_anonymousBucket; // one entry (all zero key): shared by every anonymous sender
    std::map<proto::Key32, Bucket> m_takeBuckets;     // directory.takePrekey per friend
    std::map<proto::Key32, Bucket> m_sharedBuckets;   // objects.getShared per friend
    std::map<proto::Key32, InviteState> m_invites;    // by token hash, used ones until they expire
    std::map<std::uint32_t, PrekeyState> m_prekeys;   // by device id
    std::uint64_t m_sharedReads = 0;
    std::uint64_t m_sharedBytes = 0;
    std::optional<Presence> m_presence;
    std::uint64_t m_presenceSequence = 0;
    std::uint64_t m_nextSubscription = 1;
};

} // namespace hive::node
