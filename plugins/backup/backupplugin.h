// The backup plugin: encrypted, deduplicated backups kept on friends' devices and nodes.
// This release sets up its storage and page; backing up arrives in a later issue.
#pragma once

#include "plugin/basicplugin.h"

#include <span>

namespace hive::core {
struct Migration;
}

namespace hive::backup {

class BackupPlugin : public core::BasicPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID HivePlugin_iid FILE "backup.json")

public:
    // Name under which the plugin's tables are versioned in the vault.
    static constexpr const char* Component = "backup";

    explicit BackupPlugin(QObject* parent = nullptr);

    // The plugin's vault schema, one step per version.
    static std::span<const core::Migration> schema();

protected:
    QString readyText() const override;
};

} // namespace hive::backup
