// hivectl end to end: every command, every exit code, --help everywhere, and the proof
// that a profile keeps nothing in plaintext.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

// Fingerprints are 8 groups of 4 lower-case base32 characters.
const QRegularExpression kFingerprint(QStringLiteral("^fingerprint: ((?:[a-z2-7]{4} ){7}[a-z2-7]{4})$"),
                                      QRegularExpression::MultilineOption);

} // namespace

class TestHivectl : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    // Runs hivectl; `passphrase` (if not null) becomes HIVE_PASSPHRASE.
    Run hivectl(const QStringList& arguments, const char* passphrase = nullptr)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("HIVE_PASSPHRASE"));
        // Cheap Argon2id costs: the suite creates many profiles.
        env.insert(QStringLiteral("HIVE_KDF_FAST"), QStringLiteral("1"));
        // No secret service may answer, whatever the machine running the tests has.
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/hive-test-bus"));
        env.insert(QStringLiteral("HOME"), m_tmp.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_tmp.filePath(QStringLiteral("home/data")));
        if (passphrase != nullptr)
            env.insert(QStringLiteral("HIVE_PASSPHRASE"), QString::fromUtf8(passphrase));
        process.setProcessEnvironment(env);
        // stdin is a closed pipe, never a terminal: hivectl must not wait for a prompt.
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

    QString newProfileDir() { return m_tmp.filePath(QStringLiteral("p%1").arg(++m_counter)); }
    int m_counter = 0;

    static QString fingerprintIn(const QString& text)
    {
        const auto match = kFingerprint.match(text);
        return match.hasMatch() ? match.captured(1) : QString();
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void topLevelHelpListsEveryCommand()
    {
        for (const QString& flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
            const Run run = hivectl({flag});
            QCOMPARE(run.code, 0);
            QVERIFY(run.out.startsWith(QStringLiteral("Usage: hivectl [--profile DIR] COMMAND")));
            for (const char* command : {"init", "whoami", "plugins"})
                QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("^  %1 ").arg(QLatin1String(command)),
                                                             QRegularExpression::MultilineOption)),
                         command);
            QVERIFY(run.err.isEmpty());
        }
    }

    void commandHelp_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("init") << "init" << "--name <NAME>";
        QTest::newRow("whoami") << "whoami" << "fingerprint";
        QTest::newRow("plugins") << "plugins" << "state";
    }
    void commandHelp()
    {
        QFETCH(QString, command);
        QFETCH(QString, mentions);
        const Run run = hivectl({command, QStringLiteral("--help")});
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.startsWith(QStringLiteral("Usage: hivectl [--profile DIR] %1").arg(command)), qPrintable(run.out));
        QVERIFY2(run.out.contains(mentions), qPrintable(run.out));
        // Help must not need a profile, even when --profile points nowhere.
        const Run withProfile = hivectl({QStringLiteral("--profile"), newProfileDir(), command, QStringLiteral("-h")});
        QCOMPARE(withProfile.code, 0);
    }

    void versionIsPrinted()
    {
        const Run run = hivectl({QStringLiteral("--version")});
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("^hivectl \\d+\\.\\d+\\.\\d+\\n$"))), qPrintable(run.out));
    }

    void usageErrorsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("hint");
        QTest::newRow("no command") << QStringList{} << "hivectl --help";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << "hivectl --help";
        QTest::newRow("unknown global option") << QStringList{"--bogus", "whoami"} << "hivectl --help";
        QTest::newRow("profile without value") << QStringList{"--profile"} << "hivectl --help";
        QTest::newRow("unknown init option") << QStringList{"init", "--bogus"} << "hivectl init --help";
        QTest::newRow("init without name") << QStringList{"init"} << "hivectl init --help";
        QTest::newRow("init name without value") << QStringList{"init", "--name"} << "hivectl init --help";
        QTest::newRow("init empty name") << QStringList{"init", "--name", "  "} << "hivectl init --help";
        QTest::newRow("whoami extra argument") << QStringList{"whoami", "extra"} << "hivectl whoami --help";
        QTest::newRow("plugins unknown option") << QStringList{"plugins", "--all"} << "hivectl plugins --help";
    }
    void usageErrorsExitWithTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, hint);
        const QString dir = newProfileDir();
        const Run run = hivectl(QStringList{QStringLiteral("--profile"), dir} + arguments, "pass phrase");
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.startsWith(QStringLiteral("hivectl: ")), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("Run '%1' for usage.").arg(hint)), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
        // A usage error never creates anything.
        QVERIFY(!QFileInfo::exists(dir) || QDir(dir).isEmpty());
    }

    void initWithoutPassphraseOrTerminalFails()
    {
        const QString dir = newProfileDir();
        const Run run = hivectl({QStringLiteral("--profile"), dir, QStringLiteral("init"), QStringLiteral("--name"),
                                 QStringLiteral("Alice")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.startsWith(QStringLiteral("hivectl: ")), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("HIVE_PASSPHRASE")), qPrintable(run.err));
        QVERIFY(!QFileInfo::exists(dir) || QDir(dir).isEmpty());
    }

    void initThenWhoamiShowsNameAndFingerprint()
    {
        const QString dir = newProfileDir();
        const Run init = hivectl({QStringLiteral("--profile"), dir, QStringLiteral("init"), QStringLiteral("--name"),
                                  QStringLiteral("Alice Liddell")},
                                 "correct horse battery");
        QCOMPARE(init.code, 0);
        QVERIFY2(init.err.isEmpty(), qPrintable(init.err));
        QVERIFY2(init.out.contains(QStringLiteral("Alice Liddell")), qPrintable(init.out));
        const QString fingerprint = fingerprintIn(init.out);
        QVERIFY2(!fingerprint.isEmpty(), qPrintable(init.out));

        const Run whoami = hivectl({QStringLiteral("--profile"), dir, QStringLiteral("whoami")}, "correct horse battery");
        QCOMPARE(whoami.code, 0);
        QVERIFY2(whoami.out.contains(QRegularExpression(QStringLiteral("^name: +Alice Liddell$"),
                                                        QRegularExpression::MultilineOption)),
                 qPrintable(whoami.out));
        QCOMPARE(fingerprintIn(whoami.out), fingerprint);
        // The identity key in base32, the form `hive-node init --owner` takes.
        const QRegularExpressionMatch key =
            QRegularExpression(QStringLiteral("^key: +([a-z2-7]{52})$"), QRegularExpression::MultilineOption).match(whoami.out);
        QVERIFY2(key.hasMatch(), qPrintable(whoami.out));

        // A second profile is a different identity.
        const QString other = newProfileDir();
        const Run init2 = hivectl({QStringLiteral("--profile"), other, QStringLiteral("init"), QStringLiteral("--name"),
                                   QStringLiteral("Alice Liddell")},
                                  "correct horse battery");
        QCOMPARE(init2.code, 0);
        QVERIFY(fingerprintIn(init2.out) != fingerprint);
    }

    void wrongPassphraseFailsClearly()
    {
        const QString dir = newProfileDir();
        QCOMPARE(hivectl({QStringLiteral("--profile"), dir, QStringLiteral("init"), QStringLiteral("--name"),
                          QStringLiteral("Bob")},
                         "right passphrase")
                     .code,
                 0);
        for (const char* command : {"whoami", "plugins"}) {
            const Run run = hivectl({QStringLiteral("--profile"), dir, QLatin1String(command)}, "wrong passphrase");
            QCOMPARE(run.code, 1);
            QVERIFY2(run.err.startsWith(QStringLiteral("hivectl: wrong passphrase")), qPrintable(run.err));
            QVERIFY(run.out.isEmpty());
            const Run none = hivectl({QStringLiteral("--profile"), dir, QLatin1String(command)});
            QCOMPARE(none.code, 1);
            QVERIFY2(none.err.contains(QStringLiteral("HIVE_PASSPHRASE")), qPrintable(none.err));
        }
    }

    void initOnExistingProfileFails()
    {
        const QString dir = newProfileDir();
        const QStringList init{QStringLiteral("--profile"), dir, QStringLiteral("init"), QStringLiteral("--name"),
                               QStringLiteral("Carol")};
        const Run first = hivectl(init, "first passphrase");
        QCOMPARE(first.code, 0);
        const QString fingerprint = fingerprintIn(first.out);
        const Run second = hivectl(init, "first passphrase");
        QCOMPARE(second.code, 1);
        QVERIFY2(second.err.startsWith(QStringLiteral("hivectl: a profile already exists")), qPrintable(second.err));
        // The first identity is untouched.
        const Run whoami = hivectl({QStringLiteral("--profile"), dir, QStringLiteral("whoami")}, "first passphrase");
        QCOMPARE(whoami.code, 0);
        QCOMPARE(fingerprintIn(whoami.out), fingerprint);
    }

    void whoamiWithoutProfileFails()
    {
        const QString dir = newProfileDir();
        const Run run = hivectl({QStringLiteral("--profile"), dir, QStringLiteral("whoami")}, "whatever");
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.startsWith(QStringLiteral("hivectl: no profile in")), qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("hivectl init --name")), qPrintable(run.err));
    }

    void keychainInitWithoutKeychainFails()
    {
        const QString dir = newProfileDir();
        const Run run = hivectl({QStringLiteral("--profile"), dir, QStringLiteral("init"), QStringLiteral("--name"),
                                 QStringLiteral("Dave"), QStringLiteral("--keychain")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.startsWith(QStringLiteral("hivectl: the system keychain cannot be reached")), qPrintable(run.err));
        QCOMPARE(hivectl({QStringLiteral("--profile"), dir, QStringLiteral("whoami")}, "x").code, 1);
    }

    void pluginsListsEveryPluginAligned()
    {
        const QString dir = newProfileDir();
        QCOMPARE(hivectl({QStringLiteral("--profile"), dir, QStringLiteral("init"), QStringLiteral("--name"),
                          QStringLiteral("Erin")},
                         "plugin passphrase")
                     .code,
                 0);
        const Run run = hivectl({QStringLiteral("--profile"), dir, QStringLiteral("plugins")}, "plugin passphrase");
        QCOMPARE(run.code, 0);
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QStringList ids;
        qsizetype versionColumn = -1;
        qsizetype stateColumn = -1;
        const QRegularExpression row(QStringLiteral("^([a-z][a-z0-9.-]*) +(\\d+\\.\\d+\\.\\d+) +(running)$"));
        for (const QString& line : lines) {
            const auto match = row.match(line);
            QVERIFY2(match.hasMatch(), qPrintable(line));
            ids << match.captured(1);
            if (versionColumn < 0) {
                versionColumn = match.capturedStart(2);
                stateColumn = match.capturedStart(3);
            }
            QCOMPARE(match.capturedStart(2), versionColumn);
            QCOMPARE(match.capturedStart(3), stateColumn);
        }
        ids.sort();
        QCOMPARE(ids, (QStringList{"backup", "messaging", "presence", "resources"}));
    }

    // Proof that nothing is stored in plaintext: after init, no file under the profile
    // holds the display name, in UTF-8 or UTF-16.
    void profileHoldsNoPlaintext()
    {
        const QString dir = newProfileDir();
        const QString name = QStringLiteral("Alice Plaintextprobe Ünïcødé");
        QCOMPARE(hivectl({QStringLiteral("--profile"), dir, QStringLiteral("init"), QStringLiteral("--name"), name},
                         "plaintext passphrase")
                     .code,
                 0);
        // Use the profile once more so that anything written on open is covered too.
        QCOMPARE(hivectl({QStringLiteral("--profile"), dir, QStringLiteral("plugins")}, "plaintext passphrase").code, 0);

        const QList<QByteArray> needles = {
            name.toUtf8(),
            QByteArray(reinterpret_cast<const char*>(name.utf16()), name.size() * 2),
            QByteArrayLiteral("Plaintextprobe"),
        };
        int files = 0;
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
            const QByteArray content = file.readAll();
            ++files;
            for (const QByteArray& needle : needles)
                QVERIFY2(!content.contains(needle), qPrintable(file.fileName()));
        }
        QVERIFY2(files >= 1, "the profile directory holds no file at all");
    }
};

QTEST_GUILESS_MAIN(TestHivectl)
#include "test_hivectl.moc"
