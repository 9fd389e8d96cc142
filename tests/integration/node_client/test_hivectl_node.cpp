// `hivectl node use` / `hivectl node status` against a real hive-node: exit codes and what
// they print, with a passphrase profile made by hivectl itself.
#include "nodeprocess.h"

#include "profile/profile.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

using namespace hive;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestHivectlNode : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_profile;

    Run hivectl(const QStringList& arguments)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HIVE_PASSPHRASE"), QStringLiteral("correct horse"));
        env.insert(QStringLiteral("HIVE_KDF_FAST"), QStringLiteral("1"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(HIVECTL_EXECUTABLE), QStringList {QStringLiteral("--profile"), m_profile} + arguments);
        Run run;
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished(1000);
            return run;
        }
        run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        run.out = QString::fromUtf8(p.readAllStandardOutput());
        run.err = QString::fromUtf8(p.readAllStandardError());
        return run;
    }

    wire::SigningPublicKey identityKey()
    {
        auto profile = core::Profile::open(m_profile, QByteArrayLiteral("correct horse"));
        if (!profile.ok())
            qFatal("cannot open the test profile: %s", profile.error().message());
        return profile.value()->identity().publicKey();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        qputenv("HIVE_KDF_FAST", "1");
        m_profile = m_dir.filePath(QStringLiteral("profile"));
        const Run init = hivectl({QStringLiteral("init"), QStringLiteral("--name"), QStringLiteral("Alice")});
        QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    }

    void helpDescribesBothSubcommands()
    {
        const Run help = hivectl({QStringLiteral("node"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QLatin1String("use ADDRESS")));
        QVERIFY(help.out.contains(QLatin1String("status")));
        QVERIFY(hivectl({QStringLiteral("--help")}).out.contains(QLatin1String("node")));
    }

    void statusWithoutANodeSaysSo()
    {
        const Run status = hivectl({QStringLiteral("node"), QStringLiteral("status")});
        QCOMPARE(status.exitCode, 1);
        QVERIFY2(status.err.contains(QLatin1String("no node configured")), qPrintable(status.err));
    }

    void invalidAddressIsAUsageError()
    {
        const Run bad = hivectl({QStringLiteral("node"), QStringLiteral("use"), QStringLiteral("hive://nokey@127.0.0.1:1")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QLatin1String("invalid node address")));
        QCOMPARE(hivectl({QStringLiteral("node"), QStringLiteral("use")}).exitCode, 2);
        QCOMPARE(hivectl({QStringLiteral("node"), QStringLiteral("frobnicate")}).exitCode, 2);
        // Nothing was stored.
        QVERIFY(hivectl({QStringLiteral("node"), QStringLiteral("status")}).err.contains(QLatin1String("no node configured")));
    }

    void useAndStatusAgainstARunningNode()
    {
        test::NodeProcess node(identityKey());
        QVERIFY2(node.initialized() && node.start(), qPrintable(node.log()));
        const QString address = QString::fromStdString(node.address().toString());

        const Run use = hivectl({QStringLiteral("node"), QStringLiteral("use"), address});
        QVERIFY2(use.exitCode == 0, qPrintable(use.err));
        QVERIFY(use.out.contains(address));
        QVERIFY2(use.out.contains(QLatin1String("connected:   yes, as owner")), qPrintable(use.out));
        QVERIFY(use.out.contains(QLatin1String("store:")));

        const Run status = hivectl({QStringLiteral("node"), QStringLiteral("status")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        QVERIFY(status.out.contains(QLatin1String("node:        configured")));
        QVERIFY(status.out.contains(QLatin1String("uptime:")));
        QVERIFY(status.out.contains(QLatin1String("connections: 1")));

        // The node goes away: status fails with a clear message and exit code 1.
        QCOMPARE(node.stop(), 0);
        const Run down = hivectl({QStringLiteral("node"), QStringLiteral("status")});
        QCOMPARE(down.exitCode, 1);
        QVERIFY2(down.err.contains(QLatin1String("cannot reach the node at ") + address), qPrintable(down.err));

        // Back to the local node.
        const Run local = hivectl({QStringLiteral("node"), QStringLiteral("use"), QStringLiteral("local")});
        QCOMPARE(local.exitCode, 0);
        QVERIFY(hivectl({QStringLiteral("node"), QStringLiteral("status")}).err.contains(QLatin1String("no node configured")));
    }
};

QTEST_GUILESS_MAIN(TestHivectlNode)
#include "test_hivectl_node.moc"
