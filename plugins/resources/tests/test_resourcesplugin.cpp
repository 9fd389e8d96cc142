#include "resources/resourcesplugin.h"

#include "plugintestsupport.h"

#include <QtTest>

#include <memory>

using namespace hive::plugins::testing;

class TestResourcesPlugin : public QObject {
    Q_OBJECT

private slots:
    void metadataIsValid() { verifyMetadata(QStringLiteral("ResourcesPlugin"), QStringLiteral("resources")); }

    void staticInstanceIsThePlugin()
    {
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("ResourcesPlugin")));
        QVERIFY(qobject_cast<hive::resources::ResourcesPlugin*>(plugin.get()));
    }

    void initializeCreatesTablesAndReportsState()
    {
        hive::resources::ResourcesPlugin plugin;
        verifyLifecycle(&plugin, QStringLiteral("resources"), QStringLiteral("resources_settings"));
    }

    void initializeFailureIsReported()
    {
        hive::resources::ResourcesPlugin plugin;
        verifyInitializeFailureIsReported(&plugin, QStringLiteral("resources_settings"));
    }

    void pageLoadsFromTheStaticPlugin()
    {
        // Through the static plugin, so the test proves the page's resource was linked in.
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("ResourcesPlugin")));
        QVERIFY(plugin);
        verifyPage(plugin.get());
    }
};

QTEST_MAIN(TestResourcesPlugin)
#include "test_resourcesplugin.moc"
