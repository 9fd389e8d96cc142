#include "backupplugin.h"

#include "vault/vault.h"

#include <array>

namespace hive::backup {

BackupPlugin::BackupPlugin(QObject* parent)
    : BasicPlugin({Component, schema(), QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Backup/BackupPage.qml"))}, parent)
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

QString BackupPlugin::readyText() const
{
    return tr("Ready. Backups arrive in a later release.");
}

} // namespace hive::backup
