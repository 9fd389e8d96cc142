// The resources plugin: signed, re-delegable grants of a node's storage, CPU and bandwidth,
// and jobs placed across the nodes a person may use. This release sets up its storage and
// page; grants arrive in a later issue.
#pragma once

#include "plugin/plugin.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <span>

namespace hive::core {
struct Migration;
}

namespace hive::resources {

class ResourcesPlugin : public QObject, public core::Plugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID HivePlugin_iid FILE "resources.json")
    Q_INTERFACES(hive::core::Plugin)
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)

public:
    // Name under which the plugin's tables are versioned in the vault.
    static constexpr const char* Component = "resources";

    explicit ResourcesPlugin(QObject* parent = nullptr);

    // Creates or migrates the plugin's vault tables.
    Status initialize(core::PluginContext& context) override;
    void shutdown() override;
    QUrl page() const override;
    QString statusText() const override;

    // The plugin's vault schema, one step per version.
    static std::span<const core::Migration> schema();

signals:
    void statusTextChanged();

private:
    enum class Phase { NotStarted, Ready, Failed, Stopped };
    void setPhase(Phase phase, const QString& detail = QString());

    Phase m_phase = Phase::NotStarted;
    QString m_detail;
};

} // namespace hive::resources
