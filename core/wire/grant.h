// Grants: signed, attenuable, re-delegable shares of a node's storage, CPU and bandwidth
// (ARCHITECTURE.md, "Trust network"). The node's owner signs a root link to a friend; the
// friend may sign a narrower link to someone else, and so on, up to 8 links. A node
// verifies a chain offline with nothing but its owner's public key, and accounts usage per
// subtree so a re-shared grant can never use more than its parent was given.
//
// Link encoding (216 bytes, fixed, canonical encoding of codec.h):
//     u8 version | node[32] | issuer[32] | audience[32] | parent[32] | u64 notBefore |
//     u64 notAfter | u8 depth | u16 storage | u16 cpu | u16 bandwidth | signature[64]
// The signature is Ed25519 by `issuer` over "hive grant link v1\0" followed by every field
// before it. A link's hash is BLAKE2b-256 of its whole encoding, signature included; the
// next link names it as `parent`, and revocations name it too.
//
// Shares are basis points (0..10000) of what the parent link was given (of the node's
// capacity for the root), so effective shares multiply down the chain, rounded down.
// Times are seconds since the Unix epoch; a link is valid for notBefore <= now < notAfter.
#pragma once

#include "bytes.h"
#include "noise.h"
#include "result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string_view>
#include <vector>

namespace hive::wire {

using SigningPublicKey = std::array<std::uint8_t, 32>; // Ed25519
using Signature = std::array<std::uint8_t, 64>;
using LinkHash = std::array<std::uint8_t, 32>;
// The node a grant is for: its public key, as in its hive:// address.
using NodeKey = std::array<std::uint8_t, 32>;

inline constexpr std::uint16_t FullShare = 10000; // 100% in basis points
inline constexpr std::size_t MaxChainLinks = 8;

// An Ed25519 key pair (libsodium's 64-byte secret key: seed followed by public key).
struct SigningKey {
    SigningPublicKey publicKey {};
    noise::Secret<64> secretKey;

    // A fresh random key pair.
    static SigningKey generate();
    // The key pair of a 32-byte seed (deterministic; for stored keys and tests).
    static Result<SigningKey> fromSeed(ByteView seed);
    // A detached Ed25519 signature of message.
    Signature sign(ByteView message) const;
};

// True if signature is a valid Ed25519 signature of message by key.
bool verifySignature(const SigningPublicKey& key, ByteView message, const Signature& signature);

// Shares of storage, CPU and bandwidth in basis points.
struct Shares {
    std::uint16_t storage = 0;
    std::uint16_t cpu = 0;
    std::uint16_t bandwidth = 0;

    bool operator==(const Shares&) const = default;
};

// One signed delegation step.
struct GrantLink {
    static constexpr std::uint8_t CurrentVersion = 1;
    static constexpr std::size_t EncodedSize = 216;

    std::uint8_t version = CurrentVersion;
    NodeKey node {};
    SigningPublicKey issuer {};
    SigningPublicKey audience {};
    LinkHash parent {}; // all zero for the root link
    std::uint64_t notBefore = 0;
    std::uint64_t notAfter = 0;
    std::uint8_t depth = 0; // how many further delegations below this link are allowed
    Shares shares;
    Signature signature {};

    // The bytes the issuer signs: domain prefix + every field but the signature.
    Bytes signedBytes() const;
    // The full 216-byte encoding.
    Bytes encode() const;
    // Decodes exactly one link; rejects other lengths and unknown versions.
    static Result<GrantLink> decode(ByteView bytes);
    // Signs the link with the issuer's key (fails if key is not `issuer`).
    Status sign(const SigningKey& key);
    // True if `signature` is the issuer's signature over signedBytes().
    bool hasValidSignature() const;
    // BLAKE2b-256 of encode().
    LinkHash hash() const;

    bool operator==(const GrantLink&) const = default;
};

// Root link first, at most MaxChainLinks.
struct GrantChain {
    std::vector<GrantLink> links;

    // u8 link count followed by each link's encoding.
    Bytes encode() const;
    // Decodes a chain of 1..8 links; nothing else is checked here (see verifyChain).
    static Result<GrantChain> decode(ByteView bytes);
};

// A signed "this link is revoked", by an issuer at or above the link, or by the owner.
struct Revocation {
    static constexpr std::uint8_t CurrentVersion = 1;
    static constexpr std::size_t EncodedSize = 137;

    std::uint8_t version = CurrentVersion;
    LinkHash link {};
    SigningPublicKey revoker {};
    std::uint64_t time = 0; // when it was issued (informational; revocation is permanent)
    Signature signature {};

    // A revocation of link by key, signed.
    static Revocation create(const LinkHash& link, const SigningKey& key, std::uint64_t time);
    // Domain prefix "hive revocation v1\0" + every field but the signature.
    Bytes signedBytes() const;
    Bytes encode() const;
    static Result<Revocation> decode(ByteView bytes);
    bool hasValidSignature() const;

