// The Noise channel between a device and a node: Noise_IK_25519_ChaChaPoly_BLAKE2b
// (Noise specification revision 34) on libsodium, as a pure state machine. Nothing here
// touches a socket or a clock: bytes go in, bytes and state come out, so the same code runs
// in the app, in the hosted node and in a VM image, and is replayed against published test
// vectors.
//
// IK: the initiator (a device) already knows the responder's (the node's) static key from
// its address, so the handshake is one round trip and the first message is already
// encrypted to the node:
//     <- s
//     ...
//     -> e, es, s, ss
//     <- e, ee, se
// After the second message both sides call split() and get one CipherState per direction.
#pragma once

#include "bytes.h"
#include "result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hive::wire::noise {

inline constexpr std::string_view ProtocolName = "Noise_IK_25519_ChaChaPoly_BLAKE2b";
inline constexpr std::size_t DhSize = 32;     // X25519 keys and shared secrets
inline constexpr std::size_t HashSize = 64;   // BLAKE2b-512
inline constexpr std::size_t KeySize = 32;    // ChaCha20-Poly1305 key
inline constexpr std::size_t TagSize = 16;    // Poly1305 tag
inline constexpr std::size_t MaxMessage = 65535; // every Noise message, handshake or transport
inline constexpr std::size_t MaxPlaintext = MaxMessage - TagSize;

using PublicKey = std::array<std::uint8_t, DhSize>;

// Overwrites n bytes with zeros in a way the compiler cannot drop (sodium_memzero).
void wipeBytes(void* data, std::size_t n);

// N secret bytes that are wiped when they go away (copies are wiped too).
template <std::size_t N>
class Secret {
public:
    Secret() = default;
    Secret(const Secret&) = default;
    Secret& operator=(const Secret&) = default;
    ~Secret() { wipe(); }

    std::uint8_t* data() { return m_bytes.data(); }
    const std::uint8_t* data() const { return m_bytes.data(); }
    static constexpr std::size_t size() { return N; }
    std::span<std::uint8_t, N> span() { return std::span<std::uint8_t, N>(m_bytes); }
    ByteView view() const { return ByteView(m_bytes.data(), N); }
    // Overwrites the bytes with zeros (also done on destruction).
    void wipe() { wipeBytes(m_bytes.data(), N); }

private:
    std::array<std::uint8_t, N> m_bytes {};
};

// An X25519 key pair.
struct KeyPair {
    PublicKey publicKey {};
    Secret<DhSize> secretKey;

    // A fresh random key pair.
    static KeyPair generate();
    // The key pair of a given 32-byte private key (e.g. stored or from a test vector).
    static Result<KeyPair> fromSecret(ByteView secret);
};

// One direction of a transport: a key and a 64-bit nonce counter (Noise section 5.1).
// Without a key it passes plaintext through unchanged, as the spec defines; the framing
// layer relies on that for unencrypted tests and fuzzing.
class CipherState {
public:
    CipherState() = default;
    // A cipher with the given 32-byte key and nonce 0.
    explicit CipherState(std::span<const std::uint8_t, KeySize> key);

    bool hasKey() const { return m_hasKey; }
    std::uint64_t nonce() const { return m_nonce; }
    // Sets the next nonce (Noise SetNonce); for tests and out-of-band resynchronisation.
    void setNonce(std::uint64_t nonce) { m_nonce = nonce; }

    // Encrypts plaintext (at most MaxPlaintext bytes) with associated data; uses one nonce.
    Result<Bytes> encryptWithAd(ByteView ad, ByteView plaintext);
    // Decrypts and authenticates; on failure the nonce is not consumed.
    Result<Bytes> decryptWithAd(ByteView ad, ByteView ciphertext);
    // Transport-message shorthands with empty associated data.
    Result<Bytes> encrypt(ByteView plaintext) { return encryptWithAd({}, plaintext); }
    Result<Bytes> decrypt(ByteView ciphertext) { return decryptWithAd({}, ciphertext); }
    // Replaces the key with one derived from it (Noise REKEY); the nonce is kept.
    void rekey();

private:
    Secret<KeySize> m_key;
    std::uint64_t m_nonce = 0;
    bool m_hasKey = false;
};

enum class Role : std::uint8_t { Initiator, Responder };

// The two transport ciphers after a completed handshake.
struct Transport {
    CipherState send;
    CipherState receive;
    std::array<std::uint8_t, HashSize> handshakeHash {}; // channel binding value
    PublicKey remoteStatic {};                           // the authenticated peer key
};

// The IK handshake for one side. Any failure (bad MAC, bad key, wrong order) is final:
// the state refuses everything afterwards, as Noise requires.
class HandshakeState {
public:
    // Starts a handshake. The initiator must pass the responder's static key; the
    // responder learns the initiator's from the first message. `ephemeral` is only for
    // test vectors: normally a fresh ephemeral key is generated when it is needed.
    static Result<HandshakeState> create(Role role, ByteView prologue, const KeyPair& localStatic,
                                         std::optional<PublicKey> remoteStatic,
                                         std::optional<KeyPair> ephemeral = std::nullopt);

    Role role() const { return m_role; }
    // True when it is this side's turn to write (otherwise to read).
    bool isMyTurn() const;
    // True after both handshake messages went through.
    bool isComplete() const { return m_step == 2 && !m_failed; }
    bool hasFailed() const { return m_failed; }

    // Produces the next handshake message carrying payload (encrypted to the peer).
    Result<Bytes> writeMessage(ByteView payload);
    // Consumes the peer's handshake message and returns its payload.
    Result<Bytes> readMessage(ByteView message);
    // The peer's static key once known (initiator: from the start; responder: after
    // reading the first message).
    std::optional<PublicKey> remoteStatic() const;
    // The handshake hash h (final once the handshake is complete).
    const std::array<std::uint8_t, HashSize>& handshakeHash() const { return m_h; }
    // After completion: the two transport ciphers for this side. Valid once.
    Result<Transport> split();

private:
    HandshakeState() = default;

    void mixHash(ByteView data);
    void mixKey(ByteView inputKeyMaterial);
    Result<Bytes> encryptAndHash(ByteView plaintext);
    Result<Bytes> decryptAndHash(ByteView ciphertext);
    Status dhInto(std::span<std::uint8_t, DhSize> out, const KeyPair& local, const PublicKey& remote);
    Error fail(Error error);

    Role m_role = Role::Initiator;
    int m_step = 0; // messages processed so far
    bool m_failed = false;
    bool m_split = false;
    CipherState m_cipher;
    Secret<HashSize> m_ck;
    std::array<std::uint8_t, HashSize> m_h {};
    KeyPair m_s;
    std::optional<KeyPair> m_e;
    std::optional<PublicKey> m_rs;
    std::optional<PublicKey> m_re;
};

// BLAKE2b-512 HMAC (RFC 2104, block size 128) and the Noise HKDF built on it; exposed for
// tests and for other protocols that must derive keys the same way.
std::array<std::uint8_t, HashSize> hmacBlake2b(ByteView key, ByteView data);
// Noise HKDF with two outputs.
void hkdf2(ByteView chainingKey, ByteView inputKeyMaterial, std::span<std::uint8_t, HashSize> out1,
           std::span<std::uint8_t, HashSize> out2);

} // namespace hive::wire::noise
