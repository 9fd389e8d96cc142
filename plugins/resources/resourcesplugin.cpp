#include "resourcesplugin.h"

#include "vault/vault.h"

#include <array>

namespace hive::resources {

ResourcesPlugin::ResourcesPlugin(QObject* parent)
    : QObject(parent)
{
}

std::span<const core::Migration> ResourcesPlugin::schema()
{
    // Version 1 holds the plugin's own settings; issued and received grants get their
    // tables in later versions, added here as further steps.
    static const std::array<core::Migration, 1> steps{{
        {1, "CREATE TABLE resources_settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;", {}},
    }};
    return steps;
}

Status ResourcesPlugin::initialize(core::PluginContext& context)
{
    const Status status = context.vault.migrateComponent(Component, schema());
    if (!status.ok()) {
        setPhase(Phase::Failed, QString::fromUtf8(status.error().message()));
        return status.error().withContext("preparing the resources tables");
    }
    setPhase(Phase::Ready);
    return success();
}

void ResourcesPlugin::shutdown()
{
    setPhase(Phase::Stopped);
}

QUrl ResourcesPlugin::page() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Resources/ResourcesPage.qml"));
}

QString ResourcesPlugin::statusText() const
{
    switch (m_phase) {
    case Phase::NotStarted: return tr("Not started");
    case Phase::Ready: return tr("Ready. Sharing resources arrives in a later release.");
    case Phase::Failed: return tr("Storage could not be prepared: %1").arg(m_detail);
    case Phase::Stopped: return tr("Stopped");
    }
    return QString();
}

void ResourcesPlugin::setPhase(Phase phase, const QString& detail)
{
    m_phase = phase;
    m_detail = detail;
    emit statusTextChanged();
}

} // namespace hive::resources
