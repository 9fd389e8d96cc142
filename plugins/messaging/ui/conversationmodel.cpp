#include "conversationmodel.h"

#include <QLocale>
#include <QUrl>

#include <algorithm>
#include <unordered_map>

namespace hive::messaging::ui {

namespace {

bool sameRow(const MessageRow& a, const MessageRow& b)
{
    const bool sameAttachment = a.attachment.has_value() == b.attachment.has_value()
        && (!a.attachment
            || (a.attachment->fileName == b.attachment->fileName && a.attachment->size == b.attachment->size
                && a.attachment->transferred == b.attachment->transferred && a.attachment->localPath == b.attachment->localPath
                && a.attachment->isImage == b.attachment->isImage && a.attachment->mimeType == b.attachment->mimeType
                && a.attachment->thumbnail == b.attachment->thumbnail));
    return a.id == b.id && a.text == b.text && a.state == b.state && a.sentAt == b.sentAt && a.expiresAt == b.expiresAt
        && a.senderName == b.senderName && sameAttachment;
}

} // namespace

ConversationModel::ConversationModel(ChatBackend& backend, QObject* parent)
    : QAbstractListModel(parent)
    , m_backend(backend)
{
    connect(&m_backend, &ChatBackend::messageAdded, this, &ConversationModel::onMessageAdded);
    connect(&m_backend, &ChatBackend::messageChanged, this, &ConversationModel::onMessageChanged);
    connect(&m_backend, &ChatBackend::transferProgress, this, &ConversationModel::onTransferProgress);
    connect(&m_backend, &ChatBackend::transferFinished, this, &ConversationModel::onTransferFinished);
    // A chat's disappearing messages vanish without a per-message signal.
    connect(&m_backend, &ChatBackend::chatsChanged, this, &ConversationModel::refresh);
}

int ConversationModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ConversationModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageRow& row = m_rows[static_cast<std::size_t>(index.row())];
    const QDateTime sent = QDateTime::fromMSecsSinceEpoch(row.sentAt);
    const AttachmentRow none;
    const AttachmentRow& file = row.attachment ? *row.attachment : none;
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return row.text;
    case IdRole: return row.id;
    case OutgoingRole: return row.outgoing;
    case SenderNameRole: return row.senderName;
    case SentAtRole: return sent;
    case TimeTextRole: return QLocale().toString(sent.time(), QLocale::ShortFormat);
    case DayRole: return sent.date().toString(Qt::ISODate);
    case DayTextRole: return dayText(sent.date(), QDate::currentDate());
    case StateRole: return stateName(row.state);
    case StateMarkRole:
        switch (row.state) {
        case MessageRow::State::Pending: return QStringLiteral("…");
        case MessageRow::State::Sent: return QStringLiteral("✓");
        case MessageRow::State::Delivered:
        case MessageRow::State::Read: return QStringLiteral("✓✓");
        case MessageRow::State::Failed: return QStringLiteral("!");
        }
        return {};
    case StateTextRole:
        switch (row.state) {
        case MessageRow::State::Pending: return tr("Sending");
        case MessageRow::State::Sent: return tr("Sent");
        case MessageRow::State::Delivered: return tr("Delivered");
        case MessageRow::State::Read: return tr("Read");
        case MessageRow::State::Failed: return tr("Not sent");
        }
        return {};
    case HasAttachmentRole: return row.attachment.has_value();
    case FileNameRole: return file.fileName;
    case MimeTypeRole: return file.mimeType;
    case FileSizeRole: return file.size;
    case SizeTextRole: return row.attachment ? sizeText(file.size) : QString();
    case TransferredRole: return file.transferred;
    case ProgressRole: return file.size > 0 ? std::clamp(double(file.transferred) / double(file.size), 0.0, 1.0) : 0.0;
    case LocalUrlRole: return file.localPath.isEmpty() ? QUrl() : QUrl::fromLocalFile(file.localPath);
    case IsImageRole: return file.isImage;
    case ExpiresAtRole: return row.expiresAt > 0 ? QDateTime::fromMSecsSinceEpoch(row.expiresAt) : QDateTime();
    case DisappearsRole: return row.expiresAt > 0;
    case UidRole: return row.uid;
    case ThumbnailRole:
        // A data URL is what QML's Image shows without an image provider; the preview is
        // small by construction (AttachmentTransfer::MaxThumbnailBytes).
        return file.thumbnail.isEmpty() ? QString()
                                        : QStringLiteral("data:image/jpeg;base64,") + QString::fromLatin1(file.thumbnail.toBase64());
    case TransferFailedRole: return m_transferErrors.contains(row.id);
    case TransferErrorRole: return m_transferErrors.value(row.id);
    default: return {};
    }
}

