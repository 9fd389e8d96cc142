#include "localization.h"

#include <QLocale>

namespace hive::app {

Localization::~Localization()
{
    if (m_installed)
        QCoreApplication::removeTranslator(&m_translator);
}

QStringList Localization::languages()
{
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("es")};
}

QString Localization::systemLanguage()
{
    // uiLanguages() lists the user's preferences in order ("de-AT", "de", "en-US", ...);
    // the first one we have a translation for wins.
    const QStringList known = languages();
    const QStringList preferred = QLocale::system().uiLanguages();
    for (const QString& tag : preferred) {
        const QString language = tag.section(QLatin1Char('-'), 0, 0).section(QLatin1Char('_'), 0, 0).toLower();
        if (known.contains(language))
            return language;
    }
    return QStringLiteral("en");
}

QString Localization::apply(const QString& code)
{
    QString language = languages().contains(code) ? code : systemLanguage();
    if (m_installed) {
        QCoreApplication::removeTranslator(&m_translator);
        m_installed = false;
    }
    // English is the source language: no translator needed.
    if (language != QLatin1String("en")) {
        // The .qm files are compiled into the executable under :/i18n (qt_add_translations).
        if (m_translator.load(QStringLiteral(":/i18n/hive_%1.qm").arg(language))) {
            m_installed = QCoreApplication::installTranslator(&m_translator);
        } else {
            qWarning("hive: no translation for language '%s'; using English", qPrintable(language));
            language = QStringLiteral("en");
        }
    }
    QLocale::setDefault(QLocale(language));
    m_current = language;
    return m_current;
}

} // namespace hive::app
