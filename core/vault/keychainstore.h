// Where a keychain-protected profile keeps its vault key: the OS keychain through
// QtKeychain, behind a small interface so callers (and tests) can pass another store.
#pragma once

#include "vault/vaultkey.h"

#include <QString>

#include <chrono>

namespace hive::core {

// A place that keeps vault keys by profile id, outside the profile directory.
class SecretStore {
public:
    virtual ~SecretStore() = default;
    // Success if the store can be used right now, else Unavailable with the reason.
    virtual Status available() = 0;
    // The key stored for a profile; NotFound if there is none, Unavailable if unreachable.
    virtual Result<VaultKey> readKey(const QString& profileId) = 0;
    // Stores (or replaces) the key for a profile.
    virtual Status writeKey(const QString& profileId, const VaultKey& key) = 0;
    // Removes the key for a profile; removing a missing key succeeds.
    virtual Status removeKey(const QString& profileId) = 0;
};

// The OS keychain (Secret Service / KWallet on Linux, Keychain on Apple, Credential Store on
// Windows) under service "Hive", one entry per profile id. Every call waits for QtKeychain
// in a local event loop bounded by the timeout, so a missing or stuck secret service gives
// an error instead of a hang. Needs a QCoreApplication; without one it reports Unavailable.
class KeychainStore final : public SecretStore {
public:
    explicit KeychainStore(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                           QString service = QStringLiteral("Hive"));

    Status available() override;
    Result<VaultKey> readKey(const QString& profileId) override;
    Status writeKey(const QString& profileId, const VaultKey& key) override;
    Status removeKey(const QString& profileId) override;

private:
    std::chrono::milliseconds m_timeout;
    QString m_service;
    // Set once a call timed out: QtKeychain runs jobs one after another, so a stuck job
    // would only make every later call wait out its timeout as well.
    bool m_stuck = false;
};

} // namespace hive::core
