// ChatListModel: the chat list (title, last message, time, unread badge, typing) over a
// ChatBackend, refreshed when the backend reports a change.
#pragma once

#include "chatbackend.h"

#include <QAbstractListModel>
#include <QDateTime>

#include <vector>

namespace hive::messaging::ui {

class ChatListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Sum of the unread counts of every chat.
    Q_PROPERTY(int unreadTotal READ unreadTotal NOTIFY unreadTotalChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        TitleRole,
        IsGroupRole,
        MembersRole,          // QStringList of display names
        LastActivityRole,     // QDateTime (invalid if the chat has no message)
        TimeTextRole,         // "14:05" today, "Mon" this week, else a short date
        LastTextRole,
        UnreadRole,
        DisappearSecondsRole,
        KeyChangeBlockedRole,
        TypingRole,
        InitialsRole,         // one or two letters for the avatar
        MemberIdsRole,        // QVariantList of contact ids, in the order of MembersRole
    };
    Q_ENUM(Role)

    // Reads the chats once; the backend must outlive the model.
    explicit ChatListModel(ChatBackend& backend, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return static_cast<int>(m_rows.size()); }
    int unreadTotal() const;
    // The row of a chat id, or -1.
    Q_INVOKABLE int indexOfChat(qint64 chatId) const;
    // The roles of one chat as a map (empty if unknown), for pages that show one chat.
    Q_INVOKABLE QVariantMap chat(qint64 chatId) const;
    // The id of the first chat with this title, or 0.
    Q_INVOKABLE qint64 findChat(const QString& title) const;
    // Reads the chats again from the backend.
    Q_INVOKABLE void refresh();

    // How the list writes a time relative to `now` (exposed for tests).
    static QString timeText(const QDateTime& when, const QDateTime& now);
    // Avatar letters of a title: initials of the first two words.
    static QString initials(const QString& title);

signals:
    void countChanged();
    void unreadTotalChanged();
    // A read failed; the list keeps what it showed.
    void failed(const QString& message);

private:
    void onTypingChanged(qint64 chatId, bool typing);

    ChatBackend& m_backend;
    std::vector<ChatRow> m_rows;
};

} // namespace hive::messaging::ui
