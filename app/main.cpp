// hive: the Hive desktop app. This is the composition root: it builds the core services
// (through AppController and Session), imports the static plugins and hands everything to
// the QML shell by reference.
#include "appcontroller.h"
#include "localization.h"
#include "scenerelease.h"
#include "windowcapture.h"

#include "profile/profile.h"
#include "staticplugins.h"

#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QtQml/qqmlextensionplugin.h>

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

Q_IMPORT_QML_PLUGIN(HivePlugin)

namespace {

// Reads HIVE_PASSPHRASE for unattended unlock (tests, kiosks) and removes it from the
// environment so that nothing started later inherits it.
QByteArray takePassphraseFromEnvironment()
{
    QByteArray passphrase = qgetenv("HIVE_PASSPHRASE");
    qunsetenv("HIVE_PASSPHRASE");
    return passphrase;
}

} // namespace

int main(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("hive"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Hive"));
    QGuiApplication::setApplicationVersion(QStringLiteral(HIVE_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.hive.Hive"));

    if (sodium_init() < 0) {
        std::fputs("hive: libsodium could not be initialised\n", stderr);
        return 1;
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Hive: messages, presence, backups and shared resources between people who trust each other."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOption(QStringLiteral("profile"),
        QStringLiteral("Use the profile in DIR (default: %1).").arg(hive::core::Profile::defaultLocation()),
        QStringLiteral("DIR"), hive::core::Profile::defaultLocation());
    const QCommandLineOption pageOption(QStringLiteral("page"),
        QStringLiteral("Open PAGE after unlocking: home, settings or a plugin id."), QStringLiteral("PAGE"),
        QStringLiteral("home"));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
        QStringLiteral("Initial window size, for example 400x800."), QStringLiteral("WxH"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window to FILE once it has settled, print what it shows, then quit."),
        QStringLiteral("FILE"));
    parser.addOptions({profileOption, pageOption, sizeOption, screenshotOption});
    parser.process(app);

    QSize size(1100, 720);
    if (parser.isSet(sizeOption)) {
        const auto match = QRegularExpression(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$")).match(parser.value(sizeOption));
        if (!match.hasMatch()) {
            std::fputs("hive: --size expects WIDTHxHEIGHT, for example 400x800\n", stderr);
            return 2;
        }
        size = QSize(match.captured(1).toInt(), match.captured(2).toInt());
    }

    QQuickStyle::setStyle(QStringLiteral("Material"));

    hive::app::Localization localization;
    hive::app::AppController controller(parser.value(profileOption), localization);

    QByteArray passphrase = takePassphraseFromEnvironment();
    if (!passphrase.isEmpty() && controller.state() == QLatin1String("unlock"))
        controller.unlockNow(passphrase);
    sodium_memzero(passphrase.data(), static_cast<std::size_t>(passphrase.size()));

    QQmlApplicationEngine engine;
    // Qt 6.4 does not search the resource prefix of qt_add_qml_module by default.
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    QObject::connect(&controller, &hive::app::AppController::languageChanged, &engine, &QQmlEngine::retranslate);
    engine.setInitialProperties({
        {QStringLiteral("controller"), QVariant::fromValue(static_cast<QObject*>(&controller))},
        {QStringLiteral("startPage"), parser.value(pageOption)},
        {QStringLiteral("width"), size.width()},
        {QStringLiteral("height"), size.height()},
    });
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Hive/Main.qml")));
    if (engine.rootObjects().isEmpty()) {
        std::fputs("hive: the user interface could not be loaded\n", stderr);
        return 1;
    }
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());
    if (window == nullptr) {
        std::fputs("hive: the user interface has no window\n", stderr);
        return 1;
    }

    hive::app::WindowCapture capture(*window, controller);
    if (parser.isSet(screenshotOption))
        capture.saveWhenSettled(parser.value(screenshotOption));

    const int code = QGuiApplication::exec();
    // Before the engine goes: see scenerelease.h (image textures of the software renderer).
    hive::app::releaseScene(*window);
    return code;
}
