// PersonalNode: which node is this profile's personal node, and the connection to it.
//
// The choice is kept in the vault's settings table:
//   node.address     a hive:// address the person chose ("use another node"); when absent
//                    the app runs a LocalNode in <profile>/node and uses that
//   node.local.port  the loopback port of that local node (picked once, then kept)
//   node.local.address  the local node's address once it has been started, so hivectl can
//                    reach the node the app runs without touching its data
// The object is what Settings -> Node binds to (address, connection state, store use) and
// what the app hands to services needing the node (client()).
#pragma once

#include "node/localnode.h"
#include "node/nodeclient.h"

#include "wire/nodeaddress.h"
#include "wire/result.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>

namespace hive::core {

class Identity;
class Vault;

class PersonalNode : public QObject {
    Q_OBJECT
    // The address of the node in use ("" until known).
    Q_PROPERTY(QString address READ address NOTIFY changed)
    // True when the app runs the node itself (no other node configured).
    Q_PROPERTY(bool usingLocalNode READ usingLocalNode NOTIFY changed)
    Q_PROPERTY(int localPort READ localPort NOTIFY changed)
    // "stopped", "starting", "running", "restarting" or "failed" (local node only).
    Q_PROPERTY(QString localNodeState READ localNodeState NOTIFY changed)
    // "disconnected", "connecting", "connected" or "failed".
    Q_PROPERTY(QString connectionState READ connectionState NOTIFY changed)
    // Why the node cannot be used right now, "" when all is well.
    Q_PROPERTY(QString lastError READ lastError NOTIFY changed)
    // "owner", "friend" or "anonymous" once connected.
    Q_PROPERTY(QString role READ role NOTIFY changed)
    // True once admin.status answered on this connection; the figures below need it.
    Q_PROPERTY(bool statusAvailable READ statusAvailable NOTIFY statusChanged)
    Q_PROPERTY(qint64 uptimeSeconds READ uptimeSeconds NOTIFY statusChanged)
    Q_PROPERTY(int connections READ connections NOTIFY statusChanged)
    Q_PROPERTY(qint64 storeUsedBytes READ storeUsedBytes NOTIFY statusChanged)
    Q_PROPERTY(qint64 storeCapacityBytes READ storeCapacityBytes NOTIFY statusChanged)
    Q_PROPERTY(qint64 objectCount READ objectCount NOTIFY statusChanged)
    Q_PROPERTY(qint64 mailboxMessages READ mailboxMessages NOTIFY statusChanged)

public:
    static constexpr std::string_view AddressSetting = "node.address";
    static constexpr std::string_view LocalPortSetting = "node.local.port";
    static constexpr std::string_view LocalAddressSetting = "node.local.address";
    static constexpr std::chrono::milliseconds StatusInterval {15000};

    struct Options {
        QString nodeExecutable = LocalNode::defaultExecutable();
        QString profileDirectory;
        bool sandbox = true;
    };

    // The address stored in the vault, if the person chose another node.
    static Result<std::optional<wire::NodeAddress>> configuredAddress(Vault& vault);
    // Validates and stores `text` as the personal node's address.
    static Result<wire::NodeAddress> storeAddress(Vault& vault, const QString& text);
    // Forgets the configured address (back to the local node).
    static Status clearAddress(Vault& vault);
    // The local node's port: the stored one, or a free one (preferring 7420) that is stored.
    static Result<quint16> localPort(Vault& vault);
    static Status storeLocalPort(Vault& vault, quint16 port);
    // The address of the local node the app last started, if any.
    static Result<std::optional<wire::NodeAddress>> localAddress(Vault& vault);

    // Builds the client; nothing runs before start(). vault and identity must outlive it.
    static Result<std::unique_ptr<PersonalNode>> create(Vault& vault, const Identity& identity, Options options,
                                                        QObject* parent = nullptr);
    ~PersonalNode() override;

    // Connects to the configured node, or starts the local one and connects to it.
    void start();
    // Disconnects and stops the local node (SIGTERM).
    void stop();

    NodeClient& client() { return *m_client; }
    // The local node, while it is in use.
    LocalNode* localNode() const { return m_local.get(); }

    QString address() const;
    bool usingLocalNode() const { return !m_remote.has_value(); }
    int localPort() const { return m_localPort; }
    QString localNodeState() const;
    QString connectionState() const { return m_client->stateName(); }
    QString lastError() const;
    QString role() const;
    bool statusAvailable() const { return m_status.has_value(); }
    qint64 uptimeSeconds() const;
    int connections() const;
    qint64 storeUsedBytes() const;
    qint64 storeCapacityBytes() const;
    qint64 objectCount() const;
    qint64 mailboxMessages() const;

    // "" if text is a valid node address, else what is wrong with it.
    Q_INVOKABLE QString validateAddress(const QString& text) const;
    // Uses another node from now on. Returns "" or why the address was refused.
    Q_INVOKABLE QString useAddress(const QString& text);
    // Goes back to the local node.
    Q_INVOKABLE QString useLocalNode();
    // Moves the local node to another loopback port. Returns "" or the reason it failed.
    Q_INVOKABLE QString setLocalPort(int port);
    // Asks the node for its status now (the figures refresh every 15 s anyway).
    Q_INVOKABLE void refreshStatus();

signals:
    void changed();
    void statusChanged();

private:
    PersonalNode(Vault& vault, NodeClient* client, Options options, QObject* parent);
    void startLocal();
    void onClientStateChanged();

    Vault& m_vault;
    Options m_options;
    wire::SigningPublicKey m_owner {};
    NodeClient* m_client = nullptr; // child of this
    std::unique_ptr<LocalNode> m_local;
    std::optional<wire::NodeAddress> m_remote;
    int m_localPort = 0;
    QString m_localError;
    std::optional<wire::proto::AdminStatus> m_status;
    QTimer m_statusTimer;
};

} // namespace hive::core
