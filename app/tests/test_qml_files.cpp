// Loads every QML file of the Hive UI module and of the plugins' pages, compiles and
// instantiates each, and fails on any error or warning. Main.qml is also shown in every
// state (onboarding, unlock, main wide and narrow) against a real AppController.
#include "appcontroller.h"
#include "localization.h"
#include "session.h"

#include "staticplugins.h"

#include <QDir>
#include <QDirIterator>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(HivePlugin)

namespace {

QStringList g_messages;

void collectMessages(QtMsgType type, const QMessageLogContext&, const QString& message)
{
    if (type != QtDebugMsg && type != QtInfoMsg)
        g_messages << message;
}

// Every .qml file in the source tree below `dir`, as "Name.qml" (tests excluded).
QStringList sourceQmlFiles(const QString& dir)
{
    QStringList names;
    QDirIterator it(dir, {QStringLiteral("*.qml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!path.contains(QLatin1String("/tests/")))
            names << QFileInfo(path).fileName();
    }
    return names;
}

} // namespace

class TestQmlFiles : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<hive::app::Localization> m_localization;
    std::unique_ptr<hive::app::AppController> m_unlocked;
    QStringList m_resources;

    // Creates `url`, setting whichever of the usual properties the root object declares.
    QObject* create(QQmlEngine& engine, const QUrl& url, QVariantMap properties)
    {
        QQmlComponent component(&engine, url);
        if (!component.isReady()) {
            qWarning("%s", qPrintable(component.errorString()));
            return nullptr;
        }
        QObject* object = component.beginCreate(engine.rootContext());
        if (object == nullptr) {
            qWarning("%s", qPrintable(component.errorString()));
            return nullptr;
        }
        QVariantMap present;
        for (auto it = properties.cbegin(); it != properties.cend(); ++it) {
            if (object->metaObject()->indexOfProperty(it.key().toUtf8().constData()) >= 0)
                present.insert(it.key(), it.value());
        }
        component.setInitialProperties(object, present);
        component.completeCreate();
        if (component.isError()) {
            qWarning("%s", qPrintable(component.errorString()));
            delete object;
            return nullptr;
        }
        return object;
    }

    // Lets bindings, loaders and a few frames run.
    static void settle()
    {
        for (int i = 0; i < 5; ++i) {
            QCoreApplication::processEvents();
            QTest::qWait(20);
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("HIVE_KDF_FAST", "1");
        QQuickStyle::setStyle(QStringLiteral("Material"));
        m_localization = std::make_unique<hive::app::Localization>();

        const QString dir = m_tmp.filePath(QStringLiteral("unlocked"));
        {
            auto session = hive::app::Session::create(dir, QStringLiteral("Quinn Tester"),
                                                      hive::core::KeyProtection::Passphrase, "qml passphrase");
            QVERIFY2(session.ok(), session.ok() ? "" : session.error().message());
        }
        m_unlocked = std::make_unique<hive::app::AppController>(
            dir, *m_localization, hive::app::AppController::KeychainCheck::AssumeUnavailable);
        QCOMPARE(m_unlocked->state(), QStringLiteral("unlock"));
        QVERIFY(m_unlocked->unlockNow("qml passphrase"));
        QCOMPARE(m_unlocked->state(), QStringLiteral("main"));

        QDirIterator it(QStringLiteral(":/qt/qml"), {QStringLiteral("*.qml")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            m_resources << it.next();
        m_resources.sort();
        qInstallMessageHandler(collectMessages);
    }

    void cleanupTestCase() { qInstallMessageHandler(nullptr); }

    void init() { g_messages.clear(); }

    // Nothing in the source tree is left out of the resources this test walks.
    void everySourceFileIsCompiledIn()
    {
        QStringList compiled;
        for (const QString& path : m_resources)
            compiled << QFileInfo(path).fileName();
        QStringList sources = sourceQmlFiles(QStringLiteral(HIVE_SOURCE_DIR "/qml"))
            + sourceQmlFiles(QStringLiteral(HIVE_SOURCE_DIR "/plugins"));
        QVERIFY(sources.size() >= 16 + 4);
        for (const QString& name : sources)
            QVERIFY2(compiled.contains(name), qPrintable(name + QStringLiteral(" is not in the resources")));
    }

    void everyFileLoadsWithoutWarnings_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString& path : m_resources)
            QTest::newRow(qPrintable(path.mid(QStringLiteral(":/qt/qml/").size()))) << path;
    }
    void everyFileLoadsWithoutWarnings()
    {
        QFETCH(QString, path);
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        const QUrl url(QStringLiteral("qrc") + path);

        // A plugin page gets its own plugin's object, as the shell gives it.
        QObject* plugin = nullptr;
        const auto* host = qobject_cast<hive::core::PluginHost*>(m_unlocked->plugins());
        QVERIFY(host != nullptr);
        if (path.contains(QLatin1String("/Plugins/"))) {
            const QString id = path.section(QLatin1Char('/'), -2, -2).toLower();
            plugin = host->pluginObject(id);
            QVERIFY2(plugin != nullptr, qPrintable(id));
        }
        std::unique_ptr<QObject> object(create(engine, url,
                                               {{QStringLiteral("controller"), QVariant::fromValue<QObject*>(m_unlocked.get())},
                                                {QStringLiteral("plugin"), QVariant::fromValue(plugin)}}));
        QVERIFY2(object != nullptr, qPrintable(g_messages.join(QLatin1Char('\n'))));
        // Items are put into a window so that their layouts and sizes really run.
        std::unique_ptr<QQuickWindow> window;
        if (auto* item = qobject_cast<QQuickItem*>(object.get())) {
            window = std::make_unique<QQuickWindow>();
            window->resize(900, 700);
            item->setParentItem(window->contentItem());
            item->setSize(QSizeF(900, 700));
            window->show();
        }
        settle();
        // Hide first so the render loop releases the window's backing store before the
        // window goes away.
        if (window)
            window->hide();
        settle();
        object.reset();
        window.reset();
        QVERIFY2(g_messages.isEmpty(), qPrintable(g_messages.join(QLatin1Char('\n'))));
    }

    void mainWindowShowsEveryState_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("layout");
        QTest::newRow("onboarding") << "fresh" << 1000 << "onboarding" << "wide";
        QTest::newRow("onboarding narrow") << "fresh" << 400 << "onboarding" << "narrow";
        QTest::newRow("main wide") << "unlocked" << 1000 << "main" << "wide";
        QTest::newRow("main narrow") << "unlocked" << 400 << "main" << "narrow";
    }
    void mainWindowShowsEveryState()
    {
        QFETCH(QString, profile);
        QFETCH(int, width);
        QFETCH(QString, view);
        QFETCH(QString, layout);
        std::unique_ptr<hive::app::AppController> fresh;
        hive::app::AppController* controller = m_unlocked.get();
        if (profile == QLatin1String("fresh")) {
            fresh = std::make_unique<hive::app::AppController>(m_tmp.filePath(QStringLiteral("fresh")), *m_localization,
                                                               hive::app::AppController::KeychainCheck::AssumeUnavailable);
            controller = fresh.get();
        }
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        std::unique_ptr<QObject> window(create(engine, QUrl(QStringLiteral("qrc:/qt/qml/Hive/Main.qml")),
                                               {{QStringLiteral("controller"), QVariant::fromValue<QObject*>(controller)},
                                                {QStringLiteral("width"), width},
                                                {QStringLiteral("height"), 700}}));
        QVERIFY(window != nullptr);
        settle();
        QCOMPARE(window->property("currentView").toString(), view);
        QCOMPARE(window->property("layout").toString(), layout);
        if (view == QLatin1String("main")) {
            // Visit every page: Me, each plugin, Settings.
            QStringList pages{QStringLiteral("settings")};
            const auto* host = qobject_cast<hive::core::PluginHost*>(controller->plugins());
            for (const auto& info : host->plugins())
                pages << info.id;
            pages << QStringLiteral("home");
            for (const QString& page : pages) {
                QQuickItem* shellItem = nullptr;
                for (auto* item : window->findChildren<QQuickItem*>()) {
                    if (item->property("initialPage").isValid() && item->property("narrow").isValid()) {
                        shellItem = item;
                        break;
                    }
                }
                QVERIFY(shellItem != nullptr);
                shellItem->setProperty("currentPage", page);
                settle();
                QCOMPARE(window->property("currentPage").toString(), page);
            }
        }
        window.reset();
        QVERIFY2(g_messages.isEmpty(), qPrintable(g_messages.join(QLatin1Char('\n'))));
    }
};

int main(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);
    TestQmlFiles test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_qml_files.moc"
