#include "notifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QLoggingCategory>
#include <QVariantMap>

namespace hive::messaging::ui {

Q_LOGGING_CATEGORY(lcNotifier, "hive.messaging.notifier")

bool DesktopNotifier::show(const QString& title, const QString& body)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        if (!m_warned)
            qCInfo(lcNotifier) << "no session bus: desktop notifications are off";
        m_warned = true;
        return false;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.Notifications"),
                                                       QStringLiteral("/org/freedesktop/Notifications"),
                                                       QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    // app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout (-1: server default)
    call << QStringLiteral("Hive") << 0U << QStringLiteral("org.hive.Hive") << title << body << QStringList()
         << QVariantMap{{QStringLiteral("desktop-entry"), QStringLiteral("org.hive.Hive")},
                        {QStringLiteral("category"), QStringLiteral("im.received")}}
         << -1;
    // Asynchronous: a slow notification daemon must never stall the UI.
    const bool sent = bus.send(call);
    if (!sent && !m_warned) {
        qCInfo(lcNotifier) << "the notification service is not reachable:" << bus.lastError().message();
        m_warned = true;
    }
    return sent;
}

} // namespace hive::messaging::ui
