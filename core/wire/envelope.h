// Envelopes: what friends leave in a person's mailboxes on that person's node
// (docs/trust.md, "Inbox and outbox"). The node sees only the mailbox id, the size and the
// time; everything else is sealed to the recipient.
//
// Mailboxes of a person P (P's Ed25519 identity key):
//   requestsMailbox(P)  BLAKE2b-256("hive-requests-v1" || P)  friend requests (friendrequest.h),
//                       posted with the card's invite secret
//   inboxMailbox(P)     BLAKE2b-256("hive-inbox-v1" || P)     everything friends send later
//
// Sealed envelope: crypto_box_seal to the X25519 form of P's identity key of
//     u8 version (1) | u8 kind | bytes body
// in the canonical codec (codec.h). Kinds: Note (a signed Note below: grants, revocations,
// "request accepted"), Signal (messaging's: sender identity[32] | u32 senderDevice |
// u8 signalType | bytes ciphertext; the Signal session authenticates it) and FriendRequest
// (a FriendRequest encoding, which the sender signs; only in the requests mailbox).
//
// Note encoding (canonical codec):
//     u8 version (1) | sender[32] | recipient[32] | u64 sentAt | u8 type | bytes content
//     | signature[64]
// signed by `sender` (Ed25519) over "hive note v1\0" followed by every field before the
// signature. Naming the recipient stops a recipient from passing a note on to a third
// person as if it had been meant for them. A note's content id is BLAKE2b-256 of its
// encoding; receivers dedupe by it (an envelope may be delivered twice).
#pragma once

#include "bytes.h"
#include "grant.h"
#include "result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hive::wire {

enum class EnvelopeKind : std::uint8_t { Note = 1, Signal = 2, FriendRequest = 3 };

// Stable short name of a kind, for logs.
std::string_view envelopeKindName(EnvelopeKind kind);

inline constexpr std::uint8_t EnvelopeVersion = 1;
inline constexpr std::size_t EnvelopeSealOverhead = 48; // crypto_box_SEALBYTES
// The node refuses mailbox messages above 64 KiB (nodeprotocol.h MaxEnvelope); version,
// kind and the longest length prefix take 5 bytes.
inline constexpr std::size_t MaxEnvelopeBody = 64 * 1024 - EnvelopeSealOverhead - 5;

struct OpenedEnvelope {
    EnvelopeKind kind = EnvelopeKind::Note;
    Bytes body;
};

// The body sealed to `recipient` (anyone can seal, only the recipient can open).
Result<Bytes> sealEnvelope(EnvelopeKind kind, ByteView body, const SigningPublicKey& recipient);
// Opens an envelope with the recipient's X25519 key pair: Crypto if it is not sealed to
// it, Malformed/Unsupported if what is inside is not an envelope this build knows.
Result<OpenedEnvelope> openEnvelope(ByteView sealed, const std::array<std::uint8_t, 32>& x25519Public,
                                    const std::array<std::uint8_t, 32>& x25519Secret);

// Decodes what is inside the seal (version, kind, body); total, for the fuzzer and openEnvelope.
Result<OpenedEnvelope> decodeEnvelopeContent(ByteView plain);

// The mailbox everything but friend requests to `identity` goes to.
std::array<std::uint8_t, 32> inboxMailbox(const SigningPublicKey& identity);

// What a Note says.
enum class NoteType : std::uint8_t {
    RequestAccepted = 1, // content: empty; the sender accepted the recipient's friend request
    Grant = 2,           // content: GrantChain::encode(), the chain ending at the recipient
    Revocation = 3,      // content: Revocation::encode() of a link the recipient held
};

struct Note {
    static constexpr std::uint8_t CurrentVersion = 1;
    static constexpr std::size_t MaxContent = 4096;

    std::uint8_t version = CurrentVersion;
    SigningPublicKey sender {};
    SigningPublicKey recipient {};
    std::uint64_t sentAt = 0;
    NoteType type = NoteType::RequestAccepted;
    Bytes content;
    Signature signature {};

    // Domain prefix + every field but the signature.
    Bytes signedBytes() const;
    Bytes encode() const;
    // Decodes and checks bounds, the type and the sender's signature (Crypto if forged).
    static Result<Note> decode(ByteView bytes);
    // Signs with the sender's key (InvalidArgument if it is not `sender`'s pair).
    Status sign(const SigningKey& key);
    bool hasValidSignature() const;
    // BLAKE2b-256 of encode(): what receivers dedupe by.
    std::array<std::uint8_t, 32> contentId() const;

    bool operator==(const Note&) const = default;
};

} // namespace hive::wire
