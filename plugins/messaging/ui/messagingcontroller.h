// MessagingController: what the messaging pages talk to. It owns the chat list and the
// open conversation, turns the pages' actions (send, attach, groups, timers) into backend
// calls with a readable error, marks the open chat read while the window is active, and
// raises a desktop notification for incoming messages the person is not looking at.
#pragma once

#include "chatbackend.h"
#include "chatlistmodel.h"
#include "conversationmodel.h"
#include "notifier.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>

namespace hive::messaging::ui {

class MessagingController : public QObject {
    Q_OBJECT
    Q_PROPERTY(QObject* chats READ chats CONSTANT)
    Q_PROPERTY(QObject* conversation READ conversation CONSTANT)
    // The open chat (0: none).
    Q_PROPERTY(qint64 currentChatId READ currentChatId WRITE openChat NOTIFY currentChatChanged)
    // The chat list's roles of the open chat (title, isGroup, members, keyChangeBlocked, ...).
    Q_PROPERTY(QVariantMap currentChat READ currentChat NOTIFY currentChatChanged)
    // Why the last action failed, for people; empty after a success.
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    // Set by the page from Window.active: notifications only when the person looks away.
    Q_PROPERTY(bool windowActive READ windowActive WRITE setWindowActive NOTIFY windowActiveChanged)
    Q_PROPERTY(bool readReceipts READ readReceipts WRITE setReadReceipts NOTIFY settingsChanged)
    Q_PROPERTY(bool typingIndicators READ typingIndicators WRITE setTypingIndicators NOTIFY settingsChanged)
    // Whether the other side is typing in the open chat.
    Q_PROPERTY(bool peerTyping READ peerTyping NOTIFY currentChatChanged)

public:
    // The backend and notifier must outlive the controller.
    MessagingController(ChatBackend& backend, Notifier& notifier, QObject* parent = nullptr);

    QObject* chats() { return &m_chats; }
    QObject* conversation() { return &m_conversation; }
    ChatListModel& chatList() { return m_chats; }
    ConversationModel& conversationModel() { return m_conversation; }
    qint64 currentChatId() const { return m_conversation.chatId(); }
    QVariantMap currentChat() const;
    QString errorText() const { return m_errorText; }
    bool windowActive() const { return m_windowActive; }
    void setWindowActive(bool active);
    bool readReceipts() const { return m_backend.readReceipts(); }
    void setReadReceipts(bool on);
    bool typingIndicators() const { return m_backend.typingIndicators(); }
    void setTypingIndicators(bool on);
    bool peerTyping() const;
    // How many notifications were shown (for tests and the window title).
    int notificationsShown() const { return m_notificationsShown; }

    // Opens a chat (0 closes it) and marks it read if the window is active.
    Q_INVOKABLE void openChat(qint64 chatId);
    // Opens the 1:1 chat with a contact, creating it; returns the chat id or 0.
    Q_INVOKABLE qint64 openContact(qint64 contactId);
    // Sends text to the open chat; false (and errorText) if it could not be queued.
    Q_INVOKABLE bool sendText(const QString& text);
    // Sends a local file to the open chat.
    Q_INVOKABLE bool sendFile(const QUrl& file);
    // Starts a failed upload or download of a message's file again; false (and errorText) if not.
    Q_INVOKABLE bool retryTransfer(qint64 messageId);
    // Creates a group and opens it; returns the chat id or 0.
    Q_INVOKABLE qint64 createGroup(const QString& name, const QVariantList& contactIds);
    Q_INVOKABLE bool renameGroup(const QString& name);
    Q_INVOKABLE bool addMember(qint64 contactId);
    Q_INVOKABLE bool removeMember(qint64 contactId);
    // Disappearing timer of the open chat in seconds, 0 = off.
    Q_INVOKABLE bool setDisappearing(int seconds);
    // The composer calls this on every edit; "not typing" follows after a pause or on send.
    Q_INVOKABLE void composing(bool hasText);
    // Messages matching `query` across all chats: maps with chatId, messageId, text, senderName, timeText.
    Q_INVOKABLE QVariantList search(const QString& query);

    // How long after the last keystroke the peer is told typing stopped.
    static constexpr int TypingPauseMs = 5000;

signals:
    void currentChatChanged();
    void errorTextChanged();
    void windowActiveChanged();
    void settingsChanged();

private:
    bool check(const Status& status);
    void setErrorText(const QString& text);
    void markCurrentRead();
    void stopTyping();
    void onNotification(qint64 chatId, const QString& title, const QString& text);

    ChatBackend& m_backend;
    Notifier& m_notifier;
    ChatListModel m_chats;
    ConversationModel m_conversation;
    QString m_errorText;
    bool m_windowActive = false;
    bool m_typing = false;
    int m_notificationsShown = 0;
    QTimer m_typingPause;
};

} // namespace hive::messaging::ui
