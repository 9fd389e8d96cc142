// The node protocol: what a device and a node say to each other inside the Noise channel
// (noise.h) and the framing (frame.h). docs/protocol.md describes it for people; this file
// is the single definition both sides compile.
//
// Handshake payloads (Noise IK):
//   message 1 (client -> node): ClientHello   who the client is (device certificate) and
//                                             which grant chain it holds, if any
//   message 2 (node -> client): NodeHello     whether the node accepts it, its role, the
//                                             node's owner, version range and limits
// Then each side sends a Hello frame (frame.h) and both use the negotiated version.
//
// Requests are Frames of kind Request with a service and method id below and one of the
// request structs as payload; the node answers with a Response carrying the matching
// result struct, or an Error frame (frame.h's encodeErrorPayload: ErrorCode + message).
// Pushes (kind Push) carry PresenceUpdate with requestId = the subscription id.
//
// Every struct has encode() (canonical, codec.h) and a total, bounded decode() that
// rejects trailing bytes, so encode(decode(x)) == x for every x that decodes.
#pragma once

#include "bytes.h"
#include "codec.h"
#include "frame.h"
#include "grant.h"
#include "result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hive::wire::proto {

using Key32 = std::array<std::uint8_t, 32>;
using MailboxId = std::array<std::uint8_t, 32>;
// BLAKE2b-256 of an object's content.
using ObjectId = std::array<std::uint8_t, 32>;

// Bounds every decoder enforces (and every node applies).
inline constexpr std::size_t MaxEnvelope = 64 * 1024;       // one mailbox message
inline constexpr std::size_t MaxDirectoryEntry = 64 * 1024; // one directory entry
inline constexpr std::size_t MaxPresenceBlob = 16 * 1024;   // one presence blob
inline constexpr std::size_t MaxAudience = 256;             // identity keys per presence blob
inline constexpr std::size_t MaxObjectSize = (std::size_t(1) << 20) - 1024; // fits one frame
inline constexpr std::size_t MaxIdsPerRequest = 1024;       // has/delete/ack id lists
inline constexpr std::size_t MaxListResults = 1024;         // list/fetch results per response
inline constexpr std::size_t MaxRevocationsListed = 4096;   // admin.status revocation list
inline constexpr std::size_t MaxGrantsListed = 1024;        // admin.status grant list
inline constexpr std::size_t MaxMessageText = 200;          // NodeHello message
inline constexpr std::size_t MaxSoftwareText = 64;          // NodeHello software name
inline constexpr std::size_t MaxInvites = 1024;             // outstanding invites per node and per request
inline constexpr std::size_t MinInviteSecret = 16;          // invite secret bytes
inline constexpr std::size_t MaxInviteSecret = 32;
inline constexpr std::size_t MaxPrekey = 1024;              // one one-time prekey
inline constexpr std::size_t MaxPrekeysPerRequest = 1024;   // directory.publishPrekeys
inline constexpr std::size_t MaxPrekeysPerDevice = 4096;    // stored per device
inline constexpr std::size_t MaxWatchedMailboxes = 64;      // mailbox.watch per connection
// Responses carrying many items stop adding items before they exceed this many bytes.
inline constexpr std::size_t ResponseBudget = 900 * 1024;

enum class Service : std::uint16_t { Session = 1, Mailbox = 2, Directory = 3, Objects = 4, Presence = 5, Admin = 6 };
enum class SessionMethod : std::uint16_t { Ping = 1, PresentGrant = 2 };
// Notify is only ever a Push from the node.
enum class MailboxMethod : std::uint16_t { Post = 1, Fetch = 2, Ack = 3, PostWithInvite = 4, Watch = 5, Notify = 6 };
enum class DirectoryMethod : std::uint16_t { Publish = 1, Fetch = 2, PublishPrekeys = 3, TakePrekey = 4, CountPrekeys = 5 };
enum class ObjectsMethod : std::uint16_t { Put = 1, Get = 2, Has = 3, List = 4, Delete = 5, GetShared = 6 };
// Update is only ever a Push from the node.
enum class PresenceMethod : std::uint16_t { Publish = 1, Subscribe = 2, Unsubscribe = 3, Update = 4 };
enum class AdminMethod : std::uint16_t { Status = 1, Revoke = 2, RegisterInvites = 3 };

