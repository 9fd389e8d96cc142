// The messaging plugin: end-to-end encrypted chats with friends (Signal protocol). This
// release sets up its storage and page; conversations arrive in a later issue.
#pragma once

#include "plugin/basicplugin.h"

#include <span>

namespace hive::core {
struct Migration;
}

namespace hive::messaging {

class MessagingPlugin : public core::BasicPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID HivePlugin_iid FILE "messaging.json")

public:
    // Name under which the plugin's tables are versioned in the vault.
    static constexpr const char* Component = "messaging";

    explicit MessagingPlugin(QObject* parent = nullptr);

    // The plugin's vault schema, one step per version.
    static std::span<const core::Migration> schema();

protected:
    QString readyText() const override;
};

} // namespace hive::messaging
