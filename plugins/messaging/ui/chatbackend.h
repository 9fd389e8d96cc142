// ChatBackend: what the messaging UI needs from the messenger, as one abstract QObject.
// The models and the controller depend only on this, so they can be tested against a small
// fake; MessengerBackend adapts the real hive::messaging::Messenger to it. The row types
// are the UI's own copies of the messenger's summaries (plain values, no ownership).
#pragma once

#include "wire/result.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace hive::messaging::ui {

// A file sent or received with a message.
struct AttachmentRow {
    QString fileName;
    QString mimeType;
    qint64 size = 0;
    qint64 transferred = 0;
    QString localPath; // empty until the file is on this device
    bool isImage = false;
    QByteArray thumbnail; // the sender's small JPEG preview (images), or empty
};

// One message of a chat.
struct MessageRow {
    enum class State { Pending, Sent, Delivered, Read, Failed };
    qint64 id = 0;
    qint64 chatId = 0;
    QByteArray uid;
    QByteArray senderKey;
    QString senderName;
    bool outgoing = false;
    QString text;
    qint64 sentAt = 0;     // ms since the epoch (sender's clock)
    qint64 receivedAt = 0; // ms since the epoch
    State state = State::Pending;
    std::optional<AttachmentRow> attachment;
    qint64 expiresAt = 0; // ms since the epoch, 0 = never
};

// One chat (1:1 or group) as the chat list shows it.
struct ChatRow {
    qint64 id = 0;
    QString title;
    bool isGroup = false;
    QStringList members;
    // The contact id of each entry of `members`, same order (0: not one of our contacts).
    // Names are not unique; the group dialog matches members by these.
    QList<qint64> memberIds;
    qint64 lastActivity = 0; // ms since the epoch
    QString lastText;
    int unread = 0;
    int disappearSeconds = 0;
    bool keyChangeBlocked = false;
    bool typing = false;
};

class ChatBackend : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    // Every chat, most recent activity first.
    virtual Result<std::vector<ChatRow>> chats() = 0;
    // Up to `limit` messages of a chat older than `beforeId` (0: the newest), oldest first.
    virtual Result<std::vector<MessageRow>> messages(qint64 chatId, int limit, qint64 beforeId) = 0;
    // The 1:1 chat with a contact, created if needed.
    virtual Result<qint64> chatWithContact(qint64 contactId) = 0;
    // Queues a text message; returns its id.
    virtual Result<qint64> sendText(qint64 chatId, const QString& text) = 0;
    // Queues a file (progress arrives through transferProgress); returns the message id.
    virtual Result<qint64> sendFile(qint64 chatId, const QString& path) = 0;
    // Starts a failed transfer again: a received file's download, or the unfinished uploads.
    virtual Status retryTransfer(qint64 messageId) = 0;
    // Creates a group with these contacts; returns the chat id.
    virtual Result<qint64> createGroup(const QString& name, const std::vector<qint64>& contactIds) = 0;
    virtual Status renameGroup(qint64 chatId, const QString& name) = 0;
    virtual Status addMember(qint64 chatId, qint64 contactId) = 0;
    virtual Status removeMember(qint64 chatId, qint64 contactId) = 0;
    // Marks every message of the chat read (sends read receipts if they are on).
    virtual Status markRead(qint64 chatId) = 0;
    // Per-chat disappearing timer in seconds, 0 = off.
    virtual Status setDisappearing(qint64 chatId, int seconds) = 0;
    virtual void setTyping(qint64 chatId, bool typing) = 0;
    // Messages whose text matches `query`, newest first.
    virtual Result<std::vector<MessageRow>> search(const QString& query) = 0;
    virtual bool readReceipts() const = 0;
    virtual void setReadReceipts(bool on) = 0;
    virtual bool typingIndicators() const = 0;
    virtual void setTypingIndicators(bool on) = 0;

signals:
    void chatsChanged();
    void messageAdded(qint64 chatId, qint64 messageId);
    void messageChanged(qint64 chatId, qint64 messageId);
    void typingChanged(qint64 chatId, bool typing);
    void transferProgress(qint64 messageId, qint64 done, qint64 total);
    // An upload or download ended; `error` says why when !ok.
    void transferFinished(qint64 messageId, bool ok, const QString& error);
    void notification(qint64 chatId, const QString& title, const QString& text);
};

} // namespace hive::messaging::ui
