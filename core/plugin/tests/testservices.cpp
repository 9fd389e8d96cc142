#include "testservices.h"

#include <sodium.h>

#include <QtGlobal>

namespace hive::core {

TestServices::TestServices()
{
    if (sodium_init() < 0)
        qFatal("libsodium could not be initialised");
    if (!m_dir.isValid())
        qFatal("no temporary directory for the test vault");
    auto vault = Vault::create(m_dir.filePath(QStringLiteral("vault.db")), VaultKey::random());
    if (!vault.ok())
        qFatal("test vault: %s", vault.error().message());
    m_vault = vault.release();
    Identity::Seed seed{};
    seed.fill(7);
    m_identity = Identity::fromSeed(seed, QStringLiteral("Test"));
    m_context = std::make_unique<PluginContext>(PluginContext{*m_vault, *m_identity});
}

TestServices::~TestServices() = default;

} // namespace hive::core
