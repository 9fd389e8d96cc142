// Three people, three hivectl profiles and two hive-node processes (Alice's and Bob's;
// Carol has none): Alice and Bob add each other from QR PNG files and end up verified in
// person without an accept; Carol's request waits for Bob's accept; Alice grants Bob 20% of
// her node's storage with one re-delegation; Bob shares 50% of it with Carol; Carol stores
// objects on Alice's node up to 10% of its capacity and is refused beyond it; Alice revokes
// Bob's grant and Carol's next write is refused; a replayed invite and a forged card are
// refused.
#include "nodeprocess.h"

#include "identity/identity.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "profile/profile.h"
#include "wire/base32.h"
#include "wire/contactcard.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

using namespace hive;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

QString lineValue(const QString& text, const QString& label)
{
    const QRegularExpression re(QStringLiteral("^%1:\\s+(.*)$").arg(QRegularExpression::escape(label)),
                                QRegularExpression::MultilineOption);
    return re.match(text).captured(1).trimmed();
}

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestThreePeople : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<test::NodeProcess> m_aliceNode;
    std::unique_ptr<test::NodeProcess> m_bobNode;
    QString m_aliceCard; // the card whose QR code Bob scanned (its invite is spent)
    qint64 m_aliceGrant = 0;
    qint64 m_carolGrant = 0;

    QString profile(const QString& who) const { return m_dir.filePath(who); }

    Run hivectl(const QString& who, const QStringList& arguments)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HIVE_PASSPHRASE"), QStringLiteral("correct horse"));
        env.insert(QStringLiteral("HIVE_KDF_FAST"), QStringLiteral("1"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/hive-test-bus"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(HIVECTL_EXECUTABLE), QStringList {QStringLiteral("--profile"), profile(who)} + arguments);
        Run run;
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished(1000);
            return run;
        }
        run.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        run.out = QString::fromUtf8(p.readAllStandardOutput());
        run.err = QString::fromUtf8(p.readAllStandardError());
        return run;
    }

    Run ok(const QString& who, const QStringList& arguments)
    {
        Run run = hivectl(who, arguments);
        if (run.code != 0)
            qWarning("hivectl %s %s -> %d\n%s\n%s", qPrintable(who), qPrintable(arguments.join(QLatin1Char(' '))), run.code,
                     qPrintable(run.out), qPrintable(run.err));
        return run;
    }

    wire::SigningPublicKey identityKey(const QString& who)
    {
        auto opened = core::Profile::open(profile(who), QByteArrayLiteral("correct horse"));
        if (!opened.ok())
            qFatal("cannot open %s: %s", qPrintable(who), opened.error().message());
        return opened.value()->identity().publicKey();
    }

    // The store capacity of Alice's node, asked as its owner.
    std::uint64_t aliceCapacity()
    {
        auto opened = core::Profile::open(profile(QStringLiteral("alice")), QByteArrayLiteral("correct horse"));
        if (!opened.ok())
            qFatal("cannot open alice: %s", opened.error().message());
        auto credentials = core::NodeCredentials::fromIdentity(opened.value()->identity());
        if (!credentials.ok())
            qFatal("credentials: %s", credentials.error().message());
        core::NodeClient client(std::move(credentials).value());
        client.connectTo(m_aliceNode->address());
        auto status = client.adminStatus().wait();
        if (!status.ok())
            qFatal("admin status: %s", status.error().message());
        return status->store.capacityBytes;
    }

    QString writeBlob(const QString& name, qsizetype size, char seed)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        QByteArray data(size, '\0');
        randombytes_buf(data.data(), static_cast<std::size_t>(data.size()));
        data[0] = seed;
        file.write(data);
        return path;
    }

    // The id of the grant in `grant list` whose direction is `direction` (newest first).
    qint64 grantIdFromList(const QString& who, const QString& direction)
    {
        const Run list = ok(who, {QStringLiteral("grant"), QStringLiteral("list")});
        const QRegularExpression row(QStringLiteral("^(\\d+)\\s+%1\\s").arg(direction), QRegularExpression::MultilineOption);
        return row.match(list.out).captured(1).toLongLong();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        qputenv("HIVE_KDF_FAST", "1");
        for (const char* who : {"alice", "bob", "carol"}) {
            QString name = QString::fromLatin1(who);
            name[0] = name[0].toUpper();
            const Run init = hivectl(QString::fromLatin1(who), {QStringLiteral("init"), QStringLiteral("--name"), name});
            QVERIFY2(init.code == 0, qPrintable(init.err));
        }
        m_aliceNode = std::make_unique<test::NodeProcess>(identityKey(QStringLiteral("alice")));
        m_bobNode = std::make_unique<test::NodeProcess>(identityKey(QStringLiteral("bob")));
        QVERIFY2(m_aliceNode->initialized() && m_aliceNode->start(), qPrintable(m_aliceNode->log()));
        QVERIFY2(m_bobNode->initialized() && m_bobNode->start(), qPrintable(m_bobNode->log()));
        QCOMPARE(ok(QStringLiteral("alice"), {QStringLiteral("node"), QStringLiteral("use"),
                                               QString::fromStdString(m_aliceNode->address().toString())})
                     .code,
                 0);
        QCOMPARE(ok(QStringLiteral("bob"), {QStringLiteral("node"), QStringLiteral("use"),
                                             QString::fromStdString(m_bobNode->address().toString())})
                     .code,
                 0);
    }

    void cleanupTestCase()
    {
        if (m_aliceNode)
            m_aliceNode->stop();
        if (m_bobNode)
            m_bobNode->stop();
    }

    void aliceAndBobScanEachOtherAndAreVerifiedInPersonWithoutAccept()
    {
        const QString alicePng = m_dir.filePath(QStringLiteral("alice.png"));
        const QString bobPng = m_dir.filePath(QStringLiteral("bob.png"));
        const Run aliceCard = ok(QStringLiteral("alice"), {QStringLiteral("card"), QStringLiteral("--png"), alicePng});
        QCOMPARE(aliceCard.code, 0);
        QVERIFY2(!aliceCard.err.contains(QLatin1String("did not take")), qPrintable(aliceCard.err));
        m_aliceCard = aliceCard.out.trimmed();
        QCOMPARE(ok(QStringLiteral("bob"), {QStringLiteral("card"), QStringLiteral("--png"), bobPng}).code, 0);

        const Run bobAdds = ok(QStringLiteral("bob"), {QStringLiteral("contact"), QStringLiteral("add"),
                                                      QStringLiteral("--qr-image"), alicePng});
        QCOMPARE(bobAdds.code, 0);
        QVERIFY2(bobAdds.out.contains(QLatin1String("Friend request sent to Alice")), qPrintable(bobAdds.out));
        const Run aliceAdds = ok(QStringLiteral("alice"), {QStringLiteral("contact"), QStringLiteral("add"),
                                                          QStringLiteral("--qr-image"), bobPng});
        QCOMPARE(aliceAdds.code, 0);
        QVERIFY(aliceAdds.out.contains(QLatin1String("Friend request sent to Bob")));

        const Run aliceSync = ok(QStringLiteral("alice"), {QStringLiteral("sync")});
        QCOMPARE(aliceSync.code, 0);
        QVERIFY2(aliceSync.out.contains(QLatin1String("Bob added you too")), qPrintable(aliceSync.out));
        const Run bobSync = ok(QStringLiteral("bob"), {QStringLiteral("sync")});
        QCOMPARE(bobSync.code, 0);
        QVERIFY2(bobSync.out.contains(QLatin1String("Alice added you too")), qPrintable(bobSync.out));

        for (const auto& [who, other] : {std::pair {QStringLiteral("alice"), QStringLiteral("Bob")},
                                         std::pair {QStringLiteral("bob"), QStringLiteral("Alice")}}) {
            const Run list = ok(who, {QStringLiteral("contact"), QStringLiteral("list")});
            const QRegularExpression row(QStringLiteral("^%1\\s+verified in person\\s").arg(other),
                                         QRegularExpression::MultilineOption);
            QVERIFY2(row.match(list.out).hasMatch(), qPrintable(list.out));
            QVERIFY(ok(who, {QStringLiteral("contact"), QStringLiteral("requests")}).out.contains(QLatin1String("No friend requests")));
        }
    }

    void carolsRequestWaitsForBobsAccept()
    {
        const QString bobPng = m_dir.filePath(QStringLiteral("bob2.png"));
        QCOMPARE(ok(QStringLiteral("bob"), {QStringLiteral("card"), QStringLiteral("--png"), bobPng}).code, 0);
        const Run carolAdds = ok(QStringLiteral("carol"), {QStringLiteral("contact"), QStringLiteral("add"),
                                                          QStringLiteral("--qr-image"), bobPng});
        QCOMPARE(carolAdds.code, 0);
        QVERIFY(carolAdds.out.contains(QLatin1String("Friend request sent to Bob")));
        const Run bobSync = ok(QStringLiteral("bob"), {QStringLiteral("sync")});
        QVERIFY2(bobSync.out.contains(QLatin1String("Friend request from Carol")), qPrintable(bobSync.out));
        QVERIFY(ok(QStringLiteral("bob"), {QStringLiteral("contact"), QStringLiteral("requests")}).out.startsWith(QLatin1String("Carol")));
        // Nothing may be given to someone whose request is still open.
        QCOMPARE(hivectl(QStringLiteral("bob"), {QStringLiteral("grant"), QStringLiteral("issue"), QStringLiteral("Carol"),
                                                 QStringLiteral("--storage"), QStringLiteral("1%")})
                     .code,
                 1);
        const Run accept = ok(QStringLiteral("bob"), {QStringLiteral("contact"), QStringLiteral("accept"), QStringLiteral("Carol")});
        QCOMPARE(accept.code, 0);
        const Run list = ok(QStringLiteral("bob"), {QStringLiteral("contact"), QStringLiteral("list")});
        QVERIFY2(QRegularExpression(QStringLiteral("^Carol\\s+unverified\\s"), QRegularExpression::MultilineOption)
                     .match(list.out)
                     .hasMatch(),
                 qPrintable(list.out));
    }

    void aliceGrantsBobWhoSharesHalfWithCarol()
    {
        const Run issue = ok(QStringLiteral("alice"),
                             {QStringLiteral("grant"), QStringLiteral("issue"), QStringLiteral("Bob"), QStringLiteral("--storage"),
                              QStringLiteral("20%"), QStringLiteral("--cpu"), QStringLiteral("20%"), QStringLiteral("--bandwidth"),
                              QStringLiteral("20%"), QStringLiteral("--redelegate"), QStringLiteral("1"),
                              QStringLiteral("--expires"), QStringLiteral("30d")});
        QCOMPARE(issue.code, 0);
        m_aliceGrant = lineValue(issue.out, QStringLiteral("grant")).toLongLong();
        QVERIFY(m_aliceGrant > 0);
        QVERIFY(issue.err.isEmpty() || !issue.err.contains(QLatin1String("could not deliver")));

        const Run bobSync = ok(QStringLiteral("bob"), {QStringLiteral("sync")});
        QCOMPARE(bobSync.code, 0);
        const qint64 bobGrant = grantIdFromList(QStringLiteral("bob"), QStringLiteral("received"));
        QVERIFY2(bobGrant > 0, "Bob did not receive the grant");

        // Depth 1 allows one share, at depth 0; more would widen the grant and is refused.
        QCOMPARE(hivectl(QStringLiteral("bob"), {QStringLiteral("grant"), QStringLiteral("share"), QString::number(bobGrant),
                                                 QStringLiteral("Carol"), QStringLiteral("--storage"), QStringLiteral("50%"),
                                                 QStringLiteral("--redelegate"), QStringLiteral("1")})
                     .code,
                 1);
        const Run share = ok(QStringLiteral("bob"), {QStringLiteral("grant"), QStringLiteral("share"), QString::number(bobGrant),
                                                     QStringLiteral("Carol"), QStringLiteral("--storage"), QStringLiteral("50%")});
        QCOMPARE(share.code, 0);
        QCOMPARE(lineValue(share.out, QStringLiteral("storage")), QStringLiteral("50% (10% of the node)"));
        const QString link = lineValue(share.out, QStringLiteral("link"));
        QVERIFY(link.startsWith(QLatin1String("hive-grant:")));

        // A grant handed to the wrong person is refused by them.
        QCOMPARE(hivectl(QStringLiteral("alice"), {QStringLiteral("grant"), QStringLiteral("import"), link}).code, 1);
        const Run imported = ok(QStringLiteral("carol"), {QStringLiteral("grant"), QStringLiteral("import"), link});
        QCOMPARE(imported.code, 0);
        m_carolGrant = lineValue(imported.out, QStringLiteral("grant")).toLongLong();
        QVERIFY(m_carolGrant > 0);
    }

    void carolStoresUpToTenPercentAndIsRefusedBeyond()
    {
        const std::uint64_t capacity = aliceCapacity();
        QVERIFY(capacity > 0);
        const std::uint64_t quota = capacity * 1000 / 10000; // 20% x 50%
        QStringList arguments {QStringLiteral("objects"), QStringLiteral("put"), QStringLiteral("--grant"),
                               QString::number(m_carolGrant)};
        const qsizetype blob = 256 * 1024;
        const int files = static_cast<int>(quota / blob) + 2;
        for (int i = 0; i < files; ++i)
            arguments << writeBlob(QStringLiteral("blob%1").arg(i), blob, static_cast<char>(i));
        const Run put = hivectl(QStringLiteral("carol"), arguments);
        QCOMPARE(put.code, 1);
        QVERIFY2(put.err.contains(QLatin1String("the node refused")), qPrintable(put.err));
        const QRegularExpression stored(QStringLiteral("^stored .* used (\\d+) of (\\d+) bytes$"), QRegularExpression::MultilineOption);
        auto it = stored.globalMatch(put.out);
        int count = 0;
        std::uint64_t used = 0;
        while (it.hasNext()) {
            const auto m = it.next();
            used = m.captured(1).toULongLong();
            QCOMPARE(m.captured(2).toULongLong(), quota);
            ++count;
        }
        QCOMPARE(count, static_cast<int>(quota / blob));
        QVERIFY(used <= quota);
        QVERIFY(used + blob > quota);
    }

    void revokingBobsGrantStopsCarol()
    {
        const Run revoke = ok(QStringLiteral("alice"), {QStringLiteral("grant"), QStringLiteral("revoke"), QString::number(m_aliceGrant)});
        QCOMPARE(revoke.code, 0);
        const QString small = writeBlob(QStringLiteral("small"), 100, 'x');
        const Run put = hivectl(QStringLiteral("carol"), {QStringLiteral("objects"), QStringLiteral("put"), QStringLiteral("--grant"),
                                                          QString::number(m_carolGrant), small});
        QCOMPARE(put.code, 1);
        QVERIFY2(put.err.contains(QLatin1String("refused")), qPrintable(put.err));
        QVERIFY(!put.out.contains(QLatin1String("stored")));
        // Bob hears of it too.
        QCOMPARE(ok(QStringLiteral("bob"), {QStringLiteral("sync")}).code, 0);
        const Run list = ok(QStringLiteral("bob"), {QStringLiteral("grant"), QStringLiteral("list")});
        QVERIFY2(QRegularExpression(QStringLiteral("received .* revoked$"), QRegularExpression::MultilineOption).match(list.out).hasMatch(),
                 qPrintable(list.out));
    }

    void replayedInviteIsRefusedByTheNode()
    {
        // Bob posts a request with the invite of the card he already used.
        const Run again = hivectl(QStringLiteral("bob"), {QStringLiteral("contact"), QStringLiteral("add"), m_aliceCard});
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains(QLatin1String("invite already used")), qPrintable(again.err));
        const Run aliceSync = ok(QStringLiteral("alice"), {QStringLiteral("sync")});
        QVERIFY(!aliceSync.out.contains(QLatin1String("Friend request")));
    }

    void forgedCardIsRefusedAndChangesNothing()
    {
        // Alice's card with one byte of the display name changed: the signature no longer holds.
        const QString uri = ok(QStringLiteral("alice"), {QStringLiteral("card")}).out.trimmed();
        auto card = wire::ContactCard::fromUri(uri.toStdString(), static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch()));
        QVERIFY(card.ok());
        card->displayName = "Alicf";
        const QString forged = QString::fromStdString(card->toUri());
        const QString vault = profile(QStringLiteral("carol")) + QStringLiteral("/vault.db");
        const QByteArray before = fileHash(vault);
        const Run add = hivectl(QStringLiteral("carol"), {QStringLiteral("contact"), QStringLiteral("add"), forged});
        QCOMPARE(add.code, 1);
        QVERIFY2(add.err.contains(QLatin1String("signature")), qPrintable(add.err));
        QVERIFY(!before.isEmpty());
        QCOMPARE(fileHash(vault), before);
    }
};

QTEST_GUILESS_MAIN(TestThreePeople)
#include "test_three_people.moc"
