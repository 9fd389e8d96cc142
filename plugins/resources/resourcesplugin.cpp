#include "resourcesplugin.h"

#include "vault/vault.h"

#include <array>

namespace hive::resources {

ResourcesPlugin::ResourcesPlugin(QObject* parent)
    : BasicPlugin({Component, schema(), QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Resources/ResourcesPage.qml"))}, parent)
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

QString ResourcesPlugin::readyText() const
{
    return tr("Ready. Sharing resources arrives in a later release.");
}

} // namespace hive::resources
