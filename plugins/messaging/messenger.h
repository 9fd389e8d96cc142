// Messenger: Signal-protocol chats over personal nodes (docs/messaging.md). What the UI
// (ChatListModel, ConversationModel) and hivectl use.
//
// Sending: a Payload (messagecodec.h) is encrypted with the pairwise Double Ratchet
// session (built by X3DH from the friend's prekey bundle when there is none yet), or with
// our sender key for a group, wrapped in a SignalBody and handed to a MessageTransport,
// which seals it into an EnvelopeKind::Signal envelope for the recipient's inbox mailbox
// and queues it durably (the Outbox).
// Receiving: receive() is the InboxHandler's body: the sender must be an active contact
// (Contacts::canSend), the ciphertext must decrypt under the session bound to that
// contact's pinned key, and the message is stored in the same vault transaction as the
// session update, deduplicated by (sender, uid). Bad input is dropped with a logged reason
// and leaves the session as it was.
#pragma once

#include "messagecodec.h"

#include "identity/identity.h"
#include "node/nodereply.h"
#include "wire/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace hive::core {
class Contacts;
class Statement;
class SignalContext;
class Vault;
}

namespace hive::messaging {

class AttachmentTransfer;
class SignalStore;

struct Attachment {
    QString fileName;
    QString mimeType;
    qint64 size = 0;
    qint64 transferred = 0;
    QString localPath;
    bool isImage = false;
};

struct ChatMessage {
    qint64 id = 0;
    qint64 chatId = 0;
    QByteArray uid;
    QByteArray senderKey;
    QString senderName;
    bool outgoing = false;
    QString text;
    qint64 sentAt = 0;     // ms since the epoch, the sender's clock
    qint64 receivedAt = 0; // ms since the epoch, this device's clock
    enum class State { Pending, Sent, Delivered, Read, Failed } state = State::Pending;
    std::optional<Attachment> attachment;
    qint64 expiresAt = 0;  // ms; 0 = never
};

struct ChatSummary {
    qint64 id = 0;
    QString title;
    bool isGroup = false;
    QStringList members;
    std::vector<qint64> memberIds; // contact id of each of `members` (0: not a contact)
    qint64 lastActivity = 0;
    QString lastText;
    int unread = 0;
    int disappearSeconds = 0;
    bool keyChangeBlocked = false;
    bool typing = false;
};

// Where prekeys live: this device's own node (publish, count) and friends' nodes (fetch,
// taking one one-time prekey singly). NodeKeyDirectory implements it over NodeClient.
class KeyDirectory {
public:
    struct Fetched {
        Bytes bundle;                // PrekeyBundle encoding
        std::optional<Bytes> prekey; // OneTimePrekey encoding, none if all are used up
    };
    virtual ~KeyDirectory() = default;
    // Publishes our bundle (replacing the previous one) and appends one-time prekeys.
    virtual Status publish(const Bytes& bundle, std::uint32_t deviceId, const std::vector<Bytes>& prekeys) = 0;
    // How many of our one-time prekeys the node still holds.
    virtual Result<int> remainingPrekeys(std::uint32_t deviceId) = 0;
    // The bundle of `person` and one of their one-time prekeys.
    virtual Result<Fetched> fetch(const core::Identity::PublicKey& person) = 0;
};

// Where attachment chunks live: encrypted objects on the sender's own node, read by the
// recipients from that node by id (objects.getShared). NodeObjectStore implements it.
class ObjectStore {
public:
    virtual ~ObjectStore() = default;
    // Stores an object on our own node; finishes with its id (BLAKE2b-256 of the content).
    // Replies may finish later, from the event loop; nothing here blocks.
    virtual core::NodeReply<Key32> put(const Bytes& content) = 0;
    // Reads object `id` from the node of `owner`.
    virtual core::NodeReply<Bytes> getShared(const core::Identity::PublicKey& owner, const Key32& id) = 0;
};

// How a SignalBody reaches a person's inbox. Success means it is queued durably.
class MessageTransport {
public:
    virtual ~MessageTransport() = default;
    virtual Status send(const core::Identity::PublicKey& recipient, const Bytes& signalBody) = 0;
};

// What receive() did with one Signal body.
struct ReceiveResult {
    enum class Outcome { Stored, Updated, Duplicate, Dropped };
    Outcome outcome = Outcome::Dropped;
    qint64 chatId = 0;
    qint64 messageId = 0;
    QString reason; // why it was dropped
};

class Messenger : public QObject {
    Q_OBJECT

public:
    static constexpr int PrekeyBatch = 100;    // one-time prekeys generated at a time
    static constexpr int PrekeyLowWater = 25;  // replenish when fewer remain on the node
    static constexpr std::uint64_t SignedPrekeyMaxAge = 7 * 24 * 3600;

