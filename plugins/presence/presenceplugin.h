// The presence plugin: presence states and, if wanted, positions shared with chosen friends
// at a per-friend precision and for a limited time. This release sets up its storage and
// page; sharing arrives in a later issue.
#pragma once

#include "plugin/basicplugin.h"

#include <span>

namespace hive::core {
struct Migration;
}

namespace hive::presence {

class PresencePlugin : public core::BasicPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID HivePlugin_iid FILE "presence.json")

public:
    // Name under which the plugin's tables are versioned in the vault.
    static constexpr const char* Component = "presence";

    explicit PresencePlugin(QObject* parent = nullptr);

    // The plugin's vault schema, one step per version.
    static std::span<const core::Migration> schema();

protected:
    QString readyText() const override;
};

} // namespace hive::presence
