// The plugins built into Hive. Executables (hive, hivectl) link hive::plugins and include
// this header, so both see exactly the same plugins.
//
// No Q_IMPORT_PLUGIN lines are needed: qt_add_plugin(STATIC) generates an importer object
// for each plugin and links it into every executable that links the plugin. Writing
// Q_IMPORT_PLUGIN as well would register each plugin twice (PluginHost ignores the repeat).
#pragma once

#include <QString>
#include <QStringList>

namespace hive::plugins {

// Ids of the bundled plugins, sorted; PluginHost::addStaticPlugins() finds exactly these.
inline QStringList bundledPluginIds()
{
    return {QStringLiteral("backup"), QStringLiteral("messaging"), QStringLiteral("presence"),
            QStringLiteral("resources")};
}

} // namespace hive::plugins
