#include "messengerbackend.h"

#include "messaging/attachmenttransfer.h"
#include "messaging/messenger.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>

namespace hive::messaging::ui {

namespace {

// A JPEG preview of an image file, sent with it so recipients see it before the download
// ends: at most 320 px on the longer side and AttachmentTransfer::MaxThumbnailBytes, or
// empty (not an image, unreadable, or no quality small enough).
Bytes previewOf(const QString& path)
{
    constexpr int Edge = 320;
    QImageReader reader(path);
    reader.setAutoTransform(true);
    if (!reader.canRead())
        return {};
    // Scaled while decoding where the format allows it, so a huge photo is never held whole.
    const QSize full = reader.size();
    if (full.isValid() && !full.isEmpty())
        reader.setScaledSize(full.scaled(full.boundedTo(QSize(Edge, Edge)), Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull())
        return {};
    if (image.width() > Edge || image.height() > Edge)
        image = image.scaled(Edge, Edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    for (int quality : {75, 55, 35, 20}) {
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        if (image.save(&buffer, "JPEG", quality) && static_cast<std::size_t>(jpeg.size()) <= AttachmentTransfer::MaxThumbnailBytes)
            return Bytes(reinterpret_cast<const std::uint8_t*>(jpeg.constData()),
                         reinterpret_cast<const std::uint8_t*>(jpeg.constData()) + jpeg.size());
    }
    return {};
}

MessageRow toRow(const ChatMessage& m)
{
    MessageRow row;
    row.id = m.id;
    row.chatId = m.chatId;
    row.uid = m.uid;
    row.senderKey = m.senderKey;
    row.senderName = m.senderName;
    row.outgoing = m.outgoing;
    row.text = m.text;
    row.sentAt = m.sentAt;
    row.receivedAt = m.receivedAt;
    switch (m.state) {
    case ChatMessage::State::Pending: row.state = MessageRow::State::Pending; break;
    case ChatMessage::State::Sent: row.state = MessageRow::State::Sent; break;
    case ChatMessage::State::Delivered: row.state = MessageRow::State::Delivered; break;
    case ChatMessage::State::Read: row.state = MessageRow::State::Read; break;
    case ChatMessage::State::Failed: row.state = MessageRow::State::Failed; break;
    }
    if (m.attachment) {
        const Attachment& a = *m.attachment;
        row.attachment = AttachmentRow{a.fileName, a.mimeType, a.size, a.transferred, a.localPath, a.isImage, a.thumbnail};
    }
    row.expiresAt = m.expiresAt;
    return row;
}

Result<std::vector<MessageRow>> toRows(Result<std::vector<ChatMessage>> messages)
{
    if (!messages.ok())
        return messages.error();
    std::vector<MessageRow> rows;
    rows.reserve(messages->size());
    for (const ChatMessage& m : *messages)
        rows.push_back(toRow(m));
    return rows;
}

} // namespace

MessengerBackend::MessengerBackend(Messenger& messenger, QString attachmentDirectory, QObject* parent)
    : ChatBackend(parent)
    , m_messenger(messenger)
    , m_attachmentDirectory(std::move(attachmentDirectory))
{
    connect(&m_messenger, &Messenger::chatsChanged, this, &ChatBackend::chatsChanged);
    connect(&m_messenger, &Messenger::messageAdded, this, &ChatBackend::messageAdded);
    connect(&m_messenger, &Messenger::messageChanged, this, &ChatBackend::messageChanged);
    connect(&m_messenger, &Messenger::typingChanged, this, &ChatBackend::typingChanged);
    connect(&m_messenger, &Messenger::transferProgress, this, &ChatBackend::transferProgress);
    connect(&m_messenger, &Messenger::transferFinished, this, &ChatBackend::transferFinished);
    connect(&m_messenger, &Messenger::notification, this, &ChatBackend::notification);
}

Result<std::vector<ChatRow>> MessengerBackend::chats()
{
    auto chats = m_messenger.chats();
    if (!chats.ok())
        return chats.error();
    std::vector<ChatRow> rows;
    rows.reserve(chats->size());
    for (const ChatSummary& c : *chats) {
        rows.push_back(ChatRow{c.id, c.title, c.isGroup, c.members, QList<qint64>(c.memberIds.begin(), c.memberIds.end()),
                               c.lastActivity, c.lastText, c.unread, c.disappearSeconds, c.keyChangeBlocked, c.typing});
    }
    return rows;
}

Result<std::vector<MessageRow>> MessengerBackend::messages(qint64 chatId, int limit, qint64 beforeId)
{
    return toRows(m_messenger.messages(chatId, limit, beforeId));
}

Result<qint64> MessengerBackend::chatWithContact(qint64 contactId) { return m_messenger.chatWithContact(contactId); }
Result<qint64> MessengerBackend::sendText(qint64 chatId, const QString& text) { return m_messenger.sendText(chatId, text); }
Result<qint64> MessengerBackend::sendFile(qint64 chatId, const QString& path)
{
    return m_messenger.sendFile(chatId, path, previewOf(path));
}
Status MessengerBackend::retryTransfer(qint64 messageId)
{
    const ChatMessage message = HIVE_TRY(m_messenger.message(messageId));
    if (!message.attachment)
        return Error(ErrorCode::InvalidArgument, "the message has no attachment");
    if (m_messenger.transferRunning(messageId))
        return success(); // a second tap while it runs again
    if (!message.outgoing && !message.attachment->localPath.isEmpty())
        return success(); // a stale notice: the file arrived meanwhile
    // An upload continues from the chunks the node acknowledged; resumeUploads is the only
    // entry for that and it also picks up any other upload a failure left behind.
    if (message.outgoing) {
        const auto resumed = m_messenger.resumeUploads();
        if (!resumed.ok())
            return resumed.error();
        return success();
    }
    if (m_attachmentDirectory.isEmpty())
        return Error(ErrorCode::InvalidArgument, "no directory for downloaded files");
    return m_messenger.downloadAttachment(messageId, m_attachmentDirectory);
}
Result<qint64> MessengerBackend::createGroup(const QString& name, const std::vector<qint64>& contactIds)
{
    return m_messenger.createGroup(name, contactIds);
}
Status MessengerBackend::renameGroup(qint64 chatId, const QString& name) { return m_messenger.renameGroup(chatId, name); }
Status MessengerBackend::addMember(qint64 chatId, qint64 contactId) { return m_messenger.addMember(chatId, contactId); }
Status MessengerBackend::removeMember(qint64 chatId, qint64 contactId) { return m_messenger.removeMember(chatId, contactId); }
Status MessengerBackend::markRead(qint64 chatId) { return m_messenger.markRead(chatId); }
Status MessengerBackend::setDisappearing(qint64 chatId, int seconds) { return m_messenger.setDisappearing(chatId, seconds); }
void MessengerBackend::setTyping(qint64 chatId, bool typing) { m_messenger.setTyping(chatId, typing); }
Result<std::vector<MessageRow>> MessengerBackend::search(const QString& query) { return toRows(m_messenger.search(query)); }
bool MessengerBackend::readReceipts() const { return m_messenger.readReceipts(); }
void MessengerBackend::setReadReceipts(bool on) { m_messenger.setReadReceipts(on); }
bool MessengerBackend::typingIndicators() const { return m_messenger.typingIndicators(); }
void MessengerBackend::setTypingIndicators(bool on) { m_messenger.setTypingIndicators(on); }

} // namespace hive::messaging::ui
