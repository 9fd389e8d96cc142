// hivectl card / contact end to end: cards as links and QR images, trust levels from how a
// card arrived, each kind of bad card refused with its own message, exit code 1 and a
// byte-identical vault, changed keys that need a decision, and safety numbers that match
// on both sides.
#include "trust/qr.h"
#include "wire/base32.h"
#include "wire/contactcard.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace hive;

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

QByteArray fileHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// A card signed by a throw-away key, for the cases hivectl cannot produce itself.
wire::ContactCard foreignCard(std::uint8_t seedByte, std::uint64_t expires)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(seedByte);
    auto key = wire::SigningKey::fromSeed(seed).release();
    wire::ContactCard card;
    card.identityKey = key.publicKey;
    card.displayName = "Mallory";
    card.inviteSecret = Bytes(16, 0x5a);
    card.expires = expires;
    if (!card.sign(key))
        qFatal("cannot sign");
    return card;
}

// The 60 digits of `verify` output (three lines of four groups).
QString digitsIn(const QString& text)
{
    static const QRegularExpression line(QStringLiteral("^(\\d{5}) (\\d{5}) (\\d{5}) (\\d{5})$"),
                                         QRegularExpression::MultilineOption);
    QString digits;
    auto it = line.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        for (int i = 1; i <= 4; ++i)
            digits += m.captured(i);
    }
    return digits;
}

} // namespace

