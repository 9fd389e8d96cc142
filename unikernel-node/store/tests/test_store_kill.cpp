// kill -9 during a stream of writes, many times: every acknowledged object is present and
// intact afterwards, every acknowledged remove stays removed, the store opens, and no
// object is half-written.
#include "hosted/fileblock.h"
#include "storetesting.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <set>

using namespace hive;
using namespace hive::node;
using namespace hive::node::testing;

class TestStoreKill : public QObject {
    Q_OBJECT
private slots:
    void killNineDuringWritesKeepsAcknowledgedObjects()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("node.store").toStdString();
        {
            auto block = hosted::FileBlock::create(path, 512u << 10);
            QVERIFY2(block.ok(), message(block));
            QVERIFY(Store::format(**block).ok());
        }
        const QString writer = QCoreApplication::applicationDirPath() + "/store_writer";
        QVERIFY2(QFileInfo::exists(writer), "store_writer is built next to this test");

        std::set<Bytes> present; // what the store held after the last round
        Rng rng(2024);
        int acknowledged = 0;
        int removed = 0;
        int compactions = 0;
        constexpr int Rounds = 30;
        for (int round = 0; round < Rounds; ++round) {
            QProcess process;
            process.setProcessChannelMode(QProcess::SeparateChannels);
            process.start(writer, {QString::fromStdString(path), QString::number(round + 1)});
            QVERIFY2(process.waitForStarted(5000), "store_writer did not start");
            const qint64 pid = process.processId();
            QVERIFY(pid > 0);
            // Let it write for a random while, then kill it without warning.
            QElapsedTimer timer;
            timer.start();
            const qint64 runFor = 40 + static_cast<qint64>(rng.below(200));
            while (timer.elapsed() < runFor && process.state() == QProcess::Running)
                process.waitForReadyRead(static_cast<int>(std::max<qint64>(1, runFor - timer.elapsed())));
            QVERIFY2(process.state() == QProcess::Running,
                     qPrintable("store_writer stopped by itself: " + QString::fromLocal8Bit(process.readAllStandardError())));
            QCOMPARE(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
            QVERIFY(process.waitForFinished(5000));
            QCOMPARE(process.exitStatus(), QProcess::CrashExit);

            // Only complete lines count: a line cut by the kill reports nothing.
            const QByteArray out = process.readAllStandardOutput();
            std::set<Bytes> mustHave = present;
            std::set<Bytes> mustNotHave;
            std::set<Bytes> uncertain;
            for (const QByteArray& line : out.split('\n').mid(0, out.count('\n'))) {
                const char tag = line.isEmpty() ? '?' : line.at(0);
                const Bytes k = line.size() > 2 ? key(std::string_view(line.constData() + 2, static_cast<std::size_t>(line.size() - 2))) : Bytes();
                switch (tag) {
                case 'P':
                    mustHave.insert(k);
                    mustNotHave.erase(k);
                    ++acknowledged;
                    break;
                case 'd':
                    mustHave.erase(k);
                    uncertain.insert(k);
                    break;
                case 'D':
                    uncertain.erase(k);
                    mustNotHave.insert(k);
                    ++removed;
                    break;
                case 'C':
                    ++compactions;
                    break;
                default:
                    QFAIL(qPrintable("unexpected writer output: " + QString::fromLatin1(line)));
                }
            }

            auto block = hosted::FileBlock::open(path);
            QVERIFY2(block.ok(), message(block));
            auto store = Store::open(**block);
            QVERIFY2(store.ok(), qPrintable(QStringLiteral("round %1: store does not open: %2").arg(round).arg((store.ok() ? "" : store.error().message()))));
            bool readable = false;
            State actual = readAll(**store, &readable);
            QVERIFY2(readable, "an object fails to read after the kill");
            for (const auto& [k, v] : actual)
                QVERIFY2(v == valueForKey(k), qPrintable(QStringLiteral("round %1: object is not intact").arg(round)));
            for (const Bytes& k : mustHave)
                QVERIFY2(actual.contains(k), qPrintable(QStringLiteral("round %1: an acknowledged object is missing").arg(round)));
            for (const Bytes& k : mustNotHave)
                QVERIFY2(!actual.contains(k), qPrintable(QStringLiteral("round %1: an acknowledged remove was undone").arg(round)));
            present.clear();
            for (const auto& [k, v] : actual)
                present.insert(k);
        }
        qInfo("%d rounds: %d puts and %d removes acknowledged, %d compactions", Rounds, acknowledged, removed, compactions);
        // The test must have exercised something.
        QVERIFY(acknowledged >= Rounds);
    }

private:
    using State = std::map<Bytes, Bytes>;
};

QTEST_GUILESS_MAIN(TestStoreKill)
#include "test_store_kill.moc"
