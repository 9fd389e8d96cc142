#include "identity/identity.h"

#include "vault/vault.h"
#include "wire/base32.h"

#include <QDateTime>
#include <sodium.h>

#include <cstring>

namespace hive::core {

namespace {

constexpr std::string_view FingerprintDomain = "hive-fingerprint-v1";
constexpr std::size_t FingerprintChars = 32;
constexpr std::size_t FingerprintGroup = 4;

const Migration IdentitySchema[] = {
    {1,
     "CREATE TABLE identity (id INTEGER PRIMARY KEY CHECK (id = 1), seed BLOB NOT NULL,"
     " display_name TEXT NOT NULL, created_at INTEGER NOT NULL);",
     {}},
};

void ensureSodium()
{
    // sodium_init is idempotent and thread-safe; it only fails if no entropy source exists,
    // in which case nothing in Hive can work.
    if (sodium_init() < 0)
        __builtin_trap();
}

} // namespace

Identity::~Identity()
{
    sodium_memzero(m_seed.data(), m_seed.size());
    sodium_memzero(m_secretKey.data(), m_secretKey.size());
    sodium_memzero(m_x25519SecretKey.data(), m_x25519SecretKey.size());
}

void Identity::deriveFrom(const Seed& seed)
{
    m_seed = seed;
    std::array<std::uint8_t, crypto_sign_SEEDBYTES> signSeed{};
    static_assert(SeedSize == crypto_kdf_KEYBYTES);
    static_assert(IdentityContext.size() == crypto_kdf_CONTEXTBYTES);
    // crypto_kdf only fails for out-of-range subkey lengths, which are constants here.
    crypto_kdf_derive_from_key(signSeed.data(), signSeed.size(), IdentitySubkeyId, IdentityContext.data(), m_seed.data());
    crypto_sign_seed_keypair(m_publicKey.data(), m_secretKey.data(), signSeed.data());
    sodium_memzero(signSeed.data(), signSeed.size());
    // The conversion fails only for public keys that are not valid curve points, which a
    // key made by crypto_sign_seed_keypair never is.
    if (crypto_sign_ed25519_pk_to_curve25519(m_x25519PublicKey.data(), m_publicKey.data()) != 0)
        __builtin_trap();
    crypto_sign_ed25519_sk_to_curve25519(m_x25519SecretKey.data(), m_secretKey.data());
}

std::unique_ptr<Identity> Identity::fromSeed(const Seed& seed, const QString& displayName)
{
    ensureSodium();
    std::unique_ptr<Identity> identity(new Identity());
    identity->deriveFrom(seed);
    identity->m_displayName = displayName;
    return identity;
}

Result<QString> Identity::validateDisplayName(const QString& name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return Error(ErrorCode::InvalidArgument, "the display name must not be empty");
    const QList<uint> codePoints = trimmed.toUcs4();
    if (static_cast<std::size_t>(codePoints.size()) > MaxDisplayNameLength)
        return Error(ErrorCode::InvalidArgument, "the display name must be at most 64 characters long");
    for (uint c : codePoints) {
        const auto category = QChar::category(c);
        if (category == QChar::Other_Control || category == QChar::Other_Surrogate
            || category == QChar::Separator_Line || category == QChar::Separator_Paragraph
            || c == 0xFFFDu)
            return Error(ErrorCode::InvalidArgument, "the display name must not contain control characters or line breaks");
    }
    return trimmed;
}

Result<std::unique_ptr<Identity>> Identity::create(Vault& vault, const QString& displayName)
{
    ensureSodium();
    QString name = HIVE_TRY(validateDisplayName(displayName));
    HIVE_CHECK(vault.migrateComponent("identity", IdentitySchema));

    Seed seed{};
    randombytes_buf(seed.data(), seed.size());
    std::unique_ptr<Identity> identity(new Identity());
    identity->deriveFrom(seed);
    identity->m_displayName = name;
    identity->m_vault = &vault;

    Status stored = vault.transaction([&]() -> Status {
        auto existing = HIVE_TRY(vault.prepare("SELECT count(*) FROM identity"));
        (void)HIVE_TRY(existing.step());
        if (existing.columnInt64(0) != 0)
            return Error(ErrorCode::AlreadyExists, "this vault already holds an identity");
        auto insert = HIVE_TRY(vault.prepare(
            "INSERT INTO identity (id, seed, display_name, created_at) VALUES (1, ?1, ?2, ?3)"));
        HIVE_CHECK(insert.bindBlob(1, ByteView(seed)));
        HIVE_CHECK(insert.bindText(2, name));
        HIVE_CHECK(insert.bindInt64(3, QDateTime::currentSecsSinceEpoch()));
        return insert.run();
    });
    sodium_memzero(seed.data(), seed.size());
    if (!stored.ok())
        return stored.error();
    return identity;
}

Result<std::unique_ptr<Identity>> Identity::load(Vault& vault)
{
    ensureSodium();
    HIVE_CHECK(vault.migrateComponent("identity", IdentitySchema));
    auto select = HIVE_TRY(vault.prepare("SELECT seed, display_name FROM identity WHERE id = 1"));
    bool row = HIVE_TRY(select.step());
    if (!row)
        return Error(ErrorCode::NotFound, "this vault holds no identity yet");
    QByteArray seedBytes = select.columnBlob(0);
    if (static_cast<std::size_t>(seedBytes.size()) != SeedSize) {
        sodium_memzero(seedBytes.data(), static_cast<std::size_t>(seedBytes.size()));
        return Error(ErrorCode::Corrupt, "the stored identity seed has the wrong size");
    }
    Seed seed{};
    std::memcpy(seed.data(), seedBytes.constData(), SeedSize);
    sodium_memzero(seedBytes.data(), static_cast<std::size_t>(seedBytes.size()));

    std::unique_ptr<Identity> identity(new Identity());
    identity->deriveFrom(seed);
    sodium_memzero(seed.data(), seed.size());
    identity->m_displayName = select.columnText(1);
    identity->m_vault = &vault;
    return identity;
}

Status Identity::setDisplayName(const QString& name)
{
    QString valid = HIVE_TRY(validateDisplayName(name));
    if (m_vault != nullptr) {
        auto update = HIVE_TRY(m_vault->prepare("UPDATE identity SET display_name = ?1 WHERE id = 1"));
        HIVE_CHECK(update.bindText(1, valid));
        HIVE_CHECK(update.run());
    }
    m_displayName = valid;
    return success();
}

Result<Bytes> Identity::sign(ByteView message) const
{
    Bytes signature(SignatureSize);
    if (crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), m_secretKey.data()) != 0)
        return Error(ErrorCode::Crypto, "signing failed");
    return signature;
}

