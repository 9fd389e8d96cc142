#include "vault/vaultkey.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

namespace hive::core {

namespace {
// Upper bounds accepted from a stored profile. Far above what we write ourselves, low
// enough that a tampered file cannot ask for absurd work.
constexpr std::uint64_t MaxOpsLimit = 64;
constexpr std::uint64_t MaxMemLimit = std::uint64_t{4} << 30; // 4 GiB
} // namespace

VaultKey::VaultKey() { m_bytes.fill(0); }

VaultKey::~VaultKey() { sodium_memzero(m_bytes.data(), m_bytes.size()); }

VaultKey::VaultKey(VaultKey&& other) noexcept : m_bytes(other.m_bytes)
{
    sodium_memzero(other.m_bytes.data(), other.m_bytes.size());
}

VaultKey& VaultKey::operator=(VaultKey&& other) noexcept
{
    if (this != &other) {
        m_bytes = other.m_bytes;
        sodium_memzero(other.m_bytes.data(), other.m_bytes.size());
    }
    return *this;
}

VaultKey VaultKey::random()
{
    VaultKey key;
    randombytes_buf(key.m_bytes.data(), key.m_bytes.size());
    return key;
}

Result<VaultKey> VaultKey::fromBytes(ByteView bytes)
{
    if (bytes.size() != Size)
        return Error(ErrorCode::Malformed, "a vault key must be exactly 32 bytes");
    VaultKey key;
    std::memcpy(key.m_bytes.data(), bytes.data(), Size);
    return key;
}

bool KdfParams::fastRequested()
{
    const char* value = std::getenv("HIVE_KDF_FAST");
    return value != nullptr && std::strcmp(value, "1") == 0;
}

KdfParams KdfParams::defaults()
{
    if (fastRequested())
        return fast();
    KdfParams p;
    p.opsLimit = crypto_pwhash_OPSLIMIT_MODERATE;
    p.memLimit = crypto_pwhash_MEMLIMIT_MODERATE;
    randombytes_buf(p.salt.data(), p.salt.size());
    return p;
}

KdfParams KdfParams::fast()
{
    KdfParams p;
    // Argon2id in libsodium needs at least 1 pass; MEMLIMIT_MIN is 8 KiB.
    p.opsLimit = crypto_pwhash_OPSLIMIT_MIN;
    p.memLimit = crypto_pwhash_MEMLIMIT_MIN;
    randombytes_buf(p.salt.data(), p.salt.size());
    return p;
}

Status KdfParams::validate() const
{
    static_assert(SaltSize == crypto_pwhash_SALTBYTES);
    if (opsLimit < crypto_pwhash_OPSLIMIT_MIN || opsLimit > MaxOpsLimit)
        return Error(ErrorCode::Unsupported, "Argon2id pass count is out of the supported range");
    if (memLimit < crypto_pwhash_MEMLIMIT_MIN || memLimit > MaxMemLimit)
        return Error(ErrorCode::Unsupported, "Argon2id memory cost is out of the supported range");
    return success();
}

Result<VaultKey> deriveFromPassphrase(QByteArrayView passphrase, const KdfParams& params)
{
    if (passphrase.isEmpty())
        return Error(ErrorCode::InvalidArgument, "the passphrase must not be empty");
    HIVE_CHECK(params.validate());
    VaultKey key;
    int rc = crypto_pwhash(key.data(), VaultKey::Size, passphrase.data(),
                           static_cast<unsigned long long>(passphrase.size()), params.salt.data(),
                           params.opsLimit, static_cast<std::size_t>(params.memLimit),
                           crypto_pwhash_ALG_ARGON2ID13);
    if (rc != 0)
        return Error(ErrorCode::NoSpace, "not enough memory to derive the key from the passphrase");
    return key;
}

} // namespace hive::core