QHash<int, QByteArray> ConversationModel::roleNames() const
{
    return {
        {IdRole, "messageId"},
        {TextRole, "text"},
        {OutgoingRole, "outgoing"},
        {SenderNameRole, "senderName"},
        {SentAtRole, "sentAt"},
        {TimeTextRole, "timeText"},
        {DayRole, "day"},
        {DayTextRole, "dayText"},
        {StateRole, "state"},
        {StateMarkRole, "stateMark"},
        {StateTextRole, "stateText"},
        {HasAttachmentRole, "hasAttachment"},
        {FileNameRole, "fileName"},
        {MimeTypeRole, "mimeType"},
        {FileSizeRole, "fileSize"},
        {SizeTextRole, "sizeText"},
        {TransferredRole, "transferred"},
        {ProgressRole, "progress"},
        {LocalUrlRole, "localUrl"},
        {IsImageRole, "isImage"},
        {ExpiresAtRole, "expiresAt"},
        {DisappearsRole, "disappears"},
        {UidRole, "uid"},
        {ThumbnailRole, "thumbnail"},
        {TransferFailedRole, "transferFailed"},
        {TransferErrorRole, "transferError"},
    };
}

void ConversationModel::setChatId(qint64 chatId)
{
    if (chatId == m_chatId)
        return;
    m_chatId = chatId;
    std::vector<MessageRow> rows;
    if (chatId != 0) {
        auto fresh = m_backend.messages(chatId, PageSize, 0);
        if (fresh.ok())
            rows = std::move(*fresh);
        else
            emit failed(QString::fromUtf8(fresh.error().message()));
    }
    replaceAll(std::move(rows));
    emit chatIdChanged();
}

int ConversationModel::indexOfMessage(qint64 messageId) const
{
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [messageId](const MessageRow& row) { return row.id == messageId; });
    return it == m_rows.end() ? -1 : static_cast<int>(it - m_rows.begin());
}

int ConversationModel::loadOlder()
{
    if (m_chatId == 0 || m_rows.empty())
        return 0;
    auto older = m_backend.messages(m_chatId, PageSize, m_rows.front().id);
    if (!older.ok()) {
        emit failed(QString::fromUtf8(older.error().message()));
        return 0;
    }
    if (older->empty())
        return 0;
    const int added = static_cast<int>(older->size());
    beginInsertRows(QModelIndex(), 0, added - 1);
    m_rows.insert(m_rows.begin(), std::make_move_iterator(older->begin()), std::make_move_iterator(older->end()));
    endInsertRows();
    emit countChanged();
    return added;
}

