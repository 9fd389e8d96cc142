#include "appcontroller.h"

#include "messaging/messagingplugin.h"
#include "vault/keychainstore.h"

#include <QDir>
#include <QJSEngine>
#include <QSettings>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <openssl/crypto.h>

#include <sodium.h>

#include <chrono>

namespace hive::app {

namespace {
// SQLCipher keys the vault through OpenSSL, which keeps per-thread state. The pool
// thread that opened the vault idles on after the task, so that state is released
// here rather than left to the thread's end (or never, at process exit).
void releaseThreadCryptoState()
{
    OPENSSL_thread_stop();
}

const QStringList kThemes = {QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")};

// Passphrases arrive from QML as QString; the core wants bytes. The copy is wiped by the
// caller once used.
QByteArray passphraseBytes(const QString& passphrase)
{
    return passphrase.toUtf8();
}

void wipe(QByteArray& bytes)
{
    if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), static_cast<std::size_t>(bytes.size()));
    bytes.clear();
}

} // namespace

AppController::AppController(QString profileDir, Localization& localization, KeychainCheck keychain, QObject* parent)
    : QObject(parent)
    , m_profileDir(QDir::cleanPath(QDir(profileDir).absolutePath()))
    , m_localization(localization)
{
    if (QFile::exists(settingsFile())) {
        QSettings settings(settingsFile(), QSettings::IniFormat);
        m_language = settings.value(QStringLiteral("ui/language")).toString();
        const QString theme = settings.value(QStringLiteral("ui/theme")).toString();
        if (kThemes.contains(theme))
            m_theme = theme;
    }
    if (!m_language.isEmpty() && !Localization::languages().contains(m_language))
        m_language.clear();
    m_localization.apply(m_language);

    connect(&m_watcher, &QFutureWatcher<void>::finished, this, [this] {
        auto result = std::move(*m_pending);
        m_pending.reset();
        finishOpening(std::move(result), m_pendingFailureState);
    });

    connect(&m_passphraseWatcher, &QFutureWatcher<void>::finished, this, &AppController::finishPassphraseChange);

    probe();
    // Only a first run offers the keychain, so only then is it worth asking for it (the
    // question can take a few seconds when no secret service answers).
    if (m_state == QLatin1String("onboarding") && keychain == KeychainCheck::Probe)
        m_keychainAvailable = core::KeychainStore(std::chrono::seconds(3)).available().ok();
}

AppController::~AppController()
{
    // A worker may still be deriving a key; it writes into m_pending, so wait for it.
    m_watcher.waitForFinished();
    m_passphraseWatcher.waitForFinished();
}

void AppController::probe()
{
    switch (core::Profile::probe(m_profileDir)) {
    case core::ProfileState::Missing:
        setState(QStringLiteral("onboarding"));
        break;
    case core::ProfileState::Passphrase:
        setState(QStringLiteral("unlock"));
        break;
    case core::ProfileState::Keychain:
        // Nothing to ask the person: the key comes from the keychain.
        unlockNow({});
        break;
    case core::ProfileState::Damaged:
        setErrorText(tr("The profile files are damaged or were written by a newer version of Hive."));
        setState(QStringLiteral("error"));
        break;
    }
}

void AppController::retry()
{
    setErrorText({});
    probe();
}

QString AppController::displayName() const
{
    return m_session ? m_session->profile().identity().displayName() : QString();
}

QString AppController::fingerprint() const
{
    return m_session ? m_session->profile().identity().fingerprint() : QString();
}

QString AppController::keyProtection() const
{
    if (!m_session)
        return {};
    return m_session->profile().keyProtection() == core::KeyProtection::Keychain ? QStringLiteral("keychain")
                                                                               : QStringLiteral("passphrase");
}

QAbstractItemModel* AppController::plugins() const
{
    return m_session ? &m_session->plugins() : nullptr;
}

QObject* AppController::trust() const
{
    return m_trust.get();
}

QObject* AppController::node() const
{
    return m_session ? m_session->node() : nullptr;
}

QObject* AppController::pluginObject(const QString& id) const
{
    if (!m_session)
        return nullptr;
    QObject* object = m_session->plugins().pluginObject(id);
    // A parentless QObject returned to QML from an invokable would otherwise become
    // JavaScript-owned and be deleted by the garbage collector while the host still uses it.
    if (object != nullptr)
        QJSEngine::setObjectOwnership(object, QJSEngine::CppOwnership);
    return object;
}

QString AppController::version() const
{
    return QStringLiteral(HIVE_VERSION);
}