// What the node lets a connection do (decided once per handshake; grants are re-verified
// on every request that needs them).
enum class Role : std::uint8_t {
    Anonymous = 0, // no device certificate: may only post to mailboxes (rate limited)
    Friend = 1,    // a certified identity: post, fetch the directory, subscribe to presence;
                   // objects only with a valid grant chain from the owner
    Owner = 2,     // the node's owner (identity key == owner binding): everything
};

// Stable short name of a role, for logs.
std::string_view roleName(Role role);

// The request frame for (service, method) with payload.
Frame requestFrame(std::uint16_t version, std::uint64_t requestId, Service service, std::uint16_t method, Bytes payload);
// The response frame answering request with payload.
Frame responseFrame(const Frame& request, Bytes payload);
// The error frame answering request with error.
Frame errorFrame(const Frame& request, const Error& error);

// Declares the codec members every message has.
#define HIVE_PROTO_MESSAGE(Type)                                                                  \
    Bytes encode() const;                                                                         \
    static Result<Type> decode(ByteView bytes);                                                   \
    void write(Writer& w) const;                                                                  \
    static Type read(Reader& r);                                                                  \
    bool operator==(const Type&) const = default

// A payload with no fields (ping, subscribe, status, ...).
struct Empty {
    HIVE_PROTO_MESSAGE(Empty);
};

// Binds a device's Noise static key to a person's Ed25519 identity key, signed by the
// identity key over "hive device certificate v1\0" followed by every field before the
// signature. Fixed 145 bytes.
struct DeviceCertificate {
    static constexpr std::uint8_t CurrentVersion = 1;
    static constexpr std::size_t EncodedSize = 145;

    std::uint8_t version = CurrentVersion;
    SigningPublicKey identity {};
    noise::PublicKey noiseKey {};
    std::uint64_t notBefore = 0; // Unix seconds; valid for notBefore <= now < notAfter
    std::uint64_t notAfter = 0;
    Signature signature {};

    // A certificate for noiseKey signed by identity, valid in [notBefore, notAfter).
    static DeviceCertificate issue(const SigningKey& identity, const noise::PublicKey& noiseKey, std::uint64_t notBefore,
                                   std::uint64_t notAfter);
    Bytes signedBytes() const;
    bool hasValidSignature() const;
    // Checks signature, window and that it certifies remoteStatic (the Noise key the
    // handshake authenticated); PermissionDenied/Crypto with a reason otherwise.
    Status verify(const noise::PublicKey& remoteStatic, std::uint64_t now) const;

    HIVE_PROTO_MESSAGE(DeviceCertificate);
};

// Noise message 1 payload.
struct ClientHello {
    static constexpr std::uint8_t CurrentFormat = 1;

    std::uint8_t format = CurrentFormat;
    std::optional<DeviceCertificate> certificate; // none = anonymous
    Bytes grantChain;                             // GrantChain::encode(), empty = none

    HIVE_PROTO_MESSAGE(ClientHello);
};

// Noise message 2 payload. If status is not Ok the node closes the connection right after.
struct NodeHello {
    static constexpr std::uint8_t CurrentFormat = 1;

    std::uint8_t format = CurrentFormat;
    ErrorCode status = ErrorCode::Ok;
    std::string message;        // why, when status is not Ok; or why the grant was not accepted
    SigningPublicKey owner {};  // the node's owner identity key
    std::uint16_t minVersion = SupportedVersions.min; // the node's protocol version range
    std::uint16_t maxVersion = SupportedVersions.max;
    Role role = Role::Anonymous;
    bool grantAccepted = false; // the ClientHello grant chain verified
    std::uint64_t nodeTime = 0; // node wall clock, Unix seconds
    std::uint32_t maxFrame = 0; // largest encoded frame the node accepts
    std::string software;       // e.g. "hive-node 0.1"

    HIVE_PROTO_MESSAGE(NodeHello);
};

// ---- session ----

// session.ping -> Pong
struct Pong {
    std::uint64_t nodeTime = 0;
    HIVE_PROTO_MESSAGE(Pong);
};

// session.presentGrant: replaces the connection's grant chain -> GrantInfo
struct PresentGrant {
    Bytes grantChain;
    HIVE_PROTO_MESSAGE(PresentGrant);
};

struct GrantInfo {
    LinkHash leaf {};
    std::uint64_t storageQuota = 0; // bytes
    std::uint64_t storageUsed = 0;  // bytes of this grant's subtree
    std::uint64_t notAfter = 0;
    std::uint8_t depth = 0;
    HIVE_PROTO_MESSAGE(GrantInfo);
};

