// Checks every bundled plugin must pass, shared by the plugins' own tests. Each function
// records QtTest failures; callers return early when QTest::currentTestFailed().
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <optional>

namespace hive::plugins::testing {

// The metadata Qt stores for the static plugin class `className` (keys IID, className,
// MetaData), or nullopt if no such static plugin is linked in.
std::optional<QJsonObject> staticPluginMetadata(const QString& className);

// Creates the plugin through its static plugin instance function; the caller owns it.
QObject* createStaticPlugin(const QString& className);

// The IID is Hive's and the metadata is valid, with this id and a version and description.
void verifyMetadata(const QString& className, const QString& expectedId);

// Against real services: "Not started" before initialize, "Ready..." after it, the vault
// holds version `version` of component `id` with table `table`, a restart on the same
// vault works, shutdown reports "Stopped", and statusTextChanged() fires on each change.
void verifyLifecycle(QObject* plugin, const QString& id, const QString& table, int version = 1);

// initialize() fails with the reason, and statusText says so, if the plugin's table cannot
// be created (a table of that name already exists with another shape).
void verifyInitializeFailureIsReported(QObject* plugin, const QString& table);

// The page loads without QML errors, shows the plugin's status text and follows it, uses
// one column of cards below 600 px and two above, and no text runs past the page edge.
void verifyPage(QObject* plugin);

} // namespace hive::plugins::testing
