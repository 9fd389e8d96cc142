#include "node/localnode.h"

#include "wire/base32.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QTcpServer>

#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcLocalNode, "hive.node.local")

namespace hive::core {

using namespace std::chrono;

namespace {

constexpr int MaxLogLines = 50;
constexpr milliseconds ToolTimeout {30000};
// A node that ran this long before dying starts over with the shortest restart delay.
constexpr qint64 StableRunMs = 60000;

QString text(const Error& error)
{
    return QString::fromUtf8(error.message());
}

} // namespace

QString LocalNode::defaultExecutable()
{
    return QCoreApplication::applicationDirPath() + QStringLiteral("/hive-node");
}

QString LocalNode::dataDirectoryFor(const QString& profileDirectory)
{
    return QDir(profileDirectory).filePath(QStringLiteral("node"));
}

quint16 LocalNode::pickFreePort(quint16 preferred)
{
    QTcpServer probe;
    if (preferred != 0 && probe.listen(QHostAddress::LocalHost, preferred)) {
        probe.close();
        return preferred;
    }
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

LocalNode::LocalNode(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_restartTimer.setSingleShot(true);
    m_toolTimer.setSingleShot(true);
    connect(&m_restartTimer, &QTimer::timeout, this, &LocalNode::launch);
}

LocalNode::~LocalNode()
{
    stop();
}

QString LocalNode::stateName() const
{
    switch (m_state) {
    case State::Stopped: return QStringLiteral("stopped");
    case State::Starting: return QStringLiteral("starting");
    case State::Running: return QStringLiteral("running");
    case State::Restarting: return QStringLiteral("restarting");
    case State::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

QString LocalNode::addressText() const
{
    return m_address ? QString::fromStdString(m_address->toString()) : QString();
}

qint64 LocalNode::processId() const
{
    return m_process ? m_process->processId() : 0;
}

bool LocalNode::isInitialized() const
{
    return QFileInfo::exists(QDir(m_options.dataDirectory).filePath(QStringLiteral("node.img")));
}

QString LocalNode::listenText() const
{
    const bool v6 = m_options.host.contains(QLatin1Char(':'));
    return (v6 ? QLatin1Char('[') + m_options.host + QLatin1Char(']') : m_options.host) + QLatin1Char(':')
        + QString::number(m_options.port);
}

void LocalNode::runTool(const QStringList& arguments, std::function<void(Result<QString>)> done)
{
    Q_ASSERT(!m_tool);
    m_tool = new QProcess(this);
    m_toolTimer.start(ToolTimeout);
    const QString command = arguments.value(0);
    // Exactly one of finished / errorOccurred(FailedToStart) / the timeout ends the run.
    auto finish = [this, done = std::move(done), command](std::optional<Error> failure) {
        QProcess* tool = std::exchange(m_tool, nullptr);
        if (!tool)
            return;
        m_toolTimer.stop();
        m_toolTimer.disconnect(); // this run's timeout must not end the next tool
        tool->disconnect(this);
        const QString out = QString::fromUtf8(tool->readAllStandardOutput()).trimmed();
        const QString err = QString::fromUtf8(tool->readAllStandardError()).trimmed();
        if (!failure && (tool->exitStatus() != QProcess::NormalExit || tool->exitCode() != 0)) {
            Error error(ErrorCode::Io, "hive-node ");
            error.append(command.toStdString()).append(" failed: ");
            error.append((err.isEmpty() ? QStringLiteral("exit code %1").arg(tool->exitCode()) : err).toStdString());
            failure = error;
        }
        if (tool->state() != QProcess::NotRunning) {
            tool->kill();
            tool->waitForFinished(1000);
        }
        tool->deleteLater();
        if (failure)
            done(*failure);
        else
            done(out);
    };
    connect(m_tool, &QProcess::finished, this, [finish] { finish(std::nullopt); });
    connect(m_tool, &QProcess::errorOccurred, this, [this, finish](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        Error failure(ErrorCode::Unavailable, "cannot start ");
        failure.append(m_options.executable.toStdString()).append(": ");
        failure.append(m_tool->errorString().toStdString());
        finish(failure);
    });
    connect(&m_toolTimer, &QTimer::timeout, m_tool,
            [finish] { finish(Error(ErrorCode::Timeout, "hive-node did not finish in time")); });
    m_tool->start(m_options.executable, arguments);
}

Status LocalNode::start()
{
    if (m_process || m_tool || m_restartTimer.isActive())
        return success();
    m_stopping = false;
    setState(State::Starting);
    if (!QFileInfo(m_options.executable).isExecutable()) {
        Error error(ErrorCode::NotFound, "hive-node not found at ");
        error.append(m_options.executable.toStdString());
        fail(error);
        return error;
    }
    // init and address run as child processes whose end we wait for in the event loop, so a
    // slow disk never freezes the window that called start().
    if (isInitialized()) {
        learnAddress();
        return success();
    }
    const std::string owner = base32::encode(m_options.owner);
    runTool({QStringLiteral("init"), QStringLiteral("--data"), m_options.dataDirectory, QStringLiteral("--owner"),
             QString::fromStdString(owner), QStringLiteral("--size"), m_options.storeSize, QStringLiteral("--listen"),
             listenText()},
            [this](Result<QString> init) {
                if (!init.ok())
                    return fail(init.error());
                qCInfo(lcLocalNode) << "initialised a node in" << m_options.dataDirectory;
                learnAddress();
            });
    return success();
}

void LocalNode::learnAddress()
{
    runTool({QStringLiteral("address"), QStringLiteral("--data"), m_options.dataDirectory, QStringLiteral("--listen"),
             listenText()},
            [this](Result<QString> printed) {
                if (!printed.ok())
                    return fail(printed.error());
                auto address = wire::NodeAddress::parse(printed->toStdString());
                if (!address.ok())
                    return fail(address.error().withContext("hive-node printed an address that does not parse"));
                if (m_address != *address) {
                    m_address = *address;
                    emit addressChanged();
                }
                m_restarts = 0;
                launch();
            });
}

void LocalNode::fail(const Error& error)
{
    setLastError(text(error));
    setState(State::Failed);
    qCWarning(lcLocalNode) << "cannot start the local node:" << text(error);
}

void LocalNode::launch()
{
    Q_ASSERT(!m_process);
    setState(m_restarts == 0 ? State::Starting : State::Restarting);
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments {QStringLiteral("run"), QStringLiteral("--data"), m_options.dataDirectory,
                           QStringLiteral("--listen"), listenText()};
    if (!m_options.sandbox)
        arguments << QStringLiteral("--no-sandbox");
    connect(m_process, &QProcess::readyReadStandardOutput, this, &LocalNode::onReadyReadLog);
    connect(m_process, &QProcess::finished, this, &LocalNode::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onFinished(-1, QProcess::CrashExit);
    });
    m_partialLine.clear();
    m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_process->start(m_options.executable, arguments);
}

void LocalNode::onReadyReadLog()
{
    if (!m_process)
        return;
    m_partialLine += m_process->readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_partialLine.left(newline)).trimmed();
        m_partialLine.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        qCDebug(lcLocalNode).noquote() << line;
        m_log.append(line);
        if (m_log.size() > MaxLogLines)
            m_log.removeFirst();
        if (m_state != State::Running && line.contains(QLatin1String("listening on "))) {
            setLastError({});
            setState(State::Running);
            emit ready();
        }
    }
}

void LocalNode::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!m_process)
        return;
    onReadyReadLog();
    const QString reason = m_process->error() == QProcess::FailedToStart
        ? m_process->errorString()
        : (status == QProcess::CrashExit ? QStringLiteral("it crashed") : QStringLiteral("exit code %1").arg(exitCode));
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
    if (m_stopping) {
        setState(State::Stopped);
        return;
    }
    const QString last = m_log.isEmpty() ? QString() : QStringLiteral(": ") + m_log.constLast();
    setLastError(QStringLiteral("hive-node stopped (%1)%2").arg(reason, last));
    if (QDateTime::currentMSecsSinceEpoch() - m_startedAtMs >= StableRunMs)
        m_restarts = 0;
    const int shift = std::min(m_restarts, 20);
    const auto delay = std::min<milliseconds::rep>(m_options.initialRestartDelay.count() << shift,
                                                   m_options.maxRestartDelay.count());
    ++m_restarts;
    qCWarning(lcLocalNode).noquote() << m_lastError << "- restarting in" << delay << "ms";
    setState(State::Restarting);
    m_restartTimer.start(milliseconds(delay));
}

