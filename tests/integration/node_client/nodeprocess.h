// A real hive-node process for integration tests and benchmarks: init in a temporary
// directory, run on a loopback port, stop/kill/pause it by its own pid only.
#pragma once

#include "wire/grant.h"
#include "wire/nodeaddress.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace hive::test {

class NodeProcess {
public:
    // Initialises a node owned by `owner` in a fresh temporary directory (or in `dataDir`).
    explicit NodeProcess(const wire::SigningPublicKey& owner, QString dataDir = {}, QString size = QStringLiteral("16M"));
    ~NodeProcess();

    // Starts `hive-node run`; port 0 picks a free one (kept for later restarts). Waits up
    // to 10 s for the "listening on" line. Returns false (see log()) on failure.
    bool start(quint16 port = 0, bool sandbox = true);
    // SIGTERM and wait; returns the exit code (-1 if it had to be killed).
    int stop();
    // SIGKILL and wait.
    void kill();
    // SIGSTOP / SIGCONT: the node keeps its sockets but answers nothing.
    void pause();
    void resume();

    bool initialized() const { return m_initialized; }
    bool running() const { return m_process && m_process->state() == QProcess::Running; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    quint16 port() const { return m_port; }
    const wire::NodeAddress& address() const { return m_address; }
    QString dataDir() const { return m_dataDir; }
    QString log() const { return m_log; }
    static QString executable();

private:
    QTemporaryDir m_temp;
    QString m_dataDir;
    bool m_initialized = false;
    std::unique_ptr<QProcess> m_process;
    wire::NodeAddress m_address;
    quint16 m_port = 0;
    QString m_log;
    bool m_paused = false;
};

} // namespace hive::test
