// ConversationModel: the messages of one chat, oldest first, for the conversation view
// (bubbles, delivery states, day separators, attachments with progress, disappearing
// timers). Follows the backend: new messages are appended, changed ones updated in place,
// transfer progress updates only its row.
#pragma once

#include "chatbackend.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>

#include <optional>
#include <vector>

namespace hive::messaging::ui {

class ConversationModel : public QAbstractListModel {
    Q_OBJECT
    // The chat shown; 0 shows nothing.
    Q_PROPERTY(qint64 chatId READ chatId WRITE setChatId NOTIFY chatIdChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TextRole,
        OutgoingRole,
        SenderNameRole,
        SentAtRole,          // QDateTime
        TimeTextRole,        // "14:05"
        DayRole,             // "2026-11-22", the section key for day separators
        DayTextRole,         // "Today", "Yesterday" or a long date
        StateRole,           // "pending", "sent", "delivered", "read", "failed"
        StateMarkRole,       // "✓" sent, "✓✓" delivered and read, "!" failed, "…" pending
        StateTextRole,       // the state in words, for screen readers
        HasAttachmentRole,
        FileNameRole,
        MimeTypeRole,
        FileSizeRole,
        SizeTextRole,        // "2.4 MB"
        TransferredRole,
        ProgressRole,        // 0..1
        LocalUrlRole,        // file URL once the file is on this device, else empty
        IsImageRole,
        ExpiresAtRole,       // QDateTime, invalid if the message does not disappear
        DisappearsRole,      // bool: the message has a timer
        UidRole,
        ThumbnailRole,       // "data:image/jpeg;base64,..." of the sender's preview, else empty
        TransferFailedRole,  // bool: the last upload or download of the file failed
        TransferErrorRole,   // why it failed (the messenger's words), else empty
    };
    Q_ENUM(Role)

    // How many messages a chat opens with; older ones come with loadOlder().
    static constexpr int PageSize = 200;

    // The backend must outlive the model.
    explicit ConversationModel(ChatBackend& backend, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    qint64 chatId() const { return m_chatId; }
    void setChatId(qint64 chatId);
    int count() const { return static_cast<int>(m_rows.size()); }
    // The row of a message id, or -1.
    Q_INVOKABLE int indexOfMessage(qint64 messageId) const;
    // Prepends up to PageSize older messages; returns how many were added.
    Q_INVOKABLE int loadOlder();
    // Reads the chat again and merges what changed.
    Q_INVOKABLE void refresh();
    // Marks a message's transfer failed with `error`, or (nullopt) not failed.
    void setTransferFailure(qint64 messageId, std::optional<QString> error);

    // Helpers the roles use (exposed for tests).
    static QString dayText(const QDate& day, const QDate& today);
    static QString sizeText(qint64 bytes);
    static QString stateName(MessageRow::State state);

signals:
    void chatIdChanged();
    void countChanged();
    // A read failed; the view keeps what it showed.
    void failed(const QString& message);

private:
    void onMessageAdded(qint64 chatId, qint64 messageId);
    void onMessageChanged(qint64 chatId, qint64 messageId);
    void onTransferProgress(qint64 messageId, qint64 done, qint64 total);
    void onTransferFinished(qint64 messageId, bool ok, const QString& error);
    void replaceAll(std::vector<MessageRow> rows);

    ChatBackend& m_backend;
    qint64 m_chatId = 0;
    std::vector<MessageRow> m_rows;
    // Failed transfers by message id. Not stored by the messenger: a failure is news of this
    // session, and the app retries downloads on its own when it reconnects.
    QHash<qint64, QString> m_transferErrors;
};

} // namespace hive::messaging::ui