    bool operator==(const Revocation&) const = default;
};

// The node's append-only set of revocations. Whether a revocation counts depends on the
// chain it is applied to (its revoker must be the owner or an issuer at or above the
// link), so that is decided by verifyChain, not here.
class RevocationSet {
public:
    // Adds a correctly signed revocation; returns false if the same (link, revoker) pair is
    // already present (nothing is added), a Crypto error if the signature is forged.
    Result<bool> add(const Revocation& revocation);
    // True if `link` was revoked by any of `revokers`.
    bool revokedBy(const LinkHash& link, std::span<const SigningPublicKey> revokers) const;
    // Every revocation, in the order added (for persisting the log).
    const std::vector<Revocation>& all() const { return m_log; }
    std::size_t size() const { return m_log.size(); }

private:
    std::vector<Revocation> m_log;
    std::map<LinkHash, std::vector<SigningPublicKey>> m_byLink;
};

// Why a chain was rejected. Each reason has its own message; the Error's code is Crypto
// for a forged signature, TooLarge for too many links, Unsupported for an unknown version,
// Malformed for an empty chain and PermissionDenied for everything else.
enum class GrantError : std::uint8_t {
    None = 0,
    EmptyChain,
    TooManyLinks,
    UnsupportedVersion,
    WrongNode,         // a link names another node
    RootNotOwner,      // the root link is not issued by the node's owner
    WrongParent,       // parent hash does not match (or the root's is not zero)
    WrongAudience,     // link i's audience is not link i+1's issuer
    ForgedSignature,
    WidenedShare,      // a share above 10000, i.e. more than the parent gave
    InvalidWindow,     // notBefore >= notAfter
    ExtendedExpiry,    // notAfter later than the parent's
    EarlierStart,      // notBefore earlier than the parent's
    ExceededDepth,     // depth not below the parent's (a depth-0 link delegated)
    NotYetValid,
    Expired,
    Revoked,
};

// Stable short name of a GrantError, for logs and tests.
std::string_view grantErrorName(GrantError error);

// One link of a verified chain with its effective (multiplied-down) shares.
struct GrantPathEntry {
    LinkHash link {};
    Shares effective;
};

// What a verified chain grants its holder.
struct EffectiveGrant {
    SigningPublicKey holder {};       // audience of the last link
    Shares shares;                    // effective shares of the last link
    std::uint64_t notBefore = 0;      // the last (narrowest) window
    std::uint64_t notAfter = 0;
    std::uint8_t depth = 0;           // re-delegations the holder may still make
    std::vector<GrantPathEntry> path; // root first; the last entry is the holder's link

    const LinkHash& leaf() const { return path.back().link; }
};

// Verifies a chain for `node` owned by `owner` at time `now` against `revocations`.
// On failure, `why` (if given) receives the specific reason.
Result<EffectiveGrant> verifyChain(const GrantChain& chain, const SigningPublicKey& owner, const NodeKey& node,
                                   std::uint64_t now, const RevocationSet& revocations, GrantError* why = nullptr);

// floor(value * share / 10000) without overflow.
std::uint64_t applyShare(std::uint64_t value, std::uint16_t share);

enum class Resource : std::uint8_t { Storage = 0, Cpu = 1, Bandwidth = 2 };

// What a node has to give, in its own units (bytes, CPU units, bytes per period).
struct Capacity {
    std::uint64_t storage = 0;
    std::uint64_t cpu = 0;
    std::uint64_t bandwidth = 0;
};

// Usage per grant subtree: a charge to a leaf counts against every link above it, and is
// refused if any of them would exceed its quota (capacity x that link's effective share).
class UsageLedger {
public:
    explicit UsageLedger(Capacity capacity) : m_capacity(capacity) {}

    // The quota of a link with these effective shares.
    std::uint64_t quota(const Shares& effective, Resource resource) const;
    // Charges amount to the grant's leaf and all its ancestors, or nothing (NoSpace).
    Status charge(const EffectiveGrant& grant, Resource resource, std::uint64_t amount);
    // Gives back an earlier charge (e.g. on delete); InvalidArgument if more than charged.
    Status release(const EffectiveGrant& grant, Resource resource, std::uint64_t amount);
    // Current usage of a link's subtree.
    std::uint64_t used(const LinkHash& link, Resource resource) const;
    // Links with non-zero usage (for the admin service).
    std::size_t trackedLinks() const { return m_used.size(); }

private:
    std::uint64_t capacityOf(Resource resource) const;

    Capacity m_capacity;
    std::map<LinkHash, std::array<std::uint64_t, 3>> m_used;
};

} // namespace hive::wire
