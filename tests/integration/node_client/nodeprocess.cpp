#include "nodeprocess.h"

#include "wire/base32.h"

#include <QDeadlineTimer>

#include <csignal>
#include <sys/types.h>

namespace hive::test {

QString NodeProcess::executable()
{
    return QStringLiteral(HIVE_NODE_EXECUTABLE);
}

NodeProcess::NodeProcess(const wire::SigningPublicKey& owner, QString dataDir, QString size)
    : m_dataDir(dataDir.isEmpty() ? m_temp.filePath(QStringLiteral("node")) : std::move(dataDir))
{
    QProcess init;
    init.start(executable(), {QStringLiteral("init"), QStringLiteral("--data"), m_dataDir, QStringLiteral("--owner"),
                              QString::fromStdString(base32::encode(owner)), QStringLiteral("--size"), size});
    if (!init.waitForFinished(30000)) {
        init.kill();
        init.waitForFinished(1000);
        m_log = QStringLiteral("init timed out");
        return;
    }
    m_log = QString::fromUtf8(init.readAllStandardError());
    m_initialized = init.exitStatus() == QProcess::NormalExit && init.exitCode() == 0;
}

NodeProcess::~NodeProcess()
{
    if (running()) {
        resume();
        if (stop() != 0 && running())
            kill();
    }
}

bool NodeProcess::start(quint16 port, bool sandbox)
{
    if (!m_initialized || running())
        return false;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments {QStringLiteral("run"), QStringLiteral("--data"), m_dataDir, QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.1:%1").arg(port != 0 ? port : m_port)};
    if (!sandbox)
        arguments << QStringLiteral("--no-sandbox");
    m_process->start(executable(), arguments);
    if (!m_process->waitForStarted(10000))
        return false;
    QDeadlineTimer deadline(10000);
    QByteArray output;
    while (!deadline.hasExpired()) {
        if (!m_process->waitForReadyRead(static_cast<int>(std::max<qint64>(deadline.remainingTime(), 1))))
            break;
        output += m_process->readAll();
        const qsizetype at = output.indexOf("listening on ");
        const qsizetype end = at >= 0 ? output.indexOf('\n', at) : -1;
        if (end > at) {
            const QByteArray text = output.mid(at + 13, end - at - 13).trimmed();
            auto address = wire::NodeAddress::parse(text.toStdString());
            m_log += QString::fromUtf8(output);
            if (!address.ok())
                return false;
            m_address = *address;
            m_port = address->port;
            // Keep reading the log as it comes so the pipe never fills up.
            QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(),
                             [this] { m_log += QString::fromUtf8(m_process->readAll()); });
            return true;
        }
    }
    m_log += QString::fromUtf8(output);
    return false;
}

int NodeProcess::stop()
{
    if (!running())
        return m_process ? m_process->exitCode() : -1;
    resume();
    m_process->terminate();
    if (!m_process->waitForFinished(10000)) {
        kill();
        return -1;
    }
    m_log += QString::fromUtf8(m_process->readAll());
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void NodeProcess::kill()
{
    if (!running())
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
    m_paused = false;
}

void NodeProcess::pause()
{
    if (running() && !m_paused) {
        ::kill(static_cast<pid_t>(m_process->processId()), SIGSTOP);
        m_paused = true;
    }
}

void NodeProcess::resume()
{
    if (running() && m_paused) {
        ::kill(static_cast<pid_t>(m_process->processId()), SIGCONT);
        m_paused = false;
    }
}

} // namespace hive::test