void ConversationModel::refresh()
{
    if (m_chatId == 0)
        return;
    // Reread at least as much as is shown, so merging never drops loaded history.
    const int limit = std::max(PageSize, count());
    auto fresh = m_backend.messages(m_chatId, limit, 0);
    if (!fresh.ok()) {
        emit failed(QString::fromUtf8(fresh.error().message()));
        return;
    }
    std::vector<MessageRow> rows = std::move(*fresh);
    // A full window may not reach back to the oldest row shown: rows older than it stay.
    // A shorter one is the whole chat, so a row missing from it is gone (it expired).
    std::vector<MessageRow> merged;
    if (static_cast<int>(rows.size()) >= limit) {
        const qint64 oldestFresh = rows.front().id;
        for (const MessageRow& row : m_rows) {
            if (row.id < oldestFresh)
                merged.push_back(row);
        }
    }
    merged.insert(merged.end(), rows.begin(), rows.end());

    const std::size_t common = std::min(merged.size(), m_rows.size());
    const bool samePrefix = std::equal(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(common), merged.begin(),
                                       [](const MessageRow& a, const MessageRow& b) { return a.id == b.id; });
    if (!samePrefix || merged.size() < m_rows.size()) {
        replaceAll(std::move(merged));
        return;
    }
    // Same messages so far (the usual case): update changed rows, append new ones.
    for (std::size_t i = 0; i < common; ++i) {
        if (!sameRow(m_rows[i], merged[i])) {
            m_rows[i] = merged[i];
            const QModelIndex at = index(static_cast<int>(i));
            emit dataChanged(at, at);
        }
    }
    if (merged.size() > m_rows.size()) {
        beginInsertRows(QModelIndex(), count(), static_cast<int>(merged.size()) - 1);
        m_rows.insert(m_rows.end(), merged.begin() + static_cast<std::ptrdiff_t>(common), merged.end());
        endInsertRows();
        emit countChanged();
    }
}

void ConversationModel::onMessageAdded(qint64 chatId, qint64)
{
    if (chatId == m_chatId)
        refresh();
}

void ConversationModel::onMessageChanged(qint64 chatId, qint64)
{
    if (chatId == m_chatId)
        refresh();
}

void ConversationModel::onTransferProgress(qint64 messageId, qint64 done, qint64 total)
{
    // Progress means it runs again (the app restarts downloads when it reconnects).
    setTransferFailure(messageId, std::nullopt);
    const int row = indexOfMessage(messageId);
    if (row < 0)
        return;
    MessageRow& message = m_rows[static_cast<std::size_t>(row)];
    if (!message.attachment)
        message.attachment = AttachmentRow{};
    message.attachment->transferred = done;
    if (total > 0)
        message.attachment->size = total;
    emit dataChanged(index(row), index(row), {TransferredRole, ProgressRole, FileSizeRole, SizeTextRole});
}

void ConversationModel::onTransferFinished(qint64 messageId, bool ok, const QString& error)
{
    setTransferFailure(messageId, ok ? std::nullopt : std::optional<QString>(error));
}

void ConversationModel::setTransferFailure(qint64 messageId, std::optional<QString> error)
{
    if (error) {
        if (m_transferErrors.contains(messageId) && m_transferErrors.value(messageId) == *error)
            return;
        m_transferErrors.insert(messageId, *error);
    } else if (m_transferErrors.remove(messageId) == 0) {
        return;
    }
    const int row = indexOfMessage(messageId);
    if (row >= 0)
        emit dataChanged(index(row), index(row), {TransferFailedRole, TransferErrorRole});
}

void ConversationModel::replaceAll(std::vector<MessageRow> rows)
{
    const int before = count();
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    if (count() != before)
        emit countChanged();
}

QString ConversationModel::dayText(const QDate& day, const QDate& today)
{
    const qint64 days = day.daysTo(today);
    if (days == 0)
        return tr("Today");
    if (days == 1)
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

QString ConversationModel::sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString ConversationModel::stateName(MessageRow::State state)
{
    switch (state) {
    case MessageRow::State::Pending: return QStringLiteral("pending");
    case MessageRow::State::Sent: return QStringLiteral("sent");
    case MessageRow::State::Delivered: return QStringLiteral("delivered");
    case MessageRow::State::Read: return QStringLiteral("read");
    case MessageRow::State::Failed: return QStringLiteral("failed");
    }
    return QString();
}

} // namespace hive::messaging::ui
