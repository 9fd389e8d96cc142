// Localization: installs the translation of the chosen UI language into the running
// QCoreApplication. The QML engine is retranslated by whoever owns it (see main.cpp).
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QTranslator>

namespace hive::app {

class Localization {
public:
    Localization() = default;
    ~Localization();
    Localization(const Localization&) = delete;
    Localization& operator=(const Localization&) = delete;

    // Languages Hive is translated into (English is the source language).
    static QStringList languages();
    // The language the system locale asks for, among languages(); "en" if none matches.
    static QString systemLanguage();

    // Applies a language code from languages(), or "" for the system language. Returns the
    // language now in effect.
    QString apply(const QString& code);
    // The language currently in effect.
    QString current() const { return m_current; }

private:
    QTranslator m_translator;
    bool m_installed = false;
    QString m_current = QStringLiteral("en");
};

} // namespace hive::app
