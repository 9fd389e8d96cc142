// BasicPlugin: what every bundled plugin shares. It owns the plugin's vault tables
// (migrated on initialize), its page URL and the status line (not started, ready, failed,
// stopped); a plugin derives from it and says only what differs: its metadata, schema,
// page, its "ready" sentence and, if it runs services, start() and stop().
#pragma once

#include "plugin/plugin.h"
#include "wire/result.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <span>

namespace hive::core {

struct Migration;

class BasicPlugin : public QObject, public Plugin {
    Q_OBJECT
    Q_INTERFACES(hive::core::Plugin)
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)

public:
    // What a concrete plugin hands to the base class.
    struct Description {
        // Name under which the plugin's tables are versioned in the vault (its id).
        const char* component = "";
        // The plugin's vault schema, one step per version.
        std::span<const Migration> schema;
        // The plugin's QML page (a qrc: URL compiled into the plugin).
        QUrl page;
    };

    // Creates or migrates the plugin's tables, then runs start().
    Status initialize(PluginContext& context) override;
    // Runs stop() and reports "Stopped".
    void shutdown() override;
    QUrl page() const override { return m_description.page; }
    QString statusText() const override;

    // The vault component this plugin's tables are versioned under.
    const char* component() const { return m_description.component; }
    // The schema version initialize() brings the tables to (0 without tables).
    int schemaVersion() const;

signals:
    void statusTextChanged();

protected:
    explicit BasicPlugin(Description description, QObject* parent = nullptr);

    // The status line while the plugin runs, in the plugin's own words (and tr() context).
    virtual QString readyText() const = 0;
    // Starts the plugin's own services once its tables exist; an error fails the plugin.
    virtual Status start(PluginContext& context);
    // Stops what start() started; called only after start() succeeded.
    virtual void stop();
    // Tells the UI that readyText() changed.
    void refreshStatus() { emit statusTextChanged(); }

private:
    enum class Phase { NotStarted, Ready, StorageFailed, StartFailed, Stopped };
    void setPhase(Phase phase, const QString& detail = QString());

    Description m_description;
    Phase m_phase = Phase::NotStarted;
    QString m_detail;
};

} // namespace hive::core
