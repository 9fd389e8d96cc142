#include <QProcess>
#include <QtTest>

#include <csignal>

class TestSandbox : public QObject {
    Q_OBJECT
private:
    static QString probe() { return QCoreApplication::applicationDirPath() + "/sandbox_probe"; }

    struct Outcome {
        QProcess::ExitStatus status;
        int code;
        QByteArray out;
    };
    static Outcome run(const QString& what)
    {
        QProcess p;
        p.start(probe(), {what});
        if (!p.waitForFinished(20000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus(), p.exitCode(), p.readAllStandardOutput()};
    }

private slots:
    void allowedCallsKeepWorking()
    {
        auto o = run("allowed");
        QCOMPARE(o.status, QProcess::NormalExit);
        QCOMPARE(o.code, 0);
        QCOMPARE(o.out, QByteArray("still alive\n"));
    }
    void forbiddenCallKillsTheProcess_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("new socket") << "socket";
        QTest::newRow("open a file") << "open";
        QTest::newRow("executable mapping") << "exec-map";
    }
    void forbiddenCallKillsTheProcess()
    {
        QFETCH(QString, what);
        auto o = run(what);
        QCOMPARE(o.status, QProcess::CrashExit);
        QCOMPARE(o.code, SIGSYS);
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "test_sandbox.moc"