// ---- mailbox ----

// mailbox.post (anyone, rate limited) -> MailboxPostResult
struct MailboxPost {
    MailboxId mailbox {};
    Bytes envelope; // sealed by the sender; 1..MaxEnvelope bytes
    HIVE_PROTO_MESSAGE(MailboxPost);
};

struct MailboxPostResult {
    std::uint64_t messageId = 0;
    HIVE_PROTO_MESSAGE(MailboxPostResult);
};

// mailbox.fetch (owner) -> MailboxFetchResult: messages with id > after, oldest first.
struct MailboxFetch {
    MailboxId mailbox {};
    std::uint64_t after = 0;
    std::uint16_t limit = 0; // 0 or above MaxListResults means MaxListResults
    HIVE_PROTO_MESSAGE(MailboxFetch);
};

struct Envelope {
    std::uint64_t id = 0;
    std::uint64_t receivedAt = 0; // node wall clock, Unix seconds
    Key32 sender {};              // poster's identity key; all zero for anonymous posts
    Bytes body;
    HIVE_PROTO_MESSAGE(Envelope);
};

struct MailboxFetchResult {
    std::vector<Envelope> envelopes;
    bool more = false; // more messages after the last one returned
    HIVE_PROTO_MESSAGE(MailboxFetchResult);
};

// mailbox.ack (owner): deletes the named messages -> MailboxAckResult
struct MailboxAck {
    MailboxId mailbox {};
    std::vector<std::uint64_t> ids; // at most MaxIdsPerRequest
    HIVE_PROTO_MESSAGE(MailboxAck);
};

struct MailboxAckResult {
    std::uint32_t removed = 0;
    HIVE_PROTO_MESSAGE(MailboxAckResult);
};

// mailbox.postWithInvite (anyone, rate limited) -> MailboxPostResult. Accepted only if
// inviteTokenHash(invite) is a registered, unexpired, unused invite token; the token is
// marked used in the same durable write as the post. Refusals are PermissionDenied with
// "unknown invite", "invite expired" or "invite already used".
struct MailboxPostWithInvite {
    MailboxId mailbox {};
    Bytes invite;   // the invite secret, MinInviteSecret..MaxInviteSecret bytes
    Bytes envelope; // 1..MaxEnvelope bytes
    HIVE_PROTO_MESSAGE(MailboxPostWithInvite);
};

// mailbox.watch (owner) -> Empty: replaces the set of mailboxes this connection watches;
// every later post to one of them is pushed as MailboxNotify (service Mailbox, method
// Notify, requestId 0) once it is durable.
struct MailboxWatch {
    std::vector<MailboxId> mailboxes; // at most MaxWatchedMailboxes; empty = stop watching
    HIVE_PROTO_MESSAGE(MailboxWatch);
};

// Push payload (service Mailbox, method Notify).
struct MailboxNotify {
    MailboxId mailbox {};
    std::uint64_t messageId = 0;
    HIVE_PROTO_MESSAGE(MailboxNotify);
};

// ---- directory ----

// Well-known directory kinds (others are allowed, 1..65535).
// OneTimePrekeys are not published with directory.publish but one by one with
// directory.publishPrekeys and handed out singly by directory.takePrekey.
enum class DirectoryKind : std::uint16_t { PrekeyBundle = 1, DeviceList = 2, ContactCard = 3, OneTimePrekeys = 4 };

// directory.publish (owner): replaces the entry of this kind; an empty entry removes it.
struct DirectoryPublish {
    std::uint16_t kind = 0; // not 0
    Bytes entry;            // at most MaxDirectoryEntry
    HIVE_PROTO_MESSAGE(DirectoryPublish);
};

struct DirectoryPublishResult {
    std::uint64_t publishedAt = 0;
    HIVE_PROTO_MESSAGE(DirectoryPublishResult);
};

// directory.fetch (friends and owner) -> DirectoryFetchResult
struct DirectoryFetch {
    Key32 owner {};         // whose entries; all zero = this node's owner. Another key: NotFound
    std::uint16_t kind = 0; // 0 = every kind
    HIVE_PROTO_MESSAGE(DirectoryFetch);
};

struct DirectoryEntry {
    std::uint16_t kind = 0;
    std::uint64_t publishedAt = 0;
    Bytes entry;
    HIVE_PROTO_MESSAGE(DirectoryEntry);
};

