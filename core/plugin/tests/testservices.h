// Real, throw-away core services for plugin tests: a vault in a temporary directory, keyed
// with a random key, and an identity derived from a fixed seed (never stored).
#pragma once

#include "identity/identity.h"
#include "plugin/plugin.h"
#include "vault/vault.h"

#include <QTemporaryDir>

#include <memory>

namespace hive::core {

class TestServices {
public:
    // Aborts the test binary if the services cannot be built: no plugin test means
    // anything without them.
    TestServices();
    ~TestServices();
    TestServices(const TestServices&) = delete;
    TestServices& operator=(const TestServices&) = delete;

    PluginContext& context() { return *m_context; }
    Vault& vault() { return *m_vault; }
    Identity& identity() { return *m_identity; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Vault> m_vault;
    std::unique_ptr<Identity> m_identity;
    std::unique_ptr<PluginContext> m_context;
};

} // namespace hive::core
