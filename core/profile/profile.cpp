#include "profile/profile.h"

#include "wire/base32.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QtDebug>

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <unistd.h>
#include <vector>

namespace hive::core {

namespace {

const QString VaultFile = QStringLiteral("vault.db");
const QString ProfileFileName = QStringLiteral("profile.json");
const QString StagingSuffix = QStringLiteral(".new");
constexpr qint64 MaxProfileFileSize = 64 * 1024;
constexpr std::size_t ProfileIdBytes = 16;
constexpr std::string_view KeyCheckDomain = "hive-vault-key-check-v1";
constexpr std::size_t KeyCheckSize = 32;

using KeyCheck = std::array<std::uint8_t, KeyCheckSize>;

// How one vault key is protected, plus a check value to recognise it.
struct KeyEntry {
    KeyProtection protection = KeyProtection::Passphrase;
    KdfParams kdf; // meaningful for Passphrase only
    KeyCheck keyCheck{};
};

// The contents of profile.json. `previous` is present only while a passphrase change is in
// flight (or was interrupted): the vault is then under one of the two keys.
struct ProfileFile {
    int format = Profile::FormatVersion;
    QString profileId;
    KeyEntry current;
    std::optional<KeyEntry> previous;
};

KeyCheck keyCheckOf(const VaultKey& key)
{
    KeyCheck check{};
    crypto_generichash(check.data(), check.size(), reinterpret_cast<const unsigned char*>(KeyCheckDomain.data()),
                       KeyCheckDomain.size(), key.bytes().data(), key.bytes().size());
    return check;
}

QString base32Of(ByteView bytes) { return QString::fromStdString(base32::encode(bytes)); }

std::optional<Bytes> fromBase32(const QJsonValue& value, std::size_t size)
{
    if (!value.isString())
        return std::nullopt;
    auto decoded = base32::decode(value.toString().toStdString());
    if (!decoded.ok() || decoded->size() != size)
        return std::nullopt;
    return decoded.release();
}

std::optional<std::uint64_t> toCount(const QJsonValue& value)
{
    if (!value.isDouble())
        return std::nullopt;
    double d = value.toDouble();
    if (d < 0 || d > 9007199254740992.0 || std::floor(d) != d)
        return std::nullopt;
    return static_cast<std::uint64_t>(d);
}

QString protectionName(KeyProtection protection)
{
    return protection == KeyProtection::Keychain ? QStringLiteral("keychain") : QStringLiteral("passphrase");
}

std::optional<KeyProtection> protectionFromName(const QJsonValue& value)
{
    if (value == QLatin1String("keychain"))
        return KeyProtection::Keychain;
    if (value == QLatin1String("passphrase"))
        return KeyProtection::Passphrase;
    return std::nullopt;
}

QJsonObject entryToJson(const KeyEntry& entry)
{
    QJsonObject o;
    o[QStringLiteral("keyProtection")] = protectionName(entry.protection);
    if (entry.protection == KeyProtection::Passphrase) {
        QJsonObject kdf;
        kdf[QStringLiteral("algorithm")] = QStringLiteral("argon2id13");
        kdf[QStringLiteral("salt")] = base32Of(entry.kdf.salt);
        kdf[QStringLiteral("opsLimit")] = static_cast<double>(entry.kdf.opsLimit);
        kdf[QStringLiteral("memLimit")] = static_cast<double>(entry.kdf.memLimit);
        o[QStringLiteral("kdf")] = kdf;
    }
    o[QStringLiteral("keyCheck")] = base32Of(entry.keyCheck);
    return o;
}

Result<KeyEntry> entryFromJson(const QJsonObject& o)
{
    const Error damaged(ErrorCode::Corrupt, "profile.json is damaged (bad key entry)");
    KeyEntry entry;
    auto protection = protectionFromName(o.value(QStringLiteral("keyProtection")));
    if (!protection)
        return damaged;
    entry.protection = *protection;
    auto check = fromBase32(o.value(QStringLiteral("keyCheck")), KeyCheckSize);
    if (!check)
        return damaged;
    std::copy(check->begin(), check->end(), entry.keyCheck.begin());
    if (entry.protection == KeyProtection::Passphrase) {
        const QJsonObject kdf = o.value(QStringLiteral("kdf")).toObject();
        if (kdf.value(QStringLiteral("algorithm")) != QLatin1String("argon2id13"))
            return Error(ErrorCode::Unsupported, "profile.json names a key derivation this build does not know");
        auto salt = fromBase32(kdf.value(QStringLiteral("salt")), KdfParams::SaltSize);
        auto ops = toCount(kdf.value(QStringLiteral("opsLimit")));
        auto mem = toCount(kdf.value(QStringLiteral("memLimit")));
        if (!salt || !ops || !mem)
            return damaged;
        std::copy(salt->begin(), salt->end(), entry.kdf.salt.begin());
        entry.kdf.opsLimit = *ops;
        entry.kdf.memLimit = *mem;
        HIVE_CHECK(entry.kdf.validate());
    }
    return entry;
}

QByteArray encodeProfileFile(const ProfileFile& file)
{
    QJsonObject o = entryToJson(file.current);
    o[QStringLiteral("format")] = file.format;
    o[QStringLiteral("profileId")] = file.profileId;
    if (file.previous)
        o[QStringLiteral("previous")] = entryToJson(*file.previous);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<QJsonObject> readProfileJson(const QString& dir)
{
    QFile f(QDir(dir).filePath(ProfileFileName));
    if (!f.exists())
        return Error(ErrorCode::NotFound, "there is no Hive profile in this directory");
    if (!f.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Io, "cannot read profile.json");
    if (f.size() > MaxProfileFileSize)
        return Error(ErrorCode::Corrupt, "profile.json is damaged (too large)");
    QJsonParseError parseError{};
    QJsonDocument doc = QJsonDocument::fromJson(f.read(MaxProfileFileSize), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, "profile.json is damaged (not a JSON object)");
    return doc.object();
}

Result<ProfileFile> readProfileFile(const QString& dir)
{
    QJsonObject o = HIVE_TRY(readProfileJson(dir));
    ProfileFile file;
    auto format = toCount(o.value(QStringLiteral("format")));
    if (!format || *format == 0)
        return Error(ErrorCode::Corrupt, "profile.json is damaged (no format version)");
    if (*format > static_cast<std::uint64_t>(Profile::FormatVersion))
        return Error(ErrorCode::Unsupported, "this profile was written by a newer version of Hive; update Hive to open it");
    file.format = static_cast<int>(*format);
    if (!fromBase32(o.value(QStringLiteral("profileId")), ProfileIdBytes))
        return Error(ErrorCode::Corrupt, "profile.json is damaged (bad profile id)");
    file.profileId = o.value(QStringLiteral("profileId")).toString();
    file.current = HIVE_TRY(entryFromJson(o));
    if (o.contains(QStringLiteral("previous")))
        file.previous = HIVE_TRY(entryFromJson(o.value(QStringLiteral("previous")).toObject()));
    return file;
}

Error ioError(std::string_view what)
{
    const int err = errno;
    Error e(err == ENOSPC ? ErrorCode::NoSpace : err == EACCES || err == EPERM ? ErrorCode::PermissionDenied : ErrorCode::Io, what);
    e.append(": ").append(std::strerror(err));
    return e;
}

// Makes completed renames in `dir` durable.
void syncDirectory(const QString& dir)
{
    int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Replaces `path` with `data` atomically and durably: temp file, fsync, rename, fsync dir.
Status writeFileAtomically(const QString& path, const QByteArray& data)
{
    const QString tmp = path + QStringLiteral(".tmp");
    {
        QFile f(tmp);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error(ErrorCode::Io, "cannot write ").append(QFileInfo(path).fileName().toStdString());
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        if (f.write(data) != data.size() || !f.flush() || ::fsync(f.handle()) != 0) {
            Error e = ioError("writing profile.json");
            f.close();
            QFile::remove(tmp);
            return e;
        }
    }
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) != 0) {
        Error e = ioError("replacing profile.json");
        QFile::remove(tmp);
        return e;
    }
    syncDirectory(QFileInfo(path).absolutePath());
    return success();
}

Status writeProfileFile(const QString& dir, const ProfileFile& file)
{
    return writeFileAtomically(QDir(dir).filePath(ProfileFileName), encodeProfileFile(file));
}

// The key an entry protects: from the secret store or the passphrase. Does not check it.
Result<VaultKey> keyFor(const KeyEntry& entry, const QString& profileId, const QByteArray& passphrase, SecretStore& secrets)
{
    if (entry.protection == KeyProtection::Keychain)
        return secrets.readKey(profileId);
    if (passphrase.isEmpty())
        return Error(ErrorCode::InvalidArgument, "this profile is protected by a passphrase; enter it to unlock");
    return deriveFromPassphrase(passphrase, entry.kdf);
}

} // namespace

QString Profile::defaultLocation()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

ProfileState Profile::probe(const QString& dir)
{
    QDir d(dir);
    const bool hasVault = QFileInfo::exists(d.filePath(VaultFile));
    const bool hasProfile = QFileInfo::exists(d.filePath(ProfileFileName));
    if (!hasVault && !hasProfile)
        return ProfileState::Missing;
    if (!hasVault || !hasProfile)
        return ProfileState::Damaged;
    auto json = readProfileJson(dir);
    if (!json.ok())
        return ProfileState::Damaged;
    auto protection = protectionFromName(json->value(QStringLiteral("keyProtection")));
    if (!protection)
        return ProfileState::Damaged;
    return *protection == KeyProtection::Keychain ? ProfileState::Keychain : ProfileState::Passphrase;
}

Profile::~Profile() = default;

Result<std::unique_ptr<Profile>> Profile::create(const QString& dir, const QString& displayName,
                                                 KeyProtection protection, const QByteArray& passphrase)
{
    auto keychain = std::make_unique<KeychainStore>();
    auto profile = HIVE_TRY(createImpl(dir, displayName, protection, passphrase, *keychain));
    profile->m_ownedSecrets = std::move(keychain);
    return profile;
}

Result<std::unique_ptr<Profile>> Profile::create(const QString& dir, const QString& displayName,
                                                 KeyProtection protection, const QByteArray& passphrase,
                                                 SecretStore& secrets)
{
    return createImpl(dir, displayName, protection, passphrase, secrets);
}

Result<std::unique_ptr<Profile>> Profile::open(const QString& dir, const QByteArray& passphrase)
{
    auto keychain = std::make_unique<KeychainStore>();
    auto profile = HIVE_TRY(openImpl(dir, passphrase, *keychain));
    profile->m_ownedSecrets = std::move(keychain);
    return profile;
}

Result<std::unique_ptr<Profile>> Profile::open(const QString& dir, const QByteArray& passphrase, SecretStore& secrets)
{
    return openImpl(dir, passphrase, secrets);
}

Result<std::unique_ptr<Profile>> Profile::createImpl(const QString& dir, const QString& displayName,
                                                     KeyProtection protection, const QByteArray& passphrase,
                                                     SecretStore& secrets)
{
    if (sodium_init() < 0)
        return Error(ErrorCode::Internal, "libsodium could not be initialised");
    const QString name = HIVE_TRY(Identity::validateDisplayName(displayName));
    if (protection == KeyProtection::Passphrase && passphrase.isEmpty())
        return Error(ErrorCode::InvalidArgument, "choose a passphrase to protect the profile");
    switch (probe(dir)) {
    case ProfileState::Missing: break;
    case ProfileState::Damaged:
        return Error(ErrorCode::AlreadyExists, "the directory holds part of a Hive profile; move it away first");
    default: return Error(ErrorCode::AlreadyExists, "the directory already holds a Hive profile");
    }

    const QDir d(dir);
    const QString staging = d.filePath(VaultFile + StagingSuffix);
    const QString finalVault = d.filePath(VaultFile);
    const bool createdDir = !QFileInfo::exists(dir);
    if (createdDir) {
        if (!QDir().mkpath(dir))
            return Error(ErrorCode::Io, "cannot create the profile directory");
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }

    ProfileFile file;
    {
        std::array<std::uint8_t, ProfileIdBytes> id{};
        randombytes_buf(id.data(), id.size());
        file.profileId = base32Of(id);
    }
    file.current.protection = protection;
    bool keyStored = false;
    bool profileWritten = false;

    // Undoes everything this call made, on any failure.
    auto fail = [&](const Error& error) -> Error {
        QFile::remove(staging);
        QFile::remove(staging + QStringLiteral("-journal"));
        QFile::remove(finalVault);
        QFile::remove(finalVault + QStringLiteral("-journal"));
        QFile::remove(d.filePath(ProfileFileName + QStringLiteral(".tmp")));
        if (profileWritten)
            QFile::remove(d.filePath(ProfileFileName));
        if (keyStored)
            (void)secrets.removeKey(file.profileId);
        if (createdDir)
            QDir().rmdir(dir);
        return error;
    };

    VaultKey key;
    if (protection == KeyProtection::Keychain) {
        Status available = secrets.available();
        if (!available.ok())
            return fail(available.error());
        key = VaultKey::random();
        Status stored = secrets.writeKey(file.profileId, key);
        if (!stored.ok())
            return fail(stored.error());
        keyStored = true;
    } else {
        file.current.kdf = KdfParams::defaults();
        auto derived = deriveFromPassphrase(passphrase, file.current.kdf);
        if (!derived.ok())
            return fail(derived.error());
        key = derived.release();
    }
    file.current.keyCheck = keyCheckOf(key);

    // A staging file left by a crashed create holds nobody's data: it never got a
    // profile.json, so no key to it was ever recorded.
    QFile::remove(staging);
    QFile::remove(staging + QStringLiteral("-journal"));
    {
        auto vault = Vault::create(staging, key);
        if (!vault.ok())
            return fail(vault.error());
        auto identity = Identity::create(**vault, name);
        if (!identity.ok())
            return fail(identity.error());
    } // closed here, so no journal follows the file to its final name
    if (::rename(QFile::encodeName(staging).constData(), QFile::encodeName(finalVault).constData()) != 0)
        return fail(ioError("moving the vault into place"));
    Status written = writeProfileFile(dir, file);
    if (!written.ok())
        return fail(written.error());
    profileWritten = true;

    std::unique_ptr<Profile> profile(new Profile());
    profile->m_dir = dir;
    profile->m_profileId = file.profileId;
    profile->m_protection = protection;
    profile->m_secrets = &secrets;
    auto vault = Vault::open(finalVault, key);
    if (!vault.ok())
        return fail(vault.error());
    profile->m_vault = vault.release();
    auto identity = Identity::load(*profile->m_vault);
    if (!identity.ok()) {
        profile->m_vault.reset();
        return fail(identity.error());
    }
    profile->m_identity = identity.release();
    return profile;
}

Result<std::unique_ptr<Profile>> Profile::openImpl(const QString& dir, const QByteArray& passphrase, SecretStore& secrets)
{
    if (sodium_init() < 0)
        return Error(ErrorCode::Internal, "libsodium could not be initialised");
    ProfileFile file = HIVE_TRY(readProfileFile(dir));
    const QString vaultPath = QDir(dir).filePath(VaultFile);
    if (!QFileInfo::exists(vaultPath))
        return Error(ErrorCode::Corrupt, "the profile's vault.db is missing");

    struct Candidate {
        const KeyEntry* entry;
        bool isPrevious;
    };
    std::vector<Candidate> candidates{{&file.current, false}};
    if (file.previous)
        candidates.push_back({&*file.previous, true});

    std::optional<Error> firstFailure; // why the current entry could not produce a key
    bool rightKeyWrongFile = false;
    for (const Candidate& c : candidates) {
        auto key = keyFor(*c.entry, file.profileId, passphrase, secrets);
        if (!key.ok()) {
            if (!c.isPrevious)
                firstFailure = key.error();
            continue;
        }
        if (!constantTimeEqual(keyCheckOf(*key), c.entry->keyCheck))
            continue;
        auto vault = Vault::open(vaultPath, *key);
        if (!vault.ok()) {
            if (vault.error().code() == ErrorCode::WrongKey) {
                rightKeyWrongFile = true;
                continue;
            }
            return vault.error();
        }
        auto identity = Identity::load(**vault);
        if (!identity.ok()) {
            if (identity.error().code() == ErrorCode::NotFound)
                return Error(ErrorCode::Corrupt, "the vault holds no identity");
            return identity.error();
        }

        std::unique_ptr<Profile> profile(new Profile());
        profile->m_dir = dir;
        profile->m_profileId = file.profileId;
        profile->m_protection = c.entry->protection;
        profile->m_secrets = &secrets;
        profile->m_vault = vault.release();
        profile->m_identity = identity.release();
        if (file.previous) {
            // Finish (or roll back) the interrupted passphrase change: the vault tells which
            // key is the live one. The profile works even if this write fails.
            ProfileFile settled = file;
            settled.current = *c.entry;
            settled.previous.reset();
            Status written = writeProfileFile(dir, settled);
            if (!written.ok())
                qWarning("hive: could not settle profile.json after an interrupted passphrase change: %s",
                         written.error().message());
        }
        return profile;
    }

    if (rightKeyWrongFile) {
        if (file.previous)
            return Error(ErrorCode::WrongKey, "a passphrase change was interrupted; unlock with the previous passphrase");
        return Error(ErrorCode::Corrupt, "the vault file is damaged: it does not decrypt with the right key");
    }
    if (firstFailure && firstFailure->code() != ErrorCode::WrongKey)
        return *firstFailure;
    if (file.current.protection == KeyProtection::Keychain)
        return Error(ErrorCode::WrongKey, "wrong passphrase or key: the key in the system keychain does not fit this profile");
    return Error(ErrorCode::WrongKey, "wrong passphrase or key");
}

Status Profile::checkPassphrase(const QByteArray& passphrase) const
{
    ProfileFile file = HIVE_TRY(readProfileFile(m_dir));
    if (file.current.protection != KeyProtection::Passphrase)
        return Error(ErrorCode::InvalidArgument, "this profile is not protected by a passphrase");
    if (passphrase.isEmpty())
        return Error(ErrorCode::WrongKey, "wrong passphrase or key");
    VaultKey key = HIVE_TRY(deriveFromPassphrase(passphrase, file.current.kdf));
    if (!constantTimeEqual(keyCheckOf(key), file.current.keyCheck))
        return Error(ErrorCode::WrongKey, "wrong passphrase or key");
    return success();
}

Result<Profile::PreparedPassphrase> Profile::preparePassphrase(const QByteArray& newPassphrase)
{
    if (newPassphrase.isEmpty())
        return Error(ErrorCode::InvalidArgument, "the new passphrase must not be empty");
    PreparedPassphrase prepared {KdfParams::defaults(), {}};
    prepared.key = HIVE_TRY(deriveFromPassphrase(newPassphrase, prepared.kdf));
    return prepared;
}

Status Profile::changePassphrase(const QByteArray& newPassphrase)
{
    return applyPassphrase(HIVE_TRY(preparePassphrase(newPassphrase)));
}

Status Profile::applyPassphrase(const PreparedPassphrase& prepared)
{
    ProfileFile file = HIVE_TRY(readProfileFile(m_dir));
    if (file.previous)
        return Error(ErrorCode::Internal, "profile.json still records an unfinished passphrase change");

    KeyEntry next;
    next.protection = KeyProtection::Passphrase;
    next.kdf = prepared.kdf;
    next.keyCheck = keyCheckOf(prepared.key);

    // Record both keys before re-keying, so a crash at any point leaves a profile that
    // opens with one of them (see openImpl).
    ProfileFile pending = file;
    pending.previous = file.current;
    pending.current = next;
    HIVE_CHECK(writeProfileFile(m_dir, pending));

    Status rekeyed = m_vault->rekey(prepared.key);
    if (!rekeyed.ok()) {
        Status restored = writeProfileFile(m_dir, file);
        if (!restored.ok())
            qWarning("hive: could not restore profile.json after a failed re-key: %s", restored.error().message());
        return rekeyed;
    }

    ProfileFile done = pending;
    done.previous.reset();
    Status written = writeProfileFile(m_dir, done);
    if (!written.ok()) // the next open settles it; the new passphrase already works
        qWarning("hive: could not finish profile.json after a re-key: %s", written.error().message());

    if (file.current.protection == KeyProtection::Keychain) {
        Status removed = m_secrets->removeKey(m_profileId);
        if (!removed.ok())
            qWarning("hive: the old key could not be removed from the system keychain: %s", removed.error().message());
    }
    m_protection = KeyProtection::Passphrase;
    return success();
}

} // namespace hive::core
