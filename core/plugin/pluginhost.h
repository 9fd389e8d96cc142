// PluginHost: finds the plugins, starts them in dependency order, reports every failure
// with the plugin's id and reason, and shuts them down in reverse. Doubles as the list
// model the shell shows.
#pragma once

#include "plugin/plugin.h"
#include "plugin/pluginmetadata.h"
#include "wire/result.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace hive::core {

struct PluginInfo;

class PluginHost : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum class State {
        Loaded,            // metadata valid, not started yet
        Running,           // initialize() succeeded
        Failed,            // bad metadata, duplicate id, dependency cycle or initialize() failed
        MissingDependency, // a dependency is absent, has the wrong version, or is not running
        Stopped,           // shut down after running
    };
    Q_ENUM(State)

    enum Role {
        IdRole = Qt::UserRole + 1,
        NameRole,
        VersionRole,
        StateRole,       // State as int
        StateTextRole,   // translated, for people
        ErrorRole,       // why the plugin is not running, empty otherwise
        PageRole,        // QUrl of the plugin's page, empty unless Running or Stopped
        StatusTextRole,  // Plugin::statusText() of the instance
        DescriptionRole, // from the metadata
    };
    Q_ENUM(Role)

    // The context is lent to every plugin's initialize(); it must outlive the host.
    explicit PluginHost(PluginContext& context, QObject* parent = nullptr);
    // Shuts down whatever still runs, then deletes the plugin instances.
    ~PluginHost() override;

    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    // Adds every static plugin (QPluginLoader::staticPlugins()) whose IID is HivePlugin_iid,
    // ordered by id; returns how many were found. Rejected ones are recorded as Failed.
    int addStaticPlugins();
    // Adds one plugin from its metadata (the JSON file's object) and a factory that creates
    // its QObject on start; the host owns what the factory returns. Malformed metadata or a
    // duplicate id returns an error and records the plugin as Failed (the factory is never
    // called). Only valid before start().
    Status add(const QJsonObject& metadata, std::function<QObject*()> factory);

    // Starts the plugins in dependency order (ties broken by id). Plugins that cannot start
    // are reported with their reason; all others run. Calling it twice does nothing.
    void start();
    // Calls shutdown() on every running plugin in reverse start order.
    void shutdown();

    // Every plugin in the order added, for hivectl and tests.
    QList<PluginInfo> plugins() const;
    // The instance with this id if it runs or ran (Running, Stopped), otherwise nullptr.
    Plugin* plugin(const QString& id) const;
    // The same plugin's QObject (what its page's `plugin` property is set to), or nullptr.
    Q_INVOKABLE QObject* pluginObject(const QString& id) const;
    // Ids in the order start() initialized them.
    QStringList startOrder() const;

    int count() const { return static_cast<int>(m_entries.size()); }
    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Short, stable, untranslated name of a state ("running"), for logs and hivectl.
    static QString stateName(State state);
    // Translated state for people.
    static QString stateText(State state);

signals:
    void countChanged();

private slots:
    void onStatusTextChanged();

private:
    struct Entry {
        QString id;
        QString name;
        QString version;
        QString description;
        std::optional<PluginMetadata> metadata; // empty if the metadata was rejected
        std::function<QObject*()> factory;
        // Owned by the host; a QPointer because a static plugin's instance function also
        // tracks it and hands out a fresh one once this is deleted.
        QPointer<QObject> object;
        Plugin* plugin = nullptr; // the Plugin interface of `object`
        State state = State::Loaded;
        QString error;

        bool isUsable() const;
    };

    Status addEntry(const QJsonObject& metadata, std::function<QObject*()> factory, const QString& fallbackName);
    void record(Entry entry);
    void setState(std::size_t index, State state, const QString& error);
    std::optional<std::size_t> indexOf(const QString& id) const;
    QStringList cycleThrough(std::size_t start) const;
    std::vector<std::size_t> dependencyOrder(const std::vector<bool>& inCycle) const;
    bool instantiate(std::size_t index);

    PluginContext& m_context;
    std::vector<Entry> m_entries;
    std::vector<std::size_t> m_startOrder;
    bool m_started = false;
};

// A plain snapshot of one plugin, for code without a model (hivectl, tests).
struct PluginInfo {
    QString id;
    QString name;
    QString version;
    PluginHost::State state = PluginHost::State::Loaded;
    QString error;
    QString statusText;
};

using PluginState = PluginHost::State;

} // namespace hive::core
