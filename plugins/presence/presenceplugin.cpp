#include "presenceplugin.h"

#include "vault/vault.h"

#include <array>

namespace hive::presence {

PresencePlugin::PresencePlugin(QObject* parent)
    : QObject(parent)
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

Status PresencePlugin::initialize(core::PluginContext& context)
{
    const Status status = context.vault.migrateComponent(Component, schema());
    if (!status.ok()) {
        setPhase(Phase::Failed, QString::fromUtf8(status.error().message()));
        return status.error().withContext("preparing the presence tables");
    }
    setPhase(Phase::Ready);
    return success();
}

void PresencePlugin::shutdown()
{
    setPhase(Phase::Stopped);
}

QUrl PresencePlugin::page() const
{
    return QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Presence/PresencePage.qml"));
}

QString PresencePlugin::statusText() const
{
    switch (m_phase) {
    case Phase::NotStarted: return tr("Not started");
    case Phase::Ready: return tr("Ready. Sharing presence arrives in a later release.");
    case Phase::Failed: return tr("Storage could not be prepared: %1").arg(m_detail);
    case Phase::Stopped: return tr("Stopped");
    }
    return QString();
}

void PresencePlugin::setPhase(Phase phase, const QString& detail)
{
    m_phase = phase;
    m_detail = detail;
    emit statusTextChanged();
}

} // namespace hive::presence
