#include "backupplugin.h"

#include "vault/vault.h"

#include <array>

namespace hive::backup {

BackupPlugin::BackupPlugin(QObject* parent)
    : QObject(parent)
{
}

std::span<const core::Migration> BackupPlugin::schema()
{
    // Version 1 holds the plugin's own settings; backup targets and snapshots get their
    // tables in later versions, added here as further steps.
    static const std::array<core::Migration, 1> steps{{
        {1, "CREATE TABLE backup_settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;", {}},
    }};
    return steps;
}

Status BackupPlugin::initialize(core::PluginContext& context)
{
    const Status status = context.vault.migrateComponent(Component, schema());
    if (!status.ok()) {
        setPhase(Phase::Failed, QString::fromUtf8(status.error().message()));
        return status.error().withContext("preparing the backup tables");
    }
    setPhase(Phase::Ready);
    return success();
}

void BackupPlugin::shutdown()
{
    setPhase(Phase::Stopped);
}

QUrl BackupPlugin::page() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Backup/BackupPage.qml"));
}

QString BackupPlugin::statusText() const
{
    switch (m_phase) {
    case Phase::NotStarted: return tr("Not started");
    case Phase::Ready: return tr("Ready. Backups arrive in a later release.");
    case Phase::Failed: return tr("Storage could not be prepared: %1").arg(m_detail);
    case Phase::Stopped: return tr("Stopped");
    }
    return QString();
}

void BackupPlugin::setPhase(Phase phase, const QString& detail)
{
    m_phase = phase;
    m_detail = detail;
    emit statusTextChanged();
}

} // namespace hive::backup
