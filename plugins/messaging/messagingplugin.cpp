#include "messagingplugin.h"

#include "messaging/messagingschema.h"

#include "vault/vault.h"

#include <array>

namespace hive::messaging {

MessagingPlugin::MessagingPlugin(QObject* parent)
    : BasicPlugin({Component, schema(), QUrl(QStringLiteral("qrc:/qt/qml/Hive/Plugins/Messaging/MessagingPage.qml"))}, parent)
{
}

std::span<const core::Migration> MessagingPlugin::schema()
{
    // One list with Messenger's tables (messagingschema.h), so whichever opens the vault
    // first brings the component to the same version.
    return messagingSchema();
}

QString MessagingPlugin::readyText() const
{
    return tr("Ready. Chats arrive in a later release.");
}

} // namespace hive::messaging
