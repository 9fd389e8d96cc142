#include "messagingplugin.h"

#include "vault/vault.h"

#include <array>

namespace hive::messaging {

MessagingPlugin::MessagingPlugin(QObject* parent)
    : BasicPlugin({Component, schema(), QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Messaging/MessagingPage.qml"))}, parent)
{
}

std::span<const core::Migration> MessagingPlugin::schema()
{
    // Version 1 holds the plugin's own settings; sessions, prekeys and messages get their
    // tables in later versions, added here as further steps.
    static const std::array<core::Migration, 1> steps{{
        {1, "CREATE TABLE messaging_settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;", {}},
    }};
    return steps;
}

QString MessagingPlugin::readyText() const
{
    return tr("Ready. Chats arrive in a later release.");
}

} // namespace hive::messaging
