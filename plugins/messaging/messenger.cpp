#include "messenger.h"

#include "attachmenttransfer.h"
#include "messagingschema.h"
#include "signalstore.h"

#include "signal/signalcontext.h"
#include "signal/signalref.h"
#include "trust/contacts.h"
#include "vault/vault.h"
#include "wire/envelope.h"
#include "wire/nodeprotocol.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QLoggingCategory>

#include <signal/group_cipher.h>
#include <signal/group_session_builder.h>
#include <signal/protocol.h>
#include <signal/session_builder.h>
#include <signal/session_cipher.h>
#include <signal/session_pre_key.h>

#include <sodium.h>

#include <algorithm>
#include <set>

namespace hive::messaging {

namespace {

Q_LOGGING_CATEGORY(lcMessaging, "hive.messaging")

using core::SignalRef;
using Key = core::Identity::PublicKey;

template <std::size_t N>
QByteArray blobOf(const std::array<std::uint8_t, N>& a)
{
    return QByteArray(reinterpret_cast<const char*>(a.data()), static_cast<qsizetype>(N));
}

template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> arrayOf(const QByteArray& blob)
{
    if (blob.size() != static_cast<qsizetype>(N))
        return std::nullopt;
    std::array<std::uint8_t, N> out {};
    std::copy(blob.begin(), blob.end(), reinterpret_cast<char*>(out.data()));
    return out;
}

std::string groupName(const GroupId& group)
{
    static constexpr char Digits[] = "0123456789abcdef";
    std::string name;
    for (std::uint8_t b : group) {
        name.push_back(Digits[b >> 4]);
        name.push_back(Digits[b & 0xf]);
    }
    return name;
}

// libsignal's address of one device of a person; the name string must outlive it.
struct Address {
    explicit Address(const Key& person, std::int32_t device)
        : name(SignalStore::addressName(person))
    {
        address.name = name.c_str();
        address.name_len = name.size();
        address.device_id = device;
    }
    Address(const Address&) = delete;
    Address& operator=(const Address&) = delete;
    std::string name;
    signal_protocol_address address {};
};

struct SenderKeyName {
    SenderKeyName(const GroupId& group, const Key& person, std::int32_t device)
        : groupId(groupName(group)), sender(person, device)
    {
        name.group_id = groupId.c_str();
        name.group_id_len = groupId.size();
        name.sender = sender.address;
    }
    std::string groupId;
    Address sender;
    signal_protocol_sender_key_name name {};
};

struct SessionCipherFree {
    void operator()(session_cipher* c) const { session_cipher_free(c); }
};
struct GroupCipherFree {
    void operator()(group_cipher* c) const { group_cipher_free(c); }
};
struct SessionBuilderFree {
    void operator()(session_builder* b) const { session_builder_free(b); }
};
struct GroupBuilderFree {
    void operator()(group_session_builder* b) const { group_session_builder_free(b); }
};

Bytes bytesOf(signal_buffer* buffer)
{
    return Bytes(signal_buffer_data(buffer), signal_buffer_data(buffer) + signal_buffer_len(buffer));
}

Result<SignalRef<ec_public_key>> decodePoint(ByteView data, signal_context* context)
{
    ec_public_key* key = nullptr;
    const int rc = curve_decode_point(&key, data.data(), data.size(), context);
    if (rc != 0)
        return core::signalError(rc, "a published key is not a valid curve point");
    return SignalRef<ec_public_key>(key);
}

// Why libsignal refused a ciphertext, for the log and the dropped() signal.
QString decryptFailure(int rc)
{
    switch (rc) {
    case SG_ERR_DUPLICATE_MESSAGE: return QStringLiteral("replayed message (already decrypted once)");
    case SG_ERR_INVALID_MAC:
    case SG_ERR_INVALID_MESSAGE:
    case SG_ERR_INVALID_PROTO_BUF:
    case SG_ERR_INVALID_KEY: return QStringLiteral("tampered or undecryptable ciphertext");
    case SG_ERR_NO_SESSION: return QStringLiteral("no session with the sender (or no sender key for the group)");
    case SG_ERR_UNTRUSTED_IDENTITY: return QStringLiteral("the sender's identity key is not the contact's pinned key");
    case SG_ERR_INVALID_KEY_ID: return QStringLiteral("the message uses a prekey this device does not hold");
    case SG_ERR_LEGACY_MESSAGE:
    case SG_ERR_INVALID_VERSION: return QStringLiteral("unsupported Signal message version");
    default: return QStringLiteral("libsignal error %1").arg(rc);
    }
}

bool isLocalFailure(int rc) { return rc == SG_ERR_UNKNOWN || rc == SG_ERR_NOMEM; }

constexpr int StatePending = 0, StateSent = 1, StateDelivered = 2, StateRead = 3, StateFailed = 4;

} // namespace

using core::Statement;

Messenger::Messenger(core::Vault& vault, const core::Identity& identity, core::Contacts& contacts,
                     core::SignalContext& signal, KeyDirectory& directory, MessageTransport& transport, QObject* parent)
    : QObject(parent), m_vault(vault), m_identity(identity), m_contacts(contacts), m_signal(signal),
      m_directory(directory), m_transport(transport), m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

Messenger::~Messenger()
{
    // Whoever waits for the sends (hivectl, a bench) must not wait forever.
    auto waiters = std::move(m_idleWaiters);
    m_idleWaiters.clear();
    for (auto& w : waiters)
        w.finish(Error(ErrorCode::Unavailable, "the messenger closed with sends waiting for keys"));
}

Result<std::unique_ptr<Messenger>> Messenger::create(core::Vault& vault, const core::Identity& identity,
                                                     core::Contacts& contacts, core::SignalContext& signal,
                                                     KeyDirectory& directory, MessageTransport& transport,
                                                     QObject* parent)
{
    HIVE_CHECK(vault.migrateComponent(MessagingComponent, messagingSchema()));
    std::unique_ptr<Messenger> messenger(new Messenger(vault, identity, contacts, signal, directory, transport, parent));
    messenger->m_store = HIVE_TRY(SignalStore::create(vault, identity, signal));
    messenger->m_transfers = std::make_unique<AttachmentTransfer>(*messenger);
    HIVE_CHECK(messenger->loadSettings());
    // Disappearing messages are swept every few seconds (and on every read of the history).
    messenger->m_expiryTimer.setInterval(5000);
    QObject::connect(&messenger->m_expiryTimer, &QTimer::timeout, messenger.get(), [m = messenger.get()] {
        auto purged = m->purgeExpired();
        if (!purged.ok())
            qCWarning(lcMessaging) << "purging expired messages failed:" << purged.error().message();
        // A key change may have been decided in another process (hivectl), whose Contacts
        // signals do not reach this one; in the app the trust page shares our Contacts.
        if (auto released = m->releaseHeld(); !released.ok())
            qCWarning(lcMessaging) << "replaying held messages failed:" << released.error().message();
    });
    QObject::connect(&contacts, &core::Contacts::changed, messenger.get(), [m = messenger.get()] {
        // From the event loop: not inside the Contacts call that changed something.
        QMetaObject::invokeMethod(
            m,
            [m] {
                if (auto released = m->releaseHeld(); !released.ok())
                    qCWarning(lcMessaging) << "replaying held messages failed:" << released.error().message();
            },
            Qt::QueuedConnection);
    });
    messenger->m_expiryTimer.start();
    return messenger;
}

Status Messenger::loadSettings()
{
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT key, value FROM messaging_settings WHERE key IN ('read_receipts', 'typing_indicators')"));
    while (HIVE_TRY(stmt.step())) {
        const bool on = stmt.columnBlob(1) != QByteArray(1, '\0');
        if (stmt.columnText(0) == QLatin1String("read_receipts"))
            m_readReceipts = on;
        else
            m_typingIndicators = on;
    }
    return success();
}

Status Messenger::saveSetting(const char* key, bool value)
{
    auto stmt = HIVE_TRY(m_vault.prepare("INSERT OR REPLACE INTO messaging_settings (key, value) VALUES (?1, ?2)"));
    HIVE_CHECK(stmt.bindText(1, QString::fromLatin1(key)));
    HIVE_CHECK(stmt.bindBlob(2, QByteArray(1, value ? '\1' : '\0')));
    return stmt.run();
}

void Messenger::setReadReceipts(bool enabled)
{
    m_readReceipts = enabled;
    if (auto s = saveSetting("read_receipts", enabled); !s.ok())
        qCWarning(lcMessaging) << "saving a setting failed:" << s.error().message();
}

void Messenger::setTypingIndicators(bool enabled)
{
    m_typingIndicators = enabled;
    if (auto s = saveSetting("typing_indicators", enabled); !s.ok())
        qCWarning(lcMessaging) << "saving a setting failed:" << s.error().message();
    if (!enabled) {
        for (auto& [chatId, typing] : m_typing) {
            if (typing) {
                typing = false;
                emit typingChanged(chatId, false);
            }
        }
    }
}

// ---- chats and members ----

Result<Messenger::ChatRow> Messenger::chat(qint64 chatId)
{
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT id, contact_key, group_id, title, disappear_seconds, left_group FROM msg_chats WHERE id = ?1"));
    HIVE_CHECK(stmt.bindInt64(1, chatId));
    if (!HIVE_TRY(stmt.step()))
        return Error(ErrorCode::NotFound, "no such chat");
    ChatRow row;
    row.id = stmt.columnInt64(0);
    if (!stmt.columnIsNull(1))
        row.contact = arrayOf<32>(stmt.columnBlob(1));
    if (!stmt.columnIsNull(2))
        row.group = arrayOf<16>(stmt.columnBlob(2));
    row.title = stmt.columnText(3);
    row.disappearSeconds = static_cast<int>(stmt.columnInt64(4));
    row.left = stmt.columnInt64(5) != 0;
    return row;
}

Result<std::optional<qint64>> Messenger::chatIdForContact(const Key& key)
{
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT id FROM msg_chats WHERE contact_key = ?1"));
    HIVE_CHECK(stmt.bindBlob(1, blobOf(key)));
    if (!HIVE_TRY(stmt.step()))
        return std::optional<qint64>();
    return std::optional<qint64>(stmt.columnInt64(0));
}

Result<std::optional<qint64>> Messenger::chatIdForGroup(const GroupId& group)
{
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT id FROM msg_chats WHERE group_id = ?1"));
    HIVE_CHECK(stmt.bindBlob(1, blobOf(group)));
    if (!HIVE_TRY(stmt.step()))
        return std::optional<qint64>();
    return std::optional<qint64>(stmt.columnInt64(0));
}

Result<qint64> Messenger::ensureContactChat(const Key& key, const QString& title)
{
    if (auto existing = HIVE_TRY(chatIdForContact(key)))
        return *existing;
    auto stmt = HIVE_TRY(m_vault.prepare("INSERT INTO msg_chats (contact_key, title, created_at, last_activity) VALUES (?1, ?2, ?3, ?3)"));
    HIVE_CHECK(stmt.bindBlob(1, blobOf(key)));
    HIVE_CHECK(stmt.bindText(2, title));
    HIVE_CHECK(stmt.bindInt64(3, now()));
    HIVE_CHECK(stmt.run());
    return HIVE_TRY(chatIdForContact(key)).value_or(0);
}

Result<std::vector<Key>> Messenger::members(qint64 chatId)
{
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT member_key FROM msg_members WHERE chat_id = ?1 ORDER BY member_key"));
    HIVE_CHECK(stmt.bindInt64(1, chatId));
    std::vector<Key> out;
    while (HIVE_TRY(stmt.step())) {
        if (auto k = arrayOf<32>(stmt.columnBlob(0)))
            out.push_back(*k);
    }
    return out;
}

Status Messenger::setMembers(qint64 chatId, const std::vector<Key>& newMembers)
{
    const std::vector<Key> old = HIVE_TRY(members(chatId));
    for (const Key& k : old) {
        if (std::find(newMembers.begin(), newMembers.end(), k) == newMembers.end()) {
            auto del = HIVE_TRY(m_vault.prepare("DELETE FROM msg_members WHERE chat_id = ?1 AND member_key = ?2"));
            HIVE_CHECK(del.bindInt64(1, chatId));
            HIVE_CHECK(del.bindBlob(2, blobOf(k)));
            HIVE_CHECK(del.run());
        }
    }
    for (const Key& k : newMembers) {
        if (k == m_identity.publicKey())
            continue;
        auto ins = HIVE_TRY(m_vault.prepare("INSERT OR IGNORE INTO msg_members (chat_id, member_key) VALUES (?1, ?2)"));
        HIVE_CHECK(ins.bindInt64(1, chatId));
        HIVE_CHECK(ins.bindBlob(2, blobOf(k)));
        HIVE_CHECK(ins.run());
    }
    return success();
}

Result<std::vector<Key>> Messenger::recipients(const ChatRow& chat)
{
    if (chat.contact)
        return std::vector<Key> {*chat.contact};
    if (chat.left)
        return std::vector<Key>();
    return members(chat.id);
}

QString Messenger::nameOf(const Key& key)
{
    if (key == m_identity.publicKey())
        return m_identity.displayName();
    auto contact = m_contacts.findByKey(key);
    if (contact.ok())
        return contact->displayName;
    return core::Identity::fingerprint(key).left(9);
}

// ---- sending ----

Payload Messenger::newPayload(PayloadKind kind, const ChatRow& chat)
{
    Payload p;
    randombytes_buf(p.uid.data(), p.uid.size());
    p.sentAt = static_cast<std::uint64_t>(now());
    p.kind = kind;
    p.group = chat.group;
    p.expireSeconds = static_cast<std::uint32_t>(std::max(0, chat.disappearSeconds));
    return p;
}

Status Messenger::buildSession(const Key& person, const KeyDirectory::Fetched& fetched)
{
    const PrekeyBundle bundle = HIVE_TRY(PrekeyBundle::decode(fetched.bundle));
    if (bundle.identity != person)
        return Error(ErrorCode::Crypto, "the prekey bundle belongs to someone else");
    HIVE_CHECK(core::Identity::verify(bundle.signedBytes(), bundle.signature, person));
    if (bundle.deviceId == 0 || bundle.deviceId > 0x7fffffff)
        return Error(ErrorCode::Malformed, "the prekey bundle names an invalid device");
    signal_context* ctx = m_signal.get();
    const Bytes identityBytes = HIVE_TRY(SignalStore::signalIdentityKey(person));
    auto identityKey = HIVE_TRY(decodePoint(identityBytes, ctx));
    auto signedKey = HIVE_TRY(decodePoint(bundle.signedPrekey, ctx));
    SignalRef<ec_public_key> oneTime;
    std::uint32_t oneTimeId = 0;
    if (fetched.prekey) {
        const OneTimePrekey prekey = HIVE_TRY(OneTimePrekey::decode(*fetched.prekey));
        oneTime = HIVE_TRY(decodePoint(prekey.publicKey, ctx));
        oneTimeId = prekey.id;
    }
    session_pre_key_bundle* rawBundle = nullptr;
    int rc = session_pre_key_bundle_create(&rawBundle, bundle.registrationId, static_cast<int>(bundle.deviceId), oneTimeId,
                                           oneTime.get(), bundle.signedPrekeyId, signedKey.get(),
                                           bundle.signedPrekeySignature.data(), bundle.signedPrekeySignature.size(),
                                           identityKey.get());
    if (rc != 0)
        return core::signalError(rc, "cannot assemble the prekey bundle");
    SignalRef<session_pre_key_bundle> signalBundle(rawBundle);
    Address address(person, static_cast<std::int32_t>(bundle.deviceId));
    session_builder* rawBuilder = nullptr;
    rc = session_builder_create(&rawBuilder, m_store->get(), &address.address, ctx);
    if (rc != 0)
        return core::signalError(rc, "cannot create a session builder");
    std::unique_ptr<session_builder, SessionBuilderFree> builder(rawBuilder);
    rc = session_builder_process_pre_key_bundle(builder.get(), signalBundle.get());
    if (rc != 0)
        return core::signalError(rc, "X3DH with the friend's prekey bundle failed");
    return success();
}

Status Messenger::whenSession(const Key& person, qint64 messageId, std::function<Status()> send,
                              std::function<Status()> undo)
{
    auto queued = m_waiting.find(person);
    if (queued == m_waiting.end()) {
        if (!HIVE_TRY(m_store->sessionDevices(person)).empty())
            return send();
        const core::NodeReply<KeyDirectory::Fetched> reply = m_directory.fetch(person);
        if (reply.isFinished()) {
            // An answer already at hand (a cache, an in-process directory) needs no waiting.
            const Result<KeyDirectory::Fetched>& fetched = reply.result();
            if (!fetched.ok())
                return fetched.error();
            HIVE_CHECK(buildSession(person, *fetched));
            return send();
        }
        // One fetch per person: later sends to them queue behind it, in order.
        queued = m_waiting.emplace(person, std::vector<Waiting>()).first;
        reply.then(this, [this, person](const Result<KeyDirectory::Fetched>& fetched) { onFetched(person, fetched); });
    }
    queued->second.push_back(Waiting {messageId, std::move(send), std::move(undo)});
    if (auto t = m_tracked.find(messageId); messageId != 0 && t != m_tracked.end())
        ++t->second.waiting;
    return success();
}

void Messenger::onFetched(const Key& person, const Result<KeyDirectory::Fetched>& fetched)
{
    auto entry = m_waiting.extract(person);
    if (entry.empty())
        return;
    std::vector<Waiting> waiting = std::move(entry.mapped());
    std::set<qint64> done;
    // The session, every waiting send and the states they decide: one commit.
    const Status stored = m_vault.transaction([&]() -> Status {
        const Status built = fetched.ok() ? buildSession(person, *fetched) : Status(fetched.error());
        if (!built.ok())
            qCWarning(lcMessaging) << "no session with" << nameOf(person) << ":" << built.error().message();
        for (Waiting& w : waiting) {
            const Status sent = built.ok() ? w.send() : built;
            if (!sent.ok() && w.undo)
                HIVE_CHECK(w.undo());
            if (!sent.ok() && built.ok())
                qCWarning(lcMessaging) << "sending to" << nameOf(person) << "failed:" << sent.error().message();
            auto t = m_tracked.find(w.messageId);
            if (w.messageId == 0 || t == m_tracked.end())
                continue;
            if (sent.ok())
                ++t->second.delivered;
            else
                t->second.failed = true;
            if (--t->second.waiting <= 0)
                done.insert(w.messageId);
        }
        for (qint64 id : done) {
            const Tracked& t = m_tracked[id];
            const bool failed = t.failed && (t.failOnAny || t.delivered == 0);
            HIVE_CHECK(setState(id, failed ? ChatMessage::State::Failed : ChatMessage::State::Sent));
        }
        return success();
    });
    // A vault failure leaves the messages Pending: resendPending() sends them again.
    if (!stored.ok())
        qCWarning(lcMessaging) << "recording sends after a key fetch failed:" << stored.error().message();
    for (qint64 id : done) {
        const qint64 chatId = m_tracked[id].chatId;
        m_tracked.erase(id);
        emit messageChanged(chatId, id);
    }
    if (!done.empty())
        emit chatsChanged();
    if (m_waiting.empty()) {
        auto waiters = std::move(m_idleWaiters);
        m_idleWaiters.clear();
        for (auto& w : waiters)
            w.finish(success());
        emit sendsSettled();
    }
}

core::NodeReply<void> Messenger::whenIdle()
{
    if (m_waiting.empty())
        return core::NodeReply<void>::finished(success());
    core::NodeReply<void> reply;
    m_idleWaiters.push_back(reply);
    return reply;
}

Status Messenger::sendPairwise(const Key& person, const Payload& payload, qint64 messageId, std::function<Status()> undo)
{
    HIVE_CHECK(m_contacts.canSend(person));
    return whenSession(
        person, messageId, [this, person, plaintext = payload.encode()] { return encryptPairwise(person, plaintext); },
        std::move(undo));
}

Status Messenger::encryptPairwise(const Key& person, const Bytes& plaintext)
{
    for (std::int32_t device : HIVE_TRY(m_store->sessionDevices(person))) {
        Address address(person, device);
        session_cipher* rawCipher = nullptr;
        int rc = session_cipher_create(&rawCipher, m_store->get(), &address.address, m_signal.get());
        if (rc != 0)
            return core::signalError(rc, "cannot create a session cipher");
        std::unique_ptr<session_cipher, SessionCipherFree> cipher(rawCipher);
        ciphertext_message* rawMessage = nullptr;
        rc = session_cipher_encrypt(cipher.get(), plaintext.data(), plaintext.size(), &rawMessage);
        if (rc != 0)
            return core::signalError(rc, "encrypting for the friend failed");
        SignalRef<ciphertext_message> message(rawMessage);
        SignalBody body;
        body.sender = m_identity.publicKey();
        body.senderDevice = m_store->deviceId();
        body.type = ciphertext_message_get_type(message.get()) == CIPHERTEXT_PREKEY_TYPE ? SignalType::PreKey
                                                                                          : SignalType::Whisper;
        body.ciphertext = bytesOf(ciphertext_message_get_serialized(message.get()));
        HIVE_CHECK(m_transport.send(person, body.encode()));
    }
    return success();
}

Status Messenger::sendToChat(const ChatRow& chat, const Payload& payload, qint64 messageId)
{
    const std::vector<Key> targets = HIVE_TRY(recipients(chat));
    if (targets.empty())
        return Error(ErrorCode::PermissionDenied, "this chat has no other members (were you removed?)");
    const bool groupCipher = chat.group && (payload.kind == PayloadKind::Text || payload.kind == PayloadKind::File);
    if (!groupCipher) {
        std::optional<Error> first;
        for (const Key& k : targets) {
            const Status s = sendPairwise(k, payload, messageId);
            if (!s.ok()) {
                qCWarning(lcMessaging) << "sending to" << nameOf(k) << "failed:" << s.error().message();
                if (!first)
                    first = s.error();
            }
        }
        // A group message reached the members it could; a 1:1 message failed.
        if (first && (targets.size() == 1))
            return *first;
        return success();
    }

    signal_context* ctx = m_signal.get();
    SenderKeyName name(*chat.group, m_identity.publicKey(), static_cast<std::int32_t>(m_store->deviceId()));
    group_session_builder* rawBuilder = nullptr;
    int rc = group_session_builder_create(&rawBuilder, m_store->get(), ctx);
    if (rc != 0)
        return core::signalError(rc, "cannot create a group session builder");
    std::unique_ptr<group_session_builder, GroupBuilderFree> builder(rawBuilder);
    sender_key_distribution_message* rawDistribution = nullptr;
    rc = group_session_builder_create_session(builder.get(), &rawDistribution, &name.name);
    if (rc != 0)
        return core::signalError(rc, "cannot create our sender key");
    SignalRef<sender_key_distribution_message> distribution(rawDistribution);

    // Members that do not hold our current sender key get it first, over their pairwise
    // session (after a removal every member is in this state).
    auto pending = HIVE_TRY(m_vault.prepare("SELECT member_key FROM msg_members WHERE chat_id = ?1 AND has_our_key = 0"));
    HIVE_CHECK(pending.bindInt64(1, chat.id));
    std::vector<Key> needKey;
    while (HIVE_TRY(pending.step())) {
        if (auto k = arrayOf<32>(pending.columnBlob(0)))
            needKey.push_back(*k);
    }
    for (const Key& k : needKey) {
        Payload keyPayload = newPayload(PayloadKind::SenderKey, chat);
        keyPayload.senderKey = bytesOf(ciphertext_message_get_serialized(reinterpret_cast<ciphertext_message*>(distribution.get())));
        // If the member's prekeys have to be fetched first and that fails, they still lack
        // our key: the next group message offers it again.
        const Status s = sendPairwise(k, keyPayload, 0, [this, chatId = chat.id, k]() -> Status {
            auto unmark = HIVE_TRY(m_vault.prepare("UPDATE msg_members SET has_our_key = 0 WHERE chat_id = ?1 AND member_key = ?2"));
            HIVE_CHECK(unmark.bindInt64(1, chatId));
            HIVE_CHECK(unmark.bindBlob(2, blobOf(k)));
            return unmark.run();
        });
        if (!s.ok()) {
            qCWarning(lcMessaging) << "sending our sender key to" << nameOf(k) << "failed:" << s.error().message();
            continue;
        }
        auto mark = HIVE_TRY(m_vault.prepare("UPDATE msg_members SET has_our_key = 1 WHERE chat_id = ?1 AND member_key = ?2"));
        HIVE_CHECK(mark.bindInt64(1, chat.id));
        HIVE_CHECK(mark.bindBlob(2, blobOf(k)));
        HIVE_CHECK(mark.run());
    }

    group_cipher* rawCipher = nullptr;
    rc = group_cipher_create(&rawCipher, m_store->get(), &name.name, ctx);
    if (rc != 0)
        return core::signalError(rc, "cannot create a group cipher");
    std::unique_ptr<group_cipher, GroupCipherFree> cipher(rawCipher);
    const Bytes plaintext = payload.encode();
    ciphertext_message* rawMessage = nullptr;
    rc = group_cipher_encrypt(cipher.get(), plaintext.data(), plaintext.size(), &rawMessage);
    if (rc != 0)
        return core::signalError(rc, "encrypting for the group failed");
    SignalRef<ciphertext_message> message(rawMessage);
    GroupCiphertext inner;
    inner.group = *chat.group;
    inner.message = bytesOf(ciphertext_message_get_serialized(message.get()));
    SignalBody body;
    body.sender = m_identity.publicKey();
    body.senderDevice = m_store->deviceId();
    body.type = SignalType::SenderKey;
    body.ciphertext = inner.encode();
    const Bytes encoded = body.encode();
    int sent = 0;
    for (const Key& k : targets) {
        if (!m_contacts.canSend(k).ok()) {
            qCWarning(lcMessaging) << "not sending the group message to" << nameOf(k) << "(not an active contact)";
            continue;
        }
        // A member whose prekeys are being fetched gets the group message after our sender
        // key, which waits in the same queue.
        if (auto queued = m_waiting.find(k); queued != m_waiting.end()) {
            queued->second.push_back(Waiting {messageId, [this, k, encoded] { return m_transport.send(k, encoded); }, {}});
            if (auto t = m_tracked.find(messageId); messageId != 0 && t != m_tracked.end())
                ++t->second.waiting;
            ++sent;
            continue;
        }
        const Status s = m_transport.send(k, encoded);
        if (s.ok())
            ++sent;
        else
            qCWarning(lcMessaging) << "queueing for" << nameOf(k) << "failed:" << s.error().message();
        if (auto t = m_tracked.find(messageId); s.ok() && messageId != 0 && t != m_tracked.end())
            ++t->second.delivered;
    }
    if (sent == 0)
        return Error(ErrorCode::Unavailable, "the group message could not be queued for any member");
    return success();
}

Result<qint64> Messenger::storeOutgoing(const ChatRow& chat, const Payload& payload)
{
    const qint64 expires = payload.expireSeconds > 0 ? static_cast<qint64>(payload.sentAt) + qint64(payload.expireSeconds) * 1000 : 0;
    auto stmt = HIVE_TRY(m_vault.prepare(
        "INSERT INTO msg_messages (chat_id, uid, sender_key, outgoing, kind, text, sent_at, received_at, state, is_read, expires_at)"
        " VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?6, ?7, 1, ?8)"));
    HIVE_CHECK(stmt.bindInt64(1, chat.id));
    HIVE_CHECK(stmt.bindBlob(2, blobOf(payload.uid)));
    HIVE_CHECK(stmt.bindBlob(3, blobOf(m_identity.publicKey())));
    HIVE_CHECK(stmt.bindInt64(4, static_cast<std::int64_t>(payload.kind)));
    HIVE_CHECK(stmt.bindText(5, QString::fromStdString(payload.text)));
    HIVE_CHECK(stmt.bindInt64(6, static_cast<std::int64_t>(payload.sentAt)));
    HIVE_CHECK(stmt.bindInt64(7, StatePending));
    HIVE_CHECK(stmt.bindInt64(8, expires));
    HIVE_CHECK(stmt.run());
    auto id = HIVE_TRY(m_vault.prepare("SELECT id FROM msg_messages WHERE sender_key = ?1 AND uid = ?2"));
    HIVE_CHECK(id.bindBlob(1, blobOf(m_identity.publicKey())));
    HIVE_CHECK(id.bindBlob(2, blobOf(payload.uid)));
    if (!HIVE_TRY(id.step()))
        return Error(ErrorCode::Internal, "the stored message vanished");
    auto touch = HIVE_TRY(m_vault.prepare("UPDATE msg_chats SET last_activity = max(last_activity, ?2) WHERE id = ?1"));
    HIVE_CHECK(touch.bindInt64(1, chat.id));
    HIVE_CHECK(touch.bindInt64(2, static_cast<std::int64_t>(payload.sentAt)));
    HIVE_CHECK(touch.run());
    return id.columnInt64(0);
}

Status Messenger::setState(qint64 messageId, ChatMessage::State state)
{
    auto stmt = HIVE_TRY(m_vault.prepare("UPDATE msg_messages SET state = ?2 WHERE id = ?1"));
    HIVE_CHECK(stmt.bindInt64(1, messageId));
    HIVE_CHECK(stmt.bindInt64(2, static_cast<std::int64_t>(state)));
    return stmt.run();
}

Result<qint64> Messenger::sendText(qint64 chatId, const QString& text)
{
    const ChatRow row = HIVE_TRY(chat(chatId));
    const QByteArray utf8 = text.toUtf8();
    if (utf8.isEmpty())
        return Error(ErrorCode::InvalidArgument, "the message is empty");
    if (static_cast<std::size_t>(utf8.size()) > MaxTextBytes)
        return Error(ErrorCode::TooLarge, "the message is longer than 64 KiB");
    if (row.contact)
        HIVE_CHECK(m_contacts.canSend(*row.contact));
    Payload payload = newPayload(PayloadKind::Text, row);
    payload.text = utf8.toStdString();
    // The row, the ratchet step, the outbox entry and the state: one commit. A recipient
    // without a session yet leaves it Pending until their prekeys arrive (onFetched).
    qint64 id = 0;
    Status sent = success();
    const Status stored = m_vault.transaction([&]() -> Status {
        id = HIVE_TRY(storeOutgoing(row, payload));
        return sendStored(row, payload, id, sent);
    });
    if (!stored.ok()) {
        forgetWaiting(id);
        return stored.error();
    }
    emit messageAdded(chatId, id);
    emit chatsChanged();
    if (!sent.ok())
        return sent.error();
    return id;
}

Status Messenger::sendStored(const ChatRow& chat, const Payload& payload, qint64 messageId, Status& sent)
{
    Tracked& tracked = m_tracked[messageId];
    tracked = Tracked {};
    tracked.chatId = chat.id;
    tracked.failOnAny = !chat.group;
    sent = sendToChat(chat, payload, messageId);
    const bool waiting = m_tracked[messageId].waiting > 0;
    if (!sent.ok() && waiting)
        m_tracked[messageId].failed = true; // stays Failed when the rest is sent
    if (!waiting)
        m_tracked.erase(messageId);
    const auto state = !sent.ok() ? ChatMessage::State::Failed : waiting ? ChatMessage::State::Pending : ChatMessage::State::Sent;
    return setState(messageId, state);
}

void Messenger::forgetWaiting(qint64 messageId)
{
    if (messageId == 0)
        return;
    m_tracked.erase(messageId);
    for (auto& [person, list] : m_waiting)
        std::erase_if(list, [messageId](const Waiting& w) { return w.messageId == messageId; });
}

Result<qint64> Messenger::sendFile(qint64 chatId, const QString& path, const Bytes& thumbnail)
{
    return m_transfers->sendFile(chatId, path, thumbnail);
}

Status Messenger::downloadAttachment(qint64 messageId, const QString& directory)
{
    return m_transfers->download(messageId, directory);
}

Result<int> Messenger::resumeUploads()
{
    return m_transfers->resumeUploads();
}

bool Messenger::transferRunning(qint64 messageId) const
{
    return m_transfers->isRunning(messageId);
}

Result<int> Messenger::resendPending()
{
    auto stmt = HIVE_TRY(m_vault.prepare(
        "SELECT id, chat_id, uid, text, sent_at, expires_at FROM msg_messages"
        " WHERE outgoing = 1 AND state IN (?1, ?3) AND kind = ?2 ORDER BY sent_at, uid"));
    HIVE_CHECK(stmt.bindInt64(1, StatePending));
    HIVE_CHECK(stmt.bindInt64(3, StateFailed));
    HIVE_CHECK(stmt.bindInt64(2, static_cast<std::int64_t>(PayloadKind::Text)));
    struct Row { qint64 id, chatId; Uid uid; std::string text; qint64 sentAt, expiresAt; };
    std::vector<Row> rows;
    while (HIVE_TRY(stmt.step())) {
        rows.push_back({stmt.columnInt64(0), stmt.columnInt64(1), arrayOf<16>(stmt.columnBlob(2)).value_or(Uid {}),
                        stmt.columnText(3).toStdString(), stmt.columnInt64(4), stmt.columnInt64(5)});
    }
    int sent = 0;
    for (const Row& r : rows) {
        const ChatRow row = HIVE_TRY(chat(r.chatId));
        Payload payload = newPayload(PayloadKind::Text, row);
        payload.uid = r.uid;
        payload.sentAt = static_cast<std::uint64_t>(r.sentAt);
        payload.text = r.text;
        payload.expireSeconds = r.expiresAt > 0 ? static_cast<std::uint32_t>((r.expiresAt - r.sentAt) / 1000) : 0;
        // Already on its way (its recipient's prekeys are being fetched).
        if (m_tracked.count(r.id) != 0)
            continue;
        Status s = success();
        const Status stored = m_vault.transaction([&] { return sendStored(row, payload, r.id, s); });
        HIVE_CHECK(stored);
        if (s.ok()) {
            ++sent;
            emit messageChanged(r.chatId, r.id);
        }
    }
    return sent;
}

// ---- chats the user manages ----

Result<qint64> Messenger::chatWithContact(qint64 contactId)
{
    const core::Contact contact = HIVE_TRY(m_contacts.find(contactId));
    const qint64 id = HIVE_TRY(ensureContactChat(contact.identityKey, contact.displayName));
    emit chatsChanged();
    return id;
}

Status Messenger::sendGroupUpdate(const ChatRow& chat, const std::vector<Key>& targets)
{
    Payload payload = newPayload(PayloadKind::GroupUpdate, chat);
    payload.text = chat.title.toStdString();
    payload.members = HIVE_TRY(members(chat.id));
    payload.members.push_back(m_identity.publicKey());
    std::sort(payload.members.begin(), payload.members.end());
    for (const Key& k : targets) {
        const Status s = sendPairwise(k, payload);
        if (!s.ok())
            qCWarning(lcMessaging) << "sending the group update to" << nameOf(k) << "failed:" << s.error().message();
    }
    return success();
}

Status Messenger::rotateSenderKey(qint64 chatId, const GroupId& group)
{
    HIVE_CHECK(m_store->deleteSenderKey(groupName(group), SignalStore::addressName(m_identity.publicKey()),
                                        static_cast<std::int32_t>(m_store->deviceId())));
    auto reset = HIVE_TRY(m_vault.prepare("UPDATE msg_members SET has_our_key = 0 WHERE chat_id = ?1"));
    HIVE_CHECK(reset.bindInt64(1, chatId));
    return reset.run();
}

Result<qint64> Messenger::createGroup(const QString& name, const std::vector<qint64>& contactIds)
{
    const QString title = name.trimmed();
    if (title.isEmpty() || title.size() > 64)
        return Error(ErrorCode::InvalidArgument, "a group needs a name of 1 to 64 characters");
    std::vector<Key> keys;
    for (qint64 id : contactIds) {
        const core::Contact c = HIVE_TRY(m_contacts.find(id));
        HIVE_CHECK(m_contacts.canSend(c.identityKey));
        if (std::find(keys.begin(), keys.end(), c.identityKey) == keys.end())
            keys.push_back(c.identityKey);
    }
    if (keys.empty())
        return Error(ErrorCode::InvalidArgument, "a group needs at least one other member");
    if (keys.size() + 1 > MaxGroupMembers)
        return Error(ErrorCode::TooLarge, "too many group members");
    GroupId group {};
    randombytes_buf(group.data(), group.size());
    qint64 chatId = 0;
    const Status stored = m_vault.transaction([&]() -> Status {
        auto stmt = HIVE_TRY(m_vault.prepare("INSERT INTO msg_chats (group_id, title, created_at, last_activity) VALUES (?1, ?2, ?3, ?3)"));
        HIVE_CHECK(stmt.bindBlob(1, blobOf(group)));
        HIVE_CHECK(stmt.bindText(2, title));
        HIVE_CHECK(stmt.bindInt64(3, now()));
        HIVE_CHECK(stmt.run());
        chatId = HIVE_TRY(chatIdForGroup(group)).value_or(0);
        return setMembers(chatId, keys);
    });
    HIVE_CHECK(stored);
    const ChatRow row = HIVE_TRY(chat(chatId));
    HIVE_CHECK(sendGroupUpdate(row, keys));
    emit chatsChanged();
    return chatId;
}

Status Messenger::renameGroup(qint64 chatId, const QString& name)
{
    ChatRow row = HIVE_TRY(chat(chatId));
    if (!row.group)
        return Error(ErrorCode::InvalidArgument, "only groups can be renamed");
    const QString title = name.trimmed();
    if (title.isEmpty() || title.size() > 64)
        return Error(ErrorCode::InvalidArgument, "a group needs a name of 1 to 64 characters");
    auto stmt = HIVE_TRY(m_vault.prepare("UPDATE msg_chats SET title = ?2 WHERE id = ?1"));
    HIVE_CHECK(stmt.bindInt64(1, chatId));
    HIVE_CHECK(stmt.bindText(2, title));
    HIVE_CHECK(stmt.run());
    row.title = title;
    const std::vector<Key> current = HIVE_TRY(members(chatId));
    HIVE_CHECK(sendGroupUpdate(row, current));
    emit chatsChanged();
    return success();
}

Status Messenger::addMember(qint64 chatId, qint64 contactId)
{
    const ChatRow row = HIVE_TRY(chat(chatId));
    if (!row.group)
        return Error(ErrorCode::InvalidArgument, "members can only be added to groups");
    const core::Contact c = HIVE_TRY(m_contacts.find(contactId));
    HIVE_CHECK(m_contacts.canSend(c.identityKey));
    std::vector<Key> list = HIVE_TRY(members(chatId));
    if (std::find(list.begin(), list.end(), c.identityKey) != list.end())
        return Error(ErrorCode::AlreadyExists, "already a member");
    if (list.size() + 2 > MaxGroupMembers)
        return Error(ErrorCode::TooLarge, "too many group members");
    list.push_back(c.identityKey);
    HIVE_CHECK(setMembers(chatId, list));
    HIVE_CHECK(sendGroupUpdate(row, list));
    emit chatsChanged();
    return success();
}

Status Messenger::removeMember(qint64 chatId, qint64 contactId)
{
    const ChatRow row = HIVE_TRY(chat(chatId));
    if (!row.group)
        return Error(ErrorCode::InvalidArgument, "members can only be removed from groups");
    const core::Contact c = HIVE_TRY(m_contacts.find(contactId));
    std::vector<Key> list = HIVE_TRY(members(chatId));
    auto it = std::find(list.begin(), list.end(), c.identityKey);
    if (it == list.end())
        return Error(ErrorCode::NotFound, "not a member of this group");
    list.erase(it);
    HIVE_CHECK(setMembers(chatId, list));
    // The removed member learns it too; everyone left rotates their sender key on receipt.
    std::vector<Key> targets = list;
    targets.push_back(c.identityKey);
    HIVE_CHECK(sendGroupUpdate(row, targets));
    HIVE_CHECK(rotateSenderKey(chatId, *row.group));
    emit chatsChanged();
    return success();
}

Status Messenger::markRead(qint64 chatId)
{
    const ChatRow row = HIVE_TRY(chat(chatId));
    auto stmt = HIVE_TRY(m_vault.prepare("SELECT id, uid, sender_key FROM msg_messages WHERE chat_id = ?1 AND outgoing = 0 AND is_read = 0"));
    HIVE_CHECK(stmt.bindInt64(1, chatId));
    std::map<Key, std::vector<Uid>> bySender;
    std::vector<qint64> ids;
    while (HIVE_TRY(stmt.step())) {
        ids.push_back(stmt.columnInt64(0));
        auto uid = arrayOf<16>(stmt.columnBlob(1));
        auto sender = arrayOf<32>(stmt.columnBlob(2));
        if (uid && sender)
            bySender[*sender].push_back(*uid);
    }
    if (ids.empty())
        return success();
    auto mark = HIVE_TRY(m_vault.prepare("UPDATE msg_messages SET is_read = 1 WHERE chat_id = ?1 AND outgoing = 0"));
    HIVE_CHECK(mark.bindInt64(1, chatId));
    HIVE_CHECK(mark.run());
    for (qint64 id : ids)
        emit messageChanged(chatId, id);
    emit chatsChanged();
    if (!m_readReceipts)
        return success();
    for (auto& [sender, uids] : bySender) {
        for (std::size_t at = 0; at < uids.size(); at += MaxReceiptUids) {
            Payload receipt = newPayload(PayloadKind::Receipt, row);
            receipt.receipt = ReceiptType::Read;
            receipt.expireSeconds = 0;
            receipt.receiptUids.assign(uids.begin() + static_cast<std::ptrdiff_t>(at),
                                       uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), at + MaxReceiptUids)));
            const Status s = sendPairwise(sender, receipt);
            if (!s.ok())
                qCWarning(lcMessaging) << "sending a read receipt failed:" << s.error().message();
        }
    }
    return success();
}

