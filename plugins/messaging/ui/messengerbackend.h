// MessengerBackend: the real hive::messaging::Messenger behind the ChatBackend the pages
// use. It forwards each call and signal and copies the messenger's rows into the UI's.
#pragma once

#include "chatbackend.h"

namespace hive::messaging {
class Messenger;
}

namespace hive::messaging::ui {

class MessengerBackend : public ChatBackend {
    Q_OBJECT

public:
    // The messenger must outlive the backend. Retried downloads go to `attachmentDirectory`
    // (the directory the app downloads received files to; empty: downloads cannot be retried).
    explicit MessengerBackend(Messenger& messenger, QString attachmentDirectory = QString(), QObject* parent = nullptr);

    Result<std::vector<ChatRow>> chats() override;
    Result<std::vector<MessageRow>> messages(qint64 chatId, int limit, qint64 beforeId) override;
    Result<qint64> chatWithContact(qint64 contactId) override;
    Result<qint64> sendText(qint64 chatId, const QString& text) override;
    Result<qint64> sendFile(qint64 chatId, const QString& path) override;
    Status retryTransfer(qint64 messageId) override;
    Result<qint64> createGroup(const QString& name, const std::vector<qint64>& contactIds) override;
    Status renameGroup(qint64 chatId, const QString& name) override;
    Status addMember(qint64 chatId, qint64 contactId) override;
    Status removeMember(qint64 chatId, qint64 contactId) override;
    Status markRead(qint64 chatId) override;
    Status setDisappearing(qint64 chatId, int seconds) override;
    void setTyping(qint64 chatId, bool typing) override;
    Result<std::vector<MessageRow>> search(const QString& query) override;
    bool readReceipts() const override;
    void setReadReceipts(bool on) override;
    bool typingIndicators() const override;
    void setTypingIndicators(bool on) override;

private:
    Messenger& m_messenger;
    QString m_attachmentDirectory;
};

} // namespace hive::messaging::ui
