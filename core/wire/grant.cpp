#include "grant.h"

#include "codec.h"

#include <sodium.h>

#include <algorithm>

namespace hive::wire {

namespace {

// Domain separation: a signature over a grant link can never be replayed as a signature
// over anything else Hive signs (and vice versa). The trailing NUL ends the prefix.
constexpr std::string_view LinkDomain {"hive grant link v1\0", 19};
constexpr std::string_view RevocationDomain {"hive revocation v1\0", 19};

// sodium_init only fails when the system has no randomness source; signing and verifying
// never need one, so the result is deliberately ignored here.
void ensureSodium()
{
    if (sodium_init() < 0)
        return;
}

void writeLinkFields(Writer& w, const GrantLink& l)
{
    w.u8(l.version).fixed(l.node).fixed(l.issuer).fixed(l.audience).fixed(l.parent);
    w.u64(l.notBefore).u64(l.notAfter).u8(l.depth);
    w.u16(l.shares.storage).u16(l.shares.cpu).u16(l.shares.bandwidth);
}

void writeRevocationFields(Writer& w, const Revocation& r)
{
    w.u8(r.version).fixed(r.link).fixed(r.revoker).u64(r.time);
}

Shares multiply(const Shares& parent, const Shares& link)
{
    auto mul = [](std::uint16_t a, std::uint16_t b) {
        return static_cast<std::uint16_t>(std::uint32_t(a) * std::uint32_t(b) / FullShare);
    };
    return {mul(parent.storage, link.storage), mul(parent.cpu, link.cpu), mul(parent.bandwidth, link.bandwidth)};
}

ErrorCode codeOf(GrantError e)
{
    switch (e) {
    case GrantError::ForgedSignature:
        return ErrorCode::Crypto;
    case GrantError::TooManyLinks:
        return ErrorCode::TooLarge;
    case GrantError::UnsupportedVersion:
        return ErrorCode::Unsupported;
    case GrantError::EmptyChain:
        return ErrorCode::Malformed;
    default:
        return ErrorCode::PermissionDenied;
    }
}

} // namespace

SigningKey SigningKey::generate()
{
    ensureSodium();
    SigningKey key;
    crypto_sign_keypair(key.publicKey.data(), key.secretKey.data());
    return key;
}

Result<SigningKey> SigningKey::fromSeed(ByteView seed)
{
    if (seed.size() != crypto_sign_SEEDBYTES)
        return Error(ErrorCode::InvalidArgument, "an Ed25519 seed is 32 bytes");
    ensureSodium();
    SigningKey key;
    crypto_sign_seed_keypair(key.publicKey.data(), key.secretKey.data(), seed.data());
    return key;
}

Signature SigningKey::sign(ByteView message) const
{
    Signature signature {};
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secretKey.data());
    return signature;
}

bool verifySignature(const SigningPublicKey& key, ByteView message, const Signature& signature)
{
    ensureSodium();
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

Bytes GrantLink::signedBytes() const
{
    Writer w;
    w.fixed(asBytes(LinkDomain));
    writeLinkFields(w, *this);
    return w.take();
}

Bytes GrantLink::encode() const
{
    Writer w;
    writeLinkFields(w, *this);
    w.fixed(signature);
    return w.take();
}

Result<GrantLink> GrantLink::decode(ByteView bytes)
{
    if (bytes.size() != EncodedSize) {
        Error e(ErrorCode::Malformed, "a grant link is 216 bytes, got ");
        return e.appendNumber(static_cast<std::int64_t>(bytes.size()));
    }
    Reader r(bytes);
    GrantLink l;
    l.version = r.u8();
    if (l.version != CurrentVersion) {
        Error e(ErrorCode::Unsupported, "grant link version ");
        return e.appendNumber(l.version).append(" is not supported (this build knows version 1)");
    }
    r.fixed(l.node);
    r.fixed(l.issuer);
    r.fixed(l.audience);
    r.fixed(l.parent);
    l.notBefore = r.u64();
    l.notAfter = r.u64();
    l.depth = r.u8();
    l.shares.storage = r.u16();
    l.shares.cpu = r.u16();
    l.shares.bandwidth = r.u16();
    r.fixed(l.signature);
    HIVE_CHECK(r.finish());
    return l;
}

Status GrantLink::sign(const SigningKey& key)
{
    if (key.publicKey != issuer)
        return Error(ErrorCode::InvalidArgument, "the signing key is not the link's issuer");
    signature = key.sign(signedBytes());
    return success();
}

bool GrantLink::hasValidSignature() const { return verifySignature(issuer, signedBytes(), signature); }

LinkHash GrantLink::hash() const
{
    const Bytes bytes = encode();
    LinkHash h {};
    crypto_generichash_blake2b(h.data(), h.size(), bytes.data(), bytes.size(), nullptr, 0);
    return h;
}

Bytes GrantChain::encode() const
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(links.size()));
    for (const auto& l : links)
        w.fixed(l.encode());
    return w.take();
}

