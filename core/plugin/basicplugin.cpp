#include "basicplugin.h"

#include "vault/vault.h"

#include <string>
#include <utility>

namespace hive::core {

BasicPlugin::BasicPlugin(Description description, QObject* parent)
    : QObject(parent)
    , m_description(std::move(description))
{
}

Status BasicPlugin::initialize(PluginContext& context)
{
    const Status migrated = context.vault.migrateComponent(m_description.component, m_description.schema);
    if (!migrated.ok()) {
        setPhase(Phase::StorageFailed, QString::fromUtf8(migrated.error().message()));
        return migrated.error().withContext("preparing the " + std::string(m_description.component) + " tables");
    }
    const Status started = start(context);
    if (!started.ok()) {
        setPhase(Phase::StartFailed, QString::fromUtf8(started.error().message()));
        return started.error().withContext("starting " + std::string(m_description.component));
    }
    setPhase(Phase::Ready);
    return success();
}

void BasicPlugin::shutdown()
{
    if (m_phase == Phase::Ready)
        stop();
    setPhase(Phase::Stopped);
}

QString BasicPlugin::statusText() const
{
    switch (m_phase) {
    case Phase::NotStarted: return tr("Not started");
    case Phase::Ready: return readyText();
    case Phase::StorageFailed: return tr("Storage could not be prepared: %1").arg(m_detail);
    case Phase::StartFailed: return tr("Could not start: %1").arg(m_detail);
    case Phase::Stopped: return tr("Stopped");
    }
    return QString();
}

int BasicPlugin::schemaVersion() const
{
    return m_description.schema.empty() ? 0 : m_description.schema.back().version;
}

Status BasicPlugin::start(PluginContext&)
{
    return success();
}

void BasicPlugin::stop()
{
}

void BasicPlugin::setPhase(Phase phase, const QString& detail)
{
    m_phase = phase;
    m_detail = detail;
    emit statusTextChanged();
}

} // namespace hive::core
