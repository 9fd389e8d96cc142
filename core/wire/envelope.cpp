#include "envelope.h"

#include "codec.h"

#include <sodium.h>

namespace hive::wire {

namespace {

// Domain separation from cards, requests, grants and everything else the identity key signs.
constexpr std::string_view NotePrefix {"hive note v1\0", 13};
constexpr std::string_view InboxDomain = "hive-inbox-v1";

void ensureSodium()
{
    // Only fails without an entropy source, where nothing in Hive can work.
    if (sodium_init() < 0)
        __builtin_trap();
}

bool knownKind(std::uint8_t kind)
{
    return kind >= static_cast<std::uint8_t>(EnvelopeKind::Note)
        && kind <= static_cast<std::uint8_t>(EnvelopeKind::FriendRequest);
}

bool knownNoteType(std::uint8_t type)
{
    return type >= static_cast<std::uint8_t>(NoteType::RequestAccepted)
        && type <= static_cast<std::uint8_t>(NoteType::Revocation);
}

std::array<std::uint8_t, 32> hashOf(ByteView bytes)
{
    std::array<std::uint8_t, 32> out {};
    crypto_generichash(out.data(), out.size(), bytes.data(), bytes.size(), nullptr, 0);
    return out;
}

} // namespace

std::string_view envelopeKindName(EnvelopeKind kind)
{
    switch (kind) {
    case EnvelopeKind::Note: return "note";
    case EnvelopeKind::Signal: return "signal";
    case EnvelopeKind::FriendRequest: return "friend-request";
    }
    return "unknown";
}

Result<Bytes> sealEnvelope(EnvelopeKind kind, ByteView body, const SigningPublicKey& recipient)
{
    ensureSodium();
    if (!knownKind(static_cast<std::uint8_t>(kind)))
        return Error(ErrorCode::InvalidArgument, "unknown envelope kind");
    if (body.size() > MaxEnvelopeBody)
        return Error(ErrorCode::TooLarge, "the envelope body is larger than a mailbox message may be");
    std::array<std::uint8_t, 32> x25519 {};
    if (crypto_sign_ed25519_pk_to_curve25519(x25519.data(), recipient.data()) != 0)
        return Error(ErrorCode::Crypto, "the recipient's identity key is not a valid public key");
    Writer w;
    w.u8(EnvelopeVersion).u8(static_cast<std::uint8_t>(kind)).bytes(body);
    Bytes plain = w.take();
    Bytes sealed(plain.size() + crypto_box_SEALBYTES);
    const int rc = crypto_box_seal(sealed.data(), plain.data(), plain.size(), x25519.data());
    sodium_memzero(plain.data(), plain.size());
    if (rc != 0)
        return Error(ErrorCode::Crypto, "the envelope could not be sealed");
    return sealed;
}

Result<OpenedEnvelope> openEnvelope(ByteView sealed, const std::array<std::uint8_t, 32>& x25519Public,
                                    const std::array<std::uint8_t, 32>& x25519Secret)
{
    ensureSodium();
    if (sealed.size() < crypto_box_SEALBYTES + 3 || sealed.size() > MaxEnvelopeBody + 5 + crypto_box_SEALBYTES)
        return Error(ErrorCode::Malformed, "the envelope has an impossible length");
    Bytes plain(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plain.data(), sealed.data(), sealed.size(), x25519Public.data(), x25519Secret.data()) != 0)
        return Error(ErrorCode::Crypto, "the envelope is not sealed to this identity");
    auto opened = decodeEnvelopeContent(plain);
    sodium_memzero(plain.data(), plain.size());
    return opened;
}

Result<OpenedEnvelope> decodeEnvelopeContent(ByteView plain)
{
    Reader r(plain, Limits {.maxBytes = MaxEnvelopeBody, .maxList = 0, .maxDepth = 1});
    const std::uint8_t version = r.u8();
    const std::uint8_t kind = r.u8();
    OpenedEnvelope opened;
    opened.body = r.bytes(MaxEnvelopeBody);
    if (r.ok() && version != EnvelopeVersion)
        return Error(ErrorCode::Unsupported, "the envelope has a version this Hive does not know");
    HIVE_CHECK(r.finish());
    if (!knownKind(kind))
        return Error(ErrorCode::Unsupported, "the envelope has a kind this Hive does not know");
    opened.kind = static_cast<EnvelopeKind>(kind);
    return opened;
}

std::array<std::uint8_t, 32> inboxMailbox(const SigningPublicKey& identity)
{
    ensureSodium();
    std::array<std::uint8_t, 32> out {};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, out.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(InboxDomain.data()), InboxDomain.size());
    crypto_generichash_update(&state, identity.data(), identity.size());
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

Bytes Note::signedBytes() const
{
    Writer w;
    w.fixed(asBytes(NotePrefix));
    w.u8(version);
    w.fixed(sender);
    w.fixed(recipient);
    w.u64(sentAt);
    w.u8(static_cast<std::uint8_t>(type));
    w.bytes(content);
    return w.take();
}

Bytes Note::encode() const
{
    Bytes out = signedBytes();
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(NotePrefix.size()));
    out.insert(out.end(), signature.begin(), signature.end());
    return out;
}

Result<Note> Note::decode(ByteView bytes)
{
    if (!bytes.empty() && bytes[0] != CurrentVersion)
        return Error(ErrorCode::Unsupported, "the note has a version this Hive does not know");
    Reader r(bytes, Limits {.maxBytes = MaxContent, .maxList = 0, .maxDepth = 1});
    Note note;
    note.version = r.u8();
    r.fixed(note.sender);
    r.fixed(note.recipient);
    note.sentAt = r.u64();
    const std::uint8_t type = r.u8();
    note.content = r.bytes(MaxContent);
    r.fixed(note.signature);
    HIVE_CHECK(r.finish());
    if (!knownNoteType(type))
        return Error(ErrorCode::Unsupported, "the note has a type this Hive does not know");
    note.type = static_cast<NoteType>(type);
    if (!note.hasValidSignature())
        return Error(ErrorCode::Crypto, "the note's signature does not match its sender");
    return note;
}

Status Note::sign(const SigningKey& key)
{
    if (key.publicKey != sender)
        return Error(ErrorCode::InvalidArgument, "the signing key is not the note's sender");
    signature = key.sign(signedBytes());
    return success();
}

bool Note::hasValidSignature() const { return verifySignature(sender, signedBytes(), signature); }

std::array<std::uint8_t, 32> Note::contentId() const
{
    ensureSodium();
    return hashOf(encode());
}

} // namespace hive::wire