struct DirectoryFetchResult {
    Key32 owner {};
    std::vector<DirectoryEntry> entries; // ascending kind
    HIVE_PROTO_MESSAGE(DirectoryFetchResult);
};

// directory.publishPrekeys (owner): appends one-time prekeys of a device.
struct DirectoryPublishPrekeys {
    std::uint32_t deviceId = 0;
    std::vector<Bytes> prekeys; // at most MaxPrekeysPerRequest, each 1..MaxPrekey bytes
    HIVE_PROTO_MESSAGE(DirectoryPublishPrekeys);
};

struct DirectoryPublishPrekeysResult {
    std::uint32_t stored = 0;    // prekeys this request added (all of them, or the request fails)
    std::uint32_t remaining = 0; // prekeys of the device now held
    HIVE_PROTO_MESSAGE(DirectoryPublishPrekeysResult);
};

// directory.takePrekey (friends and owner): hands out the oldest prekey of the device and
// removes it durably before answering, so no two callers get the same one.
struct DirectoryTakePrekey {
    Key32 owner {}; // all zero = this node's owner; another key: NotFound
    std::uint32_t deviceId = 0;
    HIVE_PROTO_MESSAGE(DirectoryTakePrekey);
};

struct DirectoryTakePrekeyResult {
    bool found = false; // false: none left (prekey empty)
    Bytes prekey;
    std::uint32_t remaining = 0;
    HIVE_PROTO_MESSAGE(DirectoryTakePrekeyResult);
};

// directory.countPrekeys (owner) -> DirectoryCountPrekeysResult
struct DirectoryCountPrekeys {
    std::uint32_t deviceId = 0;
    HIVE_PROTO_MESSAGE(DirectoryCountPrekeys);
};

struct DirectoryCountPrekeysResult {
    std::uint32_t remaining = 0;
    HIVE_PROTO_MESSAGE(DirectoryCountPrekeysResult);
};

// ---- objects (owner, or a friend with a valid grant; each caller has its own space) ----

// objects.put: the node checks id == BLAKE2b-256(content) and charges the grant's quota.
struct ObjectPut {
    ObjectId id {};
    Bytes content; // at most MaxObjectSize
    HIVE_PROTO_MESSAGE(ObjectPut);
};

struct ObjectPutResult {
    bool created = false;           // false: it was already there (nothing charged)
    std::uint64_t storageUsed = 0;  // bytes in the caller's grant subtree (owner: own space)
    std::uint64_t storageQuota = 0; // bytes; the store's capacity for the owner
    HIVE_PROTO_MESSAGE(ObjectPutResult);
};

// objects.get -> ObjectContent
struct ObjectGet {
    ObjectId id {};
    HIVE_PROTO_MESSAGE(ObjectGet);
};

struct ObjectContent {
    Bytes content;
    HIVE_PROTO_MESSAGE(ObjectContent);
};

// objects.getShared (friends and owner) -> ObjectContent: an object of the owner's space
// by its exact id (knowing the id is the capability; listing and probing stay owner-only).
struct ObjectGetShared {
    ObjectId id {};
    HIVE_PROTO_MESSAGE(ObjectGetShared);
};

// objects.has -> ObjectHasResult (one flag per id, same order)
struct ObjectHas {
    std::vector<ObjectId> ids;
    HIVE_PROTO_MESSAGE(ObjectHas);
};

struct ObjectHasResult {
    std::vector<bool> present;
    HIVE_PROTO_MESSAGE(ObjectHasResult);
};

// objects.list -> ObjectListResult: ids > after in ascending order
struct ObjectList {
    std::optional<ObjectId> after; // none = from the start
    std::uint16_t limit = 0;       // 0 or above MaxListResults means MaxListResults
    HIVE_PROTO_MESSAGE(ObjectList);
};

struct ObjectEntry {
    ObjectId id {};
    std::uint32_t size = 0;
    HIVE_PROTO_MESSAGE(ObjectEntry);
};

struct ObjectListResult {
    std::vector<ObjectEntry> objects;
    bool more = false;
    HIVE_PROTO_MESSAGE(ObjectListResult);
};

// objects.delete -> ObjectDeleteResult (missing ids are skipped)
struct ObjectDelete {
    std::vector<ObjectId> ids;
    HIVE_PROTO_MESSAGE(ObjectDelete);
};

struct ObjectDeleteResult {
    std::uint32_t deleted = 0;
    std::uint64_t storageUsed = 0;
    HIVE_PROTO_MESSAGE(ObjectDeleteResult);
};