class TestHivectlTrust : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    Run hivectl(const QStringList& arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HIVE_PASSPHRASE"), QStringLiteral("correct horse"));
        env.insert(QStringLiteral("HIVE_KDF_FAST"), QStringLiteral("1"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/hive-test-bus"));
        env.insert(QStringLiteral("HOME"), m_tmp.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_tmp.filePath(QStringLiteral("home/data")));
        process.setProcessEnvironment(env);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(QStringLiteral(HIVECTL_PATH), arguments);
        Run run;
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
            return run;
        }
        run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    Run as(const QString& profile, QStringList arguments)
    {
        arguments.prepend(dir(profile));
        arguments.prepend(QStringLiteral("--profile"));
        return hivectl(arguments);
    }

    QString dir(const QString& profile) const { return m_tmp.filePath(profile); }
    QString file(const QString& name) const { return m_tmp.filePath(name); }

    void init(const QString& profile, const QString& name)
    {
        const Run run = as(profile, {QStringLiteral("init"), QStringLiteral("--name"), name});
        QVERIFY2(run.code == 0, qPrintable(run.err));
    }

    QString cardOf(const QString& profile, const QString& png = {})
    {
        QStringList args {QStringLiteral("card")};
        if (!png.isEmpty())
            args << QStringLiteral("--png") << png;
        const Run run = as(profile, args);
        if (run.code != 0)
            qWarning("card failed: %s", qPrintable(run.err));
        return run.out.trimmed();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        init(QStringLiteral("alice"), QStringLiteral("Alice"));
        init(QStringLiteral("bob"), QStringLiteral("Bob"));
        init(QStringLiteral("carol"), QStringLiteral("Carol"));
        init(QStringLiteral("bob2"), QStringLiteral("Bob"));
    }

    void helpAndUsageErrors()
    {
        const Run top = hivectl({QStringLiteral("--help")});
        QCOMPARE(top.code, 0);
        QVERIFY(top.out.contains(QRegularExpression(QStringLiteral("^  card "), QRegularExpression::MultilineOption)));
        QVERIFY(top.out.contains(QRegularExpression(QStringLiteral("^  contact "), QRegularExpression::MultilineOption)));
        for (const QString& command : {QStringLiteral("card"), QStringLiteral("contact")}) {
            const Run help = hivectl({command, QStringLiteral("--help")});
            QCOMPARE(help.code, 0);
            QVERIFY(help.out.startsWith(QStringLiteral("Usage: hivectl [--profile DIR] %1").arg(command)));
        }
        const QList<QStringList> usage = {
            {QStringLiteral("card"), QStringLiteral("--expires"), QStringLiteral("0")},
            {QStringLiteral("card"), QStringLiteral("--bogus")},
            {QStringLiteral("contact")},
            {QStringLiteral("contact"), QStringLiteral("frobnicate")},
            {QStringLiteral("contact"), QStringLiteral("add")},
            {QStringLiteral("contact"), QStringLiteral("verify")},
            {QStringLiteral("contact"), QStringLiteral("list"), QStringLiteral("--confirm")},
            {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Bob"), QStringLiteral("--confirm"),
             QStringLiteral("--scanned"), QStringLiteral("x")},
        };
        for (const QStringList& args : usage) {
            const Run run = as(QStringLiteral("alice"), args);
            QVERIFY2(run.code == 2, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.err));
            QVERIFY(run.err.contains(QStringLiteral("--help")));
        }
    }

    void cardIsALinkAndAQrImage()
    {
        const QString png = file(QStringLiteral("alice-card.png"));
        const QString uri = cardOf(QStringLiteral("alice"), png);
        QVERIFY(uri.startsWith(QStringLiteral("hive:")));
        const auto now = static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch());
        auto card = wire::ContactCard::fromUri(uri.toStdString(), now);
        QVERIFY2(card.ok(), card.ok() ? "" : card.error().message());
        QCOMPARE(QString::fromStdString(card->displayName), QStringLiteral("Alice"));
        QVERIFY(card->expires > now + 6 * 86400 && card->expires <= now + 7 * 86400 + 60);
        auto scanned = core::qr::decodeFile(png);
        QVERIFY(scanned.ok());
        QVERIFY(scanned->startsWith(QStringLiteral("HIVE:")));
        QVERIFY(wire::ContactCard::fromUri(scanned->toStdString(), now)->identityKey == card->identityKey);
        // Every card carries a new invite.
        QVERIFY(cardOf(QStringLiteral("alice")) != uri);
    }

    void trustLevelFollowsHowTheCardArrived()
    {
        const QString png = file(QStringLiteral("alice-for-bob.png"));
        cardOf(QStringLiteral("alice"), png);
        const Run scanned = as(QStringLiteral("bob"), {QStringLiteral("contact"), QStringLiteral("add"),
                                                       QStringLiteral("--qr-image"), png});
        QVERIFY2(scanned.code == 0, qPrintable(scanned.err));
        QVERIFY(scanned.out.contains(QStringLiteral("trust:       verified in person")));

        const Run linked = as(QStringLiteral("alice"),
                              {QStringLiteral("contact"), QStringLiteral("add"), cardOf(QStringLiteral("bob"))});
        QVERIFY2(linked.code == 0, qPrintable(linked.err));
        QVERIFY(linked.out.contains(QStringLiteral("trust:       unverified")));

        const Run list = as(QStringLiteral("alice"), {QStringLiteral("contact"), QStringLiteral("list")});
        QCOMPARE(list.code, 0);
        QVERIFY(list.out.contains(QRegularExpression(
            QStringLiteral("^Bob +unverified +(?:[a-z2-7]{4} ){7}[a-z2-7]{4} +-$"), QRegularExpression::MultilineOption)));
        const Run bobList = as(QStringLiteral("bob"), {QStringLiteral("contact"), QStringLiteral("list")});
        QVERIFY(bobList.out.contains(QRegularExpression(QStringLiteral("^Alice +verified in person "),
                                                        QRegularExpression::MultilineOption)));
    }

    void badCardsAreRefusedAndChangeNothing()
    {
        const QString carol = QStringLiteral("carol");
        const QString vault = dir(carol) + QStringLiteral("/vault.db");
        const QByteArray before = fileHash(vault);
        QVERIFY(!before.isEmpty());

        const auto now = static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch());
        const std::string good = foreignCard(1, now + 3600).toUri();
        wire::ContactCard forged = foreignCard(2, now + 3600);
        forged.displayName = "Alice";
        Bytes versioned = foreignCard(3, now + 3600).encode();
        versioned[0] = 9;
        const QString notHive = file(QStringLiteral("web.png"));
        QVERIFY(core::qr::encode(QStringLiteral("https://example.org/"))->save(notHive));
        const QString noCode = file(QStringLiteral("blank.png"));
        QImage blank(200, 200, QImage::Format_Grayscale8);
        blank.fill(255);
        QVERIFY(blank.save(noCode));

        const QList<std::pair<QStringList, QString>> cases = {
            {{QStringLiteral("https://example.org/card")}, QStringLiteral("not a Hive contact code")},
            {{QString::fromStdString(good.substr(0, good.size() - 9))}, QStringLiteral("cut short")},
            {{QStringLiteral("hive:abc!def")}, QStringLiteral("base32")},
            {{QStringLiteral("hive:") + QString::fromStdString(base32::encode(versioned))},
             QStringLiteral("version")},
            {{QString::fromStdString(forged.toUri())}, QStringLiteral("signature")},
            {{QString::fromStdString(foreignCard(4, now - 60).toUri())}, QStringLiteral("expired")},
            {{QStringLiteral("--qr-image"), notHive}, QStringLiteral("not a Hive contact code")},
            {{QStringLiteral("--qr-image"), noCode}, QStringLiteral("no QR code")},
            {{QStringLiteral("--qr-image"), file(QStringLiteral("missing.png"))}, QStringLiteral("cannot read")},
        };
        for (const auto& [extra, message] : cases) {
            const Run run = as(carol, QStringList {QStringLiteral("contact"), QStringLiteral("add")} + extra);
            QVERIFY2(run.code == 1, qPrintable(extra.join(QLatin1Char(' ')) + QStringLiteral(" -> ") + run.err));
            QVERIFY2(run.err.contains(message), qPrintable(run.err));
            QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
        }
        // Bad cards are refused before the profile is opened: the vault is byte-identical.
        QCOMPARE(fileHash(vault), before);

        // One's own card is refused after opening (it needs the identity); still no contact.
        const Run own = as(carol, {QStringLiteral("contact"), QStringLiteral("add"), cardOf(carol)});
        QCOMPARE(own.code, 1);
        QVERIFY2(own.err.contains(QStringLiteral("your own card")), qPrintable(own.err));
        const Run list = as(carol, {QStringLiteral("contact"), QStringLiteral("list")});
        QCOMPARE(list.code, 0);
        QVERIFY(list.out.startsWith(QStringLiteral("No contacts yet")));
    }

    void changedKeyNeedsADecision()
    {
        // "Bob" with another key (a reinstalled Bob, or someone pretending).
        const QString alice = QStringLiteral("alice");
        const Run changed = as(alice, {QStringLiteral("contact"), QStringLiteral("add"), cardOf(QStringLiteral("bob2"))});
        QCOMPARE(changed.code, 1);
        QVERIFY(changed.err.contains(QStringLiteral("WARNING")));
        QVERIFY(changed.err.contains(QStringLiteral("accept-key")));
        const Run list = as(alice, {QStringLiteral("contact"), QStringLiteral("list")});
        QVERIFY(list.out.contains(QRegularExpression(QStringLiteral("^Bob +KEY CHANGED "), QRegularExpression::MultilineOption)));
        // Verifying is refused while the decision is open.
        QCOMPARE(as(alice, {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Bob")}).code, 1);

        const Run declined = as(alice, {QStringLiteral("contact"), QStringLiteral("decline-key"), QStringLiteral("Bob")});
        QCOMPARE(declined.code, 0);
        QCOMPARE(as(alice, {QStringLiteral("contact"), QStringLiteral("decline-key"), QStringLiteral("Bob")}).code, 1);

        QCOMPARE(as(alice, {QStringLiteral("contact"), QStringLiteral("add"), cardOf(QStringLiteral("bob2"))}).code, 1);
        const Run accepted = as(alice, {QStringLiteral("contact"), QStringLiteral("accept-key"), QStringLiteral("Bob")});
        QVERIFY2(accepted.code == 0, qPrintable(accepted.err));
        QVERIFY(accepted.out.contains(QStringLiteral("trust:       unverified")));
        const Run whoami = as(QStringLiteral("bob2"), {QStringLiteral("whoami")});
        const QString bob2Print =
            whoami.out.section(QStringLiteral("fingerprint: "), 1).section(QLatin1Char('\n'), 0, 0).trimmed();
        QVERIFY(!bob2Print.isEmpty());
        QVERIFY(accepted.out.contains(bob2Print));
        QCOMPARE(as(alice, {QStringLiteral("contact"), QStringLiteral("accept-key"), QStringLiteral("Nobody")}).code, 1);
    }

    void safetyNumbersMatchAndVerify()
    {
        // Bob (verified in person at Alice's code) and Carol meet remotely.
        const QString bob = QStringLiteral("bob");
        const QString carol = QStringLiteral("carol");
        QCOMPARE(as(bob, {QStringLiteral("contact"), QStringLiteral("add"), cardOf(carol)}).code, 0);
        QCOMPARE(as(carol, {QStringLiteral("contact"), QStringLiteral("add"), cardOf(bob)}).code, 0);

        const QString carolPng = file(QStringLiteral("carol-safety.png"));
        const Run fromBob = as(bob, {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Carol")});
        const Run fromCarol = as(carol, {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Bob"),
                                         QStringLiteral("--png"), carolPng});
        QCOMPARE(fromBob.code, 0);
        QCOMPARE(fromCarol.code, 0);
        QCOMPARE(digitsIn(fromBob.out).size(), 60);
        QCOMPARE(digitsIn(fromBob.out), digitsIn(fromCarol.out));

        // Alice's screen is not Carol's: scanning it changes nothing.
        const QString alicePng = file(QStringLiteral("alice-safety.png"));
        QCOMPARE(as(QStringLiteral("alice"), {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Bob"),
                                              QStringLiteral("--png"), alicePng})
                     .code,
                 0);
        const Run wrong = as(bob, {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Carol"),
                                   QStringLiteral("--scanned"), alicePng});
        QCOMPARE(wrong.code, 1);
        QVERIFY(wrong.err.contains(QStringLiteral("does not match")));
        QVERIFY(as(bob, {QStringLiteral("contact"), QStringLiteral("list")})
                    .out.contains(QRegularExpression(QStringLiteral("^Carol +unverified "), QRegularExpression::MultilineOption)));

        const Run right = as(bob, {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Carol"),
                                   QStringLiteral("--scanned"), carolPng});
        QVERIFY2(right.code == 0, qPrintable(right.err));
        QVERIFY(as(bob, {QStringLiteral("contact"), QStringLiteral("list")})
                    .out.contains(QRegularExpression(QStringLiteral("^Carol +verified by safety number "),
                                                     QRegularExpression::MultilineOption)));
        // The scannable text works as well as the image, and --confirm after reading digits.
        const QString text = fromBob.out.section(QStringLiteral("scannable: "), 1).section(QLatin1Char('\n'), 0, 0);
        QVERIFY(text.startsWith(QStringLiteral("HIVE-SAFETY:")));
        const Run confirm = as(carol, {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Bob"),
                                       QStringLiteral("--confirm")});
        QCOMPARE(confirm.code, 0);
        QVERIFY(as(carol, {QStringLiteral("contact"), QStringLiteral("list")})
                    .out.contains(QRegularExpression(QStringLiteral("^Bob +verified by safety number "),
                                                     QRegularExpression::MultilineOption)));
        const Run garbage = as(carol, {QStringLiteral("contact"), QStringLiteral("verify"), QStringLiteral("Bob"),
                                       QStringLiteral("--scanned"), QStringLiteral("zz-not-hex")});
        QCOMPARE(garbage.code, 1);
    }
};

QTEST_GUILESS_MAIN(TestHivectlTrust)
#include "test_hivectl_trust.moc"
