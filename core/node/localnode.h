// LocalNode: the `hive-node` process the app runs as the personal node when the person has
// not configured another one (the "embedded default" of docs/protocol.md's deployment).
//
// Its data lives in a directory of the profile (<profile>/node); the first start runs
// `hive-node init --owner <identity key>`, every start asks `hive-node address` for the
// node's hive:// address and then runs `hive-node run --listen HOST:PORT` (sandboxed unless
// told otherwise) under QProcess. If the process dies it is restarted with backoff; stop()
// (and the destructor) end it with SIGTERM and wait for it.
#pragma once

#include "wire/grant.h"
#include "wire/nodeaddress.h"
#include "wire/result.h"

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

namespace hive::core {

class LocalNode : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateName READ stateName NOTIFY stateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(QString address READ addressText NOTIFY addressChanged)

public:
    // Stopped: not running (not started, or stop()ped). Starting: init/address/run under
    // way, not listening yet. Running: the node logged that it listens. Restarting: it died
    // and will be started again after a backoff. Failed: it cannot be started (init or
    // address failed); start() again to retry.
    enum class State { Stopped, Starting, Running, Restarting, Failed };
    Q_ENUM(State)

    static constexpr quint16 PreferredPort = 7420; // hive-node's own default
    static constexpr std::chrono::milliseconds StopTimeout {5000};

    struct Options {
        QString executable;               // path of hive-node
        QString dataDirectory;            // the node's --data
        wire::SigningPublicKey owner {};  // the profile's Ed25519 identity key
        QString host = QStringLiteral("127.0.0.1");
        quint16 port = PreferredPort;
        QString storeSize = QStringLiteral("256M"); // for init only
        bool sandbox = true;
        std::chrono::milliseconds initialRestartDelay {250};
        std::chrono::milliseconds maxRestartDelay {30000};
    };

    // hive-node next to the running executable (bin/ of a build or an install).
    static QString defaultExecutable();
    // The node data directory inside a profile directory.
    static QString dataDirectoryFor(const QString& profileDirectory);
    // A loopback port that nothing listens on right now, preferring `preferred`.
    static quint16 pickFreePort(quint16 preferred = PreferredPort);

    explicit LocalNode(Options options, QObject* parent = nullptr);
    // Stops the process (SIGTERM, then waits).
    ~LocalNode() override;

    // Initialises the data directory if needed, learns the address and starts the process,
    // without blocking: init and address run in the background. A missing hive-node is
    // returned at once; later failures (init or address) make the state Failed with
    // lastError set. The state becomes Running (and ready() is emitted) once the node listens.
    Status start();
    // Ends the process with SIGTERM (SIGKILL after StopTimeout) and stops restarting it.
    void stop();
    // Changes the port; a running node is restarted on it.
    Status setPort(quint16 port);

    State state() const { return m_state; }
    QString stateName() const;
    QString lastError() const { return m_lastError; }
    const std::optional<wire::NodeAddress>& address() const { return m_address; }
    QString addressText() const;
    const Options& options() const { return m_options; }
    // Process id of the running node, or 0.
    qint64 processId() const;
    // The last lines the node logged (for diagnostics).
    QStringList recentLog() const { return m_log; }
    // True if the data directory already holds a node.
    bool isInitialized() const;

signals:
    void stateChanged(hive::core::LocalNode::State state);
    void lastErrorChanged();
    void addressChanged();
    // The node listens (again) and accepts connections at address().
    void ready();

private:
    // Runs `hive-node arguments...` and calls done with its trimmed stdout or the error.
    void runTool(const QStringList& arguments, std::function<void(Result<QString>)> done);
    void learnAddress();
    void fail(const Error& error);
    void launch();
    void onReadyReadLog();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void setState(State state);
    void setLastError(const QString& text);
    QString listenText() const;

    Options m_options;
    State m_state = State::Stopped;
    QString m_lastError;
    std::optional<wire::NodeAddress> m_address;
    QProcess* m_process = nullptr;
    QProcess* m_tool = nullptr; // init / address while starting
    QTimer m_toolTimer;
    QByteArray m_partialLine;
    QStringList m_log;
    bool m_stopping = false;
    int m_restarts = 0;
    qint64 m_startedAtMs = 0;
    QTimer m_restartTimer;
};

} // namespace hive::core
