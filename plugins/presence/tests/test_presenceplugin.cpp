#include "presence/presenceplugin.h"

#include "plugintestsupport.h"

#include <QtTest>

#include <memory>

using namespace hive::plugins::testing;

class TestPresencePlugin : public QObject {
    Q_OBJECT

private slots:
    void metadataIsValid() { verifyMetadata(QStringLiteral("PresencePlugin"), QStringLiteral("presence")); }

    void staticInstanceIsThePlugin()
    {
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("PresencePlugin")));
        QVERIFY(qobject_cast<hive::presence::PresencePlugin*>(plugin.get()));
    }

    void initializeCreatesTablesAndReportsState()
    {
        hive::presence::PresencePlugin plugin;
        verifyLifecycle(&plugin, QStringLiteral("presence"), QStringLiteral("presence_settings"));
    }

    void initializeFailureIsReported()
    {
        hive::presence::PresencePlugin plugin;
        verifyInitializeFailureIsReported(&plugin, QStringLiteral("presence_settings"));
    }

    void pageLoadsFromTheStaticPlugin()
    {
        // Through the static plugin, so the test proves the page's resource was linked in.
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("PresencePlugin")));
        QVERIFY(plugin);
        verifyPage(plugin.get());
    }
};

QTEST_MAIN(TestPresencePlugin)
#include "test_presenceplugin.moc"
