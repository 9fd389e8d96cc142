#include "plugin/pluginhost.h"

#include "testservices.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

#include <optional>

using namespace hive;
using namespace hive::core;

namespace {

// A plugin that writes what happens to it into a shared journal.
class FakePlugin : public QObject, public Plugin {
    Q_OBJECT
    Q_INTERFACES(hive::core::Plugin)
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusTextChanged)

public:
    FakePlugin(QString id, QStringList& journal, std::optional<QString> failure)
        : m_id(std::move(id))
        , m_journal(journal)
        , m_failure(std::move(failure))
    {
    }
    ~FakePlugin() override { m_journal << QStringLiteral("destroy:") + m_id; }

    Status initialize(PluginContext& context) override
    {
        m_journal << QStringLiteral("init:") + m_id;
        m_context = &context;
        if (m_failure) {
            const QByteArray text = m_failure->toUtf8();
            return Error(ErrorCode::Unavailable, text.constData());
        }
        setStatusText(QStringLiteral("%1 is running").arg(m_id));
        return success();
    }
    void shutdown() override { m_journal << QStringLiteral("shutdown:") + m_id; }
    QUrl page() const override { return QUrl(QStringLiteral("qrc:/fake/%1.qml").arg(m_id)); }
    QString statusText() const override { return m_statusText; }

    void setStatusText(const QString& text)
    {
        m_statusText = text;
        emit statusTextChanged();
    }
    PluginContext* context() const { return m_context; }

signals:
    void statusTextChanged();

private:
    QString m_id;
    QStringList& m_journal;
    std::optional<QString> m_failure;
    QString m_statusText = QStringLiteral("not started");
    PluginContext* m_context = nullptr;
};

// A QObject that forgot to implement the interface.
class NotAPlugin : public QObject {
    Q_OBJECT
};

QJsonObject metadata(const QString& id, const QList<QPair<QString, QString>>& dependencies = {},
                     const QString& version = QStringLiteral("0.1.0"))
{
    QJsonArray deps;
    for (const auto& [depId, requirement] : dependencies) {
        QJsonObject dep{{QStringLiteral("id"), depId}};
        if (!requirement.isEmpty())
            dep.insert(QStringLiteral("version"), requirement);
        deps.append(dep);
    }
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("name"), id.toUpper()},
                       {QStringLiteral("version"), version},
                       {QStringLiteral("dependencies"), deps}};
}

} // namespace

class TestPluginHost : public QObject {
    Q_OBJECT

private:
    QStringList m_journal;
    std::optional<TestServices> m_services;

    PluginContext& context() { return m_services->context(); }

    void addFake(PluginHost& host, const QString& id, const QList<QPair<QString, QString>>& dependencies = {},
                 std::optional<QString> failure = std::nullopt, const QString& version = QStringLiteral("0.1.0"))
    {
        const Status status = host.add(metadata(id, dependencies, version), [this, id, failure] {
            return new FakePlugin(id, m_journal, failure);
        });
        QVERIFY2(status.ok(), status.ok() ? "" : status.error().message());
    }

    static PluginInfo info(const PluginHost& host, const QString& id)
    {
        for (const PluginInfo& plugin : host.plugins()) {
            if (plugin.id == id)
                return plugin;
        }
        qFatal("no plugin %s", qPrintable(id));
    }

    QStringList journalWith(const QString& prefix) const
    {
        QStringList result;
        for (const QString& event : m_journal) {
            if (event.startsWith(prefix))
                result << event.mid(prefix.size());
        }
        return result;
    }

private slots:
    void initTestCase() { m_services.emplace(); }
    void cleanupTestCase() { m_services.reset(); }
    void init() { m_journal.clear(); }