Status Messenger::setDisappearing(qint64 chatId, int seconds)
{
    if (seconds < 0 || seconds > 4 * 7 * 24 * 3600)
        return Error(ErrorCode::InvalidArgument, "the timer must be between 0 and 4 weeks");
    ChatRow row = HIVE_TRY(chat(chatId));
    auto stmt = HIVE_TRY(m_vault.prepare("UPDATE msg_chats SET disappear_seconds = ?2 WHERE id = ?1"));
    HIVE_CHECK(stmt.bindInt64(1, chatId));
    HIVE_CHECK(stmt.bindInt64(2, seconds));
    HIVE_CHECK(stmt.run());
    row.disappearSeconds = seconds;
    emit chatsChanged();
    const Payload payload = newPayload(PayloadKind::ExpireTimer, row);
    return sendToChat(row, payload);
}

void Messenger::setTyping(qint64 chatId, bool typing)
{
    if (!m_typingIndicators)
        return;
    auto row = chat(chatId);
    if (!row.ok())
        return;
    Payload payload = newPayload(PayloadKind::Typing, *row);
    payload.typing = typing;
    payload.expireSeconds = 0;
    auto targets = recipients(*row);
    if (!targets.ok())
        return;
    for (const Key& k : *targets) {
        const Status s = sendPairwise(k, payload);
        if (!s.ok())
            qCDebug(lcMessaging) << "typing indicator not sent:" << s.error().message();
    }
}

