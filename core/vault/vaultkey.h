// Key sources for the vault: the 256-bit key SQLCipher is keyed with, derived from a
// passphrase with Argon2id or generated at random (and then kept in the OS keychain).
#pragma once

#include "wire/bytes.h"
#include "wire/result.h"

#include <QByteArrayView>

#include <array>
#include <cstdint>

namespace hive::core {

// A raw 256-bit SQLCipher key. Move-only, so no stray copies of the secret exist; the
// bytes are wiped when the key is destroyed or moved from.
class VaultKey {
public:
    static constexpr std::size_t Size = 32;

    VaultKey();
    ~VaultKey();
    VaultKey(VaultKey&& other) noexcept;
    VaultKey& operator=(VaultKey&& other) noexcept;
    VaultKey(const VaultKey&) = delete;
    VaultKey& operator=(const VaultKey&) = delete;

    // A fresh key from the system's CSPRNG.
    static VaultKey random();
    // Wraps existing key bytes (e.g. read back from the keychain); they must be Size long.
    static Result<VaultKey> fromBytes(ByteView bytes);

    ByteView bytes() const { return {m_bytes.data(), m_bytes.size()}; }
    std::uint8_t* data() { return m_bytes.data(); }

private:
    std::array<std::uint8_t, Size> m_bytes;
};

// Argon2id cost parameters. They are stored next to the vault (profile.json) so they can be
// raised later without breaking old profiles.
struct KdfParams {
    static constexpr std::size_t SaltSize = 16; // crypto_pwhash_SALTBYTES

    std::uint64_t opsLimit = 0;
    std::uint64_t memLimit = 0; // bytes
    std::array<std::uint8_t, SaltSize> salt{};

    // Parameters for a new vault, with a fresh random salt. Normally libsodium's MODERATE
    // costs (3 passes, 256 MiB). If the environment sets HIVE_KDF_FAST=1 the minimum costs
    // are used instead: meant only for test suites, never for real profiles.
    static KdfParams defaults();
    // The same, with the cheapest costs libsodium allows (tests).
    static KdfParams fast();
    // True if HIVE_KDF_FAST=1 is set in the environment.
    static bool fastRequested();
    // Rejects parameters outside what libsodium accepts or above sane bounds (a tampered
    // profile.json must not make us allocate terabytes).
    Status validate() const;
};

// Derives a vault key from a passphrase with Argon2id (crypto_pwhash, ALG_ARGON2ID13).
// Fails with InvalidArgument for an empty passphrase or bad parameters, NoSpace if the
// memory cost cannot be allocated.
Result<VaultKey> deriveFromPassphrase(QByteArrayView passphrase, const KdfParams& params);

} // namespace hive::core