    // Prepares the messaging tables and Signal stores of `identity` in `vault`. Every
    // argument must outlive the Messenger.
    static Result<std::unique_ptr<Messenger>> create(core::Vault& vault, const core::Identity& identity,
                                                     core::Contacts& contacts, core::SignalContext& signal,
                                                     KeyDirectory& directory, MessageTransport& transport,
                                                     QObject* parent = nullptr);
    ~Messenger() override;

    Result<std::vector<ChatSummary>> chats();
    Result<std::vector<ChatMessage>> messages(qint64 chatId, int limit = 200, qint64 beforeId = 0);
    // One stored message.
    Result<ChatMessage> message(qint64 messageId);
    // The 1:1 chat with a contact, created if needed.
    Result<qint64> chatWithContact(qint64 contactId);
    Result<qint64> sendText(qint64 chatId, const QString& text);
    // Stores the File message and starts uploading it (encrypted in chunks, fresh key,
    // secretstream) to our node from the event loop; once every chunk is there the ids, key
    // and hash are sent. Returns the message id at once; progress via transferProgress, the
    // end via transferFinished. Needs setObjectStore(). See attachmenttransfer.h.
    Result<qint64> sendFile(qint64 chatId, const QString& path);
    // Starts fetching a received attachment from the sender's node into `directory` (chunks
    // already cached there are not fetched again); the file is checked against its hash and
    // then appears as the message's localPath. The end via transferFinished.
    Status downloadAttachment(qint64 messageId, const QString& directory);
    // Restarts uploads a crash or a failure left unfinished (only the chunks the node has
    // not acknowledged are put) and sends uploaded files whose send did not happen.
    Result<int> resumeUploads();
    // Whether an upload or download of this message is running.
    bool transferRunning(qint64 messageId) const;
    Result<qint64> createGroup(const QString& name, const std::vector<qint64>& contactIds);
    Status renameGroup(qint64 chatId, const QString& name);
    Status addMember(qint64 chatId, qint64 contactId);
    // Removes a member and rotates our sender key; the others rotate theirs on receipt.
    Status removeMember(qint64 chatId, qint64 contactId);
    // Marks incoming messages read and, if enabled, sends read receipts.
    Status markRead(qint64 chatId);
    // Per-chat timer for new messages; 0 = off. Tells the other members.
    Status setDisappearing(qint64 chatId, int seconds);
    void setTyping(qint64 chatId, bool typing);
    // Messages whose text contains `query` (case-insensitive), newest first.
    Result<std::vector<ChatMessage>> search(const QString& query);

    bool readReceipts() const { return m_readReceipts; }
    void setReadReceipts(bool enabled);
    bool typingIndicators() const { return m_typingIndicators; }
    void setTypingIndicators(bool enabled);

