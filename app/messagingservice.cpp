#include "messagingservice.h"

#include "inbox/inbox.h"
#include "inbox/outbox.h"
#include "messaging/messagingplugin.h"
#include "messaging/messenger.h"
#include "messaging/nodeadapters.h"
#include "messaging/ui/messengerbackend.h"
#include "node/nodeclient.h"
#include "signal/signalcontext.h"
#include "trust/contacts.h"
#include "wire/envelope.h"

#include <QLoggingCategory>

namespace hive::app {

Q_LOGGING_CATEGORY(lcMessaging, "hive.app.messaging")

MessagingService::MessagingService(const Services& services, messaging::MessagingPlugin& plugin,
                                   QString attachmentDirectory, QObject* parent)
    : QObject(parent)
    , m_own(services.own)
    , m_outbox(services.outbox)
    , m_inbox(services.inbox)
    , m_plugin(plugin)
    , m_attachmentDirectory(std::move(attachmentDirectory))
{
    m_flushSoon.setSingleShot(true);
    m_flushSoon.setInterval(50);
    m_flushRetry.setInterval(FlushIntervalMs);
}

Result<std::unique_ptr<MessagingService>> MessagingService::create(const Services& services,
                                                                   messaging::MessagingPlugin& plugin,
                                                                   const QString& attachmentDirectory, QObject* parent)
{
    std::unique_ptr<MessagingService> service(new MessagingService(services, plugin, attachmentDirectory, parent));
    service->m_signal = HIVE_TRY(core::SignalContext::create());
    service->m_directory = std::make_unique<messaging::NodeKeyDirectory>(services.own, services.identity, services.contacts);
    service->m_transport = std::make_unique<messaging::OutboxTransport>(services.outbox, services.contacts);
    service->m_objects = std::make_unique<messaging::NodeObjectStore>(services.own, services.identity, services.contacts);
    service->m_messenger = HIVE_TRY(messaging::Messenger::create(services.vault, services.identity, services.contacts,
                                                                 *service->m_signal, *service->m_directory,
                                                                 *service->m_transport));
    service->m_messenger->setObjectStore(service->m_objects.get());
    service->m_handler = std::make_unique<messaging::MessengerInboxHandler>(*service->m_messenger);
    services.inbox.registerHandler(wire::EnvelopeKind::Signal, service->m_handler.get());
    service->m_backend = std::make_unique<messaging::ui::MessengerBackend>(*service->m_messenger, attachmentDirectory);

    MessagingService* self = service.get();
    connect(&self->m_flushSoon, &QTimer::timeout, self, [self] { self->m_outbox.flush(); });
    connect(&self->m_flushRetry, &QTimer::timeout, self, &MessagingService::scheduleFlush);
    // Sends and receipts queue posts in the outbox; they leave right after.
    connect(self->m_messenger.get(), &messaging::Messenger::messageAdded, self, &MessagingService::scheduleFlush);
    // A received file is fetched at once, so the conversation shows it (and its preview).
    connect(self->m_messenger.get(), &messaging::Messenger::messageAdded, self,
            [self](qint64, qint64 messageId) {
                QMetaObject::invokeMethod(self, [self, messageId] { self->downloadAttachments(messageId); }, Qt::QueuedConnection);
            });
    connect(self->m_messenger.get(), &messaging::Messenger::messageChanged, self, &MessagingService::scheduleFlush);
    connect(self->m_messenger.get(), &messaging::Messenger::chatsChanged, self, &MessagingService::scheduleFlush);
    // Sends that waited for a friend's prekeys (receipts, group updates too) are queued now.
    connect(self->m_messenger.get(), &messaging::Messenger::sendsSettled, self, &MessagingService::scheduleFlush);
    connect(self->m_messenger.get(), &messaging::Messenger::transferFinished, self,
            [self](qint64 messageId, bool ok, const QString& error) {
                if (!ok)
                    qCInfo(lcMessaging) << "transfer of message" << messageId << "stopped:" << error;
                self->scheduleFlush(); // a finished upload queued its File payload
            });
    connect(self->m_messenger.get(), &messaging::Messenger::dropped, self,
            [](const QString& reason) { qCInfo(lcMessaging) << "dropped a message:" << reason; });
    connect(&services.own, &core::NodeClient::connected, self, &MessagingService::onConnected);

    self->m_flushRetry.start();
    plugin.attach(*self->m_backend);
    if (services.own.state() == core::NodeClient::State::Connected)
        QMetaObject::invokeMethod(self, &MessagingService::onConnected, Qt::QueuedConnection);
    return service;
}

MessagingService::~MessagingService()
{
    m_plugin.detach();
    if (m_handler)
        m_inbox.registerHandler(wire::EnvelopeKind::Signal, nullptr);
}

void MessagingService::scheduleFlush()
{
    if (!m_flushSoon.isActive())
        m_flushSoon.start();
}

void MessagingService::onConnected()
{
    // Friends start sessions from the prekeys on this node; put them there (or top them up)
    // whenever the node is reachable again, then send what waited.
    const Status published = m_messenger->publishKeys();
    if (!published.ok())
        qCInfo(lcMessaging) << "prekeys not published:" << published.error().message();
    const auto resent = m_messenger->resendPending();
    if (!resent.ok())
        qCInfo(lcMessaging) << "pending messages not resent:" << resent.error().message();
    // Uploads a crash or a lost connection interrupted continue where the node's acks ended.
    const auto resumed = m_messenger->resumeUploads();
    if (!resumed.ok())
        qCInfo(lcMessaging) << "unfinished uploads not resumed:" << resumed.error().message();
    scheduleFlush();
    // Messages that arrived before this service registered its handler wait on the node.
    m_inbox.sync();
    downloadAttachments();
}

void MessagingService::downloadAttachments(qint64 messageId)
{
    // Downloads only start here; they run chunk by chunk from the event loop (see
    // AttachmentTransfer) and end with Messenger::transferFinished.
    std::vector<messaging::ChatMessage> candidates;
    if (messageId != 0) {
        auto message = m_messenger->message(messageId);
        if (message.ok())
            candidates.push_back(*message);
    } else {
        auto chats = m_messenger->chats();
        if (!chats.ok())
            return;
        for (const messaging::ChatSummary& chat : *chats) {
            auto messages = m_messenger->messages(chat.id);
            if (messages.ok())
                candidates.insert(candidates.end(), messages->begin(), messages->end());
        }
    }
    for (const messaging::ChatMessage& message : candidates) {
        if (message.outgoing || !message.attachment || !message.attachment->localPath.isEmpty()
            || m_messenger->transferRunning(message.id))
            continue;
        const Status started = m_messenger->downloadAttachment(message.id, m_attachmentDirectory);
        if (!started.ok())
            qCInfo(lcMessaging) << "attachment" << message.attachment->fileName << "not downloaded:" << started.error().message();
    }
}

} // namespace hive::app