void AppController::setLanguage(const QString& language)
{
    const QString code = Localization::languages().contains(language) ? language : QString();
    if (code == m_language)
        return;
    m_language = code;
    m_localization.apply(m_language);
    saveSettings();
    emit languageChanged();
}

void AppController::setTheme(const QString& theme)
{
    if (!kThemes.contains(theme) || theme == m_theme)
        return;
    m_theme = theme;
    saveSettings();
    emit themeChanged();
}

QString AppController::settingsFile() const
{
    return m_profileDir + QStringLiteral("/ui.ini");
}

void AppController::saveSettings()
{
    // UI settings live next to the vault so they apply before unlocking (the unlock screen
    // is already in the chosen language). They hold nothing personal. Before the profile
    // exists they stay in memory and are written once it has been created.
    if (m_state == QLatin1String("onboarding"))
        return;
    QSettings settings(settingsFile(), QSettings::IniFormat);
    settings.setValue(QStringLiteral("ui/language"), m_language);
    settings.setValue(QStringLiteral("ui/theme"), m_theme);
    settings.sync();
}

void AppController::createProfile(const QString& displayName, const QString& protection, const QString& passphrase)
{
    if (m_busy || m_state != QLatin1String("onboarding"))
        return;
    const auto name = core::Identity::validateDisplayName(displayName);
    if (!name.ok()) {
        setErrorText(tr("Please enter a name of at most 64 characters."));
        return;
    }
    const bool keychain = protection == QLatin1String("keychain");
    if (!keychain && passphrase.isEmpty()) {
        setErrorText(tr("Please choose a passphrase."));
        return;
    }
    setErrorText({});
    setBusy(true);
    const QString dir = m_profileDir;
    const QString trimmed = name.value();
    if (keychain) {
        // QtKeychain answers through the event loop of the thread that asks, so the
        // keychain path stays on this thread.
        finishOpening(core::Profile::create(dir, trimmed, core::KeyProtection::Keychain, {}),
                      QStringLiteral("onboarding"));
        return;
    }
    m_pendingFailureState = QStringLiteral("onboarding");
    QByteArray secret = passphraseBytes(passphrase);
    m_watcher.setFuture(QtConcurrent::run([this, dir, trimmed, secret]() mutable {
        m_pending.emplace(core::Profile::create(dir, trimmed, core::KeyProtection::Passphrase, secret));
        wipe(secret);
        releaseThreadCryptoState();
    }));
}

void AppController::unlock(const QString& passphrase)
{
    if (m_busy || m_state != QLatin1String("unlock"))
        return;
    setErrorText({});
    setBusy(true);
    m_pendingFailureState = QStringLiteral("unlock");
    const QString dir = m_profileDir;
    QByteArray secret = passphraseBytes(passphrase);
    m_watcher.setFuture(QtConcurrent::run([this, dir, secret]() mutable {
        m_pending.emplace(core::Profile::open(dir, secret));
        wipe(secret);
        releaseThreadCryptoState();
    }));
}

bool AppController::unlockNow(const QByteArray& passphrase)
{
    if (m_busy || m_session)
        return m_session != nullptr;
    setBusy(true);
    const bool keychain = core::Profile::probe(m_profileDir) == core::ProfileState::Keychain;
    finishOpening(core::Profile::open(m_profileDir, passphrase),
                  keychain ? QStringLiteral("error") : QStringLiteral("unlock"));
    return m_session != nullptr;
}

void AppController::finishOpening(Result<std::unique_ptr<core::Profile>> result, const QString& failureState)
{
    setBusy(false);
    if (!result.ok()) {
        setErrorText(describe(result.error()));
        setState(failureState);
        return;
    }
    m_session = Session::adopt(std::move(result).value());
    m_session->startPlugins();
    // The trust pages are optional: if their tables cannot be prepared the rest still runs.
    auto trust = core::TrustController::create(m_session->profile().vault(), m_session->profile().identity());
    if (trust.ok()) {
        m_trust = std::move(trust).value();
        QJSEngine::setObjectOwnership(m_trust.get(), QJSEngine::CppOwnership);
    } else {
        qWarning("hive: the trust pages are unavailable: %s", trust.error().message());
    }
    // The personal node is optional too: without it (hive-node missing, say) the app runs
    // and Settings -> Node says what is wrong.
    core::PersonalNode::Options nodeOptions;
    if (!m_nodeExecutable.isEmpty())
        nodeOptions.nodeExecutable = m_nodeExecutable;
    nodeOptions.profileDirectory = m_session->profile().directory();
    const Status node = m_session->startNode(std::move(nodeOptions));
    if (node.ok()) {
        QJSEngine::setObjectOwnership(m_session->node(), QJSEngine::CppOwnership);
        // Friend requests and grants arrive through the personal node.
        if (m_trust)
            m_trust->attachNode(m_session->node()->client());
    } else
        qWarning("hive: the personal node is unavailable: %s", node.error().message());
    startMessaging();
    setErrorText({});
    emit identityChanged();
    emit pluginsChanged();
    emit nodeChanged();
    setState(QStringLiteral("main"));
    saveSettings();
}

