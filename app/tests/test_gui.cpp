// The real `hive` window under Xvfb: a profile prepared with hivectl, the app started on
// it (unlocking through HIVE_PASSPHRASE where the case needs it), a screenshot saved for
// every screen, and checks that each picture shows the expected screen and is not blank.
// The PNGs stay in build/<preset>/screenshots/ for people to look at.
#include <QDir>
#include <QFile>
#include <QHash>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

struct Shown {
    int code = -1;
    QString title;
    QString heading;
    QString view;
    QString page;
    QString layout;
    QImage image;
    QString log;
};

const char* const kPassphrase = "gui test passphrase";

double luminance(QRgb c)
{
    return 0.2126 * qRed(c) + 0.7152 * qGreen(c) + 0.0722 * qBlue(c);
}

} // namespace

class TestGui : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QProcess m_xvfb;
    QString m_display;
    QString m_profile;
    QString m_screenshots = QStringLiteral(HIVE_SCREENSHOT_DIR);

    QProcessEnvironment baseEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("HIVE_PASSPHRASE"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.insert(QStringLiteral("DISPLAY"), m_display);
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        // Xvfb may have no usable OpenGL; the software scene graph renders the same UI.
        env.insert(QStringLiteral("QT_QUICK_BACKEND"), QStringLiteral("software"));
        env.insert(QStringLiteral("HIVE_KDF_FAST"), QStringLiteral("1"));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/hive-test-bus"));
        env.insert(QStringLiteral("HOME"), m_tmp.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_tmp.filePath(QStringLiteral("runtime")));
        // The UI follows the system language; pin it so the pictures are comparable.
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
        env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("en"));
        env.remove(QStringLiteral("LC_ALL"));
        env.remove(QStringLiteral("LC_MESSAGES"));
        return env;
    }

    // Starts hive, waits for it to save its screenshot and quit, and parses what it printed.
    Shown show(const QString& name, const QString& profile, const QStringList& extra, const char* passphrase)
    {
        Shown shown;
        const QString file = QDir(m_screenshots).filePath(name + QStringLiteral(".png"));
        QFile::remove(file);
        QProcess hive;
        QProcessEnvironment env = baseEnvironment();
        if (passphrase != nullptr)
            env.insert(QStringLiteral("HIVE_PASSPHRASE"), QString::fromUtf8(passphrase));
        hive.setProcessEnvironment(env);
        hive.start(QStringLiteral(HIVE_PATH),
                   QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--screenshot"), file} + extra);
        if (!hive.waitForFinished(90000)) {
            hive.kill();
            hive.waitForFinished();
        }
        shown.code = hive.exitStatus() == QProcess::NormalExit ? hive.exitCode() : -2;
        const QString out = QString::fromUtf8(hive.readAllStandardOutput());
        shown.log = out + QString::fromUtf8(hive.readAllStandardError());
        static const QRegularExpression marker(QStringLiteral(
            "^hive: window title=\"([^\"]*)\" heading=\"([^\"]*)\" view=(\\S+) page=(\\S+) layout=(\\S+) size=\\d+x\\d+ screenshot="),
            QRegularExpression::MultilineOption);
        const auto match = marker.match(out);
        if (match.hasMatch()) {
            shown.title = match.captured(1);
            shown.heading = match.captured(2);
            shown.view = match.captured(3);
            shown.page = match.captured(4);
            shown.layout = match.captured(5);
        }
        shown.image.load(file);
        return shown;
    }

    // Not blank: many colours (text, controls, anti-aliasing), no colour covering the whole
    // window, and content spread over the window rather than a speck in one corner.
    static void verifyNotBlank(const QImage& image)
    {
        QVERIFY(!image.isNull());
        QHash<QRgb, int> counts;
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < rgb.height(); ++y) {
            const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
            for (int x = 0; x < rgb.width(); ++x)
                ++counts[line[x]];
        }
        QRgb background = 0;
        int most = 0;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
            if (it.value() > most) {
                most = it.value();
                background = it.key();
            }
        }
        QRect content;
        for (int y = 0; y < rgb.height(); ++y) {
            const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
            for (int x = 0; x < rgb.width(); ++x)
                if (line[x] != background)
                    content |= QRect(x, y, 1, 1);
        }
        const double share = double(most) / (double(rgb.width()) * rgb.height());
        QVERIFY2(counts.size() >= 64, qPrintable(QStringLiteral("only %1 colours").arg(counts.size())));
        QVERIFY2(share < 0.99, qPrintable(QStringLiteral("one colour covers %1%").arg(share * 100)));
        QVERIFY2(content.width() > rgb.width() * 0.3 && content.height() > rgb.height() * 0.3,
                 qPrintable(QStringLiteral("content only in %1x%2").arg(content.width()).arg(content.height())));
    }

    static double meanLuminance(const QImage& image)
    {
        double sum = 0;
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < rgb.height(); y += 4)
            for (int x = 0; x < rgb.width(); x += 4)
                sum += luminance(rgb.pixel(x, y));
        return sum / ((rgb.height() / 4.0) * (rgb.width() / 4.0));
    }

    struct Run {
        int code = -1;
        QString out;
        QString err;
    };

    // hivectl on `profile`, unlocked with the test passphrase.
    Run hivectl(const QString& profile, const QStringList& arguments)
    {
        QProcess process;
        QProcessEnvironment env = baseEnvironment();
        env.insert(QStringLiteral("HIVE_PASSPHRASE"), QString::fromUtf8(kPassphrase));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(HIVECTL_PATH), QStringList{QStringLiteral("--profile"), profile} + arguments);
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
        }
        Run run;
        run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    // A hive-node owned by `profile`'s identity, listening on a free loopback port, made
    // the profile's personal node. The process is left in `node` (ended by pid at the end).
    QString startNodeFor(const QString& profile, QProcess& node)
    {
        const Run whoami = hivectl(profile, {QStringLiteral("whoami")});
        static const QRegularExpression keyLine(QStringLiteral("^key:\\s+(\\S+)"), QRegularExpression::MultilineOption);
        const QString key = keyLine.match(whoami.out).captured(1);
        if (key.isEmpty())
            return QStringLiteral("no key in: ") + whoami.out + whoami.err;
        const QString data = profile + QStringLiteral("-node");
        QProcess init;
        init.start(QStringLiteral(HIVE_NODE_PATH), {QStringLiteral("init"), QStringLiteral("--data"), data, QStringLiteral("--owner"),
                                                   key, QStringLiteral("--size"), QStringLiteral("16M")});
        if (!init.waitForFinished(30000) || init.exitCode() != 0)
            return QStringLiteral("hive-node init failed: ") + QString::fromUtf8(init.readAllStandardError());
        node.start(QStringLiteral(HIVE_NODE_PATH), {QStringLiteral("run"), QStringLiteral("--data"), data, QStringLiteral("--listen"),
                                                   QStringLiteral("127.0.0.1:0")});
        if (!node.waitForStarted(10000))
            return QStringLiteral("hive-node did not start");
        QByteArray log;
        QString address;
        for (int i = 0; i < 150 && address.isEmpty() && node.state() == QProcess::Running; ++i) {
            node.waitForReadyRead(100);
            log += node.readAllStandardError();
            const auto at = log.indexOf("listening on ");
            if (at >= 0 && log.indexOf('\n', at) > 0)
                address = QString::fromUtf8(log.mid(at + 13, log.indexOf('\n', at) - at - 13)).trimmed();
        }
        if (address.isEmpty())
            return QStringLiteral("hive-node printed no address: ") + QString::fromUtf8(log);
        const Run use = hivectl(profile, {QStringLiteral("node"), QStringLiteral("use"), address});
        if (use.code != 0)
            return QStringLiteral("node use failed: ") + use.err;
        return QString();
    }

    static void stopNode(QProcess& node)
    {
        if (node.state() == QProcess::NotRunning)
            return;
        node.terminate();
        if (!node.waitForFinished(5000)) {
            node.kill();
            node.waitForFinished();
        }
    }

    void writeUiSettings(const QString& profile, const QString& language, const QString& theme)
    {
        QSettings settings(profile + QStringLiteral("/ui.ini"), QSettings::IniFormat);
        settings.setValue(QStringLiteral("ui/language"), language);
        settings.setValue(QStringLiteral("ui/theme"), theme);
        settings.sync();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY(QDir().mkpath(m_screenshots));
        QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("runtime"))));
        QFile::setPermissions(m_tmp.filePath(QStringLiteral("runtime")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

        // Our own X server on a free display: -displayfd makes Xvfb pick the number and
        // print it on stdout once it accepts connections.
        const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        QVERIFY2(!xvfb.isEmpty(), "Xvfb is missing: run scripts/setup");
        m_xvfb.start(xvfb, {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"), QStringLiteral("0"),
                            QStringLiteral("1280x800x24"), QStringLiteral("-nolisten"), QStringLiteral("tcp")});
        QVERIFY(m_xvfb.waitForStarted(10000));
        QByteArray number;
        for (int i = 0; i < 100 && !number.contains('\n'); ++i) {
            m_xvfb.waitForReadyRead(100);
            number += m_xvfb.readAllStandardOutput();
        }
        QVERIFY2(number.trimmed().toInt() >= 0 && !number.trimmed().isEmpty(), number.constData());
        m_display = QStringLiteral(":") + QString::fromLatin1(number.trimmed());

        m_profile = m_tmp.filePath(QStringLiteral("alice"));
        QProcess hivectl;
        QProcessEnvironment env = baseEnvironment();
        env.insert(QStringLiteral("HIVE_PASSPHRASE"), QString::fromUtf8(kPassphrase));
        hivectl.setProcessEnvironment(env);
        hivectl.start(QStringLiteral(HIVECTL_PATH), {QStringLiteral("--profile"), m_profile, QStringLiteral("init"),
                                                      QStringLiteral("--name"), QStringLiteral("Alice Example")});
        QVERIFY(hivectl.waitForFinished(60000));
        QVERIFY2(hivectl.exitCode() == 0, hivectl.readAllStandardError().constData());
    }

    void cleanupTestCase()
    {
        if (m_xvfb.state() != QProcess::NotRunning) {
            m_xvfb.terminate();
            if (!m_xvfb.waitForFinished(5000)) {
                m_xvfb.kill();
                m_xvfb.waitForFinished();
            }
        }
    }

    void firstRunShowsOnboarding()
    {
        const Shown shown = show(QStringLiteral("onboarding"), m_tmp.filePath(QStringLiteral("fresh")), {}, nullptr);
        QVERIFY2(shown.code == 0, qPrintable(shown.log));
        QCOMPARE(shown.view, QStringLiteral("onboarding"));
        QCOMPARE(shown.heading, QStringLiteral("Welcome to Hive"));
        QCOMPARE(shown.title, QStringLiteral("Hive"));
        QCOMPARE(shown.image.size(), QSize(1100, 720));
        verifyNotBlank(shown.image);
    }

    void passphraseProfileShowsUnlock()
    {
        const Shown shown = show(QStringLiteral("unlock"), m_profile, {}, nullptr);
        QVERIFY2(shown.code == 0, qPrintable(shown.log));
        QCOMPARE(shown.view, QStringLiteral("unlock"));
        verifyNotBlank(shown.image);
    }

    void wrongPassphraseStaysOnUnlock()
    {
        const Shown shown = show(QStringLiteral("unlock-wrong-passphrase"), m_profile, {}, "not the passphrase");
        QVERIFY2(shown.code == 0, qPrintable(shown.log));
        QCOMPARE(shown.view, QStringLiteral("unlock"));
        verifyNotBlank(shown.image);
    }

    void unlockedShowsMainWindowWide()
    {
        const Shown shown = show(QStringLiteral("main-wide"), m_profile, {}, kPassphrase);
        QVERIFY2(shown.code == 0, qPrintable(shown.log));
        QCOMPARE(shown.view, QStringLiteral("main"));
        QCOMPARE(shown.page, QStringLiteral("home"));
        QCOMPARE(shown.heading, QStringLiteral("Me"));
        QCOMPARE(shown.layout, QStringLiteral("wide"));
        QCOMPARE(shown.title, QStringLiteral("Hive — Alice Example"));
        QCOMPARE(shown.image.size(), QSize(1100, 720));
        verifyNotBlank(shown.image);
    }

    void unlockedShowsMainWindowNarrow()
    {
        const Shown shown = show(QStringLiteral("main-narrow"), m_profile, {QStringLiteral("--size"), QStringLiteral("400x800")},
                                 kPassphrase);
        QVERIFY2(shown.code == 0, qPrintable(shown.log));
        QCOMPARE(shown.view, QStringLiteral("main"));
        QCOMPARE(shown.layout, QStringLiteral("narrow"));
        QCOMPARE(shown.image.size(), QSize(400, 800));
        verifyNotBlank(shown.image);
    }

    void pagesOpenFromTheCommandLine_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("size");
        QTest::newRow("settings") << "settings" << "1100x720";
        QTest::newRow("settings narrow") << "settings" << "400x800";
        for (const char* plugin : {"messaging", "presence", "backup", "resources"})
            QTest::newRow(plugin) << plugin << "1100x720";
        QTest::newRow("messaging narrow") << "messaging" << "400x800";
    }
    void pagesOpenFromTheCommandLine()
    {
        QFETCH(QString, page);
        QFETCH(QString, size);
        const QString name = page + (size.startsWith(QLatin1String("400")) ? QStringLiteral("-narrow") : QString());
        const Shown shown = show(name, m_profile, {QStringLiteral("--page"), page, QStringLiteral("--size"), size}, kPassphrase);
        QVERIFY2(shown.code == 0, qPrintable(shown.log));
        QCOMPARE(shown.view, QStringLiteral("main"));
        QCOMPARE(shown.page, page);
        verifyNotBlank(shown.image);
    }

    // The theme and language stored by Settings apply at the next start, before unlock too.
    void storedThemeAndLanguageApply()
    {
        const Shown light = show(QStringLiteral("main-light"), m_profile, {}, kPassphrase);
        QVERIFY2(light.code == 0, qPrintable(light.log));

        writeUiSettings(m_profile, QStringLiteral("de"), QStringLiteral("dark"));
        const Shown dark = show(QStringLiteral("settings-de-dark"), m_profile, {QStringLiteral("--page"), QStringLiteral("settings")},
                                kPassphrase);
        const Shown unlockDe = show(QStringLiteral("unlock-de-dark"), m_profile, {}, nullptr);
        writeUiSettings(m_profile, QStringLiteral("es"), QStringLiteral("light"));
        const Shown homeEs = show(QStringLiteral("main-es"), m_profile, {}, kPassphrase);
        writeUiSettings(m_profile, QString(), QStringLiteral("system"));

        QVERIFY2(dark.code == 0, qPrintable(dark.log));
        QCOMPARE(dark.page, QStringLiteral("settings"));
        QCOMPARE(dark.heading, QStringLiteral("Einstellungen"));
        verifyNotBlank(dark.image);
        QVERIFY2(meanLuminance(dark.image) < 90, qPrintable(QString::number(meanLuminance(dark.image))));
        QVERIFY2(meanLuminance(light.image) > 160, qPrintable(QString::number(meanLuminance(light.image))));
        QCOMPARE(unlockDe.view, QStringLiteral("unlock"));
        QCOMPARE(unlockDe.heading, QStringLiteral("Hive entsperren"));
        QVERIFY(meanLuminance(unlockDe.image) < 90);
        QVERIFY2(homeEs.code == 0, qPrintable(homeEs.log));
        QCOMPARE(homeEs.view, QStringLiteral("main"));
        QCOMPARE(homeEs.heading, QStringLiteral("Yo"));
        verifyNotBlank(homeEs.image);
    }

    // Two people with their own nodes become friends and write to each other with hivectl;
    // then Alice's app shows the chat list and the conversation (with delivery states),
    // wide and narrow, and the new-group dialog, all from her real messenger.
    void messagingShowsChatsWideAndNarrow()
    {
        const QString bob = m_tmp.filePath(QStringLiteral("bob"));
        const Run init = hivectl(bob, {QStringLiteral("init"), QStringLiteral("--name"), QStringLiteral("Bob Builder")});
        QVERIFY2(init.code == 0, qPrintable(init.err));
        QProcess aliceNode;
        QProcess bobNode;
        const QString aliceUp = startNodeFor(m_profile, aliceNode);
        const QString bobUp = startNodeFor(bob, bobNode);
        const auto stopNodes = qScopeGuard([&] {
            stopNode(aliceNode);
            stopNode(bobNode);
        });
        QVERIFY2(aliceUp.isEmpty(), qPrintable(aliceUp));
        QVERIFY2(bobUp.isEmpty(), qPrintable(bobUp));

        // Friends: Alice adds Bob's card (a request to his node), Bob accepts, Alice syncs.
        const Run card = hivectl(bob, {QStringLiteral("card")});
        QVERIFY2(card.code == 0, qPrintable(card.err));
        const QStringList steps[] = {
            {QStringLiteral("alice"), QStringLiteral("contact"), QStringLiteral("add"), card.out.trimmed()},
            {QStringLiteral("bob"), QStringLiteral("sync")},
            {QStringLiteral("bob"), QStringLiteral("contact"), QStringLiteral("accept"), QStringLiteral("Alice Example")},
            {QStringLiteral("alice"), QStringLiteral("sync")},
            {QStringLiteral("bob"), QStringLiteral("send"), QStringLiteral("Alice Example"),
             QStringLiteral("Hi Alice! Are we still climbing on Saturday?")},
            {QStringLiteral("alice"), QStringLiteral("sync")},
            {QStringLiteral("alice"), QStringLiteral("send"), QStringLiteral("Bob Builder"),
             QStringLiteral("Yes! I'll bring the rope and the snacks.")},
            {QStringLiteral("bob"), QStringLiteral("sync")},
            {QStringLiteral("bob"), QStringLiteral("messages"), QStringLiteral("Alice Example")},
            {QStringLiteral("bob"), QStringLiteral("send"), QStringLiteral("Alice Example"),
             QStringLiteral("Great, see you at nine at the crag.")},
            {QStringLiteral("alice"), QStringLiteral("sync")},
            {QStringLiteral("alice"), QStringLiteral("group"), QStringLiteral("create"), QStringLiteral("Climbing crew"),
             QStringLiteral("Bob Builder")},
            {QStringLiteral("alice"), QStringLiteral("group"), QStringLiteral("send"), QStringLiteral("Climbing crew"),
             QStringLiteral("Who is driving on Saturday?")},
        };
        for (const QStringList& step : steps) {
            const QString who = step.first() == QLatin1String("alice") ? m_profile : bob;
            const Run run = hivectl(who, step.mid(1));
            QVERIFY2(run.code == 0, qPrintable(step.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.out + run.err));
        }
        // A photo from Bob: stored encrypted on his node, fetched by Alice.
        QImage photo(480, 300, QImage::Format_RGB32);
        for (int y = 0; y < photo.height(); ++y)
            for (int x = 0; x < photo.width(); ++x)
                photo.setPixel(x, y, qRgb(40 + x * 150 / photo.width(), 90 + y * 120 / photo.height(), 160));
        const QString photoPath = m_tmp.filePath(QStringLiteral("crag.png"));
        QVERIFY(photo.save(photoPath));
        const Run sentPhoto = hivectl(bob, {QStringLiteral("send"), QStringLiteral("Alice Example"), QStringLiteral("--file"), photoPath});
        QVERIFY2(sentPhoto.code == 0, qPrintable(sentPhoto.out + sentPhoto.err));
        QCOMPARE(hivectl(m_profile, {QStringLiteral("sync")}).code, 0);

        // Reading the chat marks it read; one more message from Bob then waits unread.
        const Run history = hivectl(m_profile, {QStringLiteral("messages"), QStringLiteral("Bob Builder")});
        QVERIFY2(history.out.contains(QLatin1String("see you at nine")), qPrintable(history.out + history.err));
        QCOMPARE(hivectl(bob, {QStringLiteral("send"), QStringLiteral("Alice Example"), QStringLiteral("Bring your harness too!")}).code, 0);
        QCOMPARE(hivectl(m_profile, {QStringLiteral("sync")}).code, 0);

        struct Shot {
            const char* name;
            const char* page;
            const char* size;
        };
        const Shot shots[] = {
            {"messaging-chats-wide", "messaging", "1100x720"},
            {"messaging-conversation-wide", "messaging/Bob Builder", "1100x720"},
            {"messaging-chats-narrow", "messaging", "400x800"},
            {"messaging-conversation-narrow", "messaging/Bob Builder", "400x800"},
            {"messaging-new-group", "messaging/new-group", "1100x720"},
        };
        for (const Shot& shot : shots) {
            const Shown shown = show(QString::fromLatin1(shot.name), m_profile,
                                     {QStringLiteral("--page"), QString::fromUtf8(shot.page), QStringLiteral("--size"),
                                      QString::fromLatin1(shot.size)},
                                     kPassphrase);
            QVERIFY2(shown.code == 0, qPrintable(shown.log));
            QCOMPARE(shown.view, QStringLiteral("main"));
            QCOMPARE(shown.page, QStringLiteral("messaging"));
            QCOMPARE(shown.layout, QString::fromLatin1(shot.size).startsWith(QLatin1String("400")) ? QStringLiteral("narrow")
                                                                                                  : QStringLiteral("wide"));
            verifyNotBlank(shown.image);
        }
    }
};

QTEST_GUILESS_MAIN(TestGui)
#include "test_gui.moc"