Result<GrantChain> GrantChain::decode(ByteView bytes)
{
    Reader r(bytes);
    const std::uint8_t count = r.u8();
    if (!r.ok())
        return r.error();
    if (count == 0)
        return Error(ErrorCode::Malformed, "a grant chain needs at least one link");
    if (count > MaxChainLinks) {
        Error e(ErrorCode::TooLarge, "grant chain has ");
        return e.appendNumber(count).append(" links; at most 8 are allowed");
    }
    GrantChain chain;
    chain.links.reserve(count);
    std::array<std::uint8_t, GrantLink::EncodedSize> raw {};
    for (std::uint8_t i = 0; i < count; ++i) {
        r.fixed(raw);
        if (!r.ok())
            return r.error();
        auto link = GrantLink::decode(raw);
        if (!link) {
            Error e(link.error().code(), "grant link ");
            e.appendNumber(i).append(": ").append(link.error().messageView());
            return e;
        }
        chain.links.push_back(link.release());
    }
    HIVE_CHECK(r.finish());
    return chain;
}

Revocation Revocation::create(const LinkHash& link, const SigningKey& key, std::uint64_t time)
{
    Revocation r;
    r.link = link;
    r.revoker = key.publicKey;
    r.time = time;
    r.signature = key.sign(r.signedBytes());
    return r;
}

Bytes Revocation::signedBytes() const
{
    Writer w;
    w.fixed(asBytes(RevocationDomain));
    writeRevocationFields(w, *this);
    return w.take();
}

Bytes Revocation::encode() const
{
    Writer w;
    writeRevocationFields(w, *this);
    w.fixed(signature);
    return w.take();
}

Result<Revocation> Revocation::decode(ByteView bytes)
{
    if (bytes.size() != EncodedSize) {
        Error e(ErrorCode::Malformed, "a revocation is 137 bytes, got ");
        return e.appendNumber(static_cast<std::int64_t>(bytes.size()));
    }
    Reader r(bytes);
    Revocation v;
    v.version = r.u8();
    if (v.version != CurrentVersion) {
        Error e(ErrorCode::Unsupported, "revocation version ");
        return e.appendNumber(v.version).append(" is not supported (this build knows version 1)");
    }
    r.fixed(v.link);
    r.fixed(v.revoker);
    v.time = r.u64();
    r.fixed(v.signature);
    HIVE_CHECK(r.finish());
    return v;
}

bool Revocation::hasValidSignature() const { return verifySignature(revoker, signedBytes(), signature); }

Result<bool> RevocationSet::add(const Revocation& revocation)
{
    if (revocation.version != Revocation::CurrentVersion)
        return Error(ErrorCode::Unsupported, "revocation version is not supported");
    if (!revocation.hasValidSignature())
        return Error(ErrorCode::Crypto, "revocation signature does not verify against its revoker key");
    auto& revokers = m_byLink[revocation.link];
    if (std::find(revokers.begin(), revokers.end(), revocation.revoker) != revokers.end())
        return false;
    revokers.push_back(revocation.revoker);
    m_log.push_back(revocation);
    return true;
}

bool RevocationSet::revokedBy(const LinkHash& link, std::span<const SigningPublicKey> revokers) const
{
    auto it = m_byLink.find(link);
    if (it == m_byLink.end())
        return false;
    for (const auto& who : it->second)
        if (std::find(revokers.begin(), revokers.end(), who) != revokers.end())
            return true;
    return false;
}