// ---- reading ----

Result<std::vector<ChatMessage>> Messenger::queryMessages(std::string_view where,
                                                          const std::function<Status(Statement&)>& bind,
                                                          std::string_view order)
{
    std::string sql = "SELECT id, chat_id, uid, sender_key, outgoing, text, sent_at, received_at, state, is_read, expires_at,"
                      " attachment, local_path, transferred FROM msg_messages WHERE ";
    sql.append(where).append(" ").append(order);
    auto stmt = HIVE_TRY(m_vault.prepare(sql));
    HIVE_CHECK(bind(stmt));
    std::vector<ChatMessage> out;
    while (HIVE_TRY(stmt.step())) {
        ChatMessage m;
        m.id = stmt.columnInt64(0);
        m.chatId = stmt.columnInt64(1);
        m.uid = stmt.columnBlob(2);
        m.senderKey = stmt.columnBlob(3);
        m.outgoing = stmt.columnInt64(4) != 0;
        m.text = stmt.columnText(5);
        m.sentAt = stmt.columnInt64(6);
        m.receivedAt = stmt.columnInt64(7);
        if (m.outgoing)
            m.state = static_cast<ChatMessage::State>(std::clamp<std::int64_t>(stmt.columnInt64(8), 0, 4));
        else
            m.state = stmt.columnInt64(9) != 0 ? ChatMessage::State::Read : ChatMessage::State::Delivered;
        m.expiresAt = stmt.columnInt64(10);
        if (!stmt.columnIsNull(11)) {
            auto stored = Payload::decode(stmt.columnBytes(11));
            if (stored.ok() && stored->file) {
                Attachment a;
                a.fileName = QString::fromStdString(stored->file->fileName);
                a.mimeType = QString::fromStdString(stored->file->mimeType);
                a.size = static_cast<qint64>(stored->file->size);
                a.transferred = stmt.columnInt64(13);
                a.localPath = stmt.columnIsNull(12) ? QString() : stmt.columnText(12);
                a.isImage = a.mimeType.startsWith(QLatin1String("image/"));
                a.thumbnail = QByteArray(reinterpret_cast<const char*>(stored->file->thumbnail.data()),
                                         static_cast<qsizetype>(stored->file->thumbnail.size()));
                m.attachment = a;
            }
        }
        if (auto key = arrayOf<32>(m.senderKey))
            m.senderName = nameOf(*key);
        out.push_back(std::move(m));
    }
    return out;
}

