// A person's identity: the 32-byte master seed kept in the vault, and the keys derived
// from it.
//
// Key derivation (part of the protocol: changing it changes every identity):
//   master seed   32 random bytes (randombytes_buf), stored only in the vault
//   identity key  Ed25519 keypair from crypto_sign_seed_keypair(seed), where
//                 seed = crypto_kdf_derive_from_key(32 bytes, subkey id 1,
//                                                   context "HiveIdty", master seed)
//                 (crypto_kdf is BLAKE2b keyed with the master seed)
//   X25519 form   crypto_sign_ed25519_pk_to_curve25519 / _sk_to_curve25519 of the identity
//                 key; it is the libsignal identity key, so the safety number and the trust
//                 identity are the same key.
// Other services derive their own keys with deriveKey() using their own 8-byte context;
// the context "HiveIdty" is reserved for the identity key.
//
// Fingerprint: lower-case base32 (RFC 4648, no padding) of
//   BLAKE2b-256("hive-fingerprint-v1" || Ed25519 public key),
// first 32 characters (160 bits) shown as 8 groups of 4 separated by spaces.
#pragma once

#include "wire/bytes.h"
#include "wire/result.h"

#include <QString>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace hive::core {

class Vault;

class Identity {
public:
    static constexpr std::size_t SeedSize = 32;
    static constexpr std::size_t PublicKeySize = 32;
    static constexpr std::size_t SignatureSize = 64;
    static constexpr std::size_t MaxDisplayNameLength = 64; // in characters (code points)
    static constexpr std::string_view IdentityContext = "HiveIdty";
    static constexpr std::uint64_t IdentitySubkeyId = 1;

    using PublicKey = std::array<std::uint8_t, PublicKeySize>;
    using Seed = std::array<std::uint8_t, SeedSize>;

    // Creates a new identity with a fresh random seed and stores it in the vault.
    // AlreadyExists if the vault already holds one.
    static Result<std::unique_ptr<Identity>> create(Vault& vault, const QString& displayName);
    // Loads the identity stored in the vault; NotFound if there is none.
    static Result<std::unique_ptr<Identity>> load(Vault& vault);
    // Derives an identity from a given seed without storing it (tests, recovery tools).
    static std::unique_ptr<Identity> fromSeed(const Seed& seed, const QString& displayName);

    ~Identity();
    Identity(const Identity&) = delete;
    Identity& operator=(const Identity&) = delete;

    // The name shown to friends.
    QString displayName() const { return m_displayName; }
    // Validates, trims and stores a new display name (in the vault if this identity has one).
    Status setDisplayName(const QString& name);
    // Checks a display name: non-empty after trimming, at most 64 characters, no control
    // characters. Returns the trimmed name.
    static Result<QString> validateDisplayName(const QString& name);

    // The Ed25519 identity public key.
    PublicKey publicKey() const { return m_publicKey; }
    // Its X25519 form (the libsignal identity key).
    PublicKey x25519PublicKey() const { return m_x25519PublicKey; }
    // The X25519 secret key, for the libsignal glue only; never store or log it.
    const std::array<std::uint8_t, 32>& x25519SecretKey() const { return m_x25519SecretKey; }

    // Ed25519 detached signature over `message`.
    Result<Bytes> sign(ByteView message) const;
    // Checks a detached Ed25519 signature; Crypto error if it does not verify.
    static Status verify(ByteView message, ByteView signature, const PublicKey& publicKey);

    // Human-readable fingerprint of the public key, e.g. "abcd efgh ... " (8 groups of 4).
    QString fingerprint() const;
    static QString fingerprint(const PublicKey& publicKey);

    // Derives a 16..64-byte subkey from the master seed for another service, into `out`.
    // `context` must be exactly 8 characters and not the identity context.
    Status deriveKey(std::string_view context, std::uint64_t subkeyId, std::span<std::uint8_t> out) const;

private:
    Identity() = default;
    void deriveFrom(const Seed& seed);

    Vault* m_vault = nullptr;
    QString m_displayName;
    Seed m_seed{};
    std::array<std::uint8_t, 64> m_secretKey{};
    std::array<std::uint8_t, 32> m_x25519SecretKey{};
    PublicKey m_publicKey{};
    PublicKey m_x25519PublicKey{};
};

} // namespace hive::core
