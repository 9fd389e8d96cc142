#include "messagingplugin.h"

#include "messaging/messagingschema.h"

#include "messaging/ui/messagingcontroller.h"
#include "messaging/ui/notifier.h"
#include "vault/vault.h"

#include <QJSEngine>

#include <array>

namespace hive::messaging {

MessagingPlugin::MessagingPlugin(QObject* parent)
    : BasicPlugin({Component, schema(), QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Messaging/MessagingPage.qml"))}, parent)
    , m_notifier(std::make_unique<ui::DesktopNotifier>())
{
}

MessagingPlugin::~MessagingPlugin() = default;

std::span<const core::Migration> MessagingPlugin::schema()
{
    // One list with Messenger's tables (messagingschema.h), so whichever opens the vault
    // first brings the component to the same version.
    return messagingSchema();
}

QObject* MessagingPlugin::messaging() const
{
    return m_controller.get();
}

void MessagingPlugin::attach(ui::ChatBackend& backend)
{
    m_controller = std::make_unique<ui::MessagingController>(backend, *m_notifier);
    // QML reads it through a property; the plugin, not the engine, owns it.
    QJSEngine::setObjectOwnership(m_controller.get(), QJSEngine::CppOwnership);
    emit messagingChanged();
    refreshStatus();
}

void MessagingPlugin::detach()
{
    if (!m_controller)
        return;
    // Pages drop their bindings to the controller before it goes away.
    auto controller = std::move(m_controller);
    emit messagingChanged();
    refreshStatus();
}

QString MessagingPlugin::readyText() const
{
    return m_controller ? tr("Ready. Chats are end-to-end encrypted.")
                        : tr("Ready. Chats start once your personal node is reachable.");
}

void MessagingPlugin::stop()
{
    detach();
}

} // namespace hive::messaging
