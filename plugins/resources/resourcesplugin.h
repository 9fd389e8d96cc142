// The resources plugin: signed, re-delegable grants of a node's storage, CPU and bandwidth,
// and jobs placed across the nodes a person may use. This release sets up its storage and
// page; grants arrive in a later issue.
#pragma once

#include "plugin/basicplugin.h"

#include <span>

namespace hive::core {
struct Migration;
}

namespace hive::resources {

class ResourcesPlugin : public core::BasicPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID HivePlugin_iid FILE "resources.json")

public:
    // Name under which the plugin's tables are versioned in the vault.
    static constexpr const char* Component = "resources";

    explicit ResourcesPlugin(QObject* parent = nullptr);

    // The plugin's vault schema, one step per version.
    static std::span<const core::Migration> schema();

protected:
    QString readyText() const override;
};

} // namespace hive::resources
