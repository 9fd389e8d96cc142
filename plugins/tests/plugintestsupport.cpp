#include "plugintestsupport.h"

#include "plugin/pluginmetadata.h"
#include "testservices.h"

#include <QPluginLoader>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QStaticPlugin>
#include <QtQuickTest/quicktest.h>
#include <QtTest>

#include <memory>

namespace hive::plugins::testing {

namespace {

core::Plugin* asPlugin(QObject* object)
{
    return qobject_cast<core::Plugin*>(object);
}

QString errorsOf(const QQmlComponent& component)
{
    QStringList lines;
    for (const QQmlError& error : component.errors())
        lines << error.toString();
    return lines.join(QLatin1Char('\n'));
}

void collectTexts(QQuickItem* item, QList<QQuickItem*>& texts)
{
    if (!item->isVisible())
        return;
    if (item->inherits("QQuickText"))
        texts << item;
    const QList<QQuickItem*> children = item->childItems();
    for (QQuickItem* child : children)
        collectTexts(child, texts);
}

// Lays the page out at `width` and checks the responsive layout.
void verifyLayoutAt(QQmlComponent& component, QObject* plugin, int width)
{
    const QByteArray where = QByteArray::number(width) + " px";
    QQuickWindow window;
    window.resize(width, 800);
    std::unique_ptr<QObject> root(component.createWithInitialProperties({{QStringLiteral("plugin"), QVariant::fromValue(plugin)}}));
    QVERIFY2(root, qPrintable(errorsOf(component)));
    auto* page = qobject_cast<QQuickItem*>(root.get());
    QVERIFY2(page, "the page's root is not an Item");
    page->setParentItem(window.contentItem());
    page->setSize(QSizeF(width, 800));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(QQuickTest::qWaitForPolish(&window));

    auto* grid = page->findChild<QObject*>(QStringLiteral("features"));
    QVERIFY2(grid, "no item named \"features\"");
    QCOMPARE(grid->property("columns").toInt(), width < 600 ? 1 : 2);

    auto* content = page->findChild<QQuickItem*>(QStringLiteral("content"));
    QVERIFY2(content, "no item named \"content\"");
    QVERIFY2(content->width() > 0 && content->width() <= width, where.constData());

    QList<QQuickItem*> texts;
    collectTexts(page, texts);
    QVERIFY2(texts.size() >= 6, where.constData());
    for (QQuickItem* text : texts) {
        const QRectF box = text->mapRectToItem(page, QRectF(0, 0, text->width(), text->height()));
        const QByteArray what = where + ": \"" + text->property("text").toString().left(40).toUtf8() + "\"";
        QVERIFY2(box.left() >= 0 && box.right() <= width + 0.5, what.constData());
        // Wrapped text fits its own box; unwrapped text would be wider than it.
        QVERIFY2(text->property("contentWidth").toReal() <= text->width() + 1, what.constData());
    }
}

} // namespace

std::optional<QJsonObject> staticPluginMetadata(const QString& className)
{
    const QList<QStaticPlugin> plugins = QPluginLoader::staticPlugins();
    for (const QStaticPlugin& plugin : plugins) {
        const QJsonObject json = plugin.metaData();
        if (json.value(QLatin1String("className")).toString() == className)
            return json;
    }
    return std::nullopt;
}

QObject* createStaticPlugin(const QString& className)
{
    const QList<QStaticPlugin> plugins = QPluginLoader::staticPlugins();
    for (const QStaticPlugin& plugin : plugins) {
        if (plugin.metaData().value(QLatin1String("className")).toString() == className)
            return plugin.instance();
    }
    return nullptr;
}

void verifyMetadata(const QString& className, const QString& expectedId)
{
    const std::optional<QJsonObject> json = staticPluginMetadata(className);
    QVERIFY2(json, qPrintable(className + QLatin1String(" is not linked as a static plugin")));
    QCOMPARE(json->value(QLatin1String("IID")).toString(), QStringLiteral(HivePlugin_iid));
    QVERIFY(json->value(QLatin1String("MetaData")).isObject());
    const auto metadata = core::PluginMetadata::fromJson(json->value(QLatin1String("MetaData")).toObject());
    QVERIFY2(metadata.ok(), metadata.ok() ? "" : metadata.error().message());
    QCOMPARE(metadata->id, expectedId);
    QCOMPARE(metadata->version, QVersionNumber({0, 1, 0}));
    QVERIFY(!metadata->name.isEmpty());
    QVERIFY(metadata->description.size() > 20);
}

void verifyLifecycle(QObject* object, const QString& id, const QString& table, int expectedVersion)
{
    core::Plugin* plugin = asPlugin(object);
    QVERIFY2(plugin, "the object does not implement the plugin interface");
    core::TestServices services;
    QSignalSpy changed(object, SIGNAL(statusTextChanged()));
    QVERIFY(changed.isValid());
    QCOMPARE(plugin->statusText(), QStringLiteral("Not started"));

    const Status first = plugin->initialize(services.context());
    QVERIFY2(first.ok(), first.ok() ? "" : first.error().message());
    QVERIFY2(plugin->statusText().startsWith(QLatin1String("Ready.")), qPrintable(plugin->statusText()));
    QCOMPARE(changed.count(), 1);

    const auto version = services.vault().componentVersion(id.toStdString());
    QVERIFY(version.ok());
    QCOMPARE(*version, expectedVersion);
    auto select = services.vault().prepare((QStringLiteral("SELECT count(*) FROM ") + table).toStdString());
    QVERIFY2(select.ok(), select.ok() ? "" : select.error().message());
    const auto row = select->step();
    QVERIFY(row.ok() && *row);
    QCOMPARE(select->columnInt64(0), std::int64_t{0});

    plugin->shutdown();
    QCOMPARE(plugin->statusText(), QStringLiteral("Stopped"));
    QCOMPARE(changed.count(), 2);

    // The next start of the app finds the tables in place and must not fail on them.
    const Status again = plugin->initialize(services.context());
    QVERIFY2(again.ok(), again.ok() ? "" : again.error().message());
    QCOMPARE(*services.vault().componentVersion(id.toStdString()), expectedVersion);
    plugin->shutdown();
}

void verifyInitializeFailureIsReported(QObject* object, const QString& table)
{
    core::Plugin* plugin = asPlugin(object);
    QVERIFY(plugin);
    core::TestServices services;
    QVERIFY(services.vault().exec((QStringLiteral("CREATE TABLE ") + table + QStringLiteral(" (other INTEGER);")).toStdString()).ok());

    const Status status = plugin->initialize(services.context());
    QVERIFY(!status.ok());
    const QString message = QString::fromUtf8(status.error().message());
    QVERIFY2(message.contains(QLatin1String("tables")), qPrintable(message));
    QVERIFY2(plugin->statusText().startsWith(QLatin1String("Storage could not be prepared")), qPrintable(plugin->statusText()));
}

void verifyPage(QObject* object)
{
    core::Plugin* plugin = asPlugin(object);
    QVERIFY(plugin);
    const QUrl url = plugin->page();
    QCOMPARE(url.scheme(), QStringLiteral("qrc"));

    QQmlEngine engine;
    QQmlComponent component(&engine, url);
    QVERIFY2(component.isReady(), qPrintable(errorsOf(component)));

    // The status line follows the plugin: it changes when the plugin starts.
    {
        std::unique_ptr<QObject> root(component.createWithInitialProperties({{QStringLiteral("plugin"), QVariant::fromValue(object)}}));
        QVERIFY2(root, qPrintable(errorsOf(component)));
        auto* status = root->findChild<QObject*>(QStringLiteral("statusText"));
        QVERIFY2(status, "no item named \"statusText\"");
        QCOMPARE(status->property("text").toString(), plugin->statusText());
        core::TestServices services;
        QVERIFY(plugin->initialize(services.context()).ok());
        QVERIFY(plugin->statusText().startsWith(QLatin1String("Ready.")));
        QCOMPARE(status->property("text").toString(), plugin->statusText());
        plugin->shutdown();
        QCOMPARE(status->property("text").toString(), plugin->statusText());
    }

    verifyLayoutAt(component, object, 360);
    if (QTest::currentTestFailed())
        return;
    verifyLayoutAt(component, object, 1280);
}

} // namespace hive::plugins::testing