    void startsPluginsInDependencyOrder()
    {
        PluginHost host(context());
        // Added in an order that is neither dependency nor alphabetical order.
        addFake(host, QStringLiteral("alpha"), {{QStringLiteral("zeta"), QString()}});
        addFake(host, QStringLiteral("mid"), {{QStringLiteral("alpha"), QStringLiteral(">=0.1")},
                                              {QStringLiteral("zeta"), QString()}});
        addFake(host, QStringLiteral("zeta"));
        addFake(host, QStringLiteral("beta"));
        host.start();

        // Dependencies first; among plugins ready at the same time, the smaller id first:
        // beta and zeta are ready at once, alpha only after zeta, mid after alpha.
        QCOMPARE(journalWith(QStringLiteral("init:")), QStringList({QStringLiteral("beta"), QStringLiteral("zeta"),
                                                                     QStringLiteral("alpha"), QStringLiteral("mid")}));
        QCOMPARE(host.startOrder(), journalWith(QStringLiteral("init:")));
        for (const PluginInfo& plugin : host.plugins()) {
            QCOMPARE(plugin.state, PluginState::Running);
            QVERIFY(plugin.error.isEmpty());
        }
    }

    void orderIsIndependentOfAddOrder()
    {
        QStringList firstOrder;
        for (int round = 0; round < 2; ++round) {
            PluginHost host(context());
            QStringList ids{QStringLiteral("c"), QStringLiteral("a"), QStringLiteral("d"), QStringLiteral("b")};
            if (round == 1)
                std::reverse(ids.begin(), ids.end());
            for (const QString& id : ids) {
                if (id == QLatin1String("a"))
                    addFake(host, id, {{QStringLiteral("d"), QString()}});
                else
                    addFake(host, id);
            }
            host.start();
            if (round == 0)
                firstOrder = host.startOrder();
            else
                QCOMPARE(host.startOrder(), firstOrder);
        }
        QCOMPARE(firstOrder, QStringList({QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("a")}));
    }

    void passesTheContextToInitialize()
    {
        PluginHost host(context());
        addFake(host, QStringLiteral("a"));
        host.start();
        auto* fake = dynamic_cast<FakePlugin*>(host.plugin(QStringLiteral("a")));
        QVERIFY(fake);
        QCOMPARE(fake->context(), &context());
        QCOMPARE(host.pluginObject(QStringLiteral("a")), static_cast<QObject*>(fake));
    }

    void missingDependencyIsReportedAndOthersRun()
    {
        PluginHost host(context());
        addFake(host, QStringLiteral("chat"), {{QStringLiteral("ghost"), QString()}});
        addFake(host, QStringLiteral("notes"));
        host.start();

        const PluginInfo chat = info(host, QStringLiteral("chat"));
        QCOMPARE(chat.state, PluginState::MissingDependency);
        QVERIFY2(chat.error.contains(QLatin1String("\"ghost\"")), qPrintable(chat.error));
        QVERIFY2(chat.error.contains(QLatin1String("not installed")), qPrintable(chat.error));
        QVERIFY(!m_journal.contains(QStringLiteral("init:chat")));
        QVERIFY(host.plugin(QStringLiteral("chat")) == nullptr);
        QCOMPARE(info(host, QStringLiteral("notes")).state, PluginState::Running);
    }

    void wrongDependencyVersionIsReported()
    {
        PluginHost host(context());
        addFake(host, QStringLiteral("backup"), {{QStringLiteral("store"), QStringLiteral(">=0.2")}});
        addFake(host, QStringLiteral("store"), {}, std::nullopt, QStringLiteral("0.1.7"));
        host.start();

        const PluginInfo backup = info(host, QStringLiteral("backup"));
        QCOMPARE(backup.state, PluginState::MissingDependency);
        QVERIFY2(backup.error.contains(QLatin1String(">=0.2")), qPrintable(backup.error));
        QVERIFY2(backup.error.contains(QLatin1String("0.1.7")), qPrintable(backup.error));
        QVERIFY(!m_journal.contains(QStringLiteral("init:backup")));
        QCOMPARE(info(host, QStringLiteral("store")).state, PluginState::Running);
    }