void LocalNode::stop()
{
    m_stopping = true;
    m_restartTimer.stop();
    if (QProcess* tool = std::exchange(m_tool, nullptr)) {
        m_toolTimer.stop();
        m_toolTimer.disconnect();
        tool->disconnect(this);
        tool->kill();
        tool->waitForFinished(1000);
        tool->deleteLater();
    }
    if (m_process) {
        QProcess* process = m_process;
        process->terminate(); // SIGTERM: the node closes its store cleanly
        if (!process->waitForFinished(static_cast<int>(StopTimeout.count()))) {
            qCWarning(lcLocalNode) << "hive-node ignored SIGTERM; killing it";
            process->kill();
            process->waitForFinished(1000);
        }
        // finished() normally ran onFinished already, which let go of the process.
        if (m_process == process) {
            m_process->disconnect(this);
            m_process->deleteLater();
            m_process = nullptr;
        }
    }
    setState(State::Stopped);
}

Status LocalNode::setPort(quint16 port)
{
    if (port == 0)
        return Error(ErrorCode::InvalidArgument, "the port must be between 1 and 65535");
    if (port == m_options.port)
        return success();
    const bool wasRunning = m_process != nullptr || m_tool != nullptr || m_restartTimer.isActive();
    stop();
    m_options.port = port;
    if (m_address) {
        m_address->port = port;
        emit addressChanged();
    }
    return wasRunning ? start() : success();
}

void LocalNode::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void LocalNode::setLastError(const QString& textValue)
{
    if (m_lastError == textValue)
        return;
    m_lastError = textValue;
    emit lastErrorChanged();
}

} // namespace hive::core
