// The German and Spanish translations are complete: no unfinished or empty entry, the
// same placeholders as the source, and every string lupdate finds in the sources today is
// translated. Also checks that switching the language really changes what tr() returns.
#include "localization.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message {
    QString context;
    QString source;
    QString translation; // numerus forms joined by '\n'
    QString type;        // the <translation type="..."> attribute
    bool numerus = false;
};

QList<Message> readTs(const QString& path, QString* error)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + path;
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("context")) {
                context.clear();
            } else if (name == QLatin1String("name") && context.isEmpty()) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                current = Message{context, {}, {}, {}, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes")};
            } else if (name == QLatin1String("source")) {
                current.source = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                current.type = xml.attributes().value(QLatin1String("type")).toString();
                if (!current.numerus)
                    current.translation = xml.readElementText();
            } else if (name == QLatin1String("numerusform")) {
                const QString form = xml.readElementText();
                current.translation += current.translation.isEmpty() ? form : QStringLiteral("\n") + form;
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages << current;
        }
    }
    if (xml.hasError())
        *error = path + QStringLiteral(": ") + xml.errorString();
    return messages;
}

QSet<QString> placeholders(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d+|n)"));
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured(0);
    return found;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void tsFilesAreComplete_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("de") << QStringLiteral(HIVE_SOURCE_DIR "/translations/hive_de.ts");
        QTest::newRow("es") << QStringLiteral(HIVE_SOURCE_DIR "/translations/hive_es.ts");
    }
    void tsFilesAreComplete()
    {
        QFETCH(QString, path);
        QString error;
        const QList<Message> messages = readTs(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 50);
        for (const Message& m : messages) {
            const QString where = m.context + QStringLiteral(": ") + m.source;
            QVERIFY2(m.type != QLatin1String("unfinished"), qPrintable(QStringLiteral("unfinished: ") + where));
            QVERIFY2(m.type != QLatin1String("obsolete") && m.type != QLatin1String("vanished"),
                     qPrintable(QStringLiteral("no longer used: ") + where));
            QVERIFY2(!m.translation.trimmed().isEmpty(), qPrintable(QStringLiteral("empty: ") + where));
            QVERIFY2(placeholders(m.translation) == placeholders(m.source),
                     qPrintable(QStringLiteral("placeholders differ: ") + where));
        }
    }

    // lupdate over today's sources (the list the build uses) finds nothing missing.
    void everySourceStringIsTranslated()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString scanned = tmp.filePath(QStringLiteral("scan_de.ts"));
        QProcess lupdate;
        lupdate.setProcessChannelMode(QProcess::MergedChannels);
        lupdate.start(QStringLiteral(HIVE_LUPDATE),
                      {QStringLiteral("-silent"), QStringLiteral("-locations"), QStringLiteral("none"),
                       QStringLiteral("@" HIVE_TRANSLATED_SOURCES), QStringLiteral("-ts"), scanned});
        QVERIFY(lupdate.waitForFinished(120000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());
        QString error;
        const QList<Message> found = readTs(scanned, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(found.size() > 50);

        for (const char* language : {"de", "es"}) {
            const QList<Message> translated =
                readTs(QStringLiteral(HIVE_SOURCE_DIR "/translations/hive_%1.ts").arg(QLatin1String(language)), &error);
            QSet<QString> done;
            for (const Message& m : translated) {
                if (m.type.isEmpty() && !m.translation.isEmpty())
                    done << m.context + QLatin1Char('\x1f') + m.source;
            }
            for (const Message& m : found) {
                QVERIFY2(done.contains(m.context + QLatin1Char('\x1f') + m.source),
                         qPrintable(QStringLiteral("%1 lacks %2: %3 (run the hive_shell_lupdate target and translate)")
                                        .arg(QLatin1String(language), m.context, m.source)));
            }
        }
    }

    void switchingLanguageChangesTranslations()
    {
        hive::app::Localization localization;
        QCOMPARE(localization.apply(QStringLiteral("de")), QStringLiteral("de"));
        QCOMPARE(QCoreApplication::translate("Shell", "Settings"), QStringLiteral("Einstellungen"));
        QCOMPARE(localization.apply(QStringLiteral("es")), QStringLiteral("es"));
        QCOMPARE(QCoreApplication::translate("Shell", "Settings"), QStringLiteral("Ajustes"));
        QCOMPARE(localization.apply(QStringLiteral("en")), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("Shell", "Settings"), QStringLiteral("Settings"));
        // "" follows the system, which is one of the known languages.
        QCOMPARE(localization.apply(QString()), hive::app::Localization::systemLanguage());
        QVERIFY(hive::app::Localization::languages().contains(localization.current()));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "test_translations.moc"
