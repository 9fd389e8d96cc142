// The plugin contract: what every Hive plugin implements and what it receives from the core.
// Start here to write a plugin; PluginHost (pluginhost.h) loads, orders and runs them.
#pragma once

#include "wire/result.h"

#include <QString>
#include <QUrl>
#include <QtPlugin>

namespace hive::core {

class Vault;
class Identity;

// Typed references to the core services a plugin may use. The composition root (app/)
// owns every service; the context only lends them, so a plugin must not keep them past
// shutdown(). Grows later (trust, node client, scheduler).
struct PluginContext {
    Vault& vault;
    Identity& identity;
};

// Implemented by each plugin's root QObject, which also declares
//   Q_PLUGIN_METADATA(IID HivePlugin_iid FILE "<id>.json")
//   Q_INTERFACES(hive::core::Plugin)
// The JSON metadata schema is documented in pluginmetadata.h.
//
// Conventions the host and the shell rely on:
// - If the QObject has a signal `statusTextChanged()`, the host forwards it to its model.
// - The root item of page() declares `property QtObject plugin`; the shell sets it to the
//   plugin's QObject so the page can bind to its properties (e.g. `plugin.statusText`).
class Plugin {
public:
    virtual ~Plugin() = default;

    // Called once, after every dependency is running. An error keeps the plugin (and its
    // dependents) from running; the message is shown to the user, so make it actionable.
    virtual Status initialize(PluginContext& context) = 0;
    // Called once, in reverse start order, only if initialize() succeeded.
    virtual void shutdown() = 0;
    // The plugin's QML page (usually a qrc: URL compiled into the plugin).
    virtual QUrl page() const = 0;
    // One line describing the plugin's current state, for the UI and hivectl.
    virtual QString statusText() const = 0;
};

} // namespace hive::core

#define HivePlugin_iid "org.hive.Plugin/1"
Q_DECLARE_INTERFACE(hive::core::Plugin, HivePlugin_iid)
