// AppController, the object the QML shell drives: onboarding creates a profile, unlock
// takes the right passphrase and refuses a wrong one, the passphrase can be changed, and
// the language and theme are remembered per profile.
#include "appcontroller.h"
#include "localization.h"

#include "node/personalnode.h"
#include "staticplugins.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using hive::app::AppController;

namespace {

// kill(pid, 0) succeeds while the process (or its unreaped zombie) exists; QProcess reaps
// the node when it has ended, so a stopped node is gone entirely.
bool processAlive(qint64 pid)
{
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

} // namespace

class TestAppController : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    hive::app::Localization m_localization;

    std::unique_ptr<AppController> controllerFor(const QString& name)
    {
        return std::make_unique<AppController>(m_tmp.filePath(name), m_localization,
                                               AppController::KeychainCheck::AssumeUnavailable);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("HIVE_KDF_FAST", "1");
    }

    void onboardingCreatesAPassphraseProfile()
    {
        auto controller = controllerFor(QStringLiteral("onboard"));
        QCOMPARE(controller->state(), QStringLiteral("onboarding"));
        QVERIFY(!controller->keychainAvailable());
        QVERIFY(controller->plugins() == nullptr);

        // Refused input leaves the controller on onboarding with a message.
        controller->createProfile(QStringLiteral("   "), QStringLiteral("passphrase"), QStringLiteral("long enough"));
        QCOMPARE(controller->state(), QStringLiteral("onboarding"));
        QVERIFY(!controller->errorText().isEmpty());

        controller->createProfile(QStringLiteral("  Frida  "), QStringLiteral("passphrase"), QStringLiteral("frida's secret"));
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), QStringLiteral("main"), 30000);
        QVERIFY(!controller->busy());
        QVERIFY(controller->errorText().isEmpty());
        QCOMPARE(controller->displayName(), QStringLiteral("Frida"));
        QCOMPARE(controller->keyProtection(), QStringLiteral("passphrase"));
        QCOMPARE(controller->fingerprint().size(), 8 * 4 + 7);
        QVERIFY(controller->plugins() != nullptr);
        QCOMPARE(controller->plugins()->rowCount(), 4);
    }

    void unlockRefusesAWrongPassphraseThenOpens()
    {
        QString fingerprint;
        {
            auto creator = controllerFor(QStringLiteral("unlock"));
            creator->createProfile(QStringLiteral("Gus"), QStringLiteral("passphrase"), QStringLiteral("the right one"));
            QTRY_COMPARE_WITH_TIMEOUT(creator->state(), QStringLiteral("main"), 30000);
            fingerprint = creator->fingerprint();
        }
        auto controller = controllerFor(QStringLiteral("unlock"));
        QCOMPARE(controller->state(), QStringLiteral("unlock"));
        QSignalSpy errors(controller.get(), &AppController::errorTextChanged);
        controller->unlock(QStringLiteral("the wrong one"));
        QVERIFY(controller->busy());
        QTRY_VERIFY_WITH_TIMEOUT(!controller->busy(), 30000);
        QCOMPARE(controller->state(), QStringLiteral("unlock"));
        QVERIFY(controller->errorText().contains(QStringLiteral("passphrase")));
        QVERIFY(errors.count() >= 1);
        QVERIFY(controller->displayName().isEmpty());

        controller->unlock(QStringLiteral("the right one"));
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), QStringLiteral("main"), 30000);
        QVERIFY(controller->errorText().isEmpty());
        QCOMPARE(controller->fingerprint(), fingerprint);
    }

    void passphraseChangeChecksTheCurrentOne()
    {
        {
            auto controller = controllerFor(QStringLiteral("change"));
            controller->createProfile(QStringLiteral("Hana"), QStringLiteral("passphrase"), QStringLiteral("old passphrase"));
            QTRY_COMPARE_WITH_TIMEOUT(controller->state(), QStringLiteral("main"), 30000);
            QSignalSpy finished(controller.get(), &AppController::passphraseChangeFinished);
            // Too short is refused at once; a wrong current passphrase after the background check.
            QVERIFY(!controller->changePassphrase(QStringLiteral("old passphrase"), QStringLiteral("short")).isEmpty());
            QCOMPARE(finished.count(), 0);
            QCOMPARE(controller->changePassphrase(QStringLiteral("not it"), QStringLiteral("new passphrase")), QString());
            QVERIFY(controller->busy());
            // A second change while the first runs is refused, not queued.
            QVERIFY(!controller->changePassphrase(QStringLiteral("not it"), QStringLiteral("new passphrase")).isEmpty());
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
            QVERIFY(!finished.at(0).at(0).toString().isEmpty());
            QVERIFY(!controller->busy());
            QCOMPARE(controller->changePassphrase(QStringLiteral("old passphrase"), QStringLiteral("new passphrase")),
                     QString());
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
            QCOMPARE(finished.at(1).at(0).toString(), QString());
        }
        auto reopened = controllerFor(QStringLiteral("change"));
        QVERIFY(!reopened->unlockNow("old passphrase"));
        QCOMPARE(reopened->state(), QStringLiteral("unlock"));
        QVERIFY(reopened->unlockNow("new passphrase"));
        QCOMPARE(reopened->displayName(), QStringLiteral("Hana"));
    }

    void renameUpdatesTheIdentity()
    {
        auto controller = controllerFor(QStringLiteral("rename"));
        controller->createProfile(QStringLiteral("Ivo"), QStringLiteral("passphrase"), QStringLiteral("rename passphrase"));
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), QStringLiteral("main"), 30000);
        QSignalSpy changed(controller.get(), &AppController::identityChanged);
        QVERIFY(!controller->setDisplayName(QString(65, QLatin1Char('x'))));
        QVERIFY(controller->setDisplayName(QStringLiteral("Ivo Andrić")));
        QCOMPARE(changed.count(), 1);
        controller.reset();
        auto reopened = controllerFor(QStringLiteral("rename"));
        QVERIFY(reopened->unlockNow("rename passphrase"));
        QCOMPARE(reopened->displayName(), QStringLiteral("Ivo Andrić"));
    }

    void languageAndThemeAreRemembered()
    {
        {
            auto controller = controllerFor(QStringLiteral("settings"));
            // Chosen during onboarding: kept in memory until the profile exists.
            QSignalSpy language(controller.get(), &AppController::languageChanged);
            controller->setLanguage(QStringLiteral("es"));
            controller->setTheme(QStringLiteral("dark"));
            controller->setTheme(QStringLiteral("purple")); // ignored
            QCOMPARE(language.count(), 1);
            QCOMPARE(controller->theme(), QStringLiteral("dark"));
            QCOMPARE(m_localization.current(), QStringLiteral("es"));
            QVERIFY(!QFile::exists(m_tmp.filePath(QStringLiteral("settings/ui.ini"))));
            controller->createProfile(QStringLiteral("Jo"), QStringLiteral("passphrase"), QStringLiteral("settings passphrase"));
            QTRY_COMPARE_WITH_TIMEOUT(controller->state(), QStringLiteral("main"), 30000);
            controller->setLanguage(QStringLiteral("de"));
        }
        auto reopened = controllerFor(QStringLiteral("settings"));
        QCOMPARE(reopened->state(), QStringLiteral("unlock"));
        QCOMPARE(reopened->language(), QStringLiteral("de"));
        QCOMPARE(reopened->theme(), QStringLiteral("dark"));
        QCOMPARE(m_localization.current(), QStringLiteral("de"));
        reopened->setLanguage(QString());
        QCOMPARE(m_localization.current(), hive::app::Localization::systemLanguage());
    }

    // After onboarding the controller runs the profile's own hive-node and connects to it
    // as its owner; destroying the controller ends that process.
    void createdProfileRunsItsLocalNode()
    {
        auto controller = controllerFor(QStringLiteral("node"));
        controller->setNodeExecutable(QStringLiteral(HIVE_NODE_EXECUTABLE));
        QVERIFY(controller->node() == nullptr);
        QSignalSpy nodeChanged(controller.get(), &AppController::nodeChanged);
        controller->createProfile(QStringLiteral("Nell"), QStringLiteral("passphrase"), QStringLiteral("node passphrase"));
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), QStringLiteral("main"), 30000);
        QCOMPARE(nodeChanged.count(), 1);
        auto* node = qobject_cast<hive::core::PersonalNode*>(controller->node());
        QVERIFY(node != nullptr);
        QCOMPARE(controller->property("node").value<QObject*>(), node);
        QVERIFY(node->usingLocalNode());
        QVERIFY(node->localNode() != nullptr);

        QTRY_COMPARE_WITH_TIMEOUT(node->connectionState(), QStringLiteral("connected"), 20000);
        QCOMPARE(node->localNodeState(), QStringLiteral("running"));
        QCOMPARE(node->role(), QStringLiteral("owner"));
        QVERIFY(node->address().startsWith(QLatin1String("hive://")));
        QCOMPARE(node->address(), node->localNode()->addressText());
        QVERIFY(node->localPort() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(node->statusAvailable(), 10000);
        QVERIFY(node->storeCapacityBytes() > 0);
        QVERIFY(node->storeUsedBytes() <= node->storeCapacityBytes());
        QVERIFY(node->lastError().isEmpty());
        QVERIFY(QFileInfo(m_tmp.filePath(QStringLiteral("node/node"))).isDir());

        const qint64 pid = node->localNode()->processId();
        QVERIFY(processAlive(pid));
        controller.reset();
        QVERIFY(!processAlive(pid));
    }

    // Without a hive-node the app still opens; the node object says why it has no node.
    void missingNodeExecutableIsReported()
    {
        auto controller = controllerFor(QStringLiteral("nonode"));
        controller->setNodeExecutable(m_tmp.filePath(QStringLiteral("no-such-hive-node")));
        controller->createProfile(QStringLiteral("Olga"), QStringLiteral("passphrase"), QStringLiteral("olga passphrase"));
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), QStringLiteral("main"), 30000);
        auto* node = qobject_cast<hive::core::PersonalNode*>(controller->node());
        QVERIFY(node != nullptr);
        QCOMPARE(node->localNodeState(), QStringLiteral("failed"));
        QVERIFY(node->lastError().contains(QLatin1String("not found")));
        QVERIFY(node->connectionState() != QStringLiteral("connected"));
        QVERIFY(controller->plugins() != nullptr);
    }
};

QTEST_GUILESS_MAIN(TestAppController)
#include "test_appcontroller.moc"
