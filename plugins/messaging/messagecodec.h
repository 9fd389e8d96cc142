// What travels inside a Signal session: the plaintext message encoding (Payload), and the
// Signal body that an EnvelopeKind::Signal envelope carries (SignalBody). Qt-free and
// total (wire/codec.h), so it is fuzzed like every other decoder.
//
// SignalBody (s2-contracts [inbox]): fixed(32) sender Ed25519 key | u32 sender device |
//   u8 type (2 whisper, 3 prekey, 4 sender key) | bytes ciphertext. For type 4 the
//   ciphertext is a GroupCiphertext: fixed(16) group id | bytes sender-key message.
//
// Payload, version 1:
//   u8 version | fixed(16) uid | u64 sentAt (ms) | u8 kind | bool hasGroup [fixed(16) group]
//   | u32 expireSeconds | kind body
//   Text        text
//   File        text caption | text fileName | text mimeType | u64 size | u32 chunkSize
//               | bytes key(32) | fixed(32) hash | list fixed(32) chunk ids | bytes thumbnail
//   Receipt     u8 receipt type | list fixed(16) uids
//   Typing      bool typing
//   GroupUpdate text name | list fixed(32) members (the whole membership, sender included)
//   ExpireTimer (nothing: expireSeconds is the new timer)
//   SenderKey   bytes sender-key distribution message
#pragma once

#include "wire/bytes.h"
#include "wire/result.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hive::messaging {

using Uid = std::array<std::uint8_t, 16>;
using GroupId = std::array<std::uint8_t, 16>;
using Key32 = std::array<std::uint8_t, 32>;

inline constexpr std::uint8_t PayloadVersion = 1;
inline constexpr std::size_t MaxTextBytes = 64 * 1024;
inline constexpr std::size_t MaxGroupMembers = 256;
inline constexpr std::size_t MaxReceiptUids = 1024;
inline constexpr std::size_t MaxChunks = 1 << 16;        // 64 GiB at 1 MiB chunks
inline constexpr std::size_t MaxThumbnailBytes = 48 * 1024;
inline constexpr std::size_t MaxSignalCiphertext = 512 * 1024;

enum class PayloadKind : std::uint8_t { Text = 1, File = 2, Receipt = 3, Typing = 4, GroupUpdate = 5, ExpireTimer = 6, SenderKey = 7 };
enum class ReceiptType : std::uint8_t { Delivered = 1, Read = 2 };
enum class SignalType : std::uint8_t { Whisper = 2, PreKey = 3, SenderKey = 4 };

// An attachment as the message describes it: where its encrypted chunks are on the
// sender's node and how to decrypt and check them.
struct FileInfo {
    std::string fileName;
    std::string mimeType;
    std::uint64_t size = 0;
    std::uint32_t chunkSize = 0;
    Bytes key;                 // 32-byte secretstream key
    Key32 hash {};             // BLAKE2b-256 of the plaintext file
    std::vector<Key32> chunks; // object ids, in order
    Bytes thumbnail;           // small JPEG/PNG preview for images, or empty
};

struct Payload {
    Uid uid {};
    std::uint64_t sentAt = 0;
    PayloadKind kind = PayloadKind::Text;
    std::optional<GroupId> group;
    std::uint32_t expireSeconds = 0;
    std::string text;              // Text; caption of File; group name of GroupUpdate
    std::optional<FileInfo> file;  // File
    ReceiptType receipt = ReceiptType::Delivered;
    std::vector<Uid> receiptUids;  // Receipt
    bool typing = false;           // Typing
    std::vector<Key32> members;    // GroupUpdate
    Bytes senderKey;               // SenderKey

    Bytes encode() const;
    static Result<Payload> decode(ByteView data);
};

struct SignalBody {
    Key32 sender {};
    std::uint32_t senderDevice = 0;
    SignalType type = SignalType::Whisper;
    Bytes ciphertext;

    Bytes encode() const;
    static Result<SignalBody> decode(ByteView data);
};

struct GroupCiphertext {
    GroupId group {};
    Bytes message;

    Bytes encode() const;
    static Result<GroupCiphertext> decode(ByteView data);
};

} // namespace hive::messaging

namespace hive::messaging {

// What a device publishes to its own node's directory (DirectoryKind::PrekeyBundle): the
// signed prekey, and the binding of device and registration id to the person, signed by
// the person's Ed25519 identity key. libsignal itself checks the signed prekey's XEdDSA
// signature against the X25519 form of the same identity key.
//   fixed(32) identity | u32 deviceId | u32 registrationId | u32 signedPrekeyId
//   | bytes signedPrekey (33) | bytes signedPrekeySignature (64) | u64 createdAt
//   | fixed(64) Ed25519 signature over "hive-prekey-bundle-v1" || the fields before it
struct PrekeyBundle {
    Key32 identity {};
    std::uint32_t deviceId = 0;
    std::uint32_t registrationId = 0;
    std::uint32_t signedPrekeyId = 0;
    Bytes signedPrekey;
    Bytes signedPrekeySignature;
    std::uint64_t createdAt = 0;
    std::array<std::uint8_t, 64> signature {};

    // The bytes the identity key signs.
    Bytes signedBytes() const;
    Bytes encode() const;
    static Result<PrekeyBundle> decode(ByteView data);
};

// One one-time prekey as published and taken singly: u32 id | bytes public key (33).
struct OneTimePrekey {
    std::uint32_t id = 0;
    Bytes publicKey;

    Bytes encode() const;
    static Result<OneTimePrekey> decode(ByteView data);
};

} // namespace hive::messaging
