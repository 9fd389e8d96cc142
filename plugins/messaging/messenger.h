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
#include <set>
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
    QByteArray thumbnail; // JPEG preview the sender attached (images), or empty
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
    // The bundle of `person` and one of their one-time prekeys. May finish later (a network
    // round trip): the Messenger never waits for it on the caller's stack.
    virtual core::NodeReply<Fetched> fetch(const core::Identity::PublicKey& person) = 0;
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
    // Held: the sender's key is changing (Contacts state KeyChanged); kept until the user decides.
    enum class Outcome { Stored, Updated, Duplicate, Dropped, Held };
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
    // Stores the message and sends it: Sent when it is in the outbox, Pending while the
    // recipient's prekeys are being fetched (never blocks on the network), Failed if that
    // fails (resendPending() retries). An error only for what fails right away.
    Result<qint64> sendText(qint64 chatId, const QString& text);
    // Stores the File message and starts uploading it (encrypted in chunks, fresh key,
    // secretstream) to our node from the event loop; once every chunk is there the ids, key
    // and hash are sent. Returns the message id at once; progress via transferProgress, the
    // end via transferFinished. Needs setObjectStore(). See attachmenttransfer.h.
    // `thumbnail`: a small JPEG preview (at most AttachmentTransfer::MaxThumbnailBytes) the
    // recipients see before the download ends; the UI makes it (it needs QtGui).
    Result<qint64> sendFile(qint64 chatId, const QString& path, const Bytes& thumbnail = {});
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
    // Messages containing every word of `query` as a word prefix (full-text index, case
    // and accents ignored), newest first, at most 200. Any input is safe: punctuation and
    // search operators in it are not interpreted.
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
    // Finishes once no prekey fetch is running and every send that waited for one is queued
    // in the transport (or marked Failed). hivectl waits on it before posting the outbox.
    core::NodeReply<void> whenIdle();
    // Bodies held while a contact's key was changing are replayed once the user decided
    // (accepted: the new key's are stored; declined: the old key's); returns how many were
    // replayed. Runs by itself when Contacts changes and every few seconds.
    Result<int> releaseHeld();
    // Bodies held per contact during a key change; older ones are dropped beyond it.
    static constexpr int MaxHeldPerContact = 500;
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
    // The last running prekey fetch finished and the sends waiting for it were handled.
    void sendsSettled();

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
    // Sends the stored outgoing message `messageId` and records its state (Sent, Failed, or
    // Pending while a key fetch runs). Call inside a transaction; the send's outcome is `sent`.
    Status sendStored(const ChatRow& chat, const Payload& payload, qint64 messageId, Status& sent);
    // Encrypts `payload` with the pairwise session to `person` and hands it to the transport,
    // after fetching their prekeys if there is no session yet. `messageId` (0: none) is the
    // message whose state this send decides; `undo` runs if the fetch fails.
    Status sendPairwise(const Key& person, const Payload& payload, qint64 messageId = 0,
                        std::function<Status()> undo = {});
    Status encryptPairwise(const Key& person, const Bytes& plaintext);
    // Sends a chat payload: pairwise for 1:1, sender key for groups.
    Status sendToChat(const ChatRow& chat, const Payload& payload, qint64 messageId = 0);
    Status sendGroupUpdate(const ChatRow& chat, const std::vector<Key>& members);
    Status rotateSenderKey(qint64 chatId, const GroupId& group);
    // Runs `send` now if there is a session with `person`, else after their prekeys arrived
    // (one fetch per person; sends queue behind it in order).
    Status whenSession(const Key& person, qint64 messageId, std::function<Status()> send,
                       std::function<Status()> undo = {});
    // X3DH with a fetched prekey bundle.
    Status buildSession(const Key& person, const KeyDirectory::Fetched& fetched);
    void onFetched(const Key& person, const Result<KeyDirectory::Fetched>& fetched);
    // Drops the queued sends of a message whose row was rolled back.
    void forgetWaiting(qint64 messageId);
    // Stores a body from a contact whose key is changing; true if it was held.
    Result<bool> holdIfKeyChanging(const SignalBody& body, ByteView raw, qint64 receivedAt);

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
    // A send waiting for the recipient's prekeys.
    struct Waiting {
        qint64 messageId = 0;         // the message whose state it decides (0: none)
        std::function<Status()> send; // runs once the session exists
        std::function<Status()> undo; // runs if the fetch failed
    };
    // A message with sends waiting for key fetches.
    struct Tracked {
        qint64 chatId = 0;
        int waiting = 0;
        int delivered = 0;
        bool failed = false;
        bool failOnAny = false; // 1:1: any failed part fails the message
    };
    std::map<Key, std::vector<Waiting>> m_waiting; // persons whose prekeys are being fetched
    std::map<qint64, Tracked> m_tracked;
    std::vector<core::NodeReply<void>> m_idleWaiters;
    QTimer m_expiryTimer;
    // Last: destroyed first, so no transfer outlives what it uses.
    std::unique_ptr<AttachmentTransfer> m_transfers;
};

} // namespace hive::messaging
