#include "node/personalnode.h"

#include "identity/identity.h"
#include "vault/vault.h"

#include <QLoggingCategory>

#include <limits>

Q_LOGGING_CATEGORY(lcPersonalNode, "hive.node.personal")

namespace hive::core {

namespace {

QString key(std::string_view name)
{
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

QString text(const Error& error)
{
    return QString::fromUtf8(error.message());
}

qint64 toQint64(std::uint64_t value)
{
    return value > static_cast<std::uint64_t>(std::numeric_limits<qint64>::max())
        ? std::numeric_limits<qint64>::max()
        : static_cast<qint64>(value);
}

} // namespace

Result<std::optional<wire::NodeAddress>> PersonalNode::configuredAddress(Vault& vault)
{
    auto stored = HIVE_TRY(vault.setting(key(AddressSetting)));
    if (!stored || stored->isEmpty())
        return std::optional<wire::NodeAddress>();
    auto address = wire::NodeAddress::parse(stored->toStdString());
    if (!address.ok())
        return address.error().withContext("the stored node address is not valid");
    return std::optional<wire::NodeAddress>(*address);
}

Result<wire::NodeAddress> PersonalNode::storeAddress(Vault& vault, const QString& textValue)
{
    auto address = HIVE_TRY(wire::NodeAddress::parse(textValue.trimmed().toStdString()));
    HIVE_CHECK(vault.setSetting(key(AddressSetting), QByteArray::fromStdString(address.toString())));
    return address;
}

Status PersonalNode::clearAddress(Vault& vault)
{
    return vault.removeSetting(key(AddressSetting));
}

Result<quint16> PersonalNode::localPort(Vault& vault)
{
    auto stored = HIVE_TRY(vault.setting(key(LocalPortSetting)));
    if (stored) {
        bool ok = false;
        const uint port = stored->toUInt(&ok);
        if (ok && port > 0 && port <= 65535)
            return static_cast<quint16>(port);
    }
    const quint16 port = LocalNode::pickFreePort();
    if (port == 0)
        return Error(ErrorCode::Unavailable, "no free loopback port for the local node");
    HIVE_CHECK(storeLocalPort(vault, port));
    return port;
}

Status PersonalNode::storeLocalPort(Vault& vault, quint16 port)
{
    if (port == 0)
        return Error(ErrorCode::InvalidArgument, "the port must be between 1 and 65535");
    return vault.setSetting(key(LocalPortSetting), QByteArray::number(port));
}

Result<std::optional<wire::NodeAddress>> PersonalNode::localAddress(Vault& vault)
{
    auto stored = HIVE_TRY(vault.setting(key(LocalAddressSetting)));
    if (!stored || stored->isEmpty())
        return std::optional<wire::NodeAddress>();
    auto address = wire::NodeAddress::parse(stored->toStdString());
    if (!address.ok())
        return address.error().withContext("the stored local node address is not valid");
    return std::optional<wire::NodeAddress>(*address);
}

Result<std::unique_ptr<PersonalNode>> PersonalNode::create(Vault& vault, const Identity& identity, Options options,
                                                           QObject* parent)
{
    auto credentials = HIVE_TRY(NodeCredentials::fromIdentity(identity));
    auto* client = new NodeClient(std::move(credentials));
    std::unique_ptr<PersonalNode> node(new PersonalNode(vault, client, std::move(options), parent));
    node->m_owner = identity.publicKey();
    return node;
}

PersonalNode::PersonalNode(Vault& vault, NodeClient* client, Options options, QObject* parent)
    : QObject(parent)
    , m_vault(vault)
    , m_options(std::move(options))
    , m_client(client)
{
    m_client->setParent(this);
    connect(m_client, &NodeClient::stateChanged, this, &PersonalNode::onClientStateChanged);
    connect(m_client, &NodeClient::lastErrorChanged, this, &PersonalNode::changed);
    connect(m_client, &NodeClient::addressChanged, this, &PersonalNode::changed);
    m_statusTimer.setInterval(StatusInterval);
    connect(&m_statusTimer, &QTimer::timeout, this, &PersonalNode::refreshStatus);
}

PersonalNode::~PersonalNode()
{
    stop();
}

void PersonalNode::start()
{
    auto remote = configuredAddress(m_vault);
    if (!remote.ok()) {
        m_localError = text(remote.error());
        emit changed();
        return;
    }
    m_remote = *remote;
    if (m_remote) {
        m_local.reset();
        m_client->connectTo(*m_remote);
    } else {
        startLocal();
    }
    emit changed();
}

void PersonalNode::startLocal()
{
    m_localError.clear();
    auto port = localPort(m_vault);
    if (!port.ok()) {
        m_localError = text(port.error());
        return;
    }
    m_localPort = *port;
    if (!m_local) {
        LocalNode::Options options;
        options.executable = m_options.nodeExecutable;
        options.dataDirectory = LocalNode::dataDirectoryFor(m_options.profileDirectory);
        options.owner = m_owner;
        options.port = *port;
        options.sandbox = m_options.sandbox;
        m_local = std::make_unique<LocalNode>(std::move(options));
        connect(m_local.get(), &LocalNode::stateChanged, this, &PersonalNode::changed);
        connect(m_local.get(), &LocalNode::lastErrorChanged, this, &PersonalNode::changed);
        connect(m_local.get(), &LocalNode::addressChanged, this, [this] {
            if (m_local && m_local->address()) {
                auto saved = m_vault.setSetting(key(LocalAddressSetting),
                                                QByteArray::fromStdString(m_local->address()->toString()));
                if (!saved.ok())
                    qCWarning(lcPersonalNode) << "cannot remember the local node's address:" << text(saved.error());
            }
            emit changed();
        });
        // Connect once the node listens; after a restart the client's own retries find it.
        connect(m_local.get(), &LocalNode::ready, this, [this] {
            if (m_local && m_local->address() && m_client->state() != NodeClient::State::Connected)
                m_client->connectTo(*m_local->address());
        });
    }
    auto started = m_local->start();
    if (!started.ok())
        qCWarning(lcPersonalNode) << "the local node did not start:" << text(started.error());
}

void PersonalNode::stop()
{
    m_statusTimer.stop();
    m_client->close();
    if (m_local)
        m_local->stop();
}

QString PersonalNode::address() const
{
    if (m_remote)
        return QString::fromStdString(m_remote->toString());
    return m_local ? m_local->addressText() : QString();
}

QString PersonalNode::localNodeState() const
{
    return m_local ? m_local->stateName() : QStringLiteral("stopped");
}

QString PersonalNode::lastError() const
{
    if (!m_localError.isEmpty())
        return m_localError;
    if (m_local && !m_local->lastError().isEmpty() && m_local->state() != LocalNode::State::Running)
        return m_local->lastError();
    return m_client->lastError();
}

QString PersonalNode::role() const
{
    if (!m_client->isConnected() || !m_client->nodeHello())
        return {};
    return QString::fromLatin1(wire::proto::roleName(m_client->nodeHello()->role).data());
}

qint64 PersonalNode::uptimeSeconds() const
{
    return m_status ? toQint64(m_status->uptimeSeconds) : 0;
}

int PersonalNode::connections() const
{
    return m_status ? static_cast<int>(std::min<std::uint32_t>(m_status->connections, 1u << 30)) : 0;
}

qint64 PersonalNode::storeUsedBytes() const
{
    return m_status ? toQint64(m_status->store.liveBytes) : 0;
}

qint64 PersonalNode::storeCapacityBytes() const
{
    return m_status ? toQint64(m_status->store.capacityBytes) : 0;
}

qint64 PersonalNode::objectCount() const
{
    return m_status ? toQint64(m_status->store.objectCount) : 0;
}

qint64 PersonalNode::mailboxMessages() const
{
    return m_status ? toQint64(m_status->mailboxMessages) : 0;
}

QString PersonalNode::validateAddress(const QString& textValue) const
{
    auto address = wire::NodeAddress::parse(textValue.trimmed().toStdString());
    return address.ok() ? QString() : text(address.error());
}

QString PersonalNode::useAddress(const QString& textValue)
{
    auto address = storeAddress(m_vault, textValue);
    if (!address.ok())
        return text(address.error());
    if (m_local) {
        m_local->stop();
        m_local.reset();
    }
    m_localError.clear();
    m_status.reset();
    m_remote = *address;
    m_client->connectTo(*address);
    emit changed();
    emit statusChanged();
    return {};
}

QString PersonalNode::useLocalNode()
{
    auto cleared = clearAddress(m_vault);
    if (!cleared.ok())
        return text(cleared.error());
    m_remote.reset();
    m_status.reset();
    m_client->close();
    startLocal();
    emit changed();
    emit statusChanged();
    return m_localError;
}

QString PersonalNode::setLocalPort(int port)
{
    if (port < 1 || port > 65535)
        return QStringLiteral("the port must be between 1 and 65535");
    auto stored = storeLocalPort(m_vault, static_cast<quint16>(port));
    if (!stored.ok())
        return text(stored.error());
    m_localPort = port;
    if (m_local) {
        m_client->close();
        auto moved = m_local->setPort(static_cast<quint16>(port));
        if (!moved.ok()) {
            emit changed();
            return text(moved.error());
        }
    }
    emit changed();
    return {};
}

void PersonalNode::refreshStatus()
{
    if (!m_client->isConnected())
        return;
    m_client->adminStatus().then(this, [this](const Result<wire::proto::AdminStatus>& status) {
        if (status.ok())
            m_status = *status;
        else
            m_status.reset(); // e.g. not the owner of a node configured by address
        emit statusChanged();
    });
}

void PersonalNode::onClientStateChanged()
{
    if (m_client->isConnected()) {
        m_statusTimer.start();
        refreshStatus();
    } else {
        m_statusTimer.stop();
        if (m_status) {
            m_status.reset();
            emit statusChanged();
        }
    }
    emit changed();
}

} // namespace hive::core
