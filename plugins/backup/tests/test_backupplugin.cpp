#include "backup/backupplugin.h"

#include "plugintestsupport.h"

#include <QtTest>

#include <memory>

using namespace hive::plugins::testing;

class TestBackupPlugin : public QObject {
    Q_OBJECT

private slots:
    void metadataIsValid() { verifyMetadata(QStringLiteral("BackupPlugin"), QStringLiteral("backup")); }

    void staticInstanceIsThePlugin()
    {
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("BackupPlugin")));
        QVERIFY(qobject_cast<hive::backup::BackupPlugin*>(plugin.get()));
    }

    void initializeCreatesTablesAndReportsState()
    {
        hive::backup::BackupPlugin plugin;
        verifyLifecycle(&plugin, QStringLiteral("backup"), QStringLiteral("backup_settings"));
    }

    void initializeFailureIsReported()
    {
        hive::backup::BackupPlugin plugin;
        verifyInitializeFailureIsReported(&plugin, QStringLiteral("backup_settings"));
    }

    void pageLoadsFromTheStaticPlugin()
    {
        // Through the static plugin, so the test proves the page's resource was linked in.
        std::unique_ptr<QObject> plugin(createStaticPlugin(QStringLiteral("BackupPlugin")));
        QVERIFY(plugin);
        verifyPage(plugin.get());
    }
};

QTEST_MAIN(TestBackupPlugin)
#include "test_backupplugin.moc"