Result<std::vector<ChatMessage>> Messenger::messages(qint64 chatId, int limit, qint64 beforeId)
{
    HIVE_TRY(purgeExpired());
    limit = std::clamp(limit, 1, 10000);
    std::vector<ChatMessage> out;
    if (beforeId > 0) {
        auto anchor = HIVE_TRY(message(beforeId));
        out = HIVE_TRY(queryMessages(
            "chat_id = ?1 AND (sent_at < ?2 OR (sent_at = ?2 AND uid < ?3))",
            [&](Statement& s) -> Status {
                HIVE_CHECK(s.bindInt64(1, chatId));
                HIVE_CHECK(s.bindInt64(2, anchor.sentAt));
                HIVE_CHECK(s.bindBlob(3, anchor.uid));
                return s.bindInt64(4, limit);
            },
            "ORDER BY sent_at DESC, uid DESC LIMIT ?4"));
    } else {
        out = HIVE_TRY(queryMessages(
            "chat_id = ?1",
            [&](Statement& s) -> Status {
                HIVE_CHECK(s.bindInt64(1, chatId));
                return s.bindInt64(2, limit);
            },
            "ORDER BY sent_at DESC, uid DESC LIMIT ?2"));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

Result<ChatMessage> Messenger::message(qint64 messageId)
{
    auto found = HIVE_TRY(queryMessages(
        "id = ?1", [&](Statement& s) { return s.bindInt64(1, messageId); }, ""));
    if (found.empty())
        return Error(ErrorCode::NotFound, "no such message");
    return found.front();
}

Result<std::vector<ChatMessage>> Messenger::search(const QString& query)
{
    HIVE_TRY(purgeExpired());
    // Only runs of letters, digits and combining marks become terms, each quoted and
    // prefix-matched ("hel*"): quotes, *, -, parentheses, NEAR or column: in the input are
    // never read as FTS syntax, so no input can make the query fail.
    constexpr qsizetype MaxTerms = 16;
    QStringList terms;
    QString word;
    const auto endWord = [&] {
        if (!word.isEmpty() && terms.size() < MaxTerms)
            terms << QLatin1Char('"') + word + QStringLiteral("*\"");
        word.clear();
    };
    for (const QChar c : query) {
        if (c.isLetterOrNumber() || c.isMark())
            word += c;
        else
            endWord();
    }
    endWord();
    if (terms.isEmpty())
        return std::vector<ChatMessage>();
    const QString match = terms.join(QLatin1Char(' '));
    return queryMessages(
        "id IN (SELECT docid FROM msg_fts WHERE msg_fts MATCH ?1)", [&](Statement& s) { return s.bindText(1, match); },
        "ORDER BY sent_at DESC, uid DESC LIMIT 200");
}

Result<std::vector<ChatSummary>> Messenger::chats()
{
    HIVE_TRY(purgeExpired());
    auto stmt = HIVE_TRY(m_vault.prepare(
        "SELECT c.id, c.contact_key, c.group_id, c.title, c.disappear_seconds, c.last_activity,"
        " (SELECT count(*) FROM msg_messages m WHERE m.chat_id = c.id AND m.outgoing = 0 AND m.is_read = 0),"
        " (SELECT m.text FROM msg_messages m WHERE m.chat_id = c.id ORDER BY m.sent_at DESC, m.uid DESC LIMIT 1)"
        " FROM msg_chats c ORDER BY c.last_activity DESC, c.id DESC"));
    std::vector<ChatSummary> out;
    while (HIVE_TRY(stmt.step())) {
        ChatSummary s;
        s.id = stmt.columnInt64(0);
        s.isGroup = !stmt.columnIsNull(2);
        s.title = stmt.columnText(3);
        s.disappearSeconds = static_cast<int>(stmt.columnInt64(4));
        s.lastActivity = stmt.columnInt64(5);
        s.unread = static_cast<int>(stmt.columnInt64(6));
        s.lastText = stmt.columnIsNull(7) ? QString() : stmt.columnText(7);
        if (!s.isGroup) {
            if (auto key = arrayOf<32>(stmt.columnBlob(1))) {
                auto contact = m_contacts.findByKey(*key);
                if (contact.ok()) {
                    s.title = contact->displayName;
                    s.keyChangeBlocked = contact->state == core::ContactState::KeyChanged;
                }
                s.members << nameOf(*key);
                s.memberIds.push_back(contact.ok() ? contact->id : 0);
            }
        }
        auto it = m_typing.find(s.id);
        s.typing = it != m_typing.end() && it->second;
        out.push_back(std::move(s));
    }
    for (auto& s : out) {
        if (s.isGroup) {
            for (const Key& k : HIVE_TRY(members(s.id))) {
                s.members << nameOf(k);
                auto contact = m_contacts.findByKey(k);
                s.memberIds.push_back(contact.ok() ? contact->id : 0);
            }
        }
    }
    return out;
}

Result<qint64> Messenger::findChat(const QString& name)
{
    const auto all = HIVE_TRY(chats());
    std::optional<qint64> found;
    for (const auto& c : all) {
        if (c.title.compare(name, Qt::CaseInsensitive) == 0) {
            if (found)
                return Error(ErrorCode::InvalidArgument, "several chats have that name");
            found = c.id;
        }
    }
    if (!found) {
        // A contact without a chat yet.
        auto contact = m_contacts.lookup(name);
        if (!contact.ok())
            return Error(ErrorCode::NotFound, "no chat or contact of that name");
        return ensureContactChat(contact->identityKey, contact->displayName);
    }
    return *found;
}

Result<int> Messenger::purgeExpired()
{
    auto count = HIVE_TRY(m_vault.prepare("SELECT count(*) FROM msg_messages WHERE expires_at > 0 AND expires_at <= ?1"));
    HIVE_CHECK(count.bindInt64(1, now()));
    HIVE_CHECK(count.step());
    const int n = static_cast<int>(count.columnInt64(0));
    if (n == 0)
        return 0;
    // Received attachments disappear with their message (a sent one is the user's own file).
    auto files = HIVE_TRY(m_vault.prepare("SELECT local_path FROM msg_messages WHERE expires_at > 0 AND expires_at <= ?1"
                                          " AND outgoing = 0 AND local_path IS NOT NULL"));
    HIVE_CHECK(files.bindInt64(1, now()));
    while (HIVE_TRY(files.step()))
        QFile::remove(files.columnText(0));
    // The vault runs with secure_delete, so the deleted rows' bytes are overwritten in the
    // file, not just unlinked. The FTS trigger only appends a deletion marker to the index;
    // 'optimize' merges the segments, so the old segment holding the words is deleted (and
    // overwritten) too.
    const Status purged = m_vault.transaction([&]() -> Status {
        auto del = HIVE_TRY(m_vault.prepare("DELETE FROM msg_messages WHERE expires_at > 0 AND expires_at <= ?1"));
        HIVE_CHECK(del.bindInt64(1, now()));
        HIVE_CHECK(del.run());
        return m_vault.exec("INSERT INTO msg_fts (msg_fts) VALUES ('optimize')");
    });
    HIVE_CHECK(purged);
    emit chatsChanged();
    return n;
}

// ---- keys ----

Status Messenger::publishKeys()
{
    const auto nowSeconds = static_cast<std::uint64_t>(now() / 1000);
    const SignedPrekeyPublic signedKey = HIVE_TRY(m_store->signedPrekey(nowSeconds, SignedPrekeyMaxAge));
    PrekeyBundle bundle;
    bundle.identity = m_identity.publicKey();
    bundle.deviceId = m_store->deviceId();
    bundle.registrationId = m_store->registrationId();
    bundle.signedPrekeyId = signedKey.id;
    bundle.signedPrekey = signedKey.publicKey;
    bundle.signedPrekeySignature = signedKey.signature;
    bundle.createdAt = signedKey.createdAt;
    const Bytes signature = HIVE_TRY(m_identity.sign(bundle.signedBytes()));
    std::copy(signature.begin(), signature.end(), bundle.signature.begin());

    const int remaining = HIVE_TRY(m_directory.remainingPrekeys(m_store->deviceId()));
    std::vector<Bytes> prekeys;
    if (remaining < PrekeyLowWater) {
        for (const auto& k : HIVE_TRY(m_store->generatePrekeys(PrekeyBatch)))
            prekeys.push_back(OneTimePrekey {k.id, k.publicKey}.encode());
    }
    return m_directory.publish(bundle.encode(), m_store->deviceId(), prekeys);
}

// ---- receiving ----

Result<ReceiveResult> Messenger::receive(ByteView signalBody, qint64 receivedAtMs)
{
    ReceiveResult result;
    auto body = SignalBody::decode(signalBody);
    if (!body.ok()) {
        result.reason = QStringLiteral("malformed signal body: %1").arg(QString::fromUtf8(body.error().message()));
    } else {
        m_deferred.clear();
        const Status s = m_vault.transaction([&]() -> Status {
            if (HIVE_TRY(holdIfKeyChanging(*body, signalBody, receivedAtMs))) {
                result.outcome = ReceiveResult::Outcome::Held;
                return success();
            }
            QString reason;
            auto decrypted = HIVE_TRY(decrypt(*body, reason));
            if (!decrypted) {
                result.outcome = ReceiveResult::Outcome::Dropped;
                result.reason = reason;
                return success();
            }
            result = HIVE_TRY(dispatch(*decrypted, receivedAtMs));
            return success();
        });
        if (!s.ok()) {
            m_deferred.clear();
            return s.error();
        }
    }
    if (result.outcome == ReceiveResult::Outcome::Dropped) {
        qCWarning(lcMessaging).noquote() << "dropped an incoming message:" << result.reason;
        m_deferred.clear();
        emit dropped(result.reason);
        return result;
    }
    runDeferred();
    return result;
}

Result<bool> Messenger::holdIfKeyChanging(const SignalBody& body, ByteView raw, qint64 receivedAt)
{
    std::optional<core::Contact> changing;
    auto contact = m_contacts.findByKey(body.sender);
    if (contact.ok()) {
        if (contact->state == core::ContactState::KeyChanged)
            changing = *contact;
    } else if (contact.error().code() == ErrorCode::NotFound) {
        // The offered new key is not pinned (yet): is it the one a contact is changing to?
        for (const core::Contact& c : HIVE_TRY(m_contacts.list())) {
            if (c.state == core::ContactState::KeyChanged && c.pendingKey == body.sender)
                changing = c;
        }
    } else {
        return contact.error();
    }
    if (!changing || !changing->pendingKey)
        return false;
    auto insert = HIVE_TRY(m_vault.prepare(
        "INSERT INTO msg_held (contact_id, pinned_key, offered_key, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    HIVE_CHECK(insert.bindInt64(1, changing->id));
    HIVE_CHECK(insert.bindBlob(2, blobOf(changing->identityKey)));
    HIVE_CHECK(insert.bindBlob(3, blobOf(*changing->pendingKey)));
    HIVE_CHECK(insert.bindBlob(4, raw));
    HIVE_CHECK(insert.bindInt64(5, receivedAt));
    HIVE_CHECK(insert.run());
    // Bounded, so a contact left undecided (or someone flooding with the offered key) cannot
    // fill the vault: the oldest bodies go first.
    auto count = HIVE_TRY(m_vault.prepare("SELECT count(*) FROM msg_held WHERE contact_id = ?1"));
    HIVE_CHECK(count.bindInt64(1, changing->id));
    HIVE_CHECK(count.step());
    const std::int64_t excess = count.columnInt64(0) - MaxHeldPerContact;
    if (excess > 0) {
        qCWarning(lcMessaging) << "dropped" << excess << "held message(s) of" << changing->displayName
                               << ": more than" << MaxHeldPerContact << "arrived while their key change is undecided";
        auto trim = HIVE_TRY(m_vault.prepare(
            "DELETE FROM msg_held WHERE id IN (SELECT id FROM msg_held WHERE contact_id = ?1 ORDER BY id LIMIT ?2)"));
        HIVE_CHECK(trim.bindInt64(1, changing->id));
        HIVE_CHECK(trim.bindInt64(2, excess));
        HIVE_CHECK(trim.run());
    }
    return true;
}

Result<int> Messenger::releaseHeld()
{
    struct Decided {
        qint64 contactId = 0;
        std::optional<Key> acceptedFrom; // the old key, when the offered one was accepted
        Key accepted {};
    };
    // Every key change seen is remembered (a row without a body), even when nothing was
    // held, so accepting it later still moves the conversation to the new key.
    for (const core::Contact& c : HIVE_TRY(m_contacts.list())) {
        if (c.state != core::ContactState::KeyChanged || !c.pendingKey)
            continue;
        auto seen = HIVE_TRY(m_vault.prepare("SELECT 1 FROM msg_held WHERE contact_id = ?1"));
        HIVE_CHECK(seen.bindInt64(1, c.id));
        if (HIVE_TRY(seen.step()))
            continue;
        auto mark = HIVE_TRY(m_vault.prepare(
            "INSERT INTO msg_held (contact_id, pinned_key, offered_key, body, received_at) VALUES (?1, ?2, ?3, x'', 0)"));
        HIVE_CHECK(mark.bindInt64(1, c.id));
        HIVE_CHECK(mark.bindBlob(2, blobOf(c.identityKey)));
        HIVE_CHECK(mark.bindBlob(3, blobOf(*c.pendingKey)));
        HIVE_CHECK(mark.run());
    }
    std::vector<Decided> decided;
    {
        auto held = HIVE_TRY(m_vault.prepare("SELECT contact_id, pinned_key, offered_key FROM msg_held GROUP BY contact_id"));
        while (HIVE_TRY(held.step())) {
            Decided d;
            d.contactId = held.columnInt64(0);
            auto contact = m_contacts.find(d.contactId);
            if (!contact.ok() && contact.error().code() != ErrorCode::NotFound)
                return contact.error();
            if (contact.ok() && contact->state == core::ContactState::KeyChanged)
                continue; // still undecided
            const auto pinned = arrayOf<32>(held.columnBlob(1));
            const auto offered = arrayOf<32>(held.columnBlob(2));
            if (contact.ok() && pinned && offered && contact->identityKey == *offered) {
                d.acceptedFrom = *pinned;
                d.accepted = *offered;
            }
            decided.push_back(d);
        }
    }
    int replayed = 0;
    for (const Decided& d : decided) {
        // Accepted: the conversation (and group memberships) move to the new key, which
        // does not hold our sender keys yet.
        if (d.acceptedFrom) {
            const Status moved = m_vault.transaction([&]() -> Status {
                auto moveChat = HIVE_TRY(m_vault.prepare(
                    "UPDATE msg_chats SET contact_key = ?2 WHERE contact_key = ?1"
                    " AND NOT EXISTS (SELECT 1 FROM msg_chats WHERE contact_key = ?2)"));
                HIVE_CHECK(moveChat.bindBlob(1, blobOf(*d.acceptedFrom)));
                HIVE_CHECK(moveChat.bindBlob(2, blobOf(d.accepted)));
                HIVE_CHECK(moveChat.run());
                auto moveMember = HIVE_TRY(m_vault.prepare(
                    "UPDATE OR IGNORE msg_members SET member_key = ?2, has_our_key = 0 WHERE member_key = ?1"));
                HIVE_CHECK(moveMember.bindBlob(1, blobOf(*d.acceptedFrom)));
                HIVE_CHECK(moveMember.bindBlob(2, blobOf(d.accepted)));
                return moveMember.run();
            });
            HIVE_CHECK(moved);
        }
        auto bodies = HIVE_TRY(m_vault.prepare("SELECT id, body, received_at FROM msg_held WHERE contact_id = ?1 ORDER BY id"));
        HIVE_CHECK(bodies.bindInt64(1, d.contactId));
        struct Body { qint64 id; Bytes body; qint64 receivedAt; };
        std::vector<Body> list;
        while (HIVE_TRY(bodies.step()))
            list.push_back({bodies.columnInt64(0), bodies.columnBytes(1), bodies.columnInt64(2)});
        for (const Body& b : list) {
            // The normal path decides: the key now pinned is stored, the other dropped.
            if (!b.body.empty()) {
                auto r = receive(b.body, b.receivedAt);
                if (!r.ok())
                    return r.error(); // a local failure: the rest stay held for the next try
                ++replayed;
            }
            auto del = HIVE_TRY(m_vault.prepare("DELETE FROM msg_held WHERE id = ?1"));
            HIVE_CHECK(del.bindInt64(1, b.id));
            HIVE_CHECK(del.run());
        }
    }
    if (!decided.empty())
        emit chatsChanged();
    return replayed;
}

void Messenger::runDeferred()
{
    auto work = std::move(m_deferred);
    m_deferred.clear();
    for (auto& f : work) {
        const Status s = f();
        if (!s.ok())
            qCWarning(lcMessaging) << "after receiving:" << s.error().message();
    }
}

Result<std::optional<Messenger::Decrypted>> Messenger::decrypt(const SignalBody& body, QString& reason)
{
    using Out = std::optional<Decrypted>;
    const Key sender = body.sender;
    if (sender == m_identity.publicKey()) {
        reason = QStringLiteral("a message claiming to be from ourselves");
        return Out();
    }
    auto contact = m_contacts.findByKey(sender);
    if (!contact.ok()) {
        if (contact.error().code() != ErrorCode::NotFound)
            return contact.error();
        reason = QStringLiteral("the sender is not a contact");
        return Out();
    }
    if (const Status can = m_contacts.canSend(sender); !can.ok()) {
        reason = QStringLiteral("the sender is blocked: %1").arg(QString::fromUtf8(can.error().message()));
        return Out();
    }
    if (body.senderDevice == 0 || body.senderDevice > 0x7fffffff) {
        reason = QStringLiteral("invalid sender device");
        return Out();
    }
    const auto device = static_cast<std::int32_t>(body.senderDevice);
    signal_context* ctx = m_signal.get();
    signal_buffer* rawPlain = nullptr;
    int rc = 0;
    std::optional<GroupId> viaGroup;
    if (body.type == SignalType::SenderKey) {
        auto inner = GroupCiphertext::decode(body.ciphertext);
        if (!inner.ok()) {
            reason = QStringLiteral("malformed group ciphertext");
            return Out();
        }
        viaGroup = inner->group;
        const auto chatId = HIVE_TRY(chatIdForGroup(inner->group));
        const bool left = chatId && HIVE_TRY(chat(*chatId)).left;
        const std::vector<Key> list = (chatId && !left) ? HIVE_TRY(members(*chatId)) : std::vector<Key>();
        if (std::find(list.begin(), list.end(), sender) == list.end()) {
            reason = QStringLiteral("the sender is not a member of the group");
            return Out();
        }
        sender_key_message* rawMessage = nullptr;
        rc = sender_key_message_deserialize(&rawMessage, inner->message.data(), inner->message.size(), ctx);
        if (rc != 0) {
            reason = QStringLiteral("malformed group ciphertext");
            return Out();
        }
        SignalRef<sender_key_message> message(rawMessage);
        SenderKeyName name(inner->group, sender, device);
        group_cipher* rawCipher = nullptr;
        rc = group_cipher_create(&rawCipher, m_store->get(), &name.name, ctx);
        if (rc != 0)
            return core::signalError(rc, "cannot create a group cipher");
        std::unique_ptr<group_cipher, GroupCipherFree> cipher(rawCipher);
        rc = group_cipher_decrypt(cipher.get(), message.get(), nullptr, &rawPlain);
    } else {
        Address address(sender, device);
        session_cipher* rawCipher = nullptr;
        rc = session_cipher_create(&rawCipher, m_store->get(), &address.address, ctx);
        if (rc != 0)
            return core::signalError(rc, "cannot create a session cipher");
        std::unique_ptr<session_cipher, SessionCipherFree> cipher(rawCipher);
        if (body.type == SignalType::PreKey) {
            pre_key_signal_message* rawMessage = nullptr;
            rc = pre_key_signal_message_deserialize(&rawMessage, body.ciphertext.data(), body.ciphertext.size(), ctx);
            if (rc != 0) {
                reason = QStringLiteral("malformed ciphertext");
                return Out();
            }
            SignalRef<pre_key_signal_message> message(rawMessage);
            rc = session_cipher_decrypt_pre_key_signal_message(cipher.get(), message.get(), nullptr, &rawPlain);
        } else {
            signal_message* rawMessage = nullptr;
            rc = signal_message_deserialize(&rawMessage, body.ciphertext.data(), body.ciphertext.size(), ctx);
            if (rc != 0) {
                reason = QStringLiteral("malformed ciphertext");
                return Out();
            }
            SignalRef<signal_message> message(rawMessage);
            rc = session_cipher_decrypt_signal_message(cipher.get(), message.get(), nullptr, &rawPlain);
        }
    }
    core::SignalBuffer plain(rawPlain);
    if (rc != 0) {
        if (isLocalFailure(rc))
            return core::signalError(rc, "decrypting failed locally");
        reason = decryptFailure(rc);
        return Out();
    }
    auto payload = Payload::decode(ByteView(signal_buffer_data(rawPlain), signal_buffer_len(rawPlain)));
    if (!payload.ok()) {
        reason = QStringLiteral("malformed message: %1").arg(QString::fromUtf8(payload.error().message()));
        return Out();
    }
    if (viaGroup && payload->group != viaGroup) {
        reason = QStringLiteral("a group message that names another group");
        return Out();
    }
    return Out(Decrypted {body, std::move(*payload)});
}

Result<ReceiveResult> Messenger::dispatch(const Decrypted& message, qint64 receivedAt)
{
    const Key from = message.body.sender;
    const Payload& p = message.payload;
    ReceiveResult result;
    result.outcome = ReceiveResult::Outcome::Updated;

    if (p.kind == PayloadKind::GroupUpdate)
        return applyGroupUpdate(from, p);
    if (p.kind == PayloadKind::Receipt) {
        HIVE_CHECK(applyReceipt(from, p));
        return result;
    }

    // Everything else belongs to a chat the sender is in.
    qint64 chatId = 0;
    if (p.group) {
        const auto id = HIVE_TRY(chatIdForGroup(*p.group));
        const bool left = id && HIVE_TRY(chat(*id)).left;
        const std::vector<Key> list = (id && !left) ? HIVE_TRY(members(*id)) : std::vector<Key>();
        if (!id || std::find(list.begin(), list.end(), from) == list.end()) {
            result.outcome = ReceiveResult::Outcome::Dropped;
            result.reason = QStringLiteral("the sender is not a member of the group");
            return result;
        }
        chatId = *id;
    } else {
        chatId = HIVE_TRY(ensureContactChat(from, nameOf(from)));
    }
    result.chatId = chatId;
    const ChatRow row = HIVE_TRY(chat(chatId));

    switch (p.kind) {
    case PayloadKind::Text:
    case PayloadKind::File: return storeIncoming(row, message, receivedAt);
    case PayloadKind::Typing:
        if (m_typingIndicators) {
            m_deferred.push_back([this, chatId, typing = p.typing]() -> Status {
                m_typing[chatId] = typing;
                emit typingChanged(chatId, typing);
                return success();
            });
        }
        return result;
    case PayloadKind::ExpireTimer: {
        auto stmt = HIVE_TRY(m_vault.prepare("UPDATE msg_chats SET disappear_seconds = ?2 WHERE id = ?1"));
        HIVE_CHECK(stmt.bindInt64(1, chatId));
        HIVE_CHECK(stmt.bindInt64(2, static_cast<std::int64_t>(std::min<std::uint32_t>(p.expireSeconds, 4 * 7 * 24 * 3600))));
        HIVE_CHECK(stmt.run());
        m_deferred.push_back([this]() -> Status {
            emit chatsChanged();
            return success();
        });
        return result;
    }
    case PayloadKind::SenderKey: {
        if (!p.group) {
            result.outcome = ReceiveResult::Outcome::Dropped;
            result.reason = QStringLiteral("a sender key outside a group");
            return result;
        }
        sender_key_distribution_message* raw = nullptr;
        int rc = sender_key_distribution_message_deserialize(&raw, p.senderKey.data(), p.senderKey.size(), m_signal.get());
        if (rc != 0) {
            result.outcome = ReceiveResult::Outcome::Dropped;
            result.reason = QStringLiteral("malformed sender key");
            return result;
        }
        SignalRef<sender_key_distribution_message> distribution(raw);
        SenderKeyName name(*p.group, from, static_cast<std::int32_t>(message.body.senderDevice));
        group_session_builder* rawBuilder = nullptr;
        rc = group_session_builder_create(&rawBuilder, m_store->get(), m_signal.get());
        if (rc != 0)
            return core::signalError(rc, "cannot create a group session builder");
        std::unique_ptr<group_session_builder, GroupBuilderFree> builder(rawBuilder);
        rc = group_session_builder_process_session(builder.get(), &name.name, distribution.get());
        if (rc != 0) {
            if (isLocalFailure(rc))
                return core::signalError(rc, "storing a sender key failed");
            result.outcome = ReceiveResult::Outcome::Dropped;
            result.reason = QStringLiteral("unusable sender key");
        }
        return result;
    }
    case PayloadKind::Receipt:
    case PayloadKind::GroupUpdate: break;
    }
    return result;
}

Result<ReceiveResult> Messenger::storeIncoming(const ChatRow& row, const Decrypted& message, qint64 receivedAt)
{
    const Key from = message.body.sender;
    const Payload& p = message.payload;
    ReceiveResult result;
    result.chatId = row.id;
    auto existing = HIVE_TRY(m_vault.prepare("SELECT id FROM msg_messages WHERE sender_key = ?1 AND uid = ?2"));
    HIVE_CHECK(existing.bindBlob(1, blobOf(from)));
    HIVE_CHECK(existing.bindBlob(2, blobOf(p.uid)));
    if (HIVE_TRY(existing.step())) {
        result.outcome = ReceiveResult::Outcome::Duplicate;
        result.messageId = existing.columnInt64(0);
        return result;
    }
    const qint64 expires = p.expireSeconds > 0 ? receivedAt + qint64(p.expireSeconds) * 1000 : 0;
    auto stmt = HIVE_TRY(m_vault.prepare(
        "INSERT INTO msg_messages (chat_id, uid, sender_key, outgoing, kind, text, sent_at, received_at, state, is_read, expires_at, attachment)"
        " VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10)"));
    HIVE_CHECK(stmt.bindInt64(1, row.id));
    HIVE_CHECK(stmt.bindBlob(2, blobOf(p.uid)));
    HIVE_CHECK(stmt.bindBlob(3, blobOf(from)));
    HIVE_CHECK(stmt.bindInt64(4, static_cast<std::int64_t>(p.kind)));
    HIVE_CHECK(stmt.bindText(5, QString::fromStdString(p.text)));
    HIVE_CHECK(stmt.bindInt64(6, static_cast<std::int64_t>(std::min<std::uint64_t>(p.sentAt, 1ULL << 62))));
    HIVE_CHECK(stmt.bindInt64(7, receivedAt));
    HIVE_CHECK(stmt.bindInt64(8, StateDelivered));
    HIVE_CHECK(stmt.bindInt64(9, expires));
    if (p.kind == PayloadKind::File && p.file)
        HIVE_CHECK(stmt.bindBlob(10, p.encode()));
    else
        HIVE_CHECK(stmt.bindNull(10));
    HIVE_CHECK(stmt.run());
    HIVE_CHECK(existing.reset());
    HIVE_CHECK(existing.bindBlob(1, blobOf(from)));
    HIVE_CHECK(existing.bindBlob(2, blobOf(p.uid)));
    if (!HIVE_TRY(existing.step()))
        return Error(ErrorCode::Internal, "the stored message vanished");
    result.outcome = ReceiveResult::Outcome::Stored;
    result.messageId = existing.columnInt64(0);
    auto touch = HIVE_TRY(m_vault.prepare("UPDATE msg_chats SET last_activity = max(last_activity, ?2) WHERE id = ?1"));
    HIVE_CHECK(touch.bindInt64(1, row.id));
    HIVE_CHECK(touch.bindInt64(2, receivedAt));
    HIVE_CHECK(touch.run());

    // The delivery receipt is queued in the same commit as the message (the session to the
    // sender exists: we just decrypted with it, or it follows a key fetch for a group member).
    ChatRow receiptChat;
    receiptChat.group = p.group;
    Payload receipt = newPayload(PayloadKind::Receipt, receiptChat);
    receipt.receipt = ReceiptType::Delivered;
    receipt.receiptUids = {p.uid};
    if (const Status sent = sendPairwise(from, receipt); !sent.ok())
        qCWarning(lcMessaging) << "queueing a delivery receipt failed:" << sent.error().message();

    const qint64 chatId = row.id;
    const qint64 messageId = result.messageId;
    const QString title = row.group ? row.title : nameOf(from);
    const QString text = QString::fromStdString(p.text);
    m_deferred.push_back([this, chatId, messageId, title, text]() -> Status {
        m_typing[chatId] = false;
        emit messageAdded(chatId, messageId);
        emit chatsChanged();
        emit notification(chatId, title, text);
        return success();
    });
    return result;
}

Status Messenger::applyReceipt(const Key& from, const Payload& p)
{
    const int target = p.receipt == ReceiptType::Read ? StateRead : StateDelivered;
    for (const Uid& uid : p.receiptUids) {
        // Only a member of the message's chat may confirm it.
        auto stmt = HIVE_TRY(m_vault.prepare(
            "SELECT m.id, m.chat_id, m.state FROM msg_messages m JOIN msg_chats c ON c.id = m.chat_id"
            " WHERE m.outgoing = 1 AND m.sender_key = ?1 AND m.uid = ?2"
            " AND (c.contact_key = ?3 OR EXISTS (SELECT 1 FROM msg_members x WHERE x.chat_id = c.id AND x.member_key = ?3))"));
        HIVE_CHECK(stmt.bindBlob(1, blobOf(m_identity.publicKey())));
        HIVE_CHECK(stmt.bindBlob(2, blobOf(uid)));
        HIVE_CHECK(stmt.bindBlob(3, blobOf(from)));
        if (!HIVE_TRY(stmt.step()))
            continue;
        const qint64 id = stmt.columnInt64(0);
        const qint64 chatId = stmt.columnInt64(1);
        const int state = static_cast<int>(stmt.columnInt64(2));
        if (state >= target && state != StateFailed)
            continue;
        HIVE_CHECK(setState(id, static_cast<ChatMessage::State>(target)));
        m_deferred.push_back([this, chatId, id]() -> Status {
            emit messageChanged(chatId, id);
            return success();
        });
    }
    return success();
}

Result<ReceiveResult> Messenger::applyGroupUpdate(const Key& from, const Payload& p)
{
    ReceiveResult result;
    result.outcome = ReceiveResult::Outcome::Updated;
    const GroupId group = *p.group;
    auto existing = HIVE_TRY(chatIdForGroup(group));
    std::vector<Key> old;
    if (existing) {
        old = HIVE_TRY(members(*existing));
        if (std::find(old.begin(), old.end(), from) == old.end()) {
            result.outcome = ReceiveResult::Outcome::Dropped;
            result.reason = QStringLiteral("a group update from someone who is not a member");
            return result;
        }
    }
    const QString title = QString::fromStdString(p.text).trimmed().left(64);
    const bool iAmIn = std::find(p.members.begin(), p.members.end(), m_identity.publicKey()) != p.members.end();
    qint64 chatId = 0;
    if (existing) {
        chatId = *existing;
        auto stmt = HIVE_TRY(m_vault.prepare("UPDATE msg_chats SET title = ?2 WHERE id = ?1"));
        HIVE_CHECK(stmt.bindInt64(1, chatId));
        HIVE_CHECK(stmt.bindText(2, title.isEmpty() ? QStringLiteral("Group") : title));
        HIVE_CHECK(stmt.run());
    } else {
        if (!iAmIn) {
            result.outcome = ReceiveResult::Outcome::Dropped;
            result.reason = QStringLiteral("an update for a group we are not in");
            return result;
        }
        auto stmt = HIVE_TRY(m_vault.prepare("INSERT INTO msg_chats (group_id, title, created_at, last_activity) VALUES (?1, ?2, ?3, ?3)"));
        HIVE_CHECK(stmt.bindBlob(1, blobOf(group)));
        HIVE_CHECK(stmt.bindText(2, title.isEmpty() ? QStringLiteral("Group") : title));
        HIVE_CHECK(stmt.bindInt64(3, now()));
        HIVE_CHECK(stmt.run());
        chatId = HIVE_TRY(chatIdForGroup(group)).value_or(0);
    }
    result.chatId = chatId;
    auto markLeft = HIVE_TRY(m_vault.prepare("UPDATE msg_chats SET left_group = ?2 WHERE id = ?1"));
    HIVE_CHECK(markLeft.bindInt64(1, chatId));
    HIVE_CHECK(markLeft.bindInt64(2, iAmIn ? 0 : 1));
    HIVE_CHECK(markLeft.run());
    if (iAmIn) {
        std::vector<Key> next;
        for (const Key& k : p.members) {
            if (k != m_identity.publicKey())
                next.push_back(k);
        }
        bool someoneLeft = false;
        for (const Key& k : old)
            someoneLeft = someoneLeft || std::find(next.begin(), next.end(), k) == next.end();
        HIVE_CHECK(setMembers(chatId, next));
        // Whoever was removed held our sender key: what we send next must use a new one.
        if (someoneLeft)
            HIVE_CHECK(rotateSenderKey(chatId, group));
    }
    // Removed: the member list stays, so one of them can add us back.
    m_deferred.push_back([this]() -> Status {
        emit chatsChanged();
        return success();
    });
    return result;
}

} // namespace hive::messaging
