// All bundled plugins together, found the way hive and hivectl find them: by linking
// hive::plugins, with no Q_IMPORT_PLUGIN in sight.
#include "plugin/basicplugin.h"
#include "plugin/pluginhost.h"
#include "plugintestsupport.h"
#include "staticplugins.h"
#include "testservices.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QtTest>

#include <memory>

using namespace hive;
using namespace hive::core;

class TestBundledPlugins : public QObject {
    Q_OBJECT

private slots:
    void hostStartsEveryBundledPlugin()
    {
        TestServices services;
        PluginHost host(services.context());
        QCOMPARE(host.addStaticPlugins(), static_cast<int>(plugins::bundledPluginIds().size()));

        QStringList ids;
        for (const PluginInfo& info : host.plugins())
            ids << info.id;
        QCOMPARE(ids, plugins::bundledPluginIds());

        host.start();
        QSet<QUrl> pages;
        for (const PluginInfo& info : host.plugins()) {
            QCOMPARE(info.state, PluginState::Running);
            QVERIFY2(info.error.isEmpty(), qPrintable(info.error));
            QCOMPARE(info.version, QStringLiteral("0.1.0"));
            QVERIFY2(info.statusText.startsWith(QLatin1String("Ready.")), qPrintable(info.statusText));
            const auto version = services.vault().componentVersion(info.id.toStdString());
            QVERIFY(version.ok());
            const auto* basic = qobject_cast<BasicPlugin*>(host.pluginObject(info.id));
            QVERIFY(basic != nullptr);
            QVERIFY(basic->schemaVersion() >= 1);
            QCOMPARE(*version, basic->schemaVersion());
            Plugin* plugin = host.plugin(info.id);
            QVERIFY(plugin);
            pages.insert(plugin->page());
        }
        QCOMPARE(pages.size(), ids.size());

        host.shutdown();
        for (const PluginInfo& info : host.plugins())
            QCOMPARE(info.state, PluginState::Stopped);
    }

    void everyPageLoadsThroughTheHost()
    {
        TestServices services;
        PluginHost host(services.context());
        host.addStaticPlugins();
        host.start();
        QQmlEngine engine;
        for (const PluginInfo& info : host.plugins()) {
            QQmlComponent component(&engine, host.plugin(info.id)->page());
            QVERIFY2(component.isReady(), qPrintable(component.errorString()));
            std::unique_ptr<QObject> page(component.createWithInitialProperties(
                {{QStringLiteral("plugin"), QVariant::fromValue(host.pluginObject(info.id))}}));
            QVERIFY2(page, qPrintable(component.errorString()));
            auto* status = page->findChild<QObject*>(QStringLiteral("statusText"));
            QVERIFY(status);
            QCOMPARE(status->property("text").toString(), info.statusText);
        }
    }

    void qmlDelegatesReadEveryRole()
    {
        // The shell reads roles as model.<role> from `required property var model`; "id" is
        // a QML keyword elsewhere, so prove it works as a role name here.
        TestServices services;
        PluginHost host(services.context());
        host.addStaticPlugins();
        host.start();

        QQmlEngine engine;
        QQmlComponent component(&engine);
        component.setData(R"(
            import QtQuick
            Item {
                property QtObject host
                property alias repeater: repeater
                Repeater {
                    id: repeater
                    model: parent.host
                    Item {
                        required property var model
                        readonly property string summary: [model.id, model.name, model.version, model.state,
                            model.stateText, model.error, model.page.toString(), model.statusText].join("|")
                    }
                }
            })",
                          QUrl(QStringLiteral("qrc:/test/delegates.qml")));
        QVERIFY2(component.isReady(), qPrintable(component.errorString()));
        std::unique_ptr<QObject> root(component.createWithInitialProperties({{QStringLiteral("host"), QVariant::fromValue(&host)}}));
        QVERIFY2(root, qPrintable(component.errorString()));
        auto* repeater = root->property("repeater").value<QObject*>();
        QVERIFY(repeater);
        QCOMPARE(repeater->property("count").toInt(), host.rowCount());

        for (int row = 0; row < host.rowCount(); ++row) {
            QQuickItem* item = nullptr;
            QVERIFY(QMetaObject::invokeMethod(repeater, "itemAt", Q_RETURN_ARG(QQuickItem*, item), Q_ARG(int, row)));
            QVERIFY(item);
            const QModelIndex index = host.index(row);
            const QString expected = QStringList{
                index.data(PluginHost::IdRole).toString(),
                index.data(PluginHost::NameRole).toString(),
                index.data(PluginHost::VersionRole).toString(),
                QString::number(index.data(PluginHost::StateRole).toInt()),
                index.data(PluginHost::StateTextRole).toString(),
                index.data(PluginHost::ErrorRole).toString(),
                index.data(PluginHost::PageRole).toUrl().toString(),
                index.data(PluginHost::StatusTextRole).toString(),
            }.join(QLatin1Char('|'));
            QCOMPARE(item->property("summary").toString(), expected);
            QVERIFY(expected.startsWith(plugins::bundledPluginIds().at(row) + QLatin1Char('|')));
        }
    }
};

QTEST_MAIN(TestBundledPlugins)
#include "test_bundledplugins.moc"
