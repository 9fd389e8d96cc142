// MessagingService: the messenger of the unlocked profile in the GUI, with what it needs
// around it: the node-backed key directory and object store, the transport into the
// outbox, its handler on the inbox, and the adapter the messaging pages use. The contacts,
// the outbox that posts to friends' nodes and the inbox that fetches from the own node are
// the trust network's (TrustController owns them): one of each per profile, so a contact
// change made on one page is seen by all. The app builds the service after the personal
// node started and attaches it to the messaging plugin; hivectl builds the same pieces per
// command.
#pragma once

#include "wire/result.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace hive::core {
class Contacts;
class Identity;
class Inbox;
class NodeClient;
class Outbox;
class SignalContext;
class Vault;
}

namespace hive::messaging {
class MessagingPlugin;
class Messenger;
class MessengerInboxHandler;
class NodeKeyDirectory;
class NodeObjectStore;
class OutboxTransport;
namespace ui {
class MessengerBackend;
}
}

namespace hive::app {

class MessagingService : public QObject {
    Q_OBJECT

public:
    // How often queued posts are retried while the app runs.
    static constexpr int FlushIntervalMs = 30000;

    // What the service uses and does not own; everything must outlive the service.
    struct Services {
        core::Vault& vault;
        const core::Identity& identity;
        core::NodeClient& own; // the personal node's client, connected as its owner
        core::Contacts& contacts;
        core::Outbox& outbox;
        core::Inbox& inbox;    // syncing from `own`
    };

    // Builds the messenger and attaches it to `plugin`; received attachments are saved in
    // `attachmentDirectory`.
    static Result<std::unique_ptr<MessagingService>> create(const Services& services, messaging::MessagingPlugin& plugin,
                                                            const QString& attachmentDirectory, QObject* parent = nullptr);
    // Detaches the plugin first, so no page is left with a dangling backend.
    ~MessagingService() override;

    messaging::Messenger& messenger() { return *m_messenger; }

private:
    MessagingService(const Services& services, messaging::MessagingPlugin& plugin, QString attachmentDirectory, QObject* parent);
    // Posts what is queued (new messages, receipts) soon, coalescing bursts.
    void scheduleFlush();
    void onConnected();
    // Fetches received attachments not on this device yet (all chats, or one message).
    void downloadAttachments(qint64 messageId = 0);

    core::NodeClient& m_own;
    core::Outbox& m_outbox;
    core::Inbox& m_inbox;
    messaging::MessagingPlugin& m_plugin;
    QString m_attachmentDirectory;
    // Declaration order is construction order; teardown runs in reverse.
    std::unique_ptr<core::SignalContext> m_signal;
    std::unique_ptr<messaging::NodeKeyDirectory> m_directory;
    std::unique_ptr<messaging::OutboxTransport> m_transport;
    std::unique_ptr<messaging::NodeObjectStore> m_objects;
    std::unique_ptr<messaging::Messenger> m_messenger;
    std::unique_ptr<messaging::MessengerInboxHandler> m_handler;
    std::unique_ptr<messaging::ui::MessengerBackend> m_backend;
    QTimer m_flushSoon;
    QTimer m_flushRetry;
};

} // namespace hive::app
