// Boots a node image under QEMU for a test: collects the serial console, waits for lines,
// and always reaps the one QEMU process it started (killed by its pid via QProcess).
#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace hive::test {

class QemuImage {
public:
    QemuImage() = default;
    QemuImage(const QemuImage&) = delete;
    QemuImage& operator=(const QemuImage&) = delete;
    // Kills QEMU if it is still running.
    ~QemuImage();

    // Starts `program args...` with stdout and stderr merged; false if it did not start.
    bool start(const QString& program, const QStringList& args);
    // Waits until the console output matches pattern or the timeout passes; returns the
    // match (captured group 1 when there is one) or a null string.
    QString waitFor(const QRegularExpression& pattern, int timeoutMs);
    // Waits for QEMU to exit on its own; false on timeout (QEMU is then killed).
    bool waitForExit(int timeoutMs);
    int exitCode() const { return m_process.exitCode(); }
    bool crashed() const { return m_process.exitStatus() == QProcess::CrashExit; }
    // Everything QEMU printed so far (serial console and QEMU's own messages).
    QString output();
    // Milliseconds since start().
    qint64 elapsedMs() const;

private:
    QProcess m_process;
    QString m_output;
    qint64 m_startedAt = 0;
};

// A TCP port on 127.0.0.1 that was free a moment ago (for QEMU's hostfwd).
quint16 freeLoopbackPort();

// Sends payload to 127.0.0.1:port and reads back as many bytes; returns what came back
// (empty on connection failure or timeout). Retries the connection until the deadline,
// since hostfwd accepts before the guest listens.
QByteArray tcpRoundTrip(quint16 port, const QByteArray& payload, int timeoutMs);

} // namespace hive::test