    void failedInitializeIsReportedAndDependentsDoNotStart()
    {
        PluginHost host(context());
        addFake(host, QStringLiteral("base"), {}, QStringLiteral("disk is on fire"));
        addFake(host, QStringLiteral("direct"), {{QStringLiteral("base"), QString()}});
        addFake(host, QStringLiteral("indirect"), {{QStringLiteral("direct"), QString()}});
        addFake(host, QStringLiteral("other"));
        host.start();

        const PluginInfo base = info(host, QStringLiteral("base"));
        QCOMPARE(base.state, PluginState::Failed);
        QVERIFY2(base.error.contains(QLatin1String("disk is on fire")), qPrintable(base.error));
        QVERIFY(m_journal.contains(QStringLiteral("init:base")));

        const PluginInfo direct = info(host, QStringLiteral("direct"));
        QCOMPARE(direct.state, PluginState::MissingDependency);
        QVERIFY2(direct.error.contains(QLatin1String("\"base\"")), qPrintable(direct.error));
        QVERIFY2(direct.error.contains(QLatin1String("failed")), qPrintable(direct.error));
        const PluginInfo indirect = info(host, QStringLiteral("indirect"));
        QCOMPARE(indirect.state, PluginState::MissingDependency);
        QVERIFY2(indirect.error.contains(QLatin1String("\"direct\"")), qPrintable(indirect.error));

        QCOMPARE(journalWith(QStringLiteral("init:")), QStringList({QStringLiteral("base"), QStringLiteral("other")}));
        // Its instance is not handed out, and the shell gets no page for it.
        QVERIFY(host.plugin(QStringLiteral("base")) == nullptr);
        QVERIFY(host.pluginObject(QStringLiteral("base")) == nullptr);
        QVERIFY(host.index(0).data(PluginHost::PageRole).toUrl().isEmpty());
        QVERIFY(host.plugin(QStringLiteral("other")) != nullptr);
        QCOMPARE(info(host, QStringLiteral("other")).state, PluginState::Running);

        // A plugin whose initialize failed is never shut down.
        host.shutdown();
        QCOMPARE(journalWith(QStringLiteral("shutdown:")), QStringList({QStringLiteral("other")}));
    }

    void cyclesAreDetected()
    {
        PluginHost host(context());
        addFake(host, QStringLiteral("a"), {{QStringLiteral("b"), QString()}});
        addFake(host, QStringLiteral("b"), {{QStringLiteral("c"), QString()}});
        addFake(host, QStringLiteral("c"), {{QStringLiteral("a"), QString()}});
        addFake(host, QStringLiteral("self"), {{QStringLiteral("self"), QString()}});
        addFake(host, QStringLiteral("user"), {{QStringLiteral("a"), QString()}});
        addFake(host, QStringLiteral("free"));
        host.start();

        QCOMPARE(info(host, QStringLiteral("a")).error, QStringLiteral("dependency cycle: a -> b -> c -> a"));
        QCOMPARE(info(host, QStringLiteral("b")).error, QStringLiteral("dependency cycle: b -> c -> a -> b"));
        for (const char* id : {"a", "b", "c", "self"})
            QCOMPARE(info(host, QLatin1String(id)).state, PluginState::Failed);
        QCOMPARE(info(host, QStringLiteral("self")).error, QStringLiteral("dependency cycle: self -> self"));
        const PluginInfo user = info(host, QStringLiteral("user"));
        QCOMPARE(user.state, PluginState::MissingDependency);
        QVERIFY2(user.error.contains(QLatin1String("\"a\"")), qPrintable(user.error));
        QCOMPARE(info(host, QStringLiteral("free")).state, PluginState::Running);
        QCOMPARE(journalWith(QStringLiteral("init:")), QStringList({QStringLiteral("free")}));
    }

    void shutsDownInReverseStartOrder()
    {
        {
            PluginHost host(context());
            addFake(host, QStringLiteral("top"), {{QStringLiteral("middle"), QString()}});
            addFake(host, QStringLiteral("middle"), {{QStringLiteral("bottom"), QString()}});
            addFake(host, QStringLiteral("bottom"));
            addFake(host, QStringLiteral("aside"));
            host.start();
            QCOMPARE(host.startOrder(), QStringList({QStringLiteral("aside"), QStringLiteral("bottom"),
                                                     QStringLiteral("middle"), QStringLiteral("top")}));
            host.shutdown();
            QCOMPARE(journalWith(QStringLiteral("shutdown:")),
                     QStringList({QStringLiteral("top"), QStringLiteral("middle"), QStringLiteral("bottom"),
                                  QStringLiteral("aside")}));
            for (const PluginInfo& plugin : host.plugins())
                QCOMPARE(plugin.state, PluginState::Stopped);
            // A second shutdown (and the destructor) must not shut anything down again.
            host.shutdown();
            QCOMPARE(journalWith(QStringLiteral("shutdown:")).size(), 4);
            QVERIFY(journalWith(QStringLiteral("destroy:")).isEmpty());
        }
        QCOMPARE(journalWith(QStringLiteral("shutdown:")).size(), 4);
        QCOMPARE(journalWith(QStringLiteral("destroy:")).size(), 4);
    }

