#include "presenceplugin.h"

#include "vault/vault.h"

#include <array>

namespace hive::presence {

PresencePlugin::PresencePlugin(QObject* parent)
    : BasicPlugin({Component, schema(), QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Presence/PresencePage.qml"))}, parent)
{
}

std::span<const core::Migration> PresencePlugin::schema()
{
    // Version 1 holds the plugin's own settings; sharing rules and received positions get their
    // tables in later versions, added here as further steps.
    static const std::array<core::Migration, 1> steps{{
        {1, "CREATE TABLE presence_settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;", {}},
    }};
    return steps;
}

QString PresencePlugin::readyText() const
{
    return tr("Ready. Sharing presence arrives in a later release.");
}

} // namespace hive::presence
