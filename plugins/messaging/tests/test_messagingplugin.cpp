#include "messaging/messagingplugin.h"

#include "plugintestsupport.h"

#include <QtTest>

#include <memory>

using namespace hive::plugins::testing;

class TestMessagingPlugin : public QObject {
    Q_OBJECT

private slots:
    void metadataIsValid() { verifyMetadata(QStringLiteral("MessagingPlugin"), QStringLiteral("messaging")); }

    void staticInstanceIsThePlugin()
    {
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("MessagingPlugin")));
        QVERIFY(qobject_cast<hive::messaging::MessagingPlugin*>(plugin.get()));
    }

    void initializeCreatesTablesAndReportsState()
    {
        hive::messaging::MessagingPlugin plugin;
        verifyLifecycle(&plugin, QStringLiteral("messaging"), QStringLiteral("messaging_settings"));
    }

    void initializeFailureIsReported()
    {
        hive::messaging::MessagingPlugin plugin;
        verifyInitializeFailureIsReported(&plugin, QStringLiteral("messaging_settings"));
    }

    void pageLoadsFromTheStaticPlugin()
    {
        // Through the static plugin, so the test proves the page's resource was linked in.
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("MessagingPlugin")));
        QVERIFY(plugin);
        verifyPage(plugin.get());
    }
};

QTEST_MAIN(TestMessagingPlugin)
#include "test_messagingplugin.moc"