void AppController::startMessaging()
{
    // Chats need the personal node (prekeys, inbox), the trust network's contacts, outbox and
    // inbox, and a running messaging plugin; without them the messaging page shows the
    // plugin's status instead.
    auto* plugin = qobject_cast<messaging::MessagingPlugin*>(m_session->plugins().pluginObject(QStringLiteral("messaging")));
    if (plugin == nullptr || m_session->node() == nullptr || !m_trust || m_trust->inbox() == nullptr)
        return;
    const MessagingService::Services services {m_session->profile().vault(), m_session->profile().identity(),
                                               m_session->node()->client(), m_trust->contactService(),
                                               m_trust->outbox(), *m_trust->inbox()};
    auto service = MessagingService::create(services, *plugin,
                                            QDir(m_session->profile().directory()).filePath(QStringLiteral("attachments")));
    if (service.ok())
        m_messaging = std::move(service).value();
    else
        qWarning("hive: messaging is unavailable: %s", service.error().message());
}

bool AppController::setDisplayName(const QString& name)
{
    if (!m_session)
        return false;
    const Status status = m_session->profile().identity().setDisplayName(name);
    if (!status.ok()) {
        setErrorText(tr("Please enter a name of at most 64 characters."));
        return false;
    }
    setErrorText({});
    emit identityChanged();
    return true;
}

QString AppController::changePassphrase(const QString& current, const QString& replacement)
{
    if (!m_session)
        return tr("Hive is locked.");
    if (m_session->profile().keyProtection() != core::KeyProtection::Passphrase)
        return tr("This profile keeps its key in the system keychain.");
    if (replacement.size() < 8)
        return tr("The new passphrase needs at least 8 characters.");
    if (m_busy)
        return tr("Hive is busy; please try again in a moment.");
    // Checking the current passphrase and deriving the new key each run Argon2id (seconds
    // with real costs), so both run on a worker; the re-key itself touches the open vault
    // and so stays on this thread (passphraseChanged).
    setBusy(true);
    const core::Profile& profile = m_session->profile();
    QByteArray oldSecret = passphraseBytes(current);
    QByteArray newSecret = passphraseBytes(replacement);
    m_passphraseWatcher.setFuture(QtConcurrent::run([this, &profile, oldSecret, newSecret]() mutable {
        const Status checked = profile.checkPassphrase(oldSecret);
        if (checked.ok())
            m_pendingPassphrase.emplace(core::Profile::preparePassphrase(newSecret));
        else
            m_pendingPassphrase.emplace(checked.error());
        wipe(oldSecret);
        wipe(newSecret);
    }));
    return {};
}

void AppController::finishPassphraseChange()
{
    auto prepared = std::move(*m_pendingPassphrase);
    m_pendingPassphrase.reset();
    setBusy(false);
    QString message;
    if (!prepared.ok()) {
        message = prepared.error().code() == ErrorCode::WrongKey ? tr("The current passphrase is not right.")
                                                                 : describe(prepared.error());
    } else if (!m_session) {
        message = tr("Hive is locked.");
    } else {
        const Status changed = m_session->profile().applyPassphrase(*prepared);
        if (!changed.ok())
            message = describe(changed.error());
    }
    emit passphraseChangeFinished(message);
}

QString AppController::describe(const Error& error) const
{
    switch (error.code()) {
    case ErrorCode::WrongKey:
        return tr("That passphrase is not right. Please try again.");
    case ErrorCode::Unavailable:
        //: %1 is the technical reason given by the system.
        return tr("The system keychain cannot be reached (%1).").arg(QString::fromUtf8(error.message()));
    case ErrorCode::Corrupt:
    case ErrorCode::Malformed:
        return tr("The profile files are damaged (%1). They have not been changed.").arg(QString::fromUtf8(error.message()));
    case ErrorCode::Unsupported:
        return tr("This profile was written by a newer version of Hive.");
    default:
        return QString::fromUtf8(error.message());
    }
}

void AppController::setState(const QString& state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged();
}

void AppController::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void AppController::setErrorText(const QString& text)
{
    if (text == m_errorText)
        return;
    m_errorText = text;
    emit errorTextChanged();
}

} // namespace hive::app
