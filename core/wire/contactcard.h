// Contact cards: what a Hive QR code shows and a `hive:` link carries (ARCHITECTURE.md,
// "Trust network"). A card introduces a person: their Ed25519 identity key, the name they
// chose, their personal node's address, and a single-use invite secret (a Swiss number)
// that authorises exactly one friend request into that node's mailbox. The identity key
// signs the card, so a card cannot be altered in transit; it can only be copied, which the
// single-use secret and the expiry bound.
//
// Encoding (canonical codec of codec.h, fields in this order):
//     u8 version (1) | identityKey[32] | text displayName (<= 256 bytes, 1..64 code points)
//     | bool hasNode [ | nodeKey[32] | text host | u16 port ] | bytes inviteSecret (16..32)
//     | u64 expires | signature[64]
// The node address is stored structured (not as hive:// text) because the QR code is
// read by a phone camera and every byte makes its modules smaller.
// The signature is Ed25519 by identityKey over "hive contact card v1\0" followed by every
// field before it. Times are seconds since the Unix epoch; a card is usable while
// now < expires.
//
// URI: "hive:" followed by the base32 (RFC 4648, no padding) of the encoding. toUri()
// writes lower case for links people copy, or upper case for QR codes: upper-case base32
// and "HIVE:" are inside QR's alphanumeric character set, which packs 5.5 bits per
// character instead of 8 and makes the symbol about a third smaller. fromUri() accepts
// either case, and surrounding white space.
#pragma once

#include "bytes.h"
#include "grant.h"
#include "nodeaddress.h"
#include "result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hive::wire {

// Why a card was refused; each has its own message. Error codes: NotHiveCode ->
// InvalidArgument, Truncated/BadBase32/Malformed -> Malformed, WrongVersion -> Unsupported,
// BadSignature -> Crypto, Expired -> PermissionDenied.
enum class CardError : std::uint8_t {
    None = 0,
    NotHiveCode,  // the text does not start with "hive:"
    BadBase32,    // characters outside the base32 alphabet
    Truncated,    // the code is cut short (impossible base32 length, or bytes end inside a field)
    WrongVersion, // a card version this build does not know
    Malformed,    // a field out of its bounds, or trailing bytes
    BadSignature, // the identity key did not sign these bytes
    Expired,      // the card's expiry has passed
};

// Stable short name of a CardError, for logs and tests.
std::string_view cardErrorName(CardError error);

struct ContactCard {
    static constexpr std::uint8_t CurrentVersion = 1;
    static constexpr std::size_t MaxDisplayNameBytes = 256;
    static constexpr std::size_t MaxDisplayNameCodePoints = 64;
    static constexpr std::size_t MinInviteSecret = 16;
    static constexpr std::size_t MaxInviteSecret = 32;
    static constexpr std::size_t MaxHostBytes = 253;
    // Upper bound of an encoding (longest name, host and secret), so decoders can refuse
    // anything longer before doing work.
    static constexpr std::size_t MaxEncodedSize = 1 + 32 + 2 + MaxDisplayNameBytes + 1 + 32 + 2 + MaxHostBytes
        + 2 + 1 + MaxInviteSecret + 8 + 64;
    static constexpr std::string_view UriScheme = "hive:";

    enum class UriCase : std::uint8_t { Lower, Upper };

    std::uint8_t version = CurrentVersion;
    SigningPublicKey identityKey {};
    std::string displayName;
    std::optional<NodeAddress> node;
    Bytes inviteSecret;
    std::uint64_t expires = 0;
    Signature signature {};

    // The bytes the identity key signs: domain prefix + every field but the signature.
    Bytes signedBytes() const;
    // The canonical encoding (call after signing).
    Bytes encode() const;
    // Decodes and checks a card: structure, bounds, signature, and expiry against `now`.
    // On failure `why` (if given) receives the specific reason.
    static Result<ContactCard> decode(ByteView bytes, std::uint64_t now, CardError* why = nullptr);

    // "hive:<base32>" in the requested case.
    std::string toUri(UriCase letterCase = UriCase::Lower) const;
    // Parses a `hive:` URI (either case) and decodes the card as decode() does.
    static Result<ContactCard> fromUri(std::string_view uri, std::uint64_t now, CardError* why = nullptr);

    // Signs with `key` (InvalidArgument if it is not identityKey's pair).
    Status sign(const SigningKey& key);
    // True if `signature` is identityKey's signature over signedBytes().
    bool hasValidSignature() const;
    // Checks the fields a signer controls (name, host, secret length), so a bad card is
    // refused before it is signed rather than by every reader.
    Status validate() const;

    bool operator==(const ContactCard&) const = default;
};

// True if `name` is an acceptable display name: valid UTF-8 of at most 256 bytes, 1..64
// code points, no control characters, no leading or trailing space.
bool isValidCardDisplayName(std::string_view name);

} // namespace hive::wire
