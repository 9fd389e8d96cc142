#include "plugin/pluginmetadata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace hive;
using namespace hive::core;

namespace {

QJsonObject parse(const char* json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s", qPrintable(error.errorString()));
    return document.object();
}

QString message(const Error& error)
{
    return QString::fromUtf8(error.message());
}

} // namespace

class TestPluginMetadata : public QObject {
    Q_OBJECT

private slots:
    void parsesCompleteMetadata()
    {
        const auto metadata = PluginMetadata::fromJson(parse(R"({
            "id": "backup", "name": "Backup", "version": "1.20.3",
            "description": "Encrypted backups",
            "dependencies": [ {"id": "resources", "version": ">=0.1, <2"}, {"id": "messaging"} ]
        })"));
        QVERIFY2(metadata.ok(), metadata.ok() ? "" : metadata.error().message());
        QCOMPARE(metadata->id, QStringLiteral("backup"));
        QCOMPARE(metadata->name, QStringLiteral("Backup"));
        QCOMPARE(metadata->version, QVersionNumber({1, 20, 3}));
        QCOMPARE(metadata->description, QStringLiteral("Encrypted backups"));
        QCOMPARE(metadata->dependencies.size(), 2);
        QCOMPARE(metadata->dependencies[0].id, QStringLiteral("resources"));
        QCOMPARE(metadata->dependencies[0].requirement, QStringLiteral(">=0.1, <2"));
        QCOMPARE(metadata->dependencies[0].comparisons.size(), 2);
        QCOMPARE(metadata->dependencies[1].id, QStringLiteral("messaging"));
        QVERIFY(metadata->dependencies[1].comparisons.isEmpty());
    }

    void optionalFieldsMayBeAbsent()
    {
        const auto metadata = PluginMetadata::fromJson(parse(R"({"id": "a", "name": "A", "version": "0.0.0"})"));
        QVERIFY(metadata.ok());
        QVERIFY(metadata->dependencies.isEmpty());
        QVERIFY(metadata->description.isEmpty());
    }

    void rejectsMalformedMetadata_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing id") << R"({"name": "A", "version": "0.1.0"})" << "\"id\"";
        QTest::newRow("id not a string") << R"({"id": 7, "name": "A", "version": "0.1.0"})" << "\"id\"";
        QTest::newRow("id upper case") << R"({"id": "Chat", "name": "A", "version": "0.1.0"})" << "Chat";
        QTest::newRow("id with space") << R"({"id": "a b", "name": "A", "version": "0.1.0"})" << "a b";
        QTest::newRow("id too long") << R"({"id": "abcdefghijabcdefghijabcdefghijabc", "name": "A", "version": "0.1.0"})"
                                     << "at most 32";
        QTest::newRow("missing name") << R"({"id": "a", "version": "0.1.0"})" << "\"name\"";
        QTest::newRow("blank name") << R"({"id": "a", "name": "  ", "version": "0.1.0"})" << "name";
        QTest::newRow("missing version") << R"({"id": "a", "name": "A"})" << "\"version\"";
        QTest::newRow("version not a string") << R"({"id": "a", "name": "A", "version": 1})" << "\"version\"";
        QTest::newRow("version two parts") << R"({"id": "a", "name": "A", "version": "0.1"})" << "0.1";
        QTest::newRow("version letters") << R"({"id": "a", "name": "A", "version": "1.x.0"})" << "1.x.0";
        QTest::newRow("version leading zero") << R"({"id": "a", "name": "A", "version": "01.0.0"})" << "01.0.0";
        QTest::newRow("version suffix") << R"({"id": "a", "name": "A", "version": "1.0.0-beta"})" << "1.0.0-beta";
        QTest::newRow("version huge") << R"({"id": "a", "name": "A", "version": "1.0.999999"})" << "999999";
        QTest::newRow("description not a string") << R"({"id": "a", "name": "A", "version": "0.1.0", "description": []})"
                                                  << "description";
        QTest::newRow("dependencies not an array") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependencies": {}})"
                                                   << "dependencies";
        QTest::newRow("dependency not an object") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependencies": ["b"]})"
                                                  << "dependency 0";
        QTest::newRow("dependency without id") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependencies": [{"version": ">=1"}]})"
                                               << "dependency 0";
        QTest::newRow("dependency bad requirement") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependencies": [{"id": "b", "version": "~1.2"}]})"
                                                    << "~1.2";
        QTest::newRow("dependency bare version") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependencies": [{"id": "b", "version": "1.2"}]})"
                                                 << "1.2";
        QTest::newRow("dependency unknown key") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependencies": [{"id": "b", "optional": true}]})"
                                                << "optional";
        QTest::newRow("dependency listed twice") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependencies": [{"id": "b"}, {"id": "b"}]})"
                                                 << "twice";
        QTest::newRow("unknown key") << R"({"id": "a", "name": "A", "version": "0.1.0", "dependecies": []})"
                                     << "dependecies";
    }

    void rejectsMalformedMetadata()
    {
        QFETCH(QString, json);
        QFETCH(QString, mentions);
        const auto metadata = PluginMetadata::fromJson(parse(json.toUtf8().constData()));
        QVERIFY(!metadata.ok());
        QCOMPARE(metadata.error().code(), ErrorCode::Malformed);
        QVERIFY2(message(metadata.error()).contains(mentions), metadata.error().message());
    }

    void requirementsCompareAsPeopleExpect_data()
    {
        QTest::addColumn<QString>("requirement");
        QTest::addColumn<QString>("version");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("any") << "" << "0.0.1" << true;
        QTest::newRow(">= short form, equal") << ">=0.1" << "0.1.0" << true;
        QTest::newRow(">= below") << ">=0.2" << "0.1.9" << false;
        QTest::newRow("> equal") << ">0.1.0" << "0.1.0" << false;
        QTest::newRow("> above") << ">0.1.0" << "0.1.1" << true;
        QTest::newRow("< short form") << "<1" << "0.99.99" << true;
        QTest::newRow("< equal") << "<1" << "1.0.0" << false;
        QTest::newRow("<= equal") << "<=1.2" << "1.2.0" << true;
        QTest::newRow("== exact") << "==1.2.3" << "1.2.3" << true;
        QTest::newRow("== other") << "==1.2.3" << "1.2.4" << false;
        QTest::newRow("range inside") << ">=0.1, <1.0" << "0.5.0" << true;
        QTest::newRow("range above") << ">=0.1, <1.0" << "1.0.0" << false;
        QTest::newRow("numeric not lexical") << ">=0.9" << "0.10.0" << true;
    }

    void requirementsCompareAsPeopleExpect()
    {
        QFETCH(QString, requirement);
        QFETCH(QString, version);
        QFETCH(bool, accepted);
        const auto comparisons = parseVersionRequirement(requirement);
        QVERIFY(comparisons.ok());
        const auto parsed = parsePluginVersion(version);
        QVERIFY(parsed.ok());
        PluginDependency dependency;
        dependency.comparisons = *comparisons;
        QCOMPARE(dependency.acceptsVersion(*parsed), accepted);
    }
};

QTEST_GUILESS_MAIN(TestPluginMetadata)
#include "test_pluginmetadata.moc"
