#include "friendrequest.h"

#include "codec.h"
#include "contactcard.h"

#include <sodium.h>

namespace hive::wire {

namespace {

// Domain separation from cards, grants and everything else the identity key signs.
constexpr std::string_view SignaturePrefix {"hive friend request v1\0", 23};
constexpr std::string_view MailboxDomain = "hive-requests-v1";

bool isCanonicalNode(const NodeAddress& node)
{
    auto again = NodeAddress::parse(node.toString());
    return again.ok() && *again == node;
}

void ensureSodium()
{
    // Only fails without an entropy source, where nothing in Hive can work.
    if (sodium_init() < 0)
        __builtin_trap();
}

} // namespace

Bytes FriendRequest::signedBytes() const
{
    Writer w;
    w.fixed(asBytes(SignaturePrefix));
    w.u8(version);
    w.fixed(recipient);
    w.bytes(inviteSecret);
    w.fixed(sender);
    w.text(displayName);
    w.boolean(node.has_value());
    if (node) {
        w.fixed(node->key);
        w.text(node->host);
        w.u16(node->port);
    }
    w.u64(sentAt);
    w.boolean(scannedInPerson);
    return w.take();
}

Bytes FriendRequest::encode() const
{
    Bytes out = signedBytes();
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(SignaturePrefix.size()));
    out.insert(out.end(), signature.begin(), signature.end());
    return out;
}

Result<FriendRequest> FriendRequest::decode(ByteView bytes)
{
    if (bytes.size() > MaxEncodedSize)
        return Error(ErrorCode::TooLarge, "the friend request is longer than any valid one");
    if (!bytes.empty() && bytes[0] != CurrentVersion)
        return Error(ErrorCode::Unsupported, "the friend request has a version this Hive does not know");
    Reader r(bytes, Limits {.maxBytes = ContactCard::MaxDisplayNameBytes, .maxList = 0, .maxDepth = 1});
    FriendRequest q;
    q.version = r.u8();
    r.fixed(q.recipient);
    q.inviteSecret = r.bytes(ContactCard::MaxInviteSecret);
    r.fixed(q.sender);
    q.displayName = r.text(ContactCard::MaxDisplayNameBytes);
    if (r.boolean()) {
        NodeAddress node;
        r.fixed(node.key);
        node.host = r.text(ContactCard::MaxHostBytes);
        node.port = r.u16();
        q.node = std::move(node);
    }
    q.sentAt = r.u64();
    q.scannedInPerson = r.boolean();
    r.fixed(q.signature);
    HIVE_CHECK(r.finish());
    if (q.inviteSecret.size() < ContactCard::MinInviteSecret)
        return Error(ErrorCode::Malformed, "the friend request's invite secret is too short");
    if (!isValidCardDisplayName(q.displayName))
        return Error(ErrorCode::Malformed, "the friend request's display name is not acceptable");
    if (q.node && !isCanonicalNode(*q.node))
        return Error(ErrorCode::Malformed, "the friend request's node address is not valid");
    if (!q.hasValidSignature())
        return Error(ErrorCode::Crypto, "the friend request's signature does not match its sender");
    return q;
}

Status FriendRequest::sign(const SigningKey& key)
{
    if (key.publicKey != sender)
        return Error(ErrorCode::InvalidArgument, "the signing key is not the request's sender");
    signature = key.sign(signedBytes());
    return success();
}

bool FriendRequest::hasValidSignature() const { return verifySignature(sender, signedBytes(), signature); }

Result<Bytes> FriendRequest::seal() const
{
    ensureSodium();
    std::array<std::uint8_t, 32> x25519 {};
    if (crypto_sign_ed25519_pk_to_curve25519(x25519.data(), recipient.data()) != 0)
        return Error(ErrorCode::Crypto, "the recipient's identity key is not a valid public key");
    const Bytes plain = encode();
    Bytes sealed(plain.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(sealed.data(), plain.data(), plain.size(), x25519.data()) != 0)
        return Error(ErrorCode::Crypto, "the friend request could not be sealed");
    return sealed;
}

Result<FriendRequest> FriendRequest::open(ByteView sealed, const std::array<std::uint8_t, 32>& x25519Public,
                                          const std::array<std::uint8_t, 32>& x25519Secret,
                                          const SigningPublicKey& recipientIdentity)
{
    ensureSodium();
    if (sealed.size() <= crypto_box_SEALBYTES || sealed.size() > MaxEncodedSize + crypto_box_SEALBYTES)
        return Error(ErrorCode::Malformed, "the sealed friend request has an impossible length");
    Bytes plain(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), x25519Public.data(), x25519Secret.data()) != 0)
        return Error(ErrorCode::Crypto, "the friend request is not sealed to this identity");
    auto request = decode(plain);
    sodium_memzero(plain.data(), plain.size());
    if (!request)
        return request.error();
    if (request->recipient != recipientIdentity)
        return Error(ErrorCode::PermissionDenied, "the friend request is meant for someone else");
    return request;
}

std::array<std::uint8_t, 32> requestsMailbox(const SigningPublicKey& identity)
{
    ensureSodium();
    std::array<std::uint8_t, 32> out {};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, out.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(MailboxDomain.data()), MailboxDomain.size());
    crypto_generichash_update(&state, identity.data(), identity.size());
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

} // namespace hive::wire