// ---- presence ----

// presence.publish (owner): replaces the owner's current blob -> PresencePublishResult.
// The owner's own identity is always in the audience.
struct PresencePublish {
    std::vector<Key32> audience;   // identity keys, at most MaxAudience
    std::uint32_t ttlSeconds = 0;  // 0 = until replaced
    Bytes blob;                    // end-to-end encrypted, at most MaxPresenceBlob
    HIVE_PROTO_MESSAGE(PresencePublish);
};

struct PresencePublishResult {
    std::uint64_t sequence = 0;
    std::uint32_t delivered = 0; // pushes queued to subscribers
    HIVE_PROTO_MESSAGE(PresencePublishResult);
};

// presence.subscribe (friends, owner) -> PresenceSubscribeResult; then the current blob
// (if the caller is in its audience and it has not expired) and every later one arrive
// as Push frames with requestId = subscriptionId.
struct PresenceSubscribeResult {
    std::uint64_t subscriptionId = 0;
    HIVE_PROTO_MESSAGE(PresenceSubscribeResult);
};

// Push payload (service Presence, method Update).
struct PresenceUpdate {
    Key32 publisher {};
    std::uint64_t sequence = 0;
    std::uint64_t publishedAt = 0;
    std::uint64_t expiresAt = 0; // 0 = until replaced
    Bytes blob;
    HIVE_PROTO_MESSAGE(PresenceUpdate);
};

// ---- admin (owner; revoke also for friends revoking links they issued) ----

struct StoreUse {
    std::uint64_t liveBytes = 0;
    std::uint64_t deadBytes = 0;
    std::uint64_t freeBytes = 0;
    std::uint64_t capacityBytes = 0;
    std::uint64_t objectCount = 0;
    HIVE_PROTO_MESSAGE(StoreUse);
};

struct GrantUsage {
    LinkHash leaf {};
    Key32 holder {};
    std::uint64_t storageQuota = 0;
    std::uint64_t storageUsed = 0;
    std::uint64_t notAfter = 0;
    bool revoked = false;
    HIVE_PROTO_MESSAGE(GrantUsage);
};

struct AdminStatus {
    std::uint64_t uptimeSeconds = 0;
    std::uint32_t connections = 0;
    StoreUse store;
    std::uint64_t mailboxMessages = 0;
    std::uint64_t mailboxBytes = 0;
    std::vector<GrantUsage> grants;      // grants that have stored data, at most MaxGrantsListed
    std::uint32_t revocationCount = 0;
    std::vector<LinkHash> revocations;   // revoked link hashes, at most MaxRevocationsListed
    std::uint64_t sharedReads = 0;       // objects.getShared answered since start
    std::uint64_t sharedBytes = 0;       // ... and their content bytes
    std::uint32_t invitesOutstanding = 0; // registered, unused, unexpired invites
    HIVE_PROTO_MESSAGE(AdminStatus);
};

// admin.revoke: Revocation::encode() bytes -> AdminRevokeResult
struct AdminRevoke {
    Revocation revocation;
    HIVE_PROTO_MESSAGE(AdminRevoke);
};

struct AdminRevokeResult {
    bool added = false; // false: already known
    HIVE_PROTO_MESSAGE(AdminRevokeResult);
};

// A single-use friend-request authorisation: hash = inviteTokenHash(secret).
struct InviteToken {
    Key32 hash {};
    std::uint64_t expiresAt = 0; // Unix seconds; refused from then on
    HIVE_PROTO_MESSAGE(InviteToken);
};

// admin.registerInvites (owner) -> AdminRegisterInvitesResult. Expired tokens are pruned;
// at most MaxInvites may be outstanding (NoSpace beyond, nothing added).
struct AdminRegisterInvites {
    std::vector<InviteToken> tokens; // at most MaxInvites
    HIVE_PROTO_MESSAGE(AdminRegisterInvites);
};

struct AdminRegisterInvitesResult {
    std::uint32_t added = 0; // tokens not known before
    HIVE_PROTO_MESSAGE(AdminRegisterInvitesResult);
};

#undef HIVE_PROTO_MESSAGE

// BLAKE2b-256 of content: the id objects.put expects.
ObjectId objectIdOf(ByteView content);

} // namespace hive::wire::proto

namespace hive::wire {

// BLAKE2b-256("hive-invite-v1" || secret): what the owner registers for an invite secret.
proto::Key32 inviteTokenHash(ByteView secret);

} // namespace hive::wire