    void destructorShutsDownRunningPlugins()
    {
        {
            PluginHost host(context());
            addFake(host, QStringLiteral("b"), {{QStringLiteral("a"), QString()}});
            addFake(host, QStringLiteral("a"));
            host.start();
        }
        QCOMPARE(journalWith(QStringLiteral("shutdown:")), QStringList({QStringLiteral("b"), QStringLiteral("a")}));
        // Every instance is deleted, and only after it was shut down.
        QCOMPARE(journalWith(QStringLiteral("destroy:")).size(), 2);
        QVERIFY(m_journal.indexOf(QStringLiteral("shutdown:a")) < m_journal.indexOf(QStringLiteral("destroy:a")));
    }

    void malformedMetadataIsReportedAndNeverInstantiated()
    {
        PluginHost host(context());
        bool created = false;
        auto factory = [&created] {
            created = true;
            return new NotAPlugin;
        };
        QJsonObject noId = metadata(QStringLiteral("x"));
        noId.remove(QStringLiteral("id"));
        noId.insert(QStringLiteral("name"), QStringLiteral("Nameless"));
        const Status first = host.add(noId, factory);
        QVERIFY(!first.ok());
        QCOMPARE(first.error().code(), ErrorCode::Malformed);

        const Status second = host.add(metadata(QStringLiteral("badversion"), {}, QStringLiteral("one")), factory);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code(), ErrorCode::Malformed);
        addFake(host, QStringLiteral("good"));
        host.start();

