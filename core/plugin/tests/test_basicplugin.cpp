// BasicPlugin: the status line follows the lifecycle, start() runs only once the tables
// exist, a failing start() fails the plugin with its reason, and stop() runs only after a
// successful start.
#include "plugin/basicplugin.h"

#include "testservices.h"

#include <QSignalSpy>
#include <QTest>

#include <array>

namespace {

std::span<const hive::core::Migration> probeSchema()
{
    static const std::array<hive::core::Migration, 1> steps{{
        {1, "CREATE TABLE probe_settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;", {}},
    }};
    return steps;
}

class ProbePlugin : public hive::core::BasicPlugin {
public:
    ProbePlugin()
        : BasicPlugin({"probe", probeSchema(), QUrl(QStringLiteral("qrc:/probe.qml"))})
    {
    }

    bool failStart = false;
    bool tableExistedAtStart = false;
    int starts = 0;
    int stops = 0;
    QString ready = QStringLiteral("Ready. Probing.");

    void changeReadyText(const QString& text)
    {
        ready = text;
        refreshStatus();
    }

protected:
    QString readyText() const override { return ready; }

    hive::Status start(hive::core::PluginContext& context) override
    {
        ++starts;
        tableExistedAtStart = context.vault.exec("SELECT count(*) FROM probe_settings;").ok();
        if (failStart)
            return hive::Error(hive::ErrorCode::Unavailable, "the probe is unplugged");
        return hive::success();
    }

    void stop() override { ++stops; }
};

} // namespace

class TestBasicPlugin : public QObject {
    Q_OBJECT

private slots:
    void lifecycleDrivesTheStatusLine()
    {
        hive::core::TestServices services;
        ProbePlugin plugin;
        QSignalSpy changed(&plugin, &hive::core::BasicPlugin::statusTextChanged);
        QCOMPARE(plugin.statusText(), QStringLiteral("Not started"));
        QCOMPARE(plugin.page(), QUrl(QStringLiteral("qrc:/probe.qml")));
        QCOMPARE(plugin.schemaVersion(), 1);
        QCOMPARE(qobject_cast<hive::core::Plugin*>(&plugin), static_cast<hive::core::Plugin*>(&plugin));

        QVERIFY(plugin.initialize(services.context()).ok());
        QCOMPARE(plugin.starts, 1);
        QVERIFY(plugin.tableExistedAtStart);
        QCOMPARE(*services.vault().componentVersion("probe"), 1);
        QCOMPARE(plugin.statusText(), QStringLiteral("Ready. Probing."));
        QCOMPARE(plugin.property("statusText").toString(), QStringLiteral("Ready. Probing."));

        plugin.changeReadyText(QStringLiteral("Ready. Two chats."));
        QCOMPARE(plugin.statusText(), QStringLiteral("Ready. Two chats."));

        plugin.shutdown();
        QCOMPARE(plugin.stops, 1);
        QCOMPARE(plugin.statusText(), QStringLiteral("Stopped"));
        QCOMPARE(changed.count(), 3);
    }

    void failingStartFailsThePlugin()
    {
        hive::core::TestServices services;
        ProbePlugin plugin;
        plugin.failStart = true;
        const hive::Status status = plugin.initialize(services.context());
        QVERIFY(!status.ok());
        QVERIFY2(QString::fromUtf8(status.error().message()).contains(QLatin1String("unplugged")), status.error().message());
        QCOMPARE(plugin.statusText(), QStringLiteral("Could not start: the probe is unplugged"));
        plugin.shutdown();
        QCOMPARE(plugin.stops, 0);
    }

    void storageFailureSkipsStart()
    {
        hive::core::TestServices services;
        QVERIFY(services.vault().exec("CREATE TABLE probe_settings (other INTEGER);").ok());
        ProbePlugin plugin;
        const hive::Status status = plugin.initialize(services.context());
        QVERIFY(!status.ok());
        QVERIFY(QString::fromUtf8(status.error().message()).contains(QLatin1String("probe tables")));
        QCOMPARE(plugin.starts, 0);
        QVERIFY(plugin.statusText().startsWith(QLatin1String("Storage could not be prepared: ")));
    }
};

QTEST_GUILESS_MAIN(TestBasicPlugin)
#include "test_basicplugin.moc"
