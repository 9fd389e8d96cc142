// AppController: what the QML shell talks to. It owns the unlocked Session (profile,
// plugin context, plugin host), walks the person through onboarding or unlocking, and keeps
// the UI settings (language, theme). main.cpp hands it to Main.qml as an initial property;
// there is no singleton.
#pragma once

#include "localization.h"
#include "messagingservice.h"
#include "session.h"

#include "trust/ui/trustcontroller.h"

#include <QAbstractItemModel>
#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace hive::app {

class AppController : public QObject {
    Q_OBJECT
    // "onboarding", "unlock", "main" or "error" (profile present but cannot be opened).
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    // True while a profile is being created or opened (key derivation takes a moment).
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // Why the last create/unlock failed, for people; empty otherwise.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(bool keychainAvailable READ keychainAvailable CONSTANT)
    Q_PROPERTY(QString profileDirectory READ profileDirectory CONSTANT)
    Q_PROPERTY(QString displayName READ displayName NOTIFY identityChanged)
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY identityChanged)
    // "keychain" or "passphrase" once unlocked, empty before.
    Q_PROPERTY(QString keyProtection READ keyProtection NOTIFY identityChanged)
    // The PluginHost list model (roles id, name, version, state, ...), null before unlock.
    Q_PROPERTY(QAbstractItemModel* plugins READ plugins NOTIFY pluginsChanged)
    // "" (follow the system), "en", "de" or "es".
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    // "system", "light" or "dark".
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(QString version READ version CONSTANT)
    // The trust pages' TrustController (own card, contacts, scanner), null before unlock.
    Q_PROPERTY(QObject* trust READ trust NOTIFY pluginsChanged)
    // The profile's PersonalNode (Settings -> Node: address, connection, store use), null
    // before unlock.
    Q_PROPERTY(QObject* node READ node NOTIFY nodeChanged)

public:
    // Whether a keychain profile is offered on first run.
    enum class KeychainCheck { Probe, AssumeUnavailable };

    // Looks at `profileDir` (without unlocking it) and loads the UI settings stored there.
    AppController(QString profileDir, Localization& localization, KeychainCheck keychain = KeychainCheck::Probe,
                  QObject* parent = nullptr);
    ~AppController() override;

    QString state() const { return m_state; }
    bool busy() const { return m_busy; }
    QString errorText() const { return m_errorText; }
    bool keychainAvailable() const { return m_keychainAvailable; }
    QString profileDirectory() const { return m_profileDir; }
    QString displayName() const;
    QString fingerprint() const;
    QString keyProtection() const;
    QAbstractItemModel* plugins() const;
    QObject* trust() const;
    QObject* node() const;
    // Where the local hive-node is started from (default: next to this program). Takes
    // effect at the next unlock; tests point it at the build's bin/.
    void setNodeExecutable(const QString& path) { m_nodeExecutable = path; }
    QString language() const { return m_language; }
    void setLanguage(const QString& language);
    QString theme() const { return m_theme; }
    void setTheme(const QString& theme);
    QString version() const;

    // The open session, or nullptr before unlock.
    Session* session() const { return m_session.get(); }

    // Creates the profile; protection is "keychain" or "passphrase". Runs in the background
    // and ends in state "main" or with errorText set.
    Q_INVOKABLE void createProfile(const QString& displayName, const QString& protection, const QString& passphrase);
    // Opens a passphrase profile in the background; a wrong passphrase sets errorText.
    Q_INVOKABLE void unlock(const QString& passphrase);
    // Opens the profile right away on this thread (unattended unlock, keychain profiles).
    // Returns true if it is now open.
    bool unlockNow(const QByteArray& passphrase);
    // Looks at the profile again (after the keychain became reachable, for instance).
    Q_INVOKABLE void retry();
    // The QObject of a plugin, for its page's `plugin` property; null if it has none. The
    // object stays owned by the plugin host (the QML engine must never collect it).
    Q_INVOKABLE QObject* pluginObject(const QString& id) const;
    // Renames the person; returns false and sets errorText if the name is not acceptable.
    Q_INVOKABLE bool setDisplayName(const QString& name);
    // Starts re-keying the vault after checking the current passphrase (in the background;
    // busy meanwhile). Returns a message for people if it cannot start, else "" and the
    // outcome arrives as passphraseChangeFinished.
    Q_INVOKABLE QString changePassphrase(const QString& current, const QString& replacement);

signals:
    void stateChanged();
    void busyChanged();
    void errorTextChanged();
    void identityChanged();
    void pluginsChanged();
    void nodeChanged();
    void languageChanged();
    void themeChanged();
    // The end of changePassphrase: message is "" on success, else what went wrong.
    void passphraseChangeFinished(const QString& message);

private:
    void probe();
    void setState(const QString& state);
    void setBusy(bool busy);
    void setErrorText(const QString& text);
    void finishOpening(Result<std::unique_ptr<core::Profile>> result, const QString& failureState);
    void startMessaging();
    void finishPassphraseChange();
    void saveSettings();
    QString settingsFile() const;
    QString describe(const Error& error) const;

    QString m_profileDir;
    Localization& m_localization;
    QString m_state;
    QString m_errorText;
    QString m_language;
    QString m_theme = QStringLiteral("system");
    bool m_busy = false;
    bool m_keychainAvailable = false;
    QString m_nodeExecutable;
    std::unique_ptr<Session> m_session;
    // Declared after m_session: destroyed first, while the vault it uses is still open.
    std::unique_ptr<core::TrustController> m_trust;
    // The messenger behind the messaging pages; also destroyed before the session (it uses
    // the vault, the personal node's client and the messaging plugin).
    std::unique_ptr<MessagingService> m_messaging;
    // Profile creation and unlocking run Argon2id, so they run on a worker thread; the
    // result lands here and is picked up when m_watcher reports the end.
    std::optional<Result<std::unique_ptr<core::Profile>>> m_pending;
    QString m_pendingFailureState;
    QFutureWatcher<void> m_watcher;
    // The same for a passphrase change: the checked-and-derived new key.
    std::optional<Result<core::Profile::PreparedPassphrase>> m_pendingPassphrase;
    QFutureWatcher<void> m_passphraseWatcher;
};

} // namespace hive::app