std::string_view grantErrorName(GrantError error)
{
    switch (error) {
    case GrantError::None: return "none";
    case GrantError::EmptyChain: return "empty-chain";
    case GrantError::TooManyLinks: return "too-many-links";
    case GrantError::UnsupportedVersion: return "unsupported-version";
    case GrantError::WrongNode: return "wrong-node";
    case GrantError::RootNotOwner: return "root-not-owner";
    case GrantError::WrongParent: return "wrong-parent";
    case GrantError::WrongAudience: return "wrong-audience";
    case GrantError::ForgedSignature: return "forged-signature";
    case GrantError::WidenedShare: return "widened-share";
    case GrantError::InvalidWindow: return "invalid-window";
    case GrantError::ExtendedExpiry: return "extended-expiry";
    case GrantError::EarlierStart: return "earlier-start";
    case GrantError::ExceededDepth: return "exceeded-depth";
    case GrantError::NotYetValid: return "not-yet-valid";
    case GrantError::Expired: return "expired";
    case GrantError::Revoked: return "revoked";
    }
    return "unknown";
}

Result<EffectiveGrant> verifyChain(const GrantChain& chain, const SigningPublicKey& owner, const NodeKey& node,
                                   std::uint64_t now, const RevocationSet& revocations, GrantError* why)
{
    if (why)
        *why = GrantError::None;
    auto reject = [why](GrantError reason, std::size_t index, std::string_view text) {
        if (why)
            *why = reason;
        Error e(codeOf(reason), "grant link ");
        e.appendNumber(static_cast<std::int64_t>(index)).append(": ").append(text);
        e.append(" [").append(grantErrorName(reason)).append("]");
        return e;
    };
    if (chain.links.empty())
        return reject(GrantError::EmptyChain, 0, "the chain has no links");
    if (chain.links.size() > MaxChainLinks)
        return reject(GrantError::TooManyLinks, MaxChainLinks, "the chain has more than 8 links");

    EffectiveGrant grant;
    grant.path.reserve(chain.links.size());
    // Who may revoke link i: the owner and every issuer from the root down to link i.
    std::array<SigningPublicKey, MaxChainLinks + 1> revokers {};
    revokers[0] = owner;
    Shares effective {FullShare, FullShare, FullShare};

    for (std::size_t i = 0; i < chain.links.size(); ++i) {
        const GrantLink& link = chain.links[i];
        if (link.version != GrantLink::CurrentVersion)
            return reject(GrantError::UnsupportedVersion, i, "unknown link version");
        if (link.node != node)
            return reject(GrantError::WrongNode, i, "the link is for another node");
        if (i == 0) {
            if (link.issuer != owner)
                return reject(GrantError::RootNotOwner, i, "the root link is not issued by the node's owner");
            if (link.parent != LinkHash {})
                return reject(GrantError::WrongParent, i, "the root link must have an all-zero parent hash");
        } else {
            const GrantLink& parent = chain.links[i - 1];
            if (link.issuer != parent.audience)
                return reject(GrantError::WrongAudience, i, "its issuer is not the audience of the link above");
            if (link.parent != grant.path.back().link)
                return reject(GrantError::WrongParent, i, "its parent hash is not the hash of the link above");
        }
        if (!link.hasValidSignature())
            return reject(GrantError::ForgedSignature, i, "the issuer's signature does not verify");
        if (link.shares.storage > FullShare || link.shares.cpu > FullShare || link.shares.bandwidth > FullShare)
            return reject(GrantError::WidenedShare, i, "a share exceeds 10000 basis points of what its parent gave");
        if (link.notBefore >= link.notAfter)
            return reject(GrantError::InvalidWindow, i, "its validity window is empty (notBefore >= notAfter)");
        if (i > 0) {
            const GrantLink& parent = chain.links[i - 1];
            if (link.notAfter > parent.notAfter)
                return reject(GrantError::ExtendedExpiry, i, "it expires after the link above");
            if (link.notBefore < parent.notBefore)
                return reject(GrantError::EarlierStart, i, "it starts before the link above");
            if (parent.depth == 0)
                return reject(GrantError::ExceededDepth, i, "the link above (depth 0) may not be delegated further");
            if (link.depth >= parent.depth)
                return reject(GrantError::ExceededDepth, i, "its depth is not below the depth of the link above");
        }
        if (now < link.notBefore)
            return reject(GrantError::NotYetValid, i, "it is not valid yet");
        if (now >= link.notAfter)
            return reject(GrantError::Expired, i, "it has expired");

        const LinkHash hash = link.hash();
        revokers[i + 1] = link.issuer;
        if (revocations.revokedBy(hash, std::span<const SigningPublicKey>(revokers.data(), i + 2)))
            return reject(GrantError::Revoked, i, "it was revoked by its owner or an issuer above it");

        effective = multiply(effective, link.shares);
        grant.path.push_back({hash, effective});
    }

    const GrantLink& last = chain.links.back();
    grant.holder = last.audience;
    grant.shares = effective;
    grant.notBefore = last.notBefore;
    grant.notAfter = last.notAfter;
    grant.depth = last.depth;
    return grant;
}