    // ---- plumbing for the inbox handler, hivectl and tests ----
    // Handles one Signal body from the inbox (see the header comment). An error means a
    // local failure (nothing stored, retry later); bad input is a Dropped result.
    Result<ReceiveResult> receive(ByteView signalBody, qint64 receivedAtMs);
    // Makes sure our signed prekey and enough one-time prekeys are on our node.
    Status publishKeys();
    // Deletes messages whose timer ran out; returns how many.
    Result<int> purgeExpired();
    // Sends again what a crash left Pending or a failed send left Failed (the receiver
    // deduplicates by uid).
    Result<int> resendPending();
    // Finds the chat of a contact or group by the name shown for it.
    Result<qint64> findChat(const QString& name);
    // Replaces the clock (ms since the epoch), for tests.
    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }
    // Where attachments go (not owned; nullptr: attachments are refused).
    void setObjectStore(ObjectStore* store) { m_objects = store; }
    // Plaintext bytes per attachment chunk (each chunk is one object on the node).
    static constexpr std::size_t AttachmentChunk = 1020 * 1024;
    // The Messenger's clock (ms since the epoch).
    qint64 currentTime() const { return m_now(); }
    SignalStore& signalStore() { return *m_store; }

signals:
    void chatsChanged();
    void messageAdded(qint64 chatId, qint64 messageId);
    void messageChanged(qint64 chatId, qint64 messageId);
    void typingChanged(qint64 chatId, bool typing);
    void transferProgress(qint64 messageId, qint64 done, qint64 total);
    // An upload (ok: its payload was sent) or download (ok: the file is saved) ended.
    void transferFinished(qint64 messageId, bool ok, QString error);
    void notification(qint64 chatId, QString title, QString text);
    // A received body was dropped (tests and logs).
    void dropped(QString reason);

private:
    // Attachments (attachmenttransfer.h) store, send and update messages like the Messenger.
    friend class AttachmentTransfer;
    struct ChatRow {
        qint64 id = 0;
        std::optional<core::Identity::PublicKey> contact;
        std::optional<GroupId> group;
        QString title;
        int disappearSeconds = 0;
        bool left = false; // we were removed from this group
    };
    struct Decrypted {
        SignalBody body;
        Payload payload;
    };
    using Key = core::Identity::PublicKey;

    Messenger(core::Vault& vault, const core::Identity& identity, core::Contacts& contacts,
              core::SignalContext& signal, KeyDirectory& directory, MessageTransport& transport, QObject* parent);
    qint64 now() const { return m_now(); }
    Status loadSettings();
    Status saveSetting(const char* key, bool value);

    Result<ChatRow> chat(qint64 chatId);
    Result<std::optional<qint64>> chatIdForContact(const Key& key);
    Result<std::optional<qint64>> chatIdForGroup(const GroupId& group);
    Result<qint64> ensureContactChat(const Key& key, const QString& title);
    Result<std::vector<Key>> members(qint64 chatId);
    Status setMembers(qint64 chatId, const std::vector<Key>& members);
    Result<std::vector<Key>> recipients(const ChatRow& chat);
    QString nameOf(const Key& key);

    Payload newPayload(PayloadKind kind, const ChatRow& chat);
    Result<qint64> storeOutgoing(const ChatRow& chat, const Payload& payload);
    Status setState(qint64 messageId, ChatMessage::State state);
    // Encrypts `payload` with the pairwise session to `person` and hands it to the transport.
    Status sendPairwise(const Key& person, const Payload& payload);
    // Sends a chat payload: pairwise for 1:1, sender key for groups.
    Status sendToChat(const ChatRow& chat, const Payload& payload);
    Status sendGroupUpdate(const ChatRow& chat, const std::vector<Key>& members);
    Status rotateSenderKey(qint64 chatId, const GroupId& group);
    Status ensureSession(const Key& person);

    // A decrypted message, or nullopt with `reason` set when the input must be dropped.
    Result<std::optional<Decrypted>> decrypt(const SignalBody& body, QString& reason);
    Result<ReceiveResult> dispatch(const Decrypted& message, qint64 receivedAt);
    Result<ReceiveResult> storeIncoming(const ChatRow& chat, const Decrypted& message, qint64 receivedAt);
    Status applyReceipt(const Key& from, const Payload& payload);
    Result<ReceiveResult> applyGroupUpdate(const Key& from, const Payload& payload);
    void runDeferred();

    Result<std::vector<ChatMessage>> queryMessages(std::string_view where, const std::function<Status(core::Statement&)>& bind,
                                                   std::string_view order);

    core::Vault& m_vault;
    const core::Identity& m_identity;
    core::Contacts& m_contacts;
    core::SignalContext& m_signal;
    KeyDirectory& m_directory;
    MessageTransport& m_transport;
    std::unique_ptr<SignalStore> m_store;
    ObjectStore* m_objects = nullptr;
    std::function<qint64()> m_now;
    bool m_readReceipts = true;
    bool m_typingIndicators = true;
    std::map<qint64, bool> m_typing;
    // Sends that follow a receive; run after its transaction committed.
    std::vector<std::function<Status()>> m_deferred;
    QTimer m_expiryTimer;
    // Last: destroyed first, so no transfer outlives what it uses.
    std::unique_ptr<AttachmentTransfer> m_transfers;
};

} // namespace hive::messaging
