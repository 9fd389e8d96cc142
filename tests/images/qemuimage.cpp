#include "qemuimage.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace hive::test {

QemuImage::~QemuImage()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool QemuImage::start(const QString& program, const QStringList& args)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setProgram(program);
    m_process.setArguments(args);
    m_startedAt = QDateTime::currentMSecsSinceEpoch();
    m_process.start(QIODevice::ReadOnly);
    return m_process.waitForStarted(10000);
}

QString QemuImage::output()
{
    m_output += QString::fromLatin1(m_process.readAll());
    return m_output;
}

QString QemuImage::waitFor(const QRegularExpression& pattern, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        auto match = pattern.match(output());
        if (match.hasMatch())
            return match.lastCapturedIndex() >= 1 ? match.captured(1) : match.captured(0);
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return {};
        m_process.waitForReadyRead(static_cast<int>(qMin<qint64>(deadline.remainingTime(), 100)));
    }
}

bool QemuImage::waitForExit(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        output();
        return false;
    }
    output();
    return true;
}

qint64 QemuImage::elapsedMs() const { return QDateTime::currentMSecsSinceEpoch() - m_startedAt; }

quint16 freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QByteArray tcpRoundTrip(quint16 port, const QByteArray& payload, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(static_cast<int>(qMin<qint64>(deadline.remainingTime(), 2000)))) {
            QThread::msleep(100);
            continue;
        }
        socket.write(payload);
        QByteArray received;
        while (received.size() < payload.size() && !deadline.hasExpired()) {
            if (!socket.waitForReadyRead(static_cast<int>(qMin<qint64>(deadline.remainingTime(), 500)))) {
                if (socket.state() != QAbstractSocket::ConnectedState)
                    break;
                continue;
            }
            received += socket.readAll();
        }
        // QEMU's hostfwd accepts and then drops the connection while the guest is not
        // listening yet; only then is a retry meaningful.
        if (received.isEmpty() && socket.state() != QAbstractSocket::ConnectedState) {
            QThread::msleep(100);
            continue;
        }
        socket.disconnectFromHost();
        if (socket.state() != QAbstractSocket::UnconnectedState)
            socket.waitForDisconnected(2000);
        return received;
    }
    return {};
}

} // namespace hive::test