std::uint64_t applyShare(std::uint64_t value, std::uint16_t share)
{
    // value = q * 10000 + r, so value * share / 10000 = q * share + r * share / 10000 exactly,
    // and neither product overflows.
    const std::uint64_t q = value / FullShare;
    const std::uint64_t r = value % FullShare;
    return q * share + r * share / FullShare;
}

std::uint64_t UsageLedger::capacityOf(Resource resource) const
{
    switch (resource) {
    case Resource::Storage: return m_capacity.storage;
    case Resource::Cpu: return m_capacity.cpu;
    case Resource::Bandwidth: return m_capacity.bandwidth;
    }
    return 0;
}

std::uint64_t UsageLedger::quota(const Shares& effective, Resource resource) const
{
    const std::uint16_t share = resource == Resource::Storage ? effective.storage
        : resource == Resource::Cpu                           ? effective.cpu
                                                              : effective.bandwidth;
    return applyShare(capacityOf(resource), share);
}

Status UsageLedger::charge(const EffectiveGrant& grant, Resource resource, std::uint64_t amount)
{
    if (grant.path.empty())
        return Error(ErrorCode::InvalidArgument, "charge needs a verified grant");
    const auto index = static_cast<std::size_t>(resource);
    // Check the whole path first so a refused charge changes nothing.
    for (std::size_t i = 0; i < grant.path.size(); ++i) {
        const auto& entry = grant.path[i];
        auto it = m_used.find(entry.link);
        const std::uint64_t used = it == m_used.end() ? 0 : it->second[index];
        const std::uint64_t limit = quota(entry.effective, resource);
        if (amount > limit || used > limit - amount) {
            Error e(ErrorCode::NoSpace, "quota of grant link ");
            e.appendNumber(static_cast<std::int64_t>(i)).append(" exceeded: ");
            e.appendNumber(static_cast<std::int64_t>(used)).append(" used + ");
            e.appendNumber(static_cast<std::int64_t>(amount)).append(" requested > ");
            return e.appendNumber(static_cast<std::int64_t>(limit)).append(" allowed");
        }
    }
    for (const auto& entry : grant.path)
        m_used[entry.link][index] += amount;
    return success();
}

Status UsageLedger::release(const EffectiveGrant& grant, Resource resource, std::uint64_t amount)
{
    if (grant.path.empty())
        return Error(ErrorCode::InvalidArgument, "release needs a verified grant");
    const auto index = static_cast<std::size_t>(resource);
    for (const auto& entry : grant.path) {
        auto it = m_used.find(entry.link);
        if (it == m_used.end() || it->second[index] < amount)
            return Error(ErrorCode::InvalidArgument, "release of more than was charged to this grant");
    }
    for (const auto& entry : grant.path) {
        auto it = m_used.find(entry.link);
        it->second[index] -= amount;
        if (it->second == std::array<std::uint64_t, 3> {})
            m_used.erase(it); // keep only links that use something
    }
    return success();
}

std::uint64_t UsageLedger::used(const LinkHash& link, Resource resource) const
{
    auto it = m_used.find(link);
    return it == m_used.end() ? 0 : it->second[static_cast<std::size_t>(resource)];
}

} // namespace hive::wire