Status Identity::verify(ByteView message, ByteView signature, const PublicKey& publicKey)
{
    ensureSodium();
    if (signature.size() != SignatureSize)
        return Error(ErrorCode::Crypto, "the signature has the wrong length");
    if (crypto_sign_verify_detached(signature.data(), message.data(), message.size(), publicKey.data()) != 0)
        return Error(ErrorCode::Crypto, "the signature does not match the key and message");
    return success();
}

QString Identity::fingerprint() const { return fingerprint(m_publicKey); }

QString Identity::fingerprint(const PublicKey& publicKey)
{
    ensureSodium();
    std::array<std::uint8_t, 32> hash{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, hash.size());
    const ByteView domain = asBytes(FingerprintDomain);
    crypto_generichash_update(&state, domain.data(), domain.size());
    crypto_generichash_update(&state, publicKey.data(), publicKey.size());
    crypto_generichash_final(&state, hash.data(), hash.size());
    const std::string encoded = base32::encode(hash).substr(0, FingerprintChars);
    QString grouped;
    for (std::size_t i = 0; i < encoded.size(); i += FingerprintGroup) {
        if (!grouped.isEmpty())
            grouped += QLatin1Char(' ');
        grouped += QLatin1String(encoded.data() + i, static_cast<qsizetype>(FingerprintGroup));
    }
    return grouped;
}

Status Identity::deriveKey(std::string_view context, std::uint64_t subkeyId, std::span<std::uint8_t> out) const
{
    if (context.size() != crypto_kdf_CONTEXTBYTES)
        return Error(ErrorCode::InvalidArgument, "a key derivation context is exactly 8 characters");
    if (context == IdentityContext)
        return Error(ErrorCode::InvalidArgument, "the identity key context is reserved");
    if (out.size() < crypto_kdf_BYTES_MIN || out.size() > crypto_kdf_BYTES_MAX)
        return Error(ErrorCode::InvalidArgument, "derived keys are 16 to 64 bytes long");
    if (crypto_kdf_derive_from_key(out.data(), out.size(), subkeyId, context.data(), m_seed.data()) != 0)
        return Error(ErrorCode::Crypto, "key derivation failed");
    return success();
}

} // namespace hive::core
