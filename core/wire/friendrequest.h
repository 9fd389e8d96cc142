// Friend requests: what adding someone's card sends to them. The request names the card's
// owner and carries the card's single-use invite secret (which authorises it), introduces
// the sender the way a card does (identity key, name, node), and is signed by the sender's
// identity key. It travels sealed (libsodium crypto_box_seal to the X25519 form of the
// recipient's identity key) in the recipient's requests mailbox, whose id everyone who
// holds the card can derive: BLAKE2b-256("hive-requests-v1" || recipient identity key).
//
// Encoding (canonical codec of codec.h, fields in this order):
//     u8 version (1) | recipient[32] | bytes inviteSecret (16..32) | sender[32]
//     | text displayName | bool hasNode [ | nodeKey[32] | text host | u16 port ]
//     | u64 sentAt | bool scannedInPerson | signature[64]
// The signature is Ed25519 by `sender` over "hive friend request v1\0" followed by every
// field before it. scannedInPerson says the sender read the card from a QR code in front
// of the recipient; it is information for the recipient, not proof.
#pragma once

#include "bytes.h"
#include "grant.h"
#include "nodeaddress.h"
#include "result.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace hive::wire {

struct FriendRequest {
    static constexpr std::uint8_t CurrentVersion = 1;
    static constexpr std::size_t MaxEncodedSize = 1024;
    static constexpr std::size_t SealOverhead = 48; // crypto_box_SEALBYTES

    std::uint8_t version = CurrentVersion;
    SigningPublicKey recipient {};
    Bytes inviteSecret;
    SigningPublicKey sender {};
    std::string displayName;
    std::optional<NodeAddress> node;
    std::uint64_t sentAt = 0;
    bool scannedInPerson = false;
    Signature signature {};

    // Domain prefix + every field but the signature.
    Bytes signedBytes() const;
    Bytes encode() const;
    // Decodes and checks bounds and the sender's signature (Crypto error if forged).
    static Result<FriendRequest> decode(ByteView bytes);
    // Signs with the sender's key (InvalidArgument if it is not `sender`'s pair).
    Status sign(const SigningKey& key);
    bool hasValidSignature() const;

    // The encoding sealed to `recipient` (anyone can seal, only the recipient can open).
    Result<Bytes> seal() const;
    // Opens a sealed request with the recipient's X25519 key pair and decodes it; also
    // checks that it names `recipientIdentity` (a request sealed to us for someone else is
    // refused).
    static Result<FriendRequest> open(ByteView sealed, const std::array<std::uint8_t, 32>& x25519Public,
                                      const std::array<std::uint8_t, 32>& x25519Secret,
                                      const SigningPublicKey& recipientIdentity);

    bool operator==(const FriendRequest&) const = default;
};

// The mailbox id friend requests to `identity` are posted to.
std::array<std::uint8_t, 32> requestsMailbox(const SigningPublicKey& identity);

} // namespace hive::wire
