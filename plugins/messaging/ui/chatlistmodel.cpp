#include "chatlistmodel.h"

#include <QLocale>

#include <algorithm>

namespace hive::messaging::ui {

ChatListModel::ChatListModel(ChatBackend& backend, QObject* parent)
    : QAbstractListModel(parent)
    , m_backend(backend)
{
    connect(&m_backend, &ChatBackend::chatsChanged, this, &ChatListModel::refresh);
    // A new message changes the last text, time, order and unread count of its chat.
    connect(&m_backend, &ChatBackend::messageAdded, this, &ChatListModel::refresh);
    connect(&m_backend, &ChatBackend::typingChanged, this, &ChatListModel::onTypingChanged);
    refresh();
}

int ChatListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ChatListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChatRow& row = m_rows[static_cast<std::size_t>(index.row())];
    const QDateTime last = row.lastActivity > 0 ? QDateTime::fromMSecsSinceEpoch(row.lastActivity) : QDateTime();
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return row.title;
    case IdRole: return row.id;
    case IsGroupRole: return row.isGroup;
    case MembersRole: return row.members;
    case LastActivityRole: return last;
    case TimeTextRole: return timeText(last, QDateTime::currentDateTime());
    case LastTextRole: return row.lastText;
    case UnreadRole: return row.unread;
    case DisappearSecondsRole: return row.disappearSeconds;
    case KeyChangeBlockedRole: return row.keyChangeBlocked;
    case TypingRole: return row.typing;
    case InitialsRole: return initials(row.title);
    case MemberIdsRole: {
        QVariantList ids;
        ids.reserve(row.memberIds.size());
        for (qint64 id : row.memberIds)
            ids << id;
        return ids;
    }
    default: return {};
    }
}

QHash<int, QByteArray> ChatListModel::roleNames() const
{
    return {
        {IdRole, "chatId"},
        {TitleRole, "title"},
        {IsGroupRole, "isGroup"},
        {MembersRole, "members"},
        {LastActivityRole, "lastActivity"},
        {TimeTextRole, "timeText"},
        {LastTextRole, "lastText"},
        {UnreadRole, "unread"},
        {DisappearSecondsRole, "disappearSeconds"},
        {KeyChangeBlockedRole, "keyChangeBlocked"},
        {TypingRole, "typing"},
        {InitialsRole, "initials"},
        {MemberIdsRole, "memberIds"},
    };
}

int ChatListModel::unreadTotal() const
{
    int total = 0;
    for (const ChatRow& row : m_rows)
        total += row.unread;
    return total;
}

int ChatListModel::indexOfChat(qint64 chatId) const
{
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [chatId](const ChatRow& row) { return row.id == chatId; });
    return it == m_rows.end() ? -1 : static_cast<int>(it - m_rows.begin());
}

QVariantMap ChatListModel::chat(qint64 chatId) const
{
    const int row = indexOfChat(chatId);
    QVariantMap map;
    if (row < 0)
        return map;
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        map.insert(QString::fromLatin1(it.value()), data(index(row), it.key()));
    return map;
}

qint64 ChatListModel::findChat(const QString& title) const
{
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [&title](const ChatRow& row) { return row.title == title; });
    return it == m_rows.end() ? 0 : it->id;
}

void ChatListModel::refresh()
{
    auto fresh = m_backend.chats();
    if (!fresh.ok()) {
        emit failed(QString::fromUtf8(fresh.error().message()));
        return;
    }
    const int before = count();
    const int unreadBefore = unreadTotal();
    std::vector<ChatRow> rows = std::move(*fresh);
    const bool sameChats = rows.size() == m_rows.size()
        && std::equal(rows.begin(), rows.end(), m_rows.begin(), [](const ChatRow& a, const ChatRow& b) { return a.id == b.id; });
    if (sameChats) {
        // Same chats in the same order: update in place so views keep their state.
        m_rows = std::move(rows);
        if (!m_rows.empty())
            emit dataChanged(index(0), index(count() - 1));
    } else {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }
    if (count() != before)
        emit countChanged();
    if (unreadTotal() != unreadBefore)
        emit unreadTotalChanged();
}

void ChatListModel::onTypingChanged(qint64 chatId, bool typing)
{
    const int row = indexOfChat(chatId);
    if (row < 0)
        return;
    m_rows[static_cast<std::size_t>(row)].typing = typing;
    emit dataChanged(index(row), index(row), {TypingRole});
}

QString ChatListModel::timeText(const QDateTime& when, const QDateTime& now)
{
    if (!when.isValid())
        return QString();
    const QLocale locale;
    const qint64 days = when.date().daysTo(now.date());
    if (days == 0)
        return locale.toString(when.time(), QLocale::ShortFormat);
    if (days == 1)
        return tr("Yesterday");
    if (days > 1 && days < 7)
        return locale.dayName(when.date().dayOfWeek(), QLocale::ShortFormat);
    return locale.toString(when.date(), QLocale::ShortFormat);
}

QString ChatListModel::initials(const QString& title)
{
    const QStringList words = title.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString letters;
    for (const QString& word : words) {
        letters += word.at(0).toUpper();
        if (letters.size() == 2)
            break;
    }
    return letters.isEmpty() ? QStringLiteral("?") : letters;
}

} // namespace hive::messaging::ui
