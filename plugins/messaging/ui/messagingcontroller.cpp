#include "messagingcontroller.h"

#include <QLocale>

namespace hive::messaging::ui {

MessagingController::MessagingController(ChatBackend& backend, Notifier& notifier, QObject* parent)
    : QObject(parent)
    , m_backend(backend)
    , m_notifier(notifier)
    , m_chats(backend)
    , m_conversation(backend)
{
    m_typingPause.setSingleShot(true);
    m_typingPause.setInterval(TypingPauseMs);
    connect(&m_typingPause, &QTimer::timeout, this, &MessagingController::stopTyping);
    connect(&m_backend, &ChatBackend::notification, this, &MessagingController::onNotification);
    // The chat list is re-read on every change; the open chat's title, members and
    // key-change state come from it.
    connect(&m_chats, &QAbstractItemModel::modelReset, this, &MessagingController::currentChatChanged);
    connect(&m_chats, &QAbstractItemModel::dataChanged, this, &MessagingController::currentChatChanged);
    connect(&m_backend, &ChatBackend::messageAdded, this, [this](qint64 chatId, qint64) {
        if (chatId == currentChatId())
            markCurrentRead();
    });
}

QVariantMap MessagingController::currentChat() const
{
    return m_chats.chat(currentChatId());
}

bool MessagingController::peerTyping() const
{
    return currentChat().value(QStringLiteral("typing")).toBool();
}

void MessagingController::setWindowActive(bool active)
{
    if (active == m_windowActive)
        return;
    m_windowActive = active;
    emit windowActiveChanged();
    if (active)
        markCurrentRead();
}

void MessagingController::setReadReceipts(bool on)
{
    if (on == readReceipts())
        return;
    m_backend.setReadReceipts(on);
    emit settingsChanged();
}

void MessagingController::setTypingIndicators(bool on)
{
    if (on == typingIndicators())
        return;
    m_backend.setTypingIndicators(on);
    emit settingsChanged();
}

void MessagingController::openChat(qint64 chatId)
{
    if (chatId == currentChatId())
        return;
    stopTyping();
    m_conversation.setChatId(chatId);
    setErrorText(QString());
    emit currentChatChanged();
    markCurrentRead();
}

qint64 MessagingController::openContact(qint64 contactId)
{
    auto chat = m_backend.chatWithContact(contactId);
    if (!check(chat.ok() ? success() : Status(chat.error())))
        return 0;
    openChat(*chat);
    return *chat;
}

bool MessagingController::sendText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (currentChatId() == 0 || trimmed.isEmpty())
        return false;
    stopTyping();
    auto sent = m_backend.sendText(currentChatId(), trimmed);
    return check(sent.ok() ? success() : Status(sent.error()));
}

bool MessagingController::sendFile(const QUrl& file)
{
    if (currentChatId() == 0)
        return false;
    if (!file.isLocalFile()) {
        setErrorText(tr("Only files on this device can be sent."));
        return false;
    }
    auto sent = m_backend.sendFile(currentChatId(), file.toLocalFile());
    return check(sent.ok() ? success() : Status(sent.error()));
}

bool MessagingController::retryTransfer(qint64 messageId)
{
    const Status started = m_backend.retryTransfer(messageId);
    // A retry that runs clears the mark; one refused at once keeps it, with the new reason.
    m_conversation.setTransferFailure(messageId, started.ok() ? std::nullopt
                                                              : std::optional<QString>(QString::fromUtf8(started.error().message())));
    return check(started);
}

qint64 MessagingController::createGroup(const QString& name, const QVariantList& contactIds)
{
    if (name.trimmed().isEmpty()) {
        setErrorText(tr("A group needs a name."));
        return 0;
    }
    std::vector<qint64> ids;
    for (const QVariant& id : contactIds)
        ids.push_back(id.toLongLong());
    auto chat = m_backend.createGroup(name.trimmed(), ids);
    if (!check(chat.ok() ? success() : Status(chat.error())))
        return 0;
    openChat(*chat);
    return *chat;
}

bool MessagingController::renameGroup(const QString& name)
{
    if (name.trimmed().isEmpty()) {
        setErrorText(tr("A group needs a name."));
        return false;
    }
    return check(m_backend.renameGroup(currentChatId(), name.trimmed()));
}

bool MessagingController::addMember(qint64 contactId)
{
    return check(m_backend.addMember(currentChatId(), contactId));
}

bool MessagingController::removeMember(qint64 contactId)
{
    return check(m_backend.removeMember(currentChatId(), contactId));
}

bool MessagingController::setDisappearing(int seconds)
{
    return check(m_backend.setDisappearing(currentChatId(), seconds));
}

void MessagingController::composing(bool hasText)
{
    if (currentChatId() == 0)
        return;
    if (!hasText) {
        stopTyping();
        return;
    }
    if (!m_typing) {
        m_typing = true;
        m_backend.setTyping(currentChatId(), true);
    }
    m_typingPause.start();
}

QVariantList MessagingController::search(const QString& query)
{
    QVariantList found;
    if (query.trimmed().isEmpty())
        return found;
    auto result = m_backend.search(query.trimmed());
    if (!check(result.ok() ? success() : Status(result.error())))
        return found;
    const QLocale locale;
    for (const MessageRow& row : *result) {
        const QDateTime sent = QDateTime::fromMSecsSinceEpoch(row.sentAt);
        found << QVariantMap{{QStringLiteral("chatId"), row.chatId},
                             {QStringLiteral("messageId"), row.id},
                             {QStringLiteral("text"), row.text},
                             {QStringLiteral("senderName"), row.outgoing ? tr("You") : row.senderName},
                             {QStringLiteral("timeText"), ChatListModel::timeText(sent, QDateTime::currentDateTime())}};
    }
    return found;
}

bool MessagingController::check(const Status& status)
{
    setErrorText(status.ok() ? QString() : QString::fromUtf8(status.error().message()));
    return status.ok();
}

void MessagingController::setErrorText(const QString& text)
{
    if (text == m_errorText)
        return;
    m_errorText = text;
    emit errorTextChanged();
}

void MessagingController::markCurrentRead()
{
    if (!m_windowActive || currentChatId() == 0)
        return;
    const int row = m_chats.indexOfChat(currentChatId());
    // Nothing to mark: avoids a write (and a receipt) on every focus change.
    if (row >= 0 && m_chats.data(m_chats.index(row), ChatListModel::UnreadRole).toInt() == 0)
        return;
    const Status status = m_backend.markRead(currentChatId());
    if (!status.ok())
        setErrorText(QString::fromUtf8(status.error().message()));
}

void MessagingController::stopTyping()
{
    m_typingPause.stop();
    if (!m_typing)
        return;
    m_typing = false;
    if (currentChatId() != 0)
        m_backend.setTyping(currentChatId(), false);
}

void MessagingController::onNotification(qint64 chatId, const QString& title, const QString& text)
{
    // Only while the window is in the background: inside it the open chat shows the
    // message and the chat list's unread badge says it for the others.
    Q_UNUSED(chatId);
    if (m_windowActive)
        return;
    if (m_notifier.show(title, text))
        ++m_notificationsShown;
}

} // namespace hive::messaging::ui
