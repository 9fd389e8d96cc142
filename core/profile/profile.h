// A profile: one person's Hive data in one directory, and the entry point the app and
// hivectl open it through.
//
// Layout of the directory:
//   vault.db      the SQLCipher vault (identity seed, display name, every plugin's data)
//   profile.json  plaintext, non-secret: format version, profile id, how the vault key is
//                 protected, the Argon2id salt and costs, and a key check value (keyed
//                 BLAKE2b of a constant) that tells a wrong key from a damaged vault.
//                 It never holds the display name or any secret.
//
// The vault key is either random and kept in the OS keychain under service "Hive" with the
// profile id as key (KeyProtection::Keychain), or derived from a passphrase with Argon2id
// (KeyProtection::Passphrase). Test suites set HIVE_KDF_FAST=1 to get cheap Argon2id costs
// for new profiles (see KdfParams::defaults()); the costs are stored, so opening uses
// whatever the profile was made with.
#pragma once

#include "identity/identity.h"
#include "vault/keychainstore.h"
#include "vault/vault.h"
#include "vault/vaultkey.h"
#include "wire/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace hive::core {

enum class KeyProtection { Keychain, Passphrase };
enum class ProfileState { Missing, Keychain, Passphrase, Damaged };

class Profile {
public:
    static constexpr int FormatVersion = 1;

    // The platform's app-data location (QStandardPaths::AppDataLocation). Both `hive` and
    // `hivectl` set the application name "hive" first, so they agree on it.
    static QString defaultLocation();
    // What `dir` holds, without unlocking anything: no profile, a keychain- or
    // passphrase-protected one, or something unusable (open() then says what is wrong).
    static ProfileState probe(const QString& dir);

    // Creates a new profile with a fresh identity. Refuses an existing profile
    // (AlreadyExists), an empty passphrase in Passphrase mode and an invalid display name
    // (InvalidArgument), an unreachable keychain in Keychain mode (Unavailable). On failure
    // nothing is left behind.
    static Result<std::unique_ptr<Profile>> create(const QString& dir, const QString& displayName,
                                                   KeyProtection protection, const QByteArray& passphrase);
    // The same, keeping a keychain key in `secrets` instead of the OS keychain. `secrets`
    // must outlive the profile.
    static Result<std::unique_ptr<Profile>> create(const QString& dir, const QString& displayName,
                                                   KeyProtection protection, const QByteArray& passphrase,
                                                   SecretStore& secrets);
    // Opens a profile. The passphrase is ignored for keychain profiles. Errors: NotFound (no
    // profile), WrongKey (wrong passphrase, or the keychain key does not match), Unavailable
    // (keychain unreachable), Corrupt (damaged vault or profile.json), Unsupported (written by
    // a newer Hive). A failed open leaves every file byte-identical.
    static Result<std::unique_ptr<Profile>> open(const QString& dir, const QByteArray& passphrase);
    // The same with another secret store (see create()).
    static Result<std::unique_ptr<Profile>> open(const QString& dir, const QByteArray& passphrase,
                                                 SecretStore& secrets);

    ~Profile();
    Profile(const Profile&) = delete;
    Profile& operator=(const Profile&) = delete;

    // The open vault.
    Vault& vault() { return *m_vault; }
    // The person's identity.
    Identity& identity() { return *m_identity; }
    // The profile directory.
    QString directory() const { return m_dir; }
    // How the vault key is protected now.
    KeyProtection keyProtection() const { return m_protection; }
    // Random id of this profile (names its keychain entry).
    QString profileId() const { return m_profileId; }

    // Checks `passphrase` against this passphrase profile without opening anything (e.g.
    // before a change of passphrase): success, WrongKey, or InvalidArgument for a keychain
    // profile.
    Status checkPassphrase(const QByteArray& passphrase) const;

    // A key derived from a new passphrase, ready to re-key with.
    struct PreparedPassphrase {
        KdfParams kdf;
        VaultKey key;
    };
    // Derives the key for `newPassphrase` with fresh salt and the current default costs
    // (Argon2id: seconds). Touches no profile, so it may run on a worker thread.
    static Result<PreparedPassphrase> preparePassphrase(const QByteArray& newPassphrase);

    // Re-keys the vault under a prepared key. A keychain profile moves to passphrase
    // protection and its keychain entry is removed. Safe against a crash at any point: the
    // profile then opens with either the old or the new secret.
    Status applyPassphrase(const PreparedPassphrase& prepared);
    // preparePassphrase + applyPassphrase on the calling thread.
    Status changePassphrase(const QByteArray& newPassphrase);

private:
    Profile() = default;
    static Result<std::unique_ptr<Profile>> createImpl(const QString& dir, const QString& displayName,
                                                       KeyProtection protection, const QByteArray& passphrase,
                                                       SecretStore& secrets);
    static Result<std::unique_ptr<Profile>> openImpl(const QString& dir, const QByteArray& passphrase,
                                                     SecretStore& secrets);

    QString m_dir;
    QString m_profileId;
    KeyProtection m_protection = KeyProtection::Passphrase;
    std::unique_ptr<SecretStore> m_ownedSecrets; // the OS keychain, unless one was passed in
    SecretStore* m_secrets = nullptr;
    std::unique_ptr<Vault> m_vault;              // declared before m_identity: outlives it
    std::unique_ptr<Identity> m_identity;
};

} // namespace hive::core
