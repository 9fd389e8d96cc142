// An in-memory ChatBackend for the model and controller tests: chats and messages are
// plain vectors the test edits, and every call is recorded.
#pragma once

#include "messaging/ui/chatbackend.h"
#include "messaging/ui/notifier.h"

#include <QDateTime>
#include <QHash>
#include <QStringList>

#include <algorithm>
#include <utility>
#include <vector>

namespace hive::messaging::ui::testing {

class FakeChatBackend : public ChatBackend {
public:
    std::vector<ChatRow> chatRows;
    std::vector<MessageRow> messageRows; // every chat's, in insertion order
    QStringList calls;
    // Display names of contact ids, for the members of groups the fake creates or changes
    // (names need not be unique, as with real contacts).
    QHash<qint64, QString> contactNames;
    bool failNext = false;
    bool receipts = true;
    bool typing = true;
    qint64 nextId = 1000;

    // Adds a message (as the messenger would store it) and tells the listeners.
    qint64 deliver(qint64 chatId, const QString& text, bool outgoing, qint64 sentAt)
    {
        MessageRow row;
        row.id = ++nextId;
        row.chatId = chatId;
        row.text = text;
        row.outgoing = outgoing;
        row.senderName = outgoing ? QString() : QStringLiteral("Bob");
        row.sentAt = sentAt;
        row.receivedAt = sentAt;
        row.state = outgoing ? MessageRow::State::Pending : MessageRow::State::Delivered;
        messageRows.push_back(row);
        for (ChatRow& chat : chatRows) {
            if (chat.id == chatId) {
                chat.lastText = text;
                chat.lastActivity = sentAt;
                if (!outgoing)
                    ++chat.unread;
            }
        }
        emit messageAdded(chatId, row.id);
        return row.id;
    }

    // A stored message; the test asking for one that does not exist is a bug in the test.
    MessageRow& message(qint64 id)
    {
        auto it = std::find_if(messageRows.begin(), messageRows.end(), [id](const MessageRow& m) { return m.id == id; });
        if (it == messageRows.end())
            qFatal("no message %lld in the fake backend", static_cast<long long>(id));
        return *it;
    }

    Result<std::vector<ChatRow>> chats() override
    {
        calls << QStringLiteral("chats");
        if (std::exchange(failNext, false))
            return Error(ErrorCode::Io, "the vault is gone");
        return chatRows;
    }

    Result<std::vector<MessageRow>> messages(qint64 chatId, int limit, qint64 beforeId) override
    {
        calls << QStringLiteral("messages %1 %2 %3").arg(chatId).arg(limit).arg(beforeId);
        if (std::exchange(failNext, false))
            return Error(ErrorCode::Io, "the vault is gone");
        std::vector<MessageRow> rows;
        for (const MessageRow& m : messageRows) {
            if (m.chatId == chatId && (beforeId == 0 || m.id < beforeId))
                rows.push_back(m);
        }
        if (static_cast<int>(rows.size()) > limit)
            rows.erase(rows.begin(), rows.end() - limit);
        return rows;
    }

    Result<qint64> chatWithContact(qint64 contactId) override
    {
        calls << QStringLiteral("chatWithContact %1").arg(contactId);
        return contactId + 500;
    }

    Result<qint64> sendText(qint64 chatId, const QString& text) override
    {
        calls << QStringLiteral("sendText %1 %2").arg(chatId).arg(text);
        if (std::exchange(failNext, false))
            return Error(ErrorCode::PermissionDenied, "Bob's key changed: sending is blocked");
        return deliver(chatId, text, true, QDateTime::currentMSecsSinceEpoch());
    }

    Result<qint64> sendFile(qint64 chatId, const QString& path) override
    {
        calls << QStringLiteral("sendFile %1 %2").arg(chatId).arg(path);
        return ++nextId;
    }

    Status retryTransfer(qint64 messageId) override
    {
        calls << QStringLiteral("retryTransfer %1").arg(messageId);
        if (std::exchange(failNext, false))
            return Error(ErrorCode::Unavailable, "the node cannot be reached");
        return success();
    }

    Result<qint64> createGroup(const QString& name, const std::vector<qint64>& contactIds) override
    {
        QStringList ids;
        for (qint64 id : contactIds)
            ids << QString::number(id);
        calls << QStringLiteral("createGroup %1 %2").arg(name, ids.join(QLatin1Char(',')));
        ChatRow chat;
        chat.id = ++nextId;
        chat.title = name;
        chat.isGroup = true;
        for (qint64 id : contactIds) {
            chat.members << contactNames.value(id);
            chat.memberIds << id;
        }
        chatRows.insert(chatRows.begin(), chat);
        emit chatsChanged();
        return chat.id;
    }

    Status renameGroup(qint64 chatId, const QString& name) override
    {
        calls << QStringLiteral("renameGroup %1 %2").arg(chatId).arg(name);
        return success();
    }
    Status addMember(qint64 chatId, qint64 contactId) override
    {
        calls << QStringLiteral("addMember %1 %2").arg(chatId).arg(contactId);
        for (ChatRow& chat : chatRows) {
            if (chat.id == chatId && !chat.memberIds.contains(contactId)) {
                chat.members << contactNames.value(contactId);
                chat.memberIds << contactId;
            }
        }
        emit chatsChanged();
        return success();
    }
    Status removeMember(qint64 chatId, qint64 contactId) override
    {
        calls << QStringLiteral("removeMember %1 %2").arg(chatId).arg(contactId);
        for (ChatRow& chat : chatRows) {
            const auto at = chat.id == chatId ? chat.memberIds.indexOf(contactId) : -1;
            if (at >= 0) {
                chat.members.removeAt(at);
                chat.memberIds.removeAt(at);
            }
        }
        emit chatsChanged();
        return success();
    }
    Status markRead(qint64 chatId) override
    {
        calls << QStringLiteral("markRead %1").arg(chatId);
        for (ChatRow& chat : chatRows) {
            if (chat.id == chatId)
                chat.unread = 0;
        }
        emit chatsChanged();
        return success();
    }
    Status setDisappearing(qint64 chatId, int seconds) override
    {
        calls << QStringLiteral("setDisappearing %1 %2").arg(chatId).arg(seconds);
        return success();
    }
    void setTyping(qint64 chatId, bool on) override { calls << QStringLiteral("setTyping %1 %2").arg(chatId).arg(on); }
    Result<std::vector<MessageRow>> search(const QString& query) override
    {
        calls << QStringLiteral("search ") + query;
        std::vector<MessageRow> found;
        for (const MessageRow& m : messageRows) {
            if (m.text.contains(query, Qt::CaseInsensitive))
                found.push_back(m);
        }
        return found;
    }
    bool readReceipts() const override { return receipts; }
    void setReadReceipts(bool on) override { receipts = on; }
    bool typingIndicators() const override { return typing; }
    void setTypingIndicators(bool on) override { typing = on; }
};

class CountingNotifier : public Notifier {
public:
    QStringList shown;
    bool show(const QString& title, const QString& body) override
    {
        shown << title + QStringLiteral(": ") + body;
        return true;
    }
};

} // namespace hive::messaging::ui::testing