        const QList<PluginInfo> plugins = host.plugins();
        QCOMPARE(plugins.size(), 3);
        QCOMPARE(plugins[0].name, QStringLiteral("Nameless"));
        QCOMPARE(plugins[0].state, PluginState::Failed);
        QVERIFY2(plugins[0].error.contains(QLatin1String("\"id\"")), qPrintable(plugins[0].error));
        QCOMPARE(plugins[1].id, QStringLiteral("badversion"));
        QCOMPARE(plugins[1].state, PluginState::Failed);
        QVERIFY2(plugins[1].error.contains(QLatin1String("\"one\"")), qPrintable(plugins[1].error));
        QCOMPARE(plugins[2].state, PluginState::Running);
        QVERIFY(!created);
    }

    void duplicateIdsAreRejected()
    {
        PluginHost host(context());
        addFake(host, QStringLiteral("twin"));
        bool created = false;
        QJsonObject copy = metadata(QStringLiteral("twin"));
        copy.insert(QStringLiteral("name"), QStringLiteral("Second twin"));
        const Status status = host.add(copy, [&created] {
            created = true;
            return new NotAPlugin;
        });
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code(), ErrorCode::AlreadyExists);
        host.start();

        const QList<PluginInfo> plugins = host.plugins();
        QCOMPARE(plugins.size(), 2);
        QCOMPARE(plugins[0].state, PluginState::Running);
        QCOMPARE(plugins[1].name, QStringLiteral("Second twin"));
        QCOMPARE(plugins[1].state, PluginState::Failed);
        QVERIFY2(plugins[1].error.contains(QLatin1String("\"twin\"")), qPrintable(plugins[1].error));
        QVERIFY(!created);
        QCOMPARE(journalWith(QStringLiteral("init:")), QStringList({QStringLiteral("twin")}));
    }

    void objectsWithoutTheInterfaceFail()
    {
        PluginHost host(context());
        QVERIFY(host.add(metadata(QStringLiteral("plain")), [] { return new NotAPlugin; }).ok());
        QVERIFY(host.add(metadata(QStringLiteral("null")), [] { return static_cast<QObject*>(nullptr); }).ok());
        host.start();
        QCOMPARE(info(host, QStringLiteral("plain")).state, PluginState::Failed);
        QVERIFY(info(host, QStringLiteral("plain")).error.contains(QLatin1String(HivePlugin_iid)));
        QCOMPARE(info(host, QStringLiteral("null")).state, PluginState::Failed);
        QVERIFY(host.plugin(QStringLiteral("plain")) == nullptr);
    }

    void addAfterStartIsRefused()
    {
        PluginHost host(context());
        host.start();
        const Status status = host.add(metadata(QStringLiteral("late")), [] { return new NotAPlugin; });
        QVERIFY(!status.ok());
        QCOMPARE(host.count(), 0);
    }

    void modelExposesRolesAndUpdates()
    {
        PluginHost host(context());
        QSignalSpy countSpy(&host, &PluginHost::countChanged);
        addFake(host, QStringLiteral("ok"));
        addFake(host, QStringLiteral("broken"), {}, QStringLiteral("no keys"));
        QCOMPARE(countSpy.count(), 2);
        QCOMPARE(host.rowCount(), 2);

        const QHash<int, QByteArray> roles = host.roleNames();
        for (const char* name : {"id", "name", "version", "state", "stateText", "error", "page", "statusText"})
            QVERIFY2(roles.values().contains(QByteArray(name)), name);

        const QModelIndex ok = host.index(0);
        QCOMPARE(ok.data(PluginHost::StateRole).toInt(), static_cast<int>(PluginState::Loaded));
        QVERIFY(ok.data(PluginHost::PageRole).toUrl().isEmpty());

        QSignalSpy dataSpy(&host, &QAbstractItemModel::dataChanged);
        host.start();
        QVERIFY(dataSpy.count() >= 2);
        QCOMPARE(ok.data(PluginHost::IdRole).toString(), QStringLiteral("ok"));
        QCOMPARE(ok.data(PluginHost::NameRole).toString(), QStringLiteral("OK"));
        QCOMPARE(ok.data(PluginHost::VersionRole).toString(), QStringLiteral("0.1.0"));
        QCOMPARE(ok.data(PluginHost::StateRole).toInt(), static_cast<int>(PluginState::Running));
        QCOMPARE(ok.data(PluginHost::StateTextRole).toString(), QStringLiteral("Running"));
        QCOMPARE(ok.data(PluginHost::PageRole).toUrl(), QUrl(QStringLiteral("qrc:/fake/ok.qml")));
        QCOMPARE(ok.data(PluginHost::StatusTextRole).toString(), QStringLiteral("ok is running"));

        const QModelIndex broken = host.index(1);
        QCOMPARE(broken.data(PluginHost::StateRole).toInt(), static_cast<int>(PluginState::Failed));
        QVERIFY(broken.data(PluginHost::ErrorRole).toString().contains(QLatin1String("no keys")));

        // A plugin's statusTextChanged() reaches views as dataChanged on its row.
        dataSpy.clear();
        static_cast<FakePlugin*>(host.pluginObject(QStringLiteral("ok")))->setStatusText(QStringLiteral("busy"));
        QCOMPARE(dataSpy.count(), 1);
        QCOMPARE(dataSpy.at(0).at(0).toModelIndex(), ok);
        QCOMPARE(ok.data(PluginHost::StatusTextRole).toString(), QStringLiteral("busy"));
    }

    void stateNamesAreStable()
    {
        QCOMPARE(PluginHost::stateName(PluginState::Running), QStringLiteral("running"));
        QCOMPARE(PluginHost::stateName(PluginState::MissingDependency), QStringLiteral("missing-dependency"));
        QCOMPARE(PluginHost::stateName(PluginState::Failed), QStringLiteral("failed"));
        QCOMPARE(PluginHost::stateName(PluginState::Stopped), QStringLiteral("stopped"));
        QCOMPARE(PluginHost::stateName(PluginState::Loaded), QStringLiteral("loaded"));
    }
};

QTEST_GUILESS_MAIN(TestPluginHost)
#include "test_pluginhost.moc"
