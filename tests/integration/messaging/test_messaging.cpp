// Messaging end to end with hivectl profiles and real hive-node processes on 127.0.0.1:
// Alice writes to Bob while Bob's hivectl is not running; Bob syncs and reads; delivered
// and read receipts reach Alice. A group of three where a member is removed (and cannot
// read what follows) and re-added. hivectl killed with SIGKILL while sending and while
// receiving: after a rerun nothing is lost and nothing is shown twice; an attachment whose
// upload and download were both killed midway arrives byte-identical.
#include "nodeprocess.h"

#include "profile/profile.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

#include <csignal>

using namespace hive;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class TestMessaging : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::map<QString, std::unique_ptr<test::NodeProcess>> m_nodes;

    QString profile(const QString& who) const { return m_dir.filePath(who); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HIVE_PASSPHRASE"), QStringLiteral("correct horse"));
        env.insert(QStringLiteral("HIVE_KDF_FAST"), QStringLiteral("1"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/hive-test-bus"));
        return env;
    }

    Run hivectl(const QString& who, const QStringList& arguments, int timeoutMs = 30000)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(HIVECTL_EXECUTABLE), QStringList {QStringLiteral("--profile"), profile(who)} + arguments);
        Run run;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(1000);
            return run;
        }
        run.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        run.out = QString::fromUtf8(p.readAllStandardOutput());
        run.err = QString::fromUtf8(p.readAllStandardError());
        if (run.code != 0)
            qWarning("hivectl %s %s -> %d\n%s\n%s", qPrintable(who), qPrintable(arguments.join(QLatin1Char(' '))), run.code,
                     qPrintable(run.out), qPrintable(run.err));
        return run;
    }

    // Starts hivectl and kills it with SIGKILL after `afterMs` (if it is still running).
    void killedAfter(const QString& who, const QStringList& arguments, int afterMs)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(HIVECTL_EXECUTABLE), QStringList {QStringLiteral("--profile"), profile(who)} + arguments);
        QVERIFY(p.waitForStarted(5000));
        if (!p.waitForFinished(afterMs) && p.state() == QProcess::Running)
            ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished(5000);
    }

    // Starts hivectl and kills it with SIGKILL once its stderr has shown `marker` `times`
    // times (transfer progress, so the kill lands mid-transfer); false if it ended first.
    bool killedOnMarker(const QString& who, const QStringList& arguments, const QByteArray& marker, int times)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(HIVECTL_EXECUTABLE), QStringList {QStringLiteral("--profile"), profile(who)} + arguments);
        if (!p.waitForStarted(5000))
            return false;
        QByteArray err;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 120000 && p.state() == QProcess::Running) {
            p.waitForReadyRead(50);
            err += p.readAllStandardError();
            if (err.count(marker) >= times) {
                ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
                p.waitForFinished(5000);
                return true;
            }
        }
        p.waitForFinished(5000);
        qWarning("hivectl ended before it was killed:\n%s", err.constData());
        return false;
    }

    // Writes `mebibytes` MiB of random bytes to `path`; returns their SHA-256 (empty on error).
    static QByteArray writeRandomFile(const QString& path, int mebibytes)
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        QCryptographicHash hash(QCryptographicHash::Sha256);
        QByteArray block(1 << 20, '\0');
        for (int i = 0; i < mebibytes; ++i) {
            randombytes_buf(block.data(), static_cast<std::size_t>(block.size()));
            hash.addData(block);
            if (f.write(block) != block.size())
                return {};
        }
        return hash.result();
    }

    // SHA-256 of a file's content (empty if it cannot be read).
    static QByteArray sha256Of(const QString& path)
    {
        QFile f(path);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!f.open(QIODevice::ReadOnly) || !hash.addData(&f))
            return {};
        return hash.result();
    }

    static QJsonObject attachmentOf(const QJsonArray& list, const QString& fileName)
    {
        for (const auto& v : list) {
            const QJsonObject a = v.toObject().value(QStringLiteral("attachment")).toObject();
            if (a.value(QStringLiteral("fileName")).toString() == fileName)
                return a;
        }
        return {};
    }

    QJsonArray messages(const QString& who, const QString& chat, int timeoutMs = 30000)
    {
        const Run run = hivectl(who, {QStringLiteral("messages"), chat, QStringLiteral("--json")}, timeoutMs);
        if (run.code != 0)
            return {};
        if (run.err.contains(QLatin1String("not downloaded")))
            qWarning("%s", qPrintable(run.err));
        return QJsonDocument::fromJson(run.out.toUtf8()).array();
    }

    static int countText(const QJsonArray& list, const QString& text)
    {
        int n = 0;
        for (const auto& v : list)
            n += v.toObject().value(QStringLiteral("text")).toString() == text ? 1 : 0;
        return n;
    }

    static QString stateOf(const QJsonArray& list, const QString& text)
    {
        for (const auto& v : list) {
            if (v.toObject().value(QStringLiteral("text")).toString() == text)
                return v.toObject().value(QStringLiteral("state")).toString();
        }
        return QString();
    }

    bool sync(const QString& who) { return hivectl(who, {QStringLiteral("sync")}).code == 0; }

    void befriend(const QString& a, const QString& b)
    {
        const Run cardA = hivectl(a, {QStringLiteral("card")});
        const Run cardB = hivectl(b, {QStringLiteral("card")});
        QCOMPARE(cardA.code, 0);
        QCOMPARE(cardB.code, 0);
        QCOMPARE(hivectl(b, {QStringLiteral("contact"), QStringLiteral("add"), cardA.out.trimmed()}).code, 0);
        QCOMPARE(hivectl(a, {QStringLiteral("contact"), QStringLiteral("add"), cardB.out.trimmed()}).code, 0);
        QVERIFY(sync(a));
        QVERIFY(sync(b));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        QVERIFY(m_dir.isValid());
        for (const char* who : {"alice", "bob", "carol"}) {
            const QString id = QString::fromLatin1(who);
            QString name = id;
            name[0] = name[0].toUpper();
            QCOMPARE(hivectl(id, {QStringLiteral("init"), QStringLiteral("--name"), name}).code, 0);
            auto opened = core::Profile::open(profile(id), QByteArrayLiteral("correct horse"));
            QVERIFY(opened.ok());
            // Alice's node holds the 100 MiB attachment's chunks.
            auto node = std::make_unique<test::NodeProcess>(opened.value()->identity().publicKey(), QString(),
                                                            id == QLatin1String("alice") ? QStringLiteral("192M") : QStringLiteral("16M"));
            opened = Error(ErrorCode::Internal, "closed");
            QVERIFY2(node->initialized() && node->start(), qPrintable(node->log()));
            QCOMPARE(hivectl(id, {QStringLiteral("node"), QStringLiteral("use"),
                                  QString::fromStdString(node->address().toString())})
                         .code,
                     0);
            m_nodes[id] = std::move(node);
        }
        befriend(QStringLiteral("alice"), QStringLiteral("bob"));
        befriend(QStringLiteral("alice"), QStringLiteral("carol"));
        befriend(QStringLiteral("bob"), QStringLiteral("carol"));
        // A sync publishes each device's prekey bundle to its node.
        for (const char* who : {"alice", "bob", "carol"})
            QVERIFY(sync(QString::fromLatin1(who)));
    }

    void cleanupTestCase()
    {
        for (auto& [who, node] : m_nodes)
            node->stop();
    }

    void offlineDeliveryWithReceipts()
    {
        const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob");
        // Bob's hivectl is not running: the message waits on Bob's node.
        QCOMPARE(hivectl(alice, {QStringLiteral("send"), QStringLiteral("Bob"), QStringLiteral("hello bob")}).code, 0);
        QCOMPARE(hivectl(alice, {QStringLiteral("send"), QStringLiteral("Bob"), QStringLiteral("second")}).code, 0);
        QCOMPARE(stateOf(messages(alice, QStringLiteral("Bob")), QStringLiteral("hello bob")), QStringLiteral("sent"));

        const Run bobSync = hivectl(bob, {QStringLiteral("sync")});
        QCOMPARE(bobSync.code, 0);
        QVERIFY2(bobSync.out.contains(QLatin1String("Received 2 messages")), qPrintable(bobSync.out));
        const QJsonArray bobView = messages(bob, QStringLiteral("Alice")); // reading sends read receipts
        QCOMPARE(countText(bobView, QStringLiteral("hello bob")), 1);
        QCOMPARE(countText(bobView, QStringLiteral("second")), 1);
        QCOMPARE(bobView.at(0).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("hello bob"));

        QVERIFY(sync(alice));
        const QJsonArray aliceView = messages(alice, QStringLiteral("Bob"));
        QCOMPARE(stateOf(aliceView, QStringLiteral("hello bob")), QStringLiteral("read"));
        QCOMPARE(stateOf(aliceView, QStringLiteral("second")), QStringLiteral("read"));

        // And back.
        QCOMPARE(hivectl(bob, {QStringLiteral("send"), QStringLiteral("Alice"), QStringLiteral("hi alice")}).code, 0);
        QVERIFY(sync(alice));
        QCOMPARE(countText(messages(alice, QStringLiteral("Bob")), QStringLiteral("hi alice")), 1);
        QVERIFY(sync(bob));
        QCOMPARE(stateOf(messages(bob, QStringLiteral("Alice")), QStringLiteral("hi alice")), QStringLiteral("read"));
    }

    void groupOfThreeWithRemovalAndReAdd()
    {
        const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob"), carol = QStringLiteral("carol");
        const QString trio = QStringLiteral("Trio");
        QCOMPARE(hivectl(alice, {QStringLiteral("group"), QStringLiteral("create"), trio, QStringLiteral("Bob"), QStringLiteral("Carol")}).code, 0);
        QVERIFY(sync(bob));
        QVERIFY(sync(carol));
        QCOMPARE(hivectl(alice, {QStringLiteral("group"), QStringLiteral("send"), trio, QStringLiteral("hi all")}).code, 0);
        QCOMPARE(hivectl(bob, {QStringLiteral("group"), QStringLiteral("send"), trio, QStringLiteral("bob here")}).code, 0);
        QVERIFY(sync(carol));
        QVERIFY(sync(alice));
        const QJsonArray carolView = messages(carol, trio);
        QCOMPARE(countText(carolView, QStringLiteral("hi all")), 1);
        QCOMPARE(countText(carolView, QStringLiteral("bob here")), 1);
        QCOMPARE(countText(messages(alice, trio), QStringLiteral("bob here")), 1);

        QCOMPARE(hivectl(alice, {QStringLiteral("group"), QStringLiteral("remove"), trio, QStringLiteral("Carol")}).code, 0);
        QVERIFY(sync(bob));
        QVERIFY(sync(carol));
        QCOMPARE(hivectl(alice, {QStringLiteral("group"), QStringLiteral("send"), trio, QStringLiteral("without carol")}).code, 0);
        QCOMPARE(hivectl(bob, {QStringLiteral("group"), QStringLiteral("send"), trio, QStringLiteral("bob without carol")}).code, 0);
        QVERIFY(sync(bob));
        QVERIFY(sync(alice));
        QVERIFY(sync(carol));
        QCOMPARE(countText(messages(bob, trio), QStringLiteral("without carol")), 1);
        QCOMPARE(countText(messages(alice, trio), QStringLiteral("bob without carol")), 1);
        const QJsonArray removed = messages(carol, trio);
        QCOMPARE(countText(removed, QStringLiteral("without carol")), 0);
        QCOMPARE(countText(removed, QStringLiteral("bob without carol")), 0);

        QCOMPARE(hivectl(alice, {QStringLiteral("group"), QStringLiteral("add"), trio, QStringLiteral("Carol")}).code, 0);
        QVERIFY(sync(bob));
        QVERIFY(sync(carol));
        QCOMPARE(hivectl(alice, {QStringLiteral("group"), QStringLiteral("send"), trio, QStringLiteral("welcome back")}).code, 0);
        QCOMPARE(hivectl(bob, {QStringLiteral("group"), QStringLiteral("send"), trio, QStringLiteral("hi again")}).code, 0);
        QVERIFY(sync(carol));
        const QJsonArray back = messages(carol, trio);
        QCOMPARE(countText(back, QStringLiteral("welcome back")), 1);
        QCOMPARE(countText(back, QStringLiteral("hi again")), 1);
        QCOMPARE(countText(back, QStringLiteral("without carol")), 0);
    }

    void attachmentOf100MiBRoundTripsByteIdentical()
    {
        const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob");
        const QString path = m_dir.filePath(QStringLiteral("big.bin"));
        const QByteArray sent = writeRandomFile(path, 100);
        QVERIFY(!sent.isEmpty());
        QElapsedTimer timer;
        timer.start();
        const Run send = hivectl(alice, {QStringLiteral("send"), QStringLiteral("Bob"), QStringLiteral("--file"), path}, 120000);
        QCOMPARE(send.code, 0);
        const qint64 uploadMs = timer.restart();
        QVERIFY(sync(bob));
        const QJsonArray view = messages(bob, QStringLiteral("Alice"), 120000);
        const qint64 downloadMs = timer.elapsed();
        const QString saved = attachmentOf(view, QStringLiteral("big.bin")).value(QStringLiteral("localPath")).toString();
        QVERIFY2(!saved.isEmpty(), QJsonDocument(view).toJson().constData());
        QCOMPARE(sha256Of(saved), sent);
        qInfo("100 MiB attachment: upload %lld ms, download %lld ms", uploadMs, downloadMs);
    }

    void attachmentKilledMidUploadAndMidDownloadArrivesByteIdentical()
    {
        const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob");
        const QString name = QStringLiteral("resumed.bin");
        const QString path = m_dir.filePath(name);
        const QByteArray sent = writeRandomFile(path, 24);
        QVERIFY(!sent.isEmpty());
        // Killed once a fifth of the chunks are on Alice's node (and some recorded as such).
        QVERIFY(killedOnMarker(alice, {QStringLiteral("send"), QStringLiteral("Bob"), QStringLiteral("--file"), path}, "progress: ", 3));
        const QJsonObject half = attachmentOf(messages(alice, QStringLiteral("Bob")), name);
        QVERIFY(!half.isEmpty());
        QVERIFY(half.value(QStringLiteral("transferred")).toInteger() < half.value(QStringLiteral("size")).toInteger());
        QCOMPARE(stateOf(messages(alice, QStringLiteral("Bob")), name), QStringLiteral("pending"));

        // The next send resumes the upload first, then sends the file and the text.
        const Run rerun = hivectl(alice, {QStringLiteral("send"), QStringLiteral("Bob"), QStringLiteral("after the upload")}, 120000);
        QCOMPARE(rerun.code, 0);
        QVERIFY2(rerun.err.contains(QLatin1String("resumed 1 earlier upload")), qPrintable(rerun.err));
        QCOMPARE(stateOf(messages(alice, QStringLiteral("Bob")), name), QStringLiteral("sent"));

        // Bob's download is killed midway too; the next read fetches the rest.
        QVERIFY(sync(bob));
        QVERIFY(killedOnMarker(bob, {QStringLiteral("messages"), QStringLiteral("Alice"), QStringLiteral("--json")}, "progress: ", 3));
        const QJsonArray view = messages(bob, QStringLiteral("Alice"), 120000);
        QCOMPARE(countText(view, name), 1);
        QCOMPARE(countText(view, QStringLiteral("after the upload")), 1);
        const QString saved = attachmentOf(view, name).value(QStringLiteral("localPath")).toString();
        QVERIFY2(!saved.isEmpty(), QJsonDocument(view).toJson().constData());
        QCOMPARE(sha256Of(saved), sent);
    }

    void killedWhileSendingOrReceivingLosesNothingAndDuplicatesNothing()
    {
        const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob");
        const QStringList texts {QStringLiteral("k1"), QStringLiteral("k2"), QStringLiteral("k3"), QStringLiteral("k4")};
        // Kills at different points of a send: before, during and after the outbox post.
        int delay = 60;
        for (const QString& text : texts) {
            killedAfter(alice, {QStringLiteral("send"), QStringLiteral("Bob"), text}, delay);
            delay += 150;
        }
        // A rerun sends what the kills left behind.
        QCOMPARE(hivectl(alice, {QStringLiteral("send"), QStringLiteral("Bob"), QStringLiteral("after kills")}).code, 0);
        QVERIFY(sync(alice));

        // Bob's receiving is killed too, then completed.
        killedAfter(bob, {QStringLiteral("sync")}, 300);
        QVERIFY(sync(bob));
        QVERIFY(sync(bob));
        const QJsonArray aliceView = messages(alice, QStringLiteral("Bob"));
        const QJsonArray bobView = messages(bob, QStringLiteral("Alice"));
        QCOMPARE(countText(bobView, QStringLiteral("after kills")), 1);
        for (const QString& text : texts) {
            // What Alice's history holds reached Bob exactly once; nothing appears twice.
            QCOMPARE(countText(aliceView, text) <= 1, true);
            QCOMPARE(countText(bobView, text), countText(aliceView, text));
        }
    }
};

QTEST_GUILESS_MAIN(TestMessaging)
#include "test_messaging.moc"
