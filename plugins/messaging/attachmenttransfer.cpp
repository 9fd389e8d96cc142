#include "attachmenttransfer.h"

#include "messenger.h"

#include "trust/contacts.h"
#include "vault/vault.h"
#include "wire/nodeprotocol.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMimeDatabase>

#include <sodium.h>

#include <algorithm>
#include <array>
#include <vector>

namespace hive::messaging {

namespace {

Q_LOGGING_CATEGORY(lcTransfer, "hive.messaging.transfer")

constexpr const char* UploadsComponent = "messaging_uploads";

// Version 1: an unfinished upload: the file it reads, how it looked when the upload began,
// the secretstream header (with the key in the message's stored payload that is enough to
// re-create the same ciphertext) and the ids of the chunks the node acknowledged, in order.
constexpr std::string_view UploadsTable = R"sql(
CREATE TABLE msg_uploads (message_id INTEGER PRIMARY KEY NOT NULL REFERENCES msg_messages(id) ON DELETE CASCADE,
                          source TEXT NOT NULL, size INTEGER NOT NULL, modified INTEGER NOT NULL,
                          header BLOB NOT NULL, acked BLOB NOT NULL);
)sql";

constexpr int StatePending = 0, StateFailed = 4;
constexpr std::size_t HeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t ABytes = crypto_secretstream_xchacha20poly1305_ABYTES;

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

QByteArray idsBlob(const std::vector<Key32>& ids, std::size_t count)
{
    QByteArray out;
    out.reserve(static_cast<qsizetype>(count * 32));
    for (std::size_t i = 0; i < count; ++i)
        out.append(blobOf(ids[i]));
    return out;
}

ByteView viewOf(const QByteArray& a)
{
    return ByteView(reinterpret_cast<const std::uint8_t*>(a.constData()), static_cast<std::size_t>(a.size()));
}

qint64 modifiedOf(const QFileInfo& info)
{
    return info.lastModified().toMSecsSinceEpoch();
}

// Plaintext bytes of chunk `index` of a file of `size` bytes.
qint64 chunkBytes(qint64 size, std::size_t chunkSize, std::size_t index)
{
    const qint64 start = static_cast<qint64>(index * chunkSize);
    return std::clamp<qint64>(size - start, 0, static_cast<qint64>(chunkSize));
}

} // namespace

struct AttachmentTransfer::Upload {
    qint64 messageId = 0;
    qint64 chatId = 0;
    std::uint64_t serial = 0;
    Payload payload; // with file info: key, name, size, chunk size (chunks and hash at the end)
    QString source;
    QFile file;
    std::array<std::uint8_t, HeaderBytes> header {};
    crypto_secretstream_xchacha20poly1305_state stream {};
    crypto_generichash_state hash {};
    std::size_t chunkCount = 0;
    std::size_t next = 0;           // the next chunk to read and encrypt
    std::vector<Key32> ids;         // chunk ids, by index, as encrypted
    std::vector<bool> acked;        // the node has chunk i
    std::size_t ackedPrefix = 0;    // chunks 0..ackedPrefix-1 are all on the node
    std::vector<Key32> recorded;    // the acknowledged prefix an earlier run left (resume)
    std::size_t saved = 0;          // chunks of the prefix recorded in the vault
    int inFlight = 0;
    qint64 done = 0;                // plaintext bytes of acknowledged chunks
    Bytes plain;

    ~Upload()
    {
        sodium_memzero(&stream, sizeof stream);
        if (payload.file)
            sodium_memzero(payload.file->key.data(), payload.file->key.size());
        sodium_memzero(plain.data(), plain.size());
    }
};

struct AttachmentTransfer::Download {
    qint64 messageId = 0;
    qint64 chatId = 0;
    std::uint64_t serial = 0;
    FileInfo info;
    core::Identity::PublicKey sender {};
    QDir directory;
    QDir cache;
    std::size_t next = 0;       // the next chunk to look for in the cache or request
    std::vector<bool> have;     // chunk i is in the cache
    std::size_t appended = 0;   // chunks decrypted into the part file
    int inFlight = 0;
    qint64 done = 0;            // plaintext bytes of the chunks that are here
    QFile part;
    crypto_secretstream_xchacha20poly1305_state stream {};
    crypto_generichash_state hash {};
    qint64 written = 0;

    QString chunkPath(std::size_t i) const { return cache.filePath(QString::fromLatin1(blobOf(info.chunks[i]).toHex())); }
    ~Download()
    {
        sodium_memzero(&stream, sizeof stream);
        sodium_memzero(info.key.data(), info.key.size());
    }
};

AttachmentTransfer::AttachmentTransfer(Messenger& messenger) : m_messenger(messenger) {}

AttachmentTransfer::~AttachmentTransfer() = default;

bool AttachmentTransfer::isRunning(qint64 messageId) const
{
    return m_uploads.count(messageId) > 0 || m_downloads.count(messageId) > 0;
}

Status AttachmentTransfer::ensureSchema()
{
    if (m_schemaReady)
        return success();
    static const std::array<core::Migration, 1> steps {{{1, UploadsTable, {}}}};
    HIVE_CHECK(m_messenger.m_vault.migrateComponent(UploadsComponent, steps));
    m_schemaReady = true;
    return success();
}

void AttachmentTransfer::schedule(qint64 messageId, std::uint64_t serial, bool upload)
{
    // Queued: every step returns to the event loop first, so input and timers keep running
    // and a reply that finished at once does not recurse into the next step.
    QMetaObject::invokeMethod(
        this,
        [this, messageId, serial, upload] {
            if (upload)
                pumpUpload(messageId, serial);
            else
                pumpDownload(messageId, serial);
        },
        Qt::QueuedConnection);
}

void AttachmentTransfer::finish(qint64 messageId, bool ok, const QString& error)
{
    emit m_messenger.transferFinished(messageId, ok, error);
}

// ---- upload ----

Result<qint64> AttachmentTransfer::sendFile(qint64 chatId, const QString& path, const Bytes& thumbnail)
{
    if (thumbnail.size() > MaxThumbnailBytes)
        return Error(ErrorCode::TooLarge, "the preview is larger than 16 KiB");
    const Messenger::ChatRow row = HIVE_TRY(m_messenger.chat(chatId));
    if (m_messenger.m_objects == nullptr)
        return Error(ErrorCode::Unsupported, "attachments need the personal node (no object store)");
    if (row.contact)
        HIVE_CHECK(m_messenger.m_contacts.canSend(*row.contact));
    HIVE_CHECK(ensureSchema());
    const QFileInfo source(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::NotFound, "cannot read the file");
    const qint64 size = file.size();
    if (size <= 0)
        return Error(ErrorCode::InvalidArgument, "the file is empty");
    if (size > static_cast<qint64>(MaxChunks * Messenger::AttachmentChunk))
        return Error(ErrorCode::TooLarge, "the file is larger than 1.75 GiB");
    file.close();

    Payload payload = m_messenger.newPayload(PayloadKind::File, row);
    FileInfo info;
    info.fileName = source.fileName().toStdString();
    info.mimeType = QMimeDatabase().mimeTypeForFile(path).name().toStdString();
    info.size = static_cast<std::uint64_t>(size);
    info.chunkSize = static_cast<std::uint32_t>(Messenger::AttachmentChunk);
    info.key.resize(crypto_secretstream_xchacha20poly1305_KEYBYTES);
    crypto_secretstream_xchacha20poly1305_keygen(info.key.data());
    info.thumbnail = thumbnail;
    // Placeholders until the upload is done (the stored payload is complete but for the
    // ids and hash, so the conversation shows the file and its progress meanwhile).
    info.chunks.assign(static_cast<std::size_t>((size + qint64(info.chunkSize) - 1) / qint64(info.chunkSize)), Key32 {});
    payload.text = info.fileName;
    payload.file = std::move(info);
    // The row, its payload so far (the key) and the upload record in one commit: a crash
    // at any point leaves either nothing or an upload resumeUploads() can finish.
    qint64 id = 0;
    const Status stored = m_messenger.m_vault.transaction([&]() -> Status {
        id = HIVE_TRY(m_messenger.storeOutgoing(row, payload));
        auto update = HIVE_TRY(m_messenger.m_vault.prepare(
            "UPDATE msg_messages SET attachment = ?2, local_path = ?3, transferred = 0 WHERE id = ?1"));
        HIVE_CHECK(update.bindInt64(1, id));
        HIVE_CHECK(update.bindBlob(2, payload.encode()));
        HIVE_CHECK(update.bindText(3, source.absoluteFilePath()));
        HIVE_CHECK(update.run());
        // The header is filled in by beginUpload (fresh).
        auto record = HIVE_TRY(m_messenger.m_vault.prepare(
            "INSERT INTO msg_uploads (message_id, source, size, modified, header, acked) VALUES (?1, ?2, ?3, ?4, x'', x'')"));
        HIVE_CHECK(record.bindInt64(1, id));
        HIVE_CHECK(record.bindText(2, source.absoluteFilePath()));
        HIVE_CHECK(record.bindInt64(3, size));
        HIVE_CHECK(record.bindInt64(4, modifiedOf(source)));
        return record.run();
    });
    if (!stored.ok())
        return stored.error();
    sodium_memzero(payload.file->key.data(), payload.file->key.size());
    emit m_messenger.messageAdded(chatId, id);
    emit m_messenger.chatsChanged();
    const Status started = startUpload(id);
    if (!started.ok()) {
        failUpload(id, started.error());
        return started.error();
    }
    return id;
}

Status AttachmentTransfer::startUpload(qint64 messageId)
{
    if (m_uploads.count(messageId) > 0)
        return success();
    auto stmt = HIVE_TRY(m_messenger.m_vault.prepare(
        "SELECT m.chat_id, m.attachment, u.source, u.size, u.modified, u.header, u.acked"
        " FROM msg_messages m JOIN msg_uploads u ON u.message_id = m.id WHERE m.id = ?1"));
    HIVE_CHECK(stmt.bindInt64(1, messageId));
    if (!HIVE_TRY(stmt.step()) || stmt.columnIsNull(1))
        return Error(ErrorCode::NotFound, "no unfinished upload for that message");
    auto u = std::make_unique<Upload>();
    u->messageId = messageId;
    u->chatId = stmt.columnInt64(0);
    u->serial = ++m_nextSerial;
    u->payload = HIVE_TRY(Payload::decode(stmt.columnBytes(1)));
    u->source = stmt.columnText(2);
    const qint64 recordedSize = stmt.columnInt64(3);
    const qint64 recordedModified = stmt.columnInt64(4);
    const QByteArray header = stmt.columnBlob(5);
    const QByteArray acked = stmt.columnBlob(6);
    if (!u->payload.file || u->payload.file->key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES)
        return Error(ErrorCode::Corrupt, "the stored upload is unreadable");
    // Resumable only if the file is as it was and the header is known; anything else
    // starts afresh under a new key.
    const QFileInfo source(u->source);
    bool fresh = header.size() != static_cast<qsizetype>(HeaderBytes) || source.size() != recordedSize
        || modifiedOf(source) != recordedModified || acked.size() % 32 != 0;
    if (!fresh) {
        std::copy(header.begin(), header.end(), reinterpret_cast<char*>(u->header.data()));
        for (qsizetype at = 0; at < acked.size(); at += 32)
            u->recorded.push_back(*arrayOf<32>(acked.mid(at, 32)));
    }
    Upload& upload = *u;
    m_uploads[messageId] = std::move(u);
    HIVE_CHECK(beginUpload(upload, fresh));
    schedule(messageId, upload.serial, true);
    return success();
}

Status AttachmentTransfer::beginUpload(Upload& u, bool fresh)
{
    u.file.close();
    u.file.setFileName(u.source);
    if (!u.file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::NotFound, "cannot read the file");
    const qint64 size = u.file.size();
    if (size <= 0 || size > static_cast<qint64>(MaxChunks * Messenger::AttachmentChunk))
        return Error(ErrorCode::InvalidArgument, "the file is empty or too large now");
    FileInfo& info = *u.payload.file;
    info.chunkSize = static_cast<std::uint32_t>(Messenger::AttachmentChunk);
    if (fresh) {
        info.size = static_cast<std::uint64_t>(size);
        info.chunks.assign(static_cast<std::size_t>((size + qint64(info.chunkSize) - 1) / qint64(info.chunkSize)), Key32 {});
        crypto_secretstream_xchacha20poly1305_keygen(info.key.data());
        crypto_secretstream_xchacha20poly1305_init_push(&u.stream, u.header.data(), info.key.data());
        u.recorded.clear();
        // The new key (in the payload) and header replace the old ones in one commit.
        const Status saved = m_messenger.m_vault.transaction([&]() -> Status {
            auto update = HIVE_TRY(m_messenger.m_vault.prepare("UPDATE msg_messages SET attachment = ?2, transferred = 0 WHERE id = ?1"));
            HIVE_CHECK(update.bindInt64(1, u.messageId));
            HIVE_CHECK(update.bindBlob(2, u.payload.encode()));
            HIVE_CHECK(update.run());
            auto record = HIVE_TRY(m_messenger.m_vault.prepare(
                "UPDATE msg_uploads SET size = ?2, modified = ?3, header = ?4, acked = x'' WHERE message_id = ?1"));
            HIVE_CHECK(record.bindInt64(1, u.messageId));
            HIVE_CHECK(record.bindInt64(2, size));
            HIVE_CHECK(record.bindInt64(3, modifiedOf(QFileInfo(u.source))));
            HIVE_CHECK(record.bindBlob(4, blobOf(u.header)));
            return record.run();
        });
        if (!saved.ok())
            return saved;
    } else {
        if (info.size != static_cast<std::uint64_t>(size))
            return Error(ErrorCode::Corrupt, "the stored upload does not match the file");
        // init_pull derives exactly the state init_push left for this key and header
        // (HChaCha20 subkey, counter 1, the header's nonce), and pushing is deterministic,
        // so the chunks come out as they did in the run that was interrupted.
        if (crypto_secretstream_xchacha20poly1305_init_pull(&u.stream, u.header.data(), info.key.data()) != 0)
            return Error(ErrorCode::Crypto, "the stored upload header is invalid");
    }
    crypto_generichash_init(&u.hash, nullptr, 0, info.hash.size());
    u.chunkCount = static_cast<std::size_t>((size + static_cast<qint64>(info.chunkSize) - 1) / static_cast<qint64>(info.chunkSize));
    u.next = 0;
    u.ids.assign(u.chunkCount, Key32 {});
    u.acked.assign(u.chunkCount, false);
    u.ackedPrefix = 0;
    u.saved = u.recorded.size();
    u.done = 0;
    u.inFlight = 0;
    u.serial = ++m_nextSerial; // replies of an abandoned pass are ignored
    u.plain.resize(info.chunkSize);
    return success();
}

void AttachmentTransfer::pumpUpload(qint64 messageId, std::uint64_t serial)
{
    auto it = m_uploads.find(messageId);
    if (it == m_uploads.end() || it->second->serial != serial)
        return;
    Upload& u = *it->second;
    if (u.inFlight >= MaxInFlight || u.next >= u.chunkCount)
        return;
    FileInfo& info = *u.payload.file;
    // One chunk per step: read, hash, encrypt (a few ms for 1 MiB).
    const std::size_t index = u.next;
    const qint64 want = chunkBytes(static_cast<qint64>(info.size), info.chunkSize, index);
    const qint64 n = u.file.read(reinterpret_cast<char*>(u.plain.data()), want);
    if (n != want) {
        failUpload(messageId, Error(ErrorCode::Io, "reading the file failed (did it change?)"));
        return;
    }
    crypto_generichash_update(&u.hash, u.plain.data(), static_cast<unsigned long long>(n));
    const std::size_t offset = index == 0 ? HeaderBytes : 0;
    Bytes chunk(offset + static_cast<std::size_t>(n) + ABytes);
    if (offset > 0)
        std::copy(u.header.begin(), u.header.end(), chunk.begin());
    const bool last = index + 1 == u.chunkCount;
    crypto_secretstream_xchacha20poly1305_push(&u.stream, chunk.data() + offset, nullptr, u.plain.data(),
                                               static_cast<unsigned long long>(n), nullptr, 0,
                                               last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    u.ids[index] = wire::proto::objectIdOf(chunk);
    ++u.next;
    if (index < u.recorded.size()) {
        if (u.recorded[index] == u.ids[index]) {
            // On the node since the interrupted run: nothing to put.
            u.inFlight += 1;
            onPut(messageId, serial, index, u.ids[index]);
            return;
        }
        // The file changed under the same key: never put this ciphertext. Start afresh.
        qCInfo(lcTransfer) << "the file changed since its upload began; uploading it again under a new key";
        const Status restarted = beginUpload(u, true);
        if (!restarted.ok()) {
            failUpload(messageId, restarted.error());
            return;
        }
        emit m_messenger.transferProgress(messageId, 0, static_cast<qint64>(info.size));
        schedule(messageId, u.serial, true);
        return;
    }
    ++u.inFlight;
    m_messenger.m_objects->put(chunk).then(this, [this, messageId, serial, index](const Result<Key32>& result) {
        onPut(messageId, serial, index, result);
    });
    auto again = m_uploads.find(messageId);
    if (again != m_uploads.end() && again->second->serial == serial && again->second->inFlight < MaxInFlight
        && again->second->next < again->second->chunkCount)
        schedule(messageId, serial, true);
}

void AttachmentTransfer::onPut(qint64 messageId, std::uint64_t serial, std::size_t index, const Result<Key32>& result)
{
    auto it = m_uploads.find(messageId);
    if (it == m_uploads.end() || it->second->serial != serial)
        return;
    Upload& u = *it->second;
    --u.inFlight;
    if (!result.ok()) {
        failUpload(messageId, result.error().withContext("uploading the attachment"));
        return;
    }
    if (*result != u.ids[index]) {
        failUpload(messageId, Error(ErrorCode::Corrupt, "the node stored a chunk under another id"));
        return;
    }
    const FileInfo& info = *u.payload.file;
    u.acked[index] = true;
    u.done += chunkBytes(static_cast<qint64>(info.size), info.chunkSize, index);
    const std::size_t before = u.ackedPrefix;
    while (u.ackedPrefix < u.chunkCount && u.acked[u.ackedPrefix])
        ++u.ackedPrefix;
    if (u.ackedPrefix > before && u.ackedPrefix >= u.saved + PersistEvery && u.ackedPrefix < u.chunkCount) {
        const Status saved = saveProgress(u);
        if (!saved.ok()) {
            failUpload(messageId, saved.error());
            return;
        }
    }
    emit m_messenger.transferProgress(messageId, u.done, static_cast<qint64>(info.size));
    if (u.ackedPrefix == u.chunkCount) {
        completeUpload(u);
        return;
    }
    schedule(messageId, serial, true);
}

Status AttachmentTransfer::saveProgress(Upload& u)
{
    if (u.ackedPrefix <= u.saved)
        return success();
    // Remember what the node has, so a later run skips it; with it how far the upload got.
    const Status saved = m_messenger.m_vault.transaction([&]() -> Status {
        auto record = HIVE_TRY(m_messenger.m_vault.prepare("UPDATE msg_uploads SET acked = ?2 WHERE message_id = ?1"));
        HIVE_CHECK(record.bindInt64(1, u.messageId));
        HIVE_CHECK(record.bindBlob(2, idsBlob(u.ids, u.ackedPrefix)));
        HIVE_CHECK(record.run());
        const qint64 prefixBytes = std::min<qint64>(static_cast<qint64>(u.payload.file->size),
                                                    static_cast<qint64>(u.ackedPrefix * u.payload.file->chunkSize));
        auto progress = HIVE_TRY(m_messenger.m_vault.prepare("UPDATE msg_messages SET transferred = ?2 WHERE id = ?1"));
        HIVE_CHECK(progress.bindInt64(1, u.messageId));
        HIVE_CHECK(progress.bindInt64(2, prefixBytes));
        return progress.run();
    });
    if (saved.ok())
        u.saved = u.ackedPrefix;
    return saved;
}

void AttachmentTransfer::completeUpload(Upload& u)
{
    const qint64 messageId = u.messageId;
    const qint64 chatId = u.chatId;
    FileInfo& info = *u.payload.file;
    crypto_generichash_final(&u.hash, info.hash.data(), info.hash.size());
    info.chunks = u.ids;
    Payload payload = u.payload;
    m_uploads.erase(messageId);
    // The complete payload, the end of the upload record and the send: one commit.
    Status sent = success();
    const Status stored = m_messenger.m_vault.transaction([&]() -> Status {
        // A disappearing message may have expired meanwhile: then nothing is sent.
        auto exists = HIVE_TRY(m_messenger.m_vault.prepare("SELECT 1 FROM msg_messages WHERE id = ?1"));
        HIVE_CHECK(exists.bindInt64(1, messageId));
        if (!HIVE_TRY(exists.step()))
            return Error(ErrorCode::NotFound, "the message was deleted during its upload");
        auto update = HIVE_TRY(m_messenger.m_vault.prepare("UPDATE msg_messages SET attachment = ?2, transferred = ?3 WHERE id = ?1"));
        HIVE_CHECK(update.bindInt64(1, messageId));
        HIVE_CHECK(update.bindBlob(2, payload.encode()));
        HIVE_CHECK(update.bindInt64(3, static_cast<qint64>(payload.file->size)));
        HIVE_CHECK(update.run());
        auto done = HIVE_TRY(m_messenger.m_vault.prepare("DELETE FROM msg_uploads WHERE message_id = ?1"));
        HIVE_CHECK(done.bindInt64(1, messageId));
        HIVE_CHECK(done.run());
        const Messenger::ChatRow row = HIVE_TRY(m_messenger.chat(chatId));
        return m_messenger.sendStored(row, payload, messageId, sent);
    });
    sodium_memzero(payload.file->key.data(), payload.file->key.size());
    if (!stored.ok()) {
        // Rolled back: the upload record is still there, so resumeUploads() can finish it.
        m_messenger.forgetWaiting(messageId);
        (void)m_messenger.setState(messageId, ChatMessage::State::Failed);
        emit m_messenger.messageChanged(chatId, messageId);
        finish(messageId, false, QString::fromUtf8(stored.error().message()));
        return;
    }
    emit m_messenger.messageChanged(chatId, messageId);
    emit m_messenger.chatsChanged();
    // Uploaded; a send that failed (Failed) is retried by resumeUploads().
    finish(messageId, sent.ok(), sent.ok() ? QString() : QString::fromUtf8(sent.error().message()));
}

Status AttachmentTransfer::sendPayload(qint64 messageId, qint64 chatId, const Payload& payload)
{
    const Messenger::ChatRow row = HIVE_TRY(m_messenger.chat(chatId));
    Status sent = success();
    const Status stored = m_messenger.m_vault.transaction([&] { return m_messenger.sendStored(row, payload, messageId, sent); });
    if (!stored.ok()) {
        m_messenger.forgetWaiting(messageId);
        return stored;
    }
    emit m_messenger.messageChanged(chatId, messageId);
    emit m_messenger.chatsChanged();
    return sent;
}

void AttachmentTransfer::failUpload(qint64 messageId, const Error& error)
{
    qint64 chatId = 0;
    auto it = m_uploads.find(messageId);
    if (it != m_uploads.end()) {
        chatId = it->second->chatId;
        (void)saveProgress(*it->second); // best effort: what is not saved is put again
        m_uploads.erase(it);
    }
    // The upload record stays: resumeUploads() continues where the node's acks ended.
    (void)m_messenger.setState(messageId, ChatMessage::State::Failed);
    if (chatId != 0)
        emit m_messenger.messageChanged(chatId, messageId);
    qCInfo(lcTransfer) << "upload of message" << messageId << "failed:" << error.message();
    finish(messageId, false, QString::fromUtf8(error.message()));
}

Result<int> AttachmentTransfer::resumeUploads()
{
    if (m_messenger.m_objects == nullptr)
        return 0;
    HIVE_CHECK(ensureSchema());
    auto stmt = HIVE_TRY(m_messenger.m_vault.prepare(
        "SELECT m.id, m.chat_id, m.attachment, u.message_id IS NOT NULL FROM msg_messages m"
        " LEFT JOIN msg_uploads u ON u.message_id = m.id"
        " WHERE m.outgoing = 1 AND m.kind = ?1 AND m.state IN (?2, ?3) ORDER BY m.sent_at, m.uid"));
    HIVE_CHECK(stmt.bindInt64(1, static_cast<std::int64_t>(PayloadKind::File)));
    HIVE_CHECK(stmt.bindInt64(2, StatePending));
    HIVE_CHECK(stmt.bindInt64(3, StateFailed));
    struct Row { qint64 id, chatId; Bytes attachment; bool uploading; };
    std::vector<Row> rows;
    while (HIVE_TRY(stmt.step()))
        rows.push_back({stmt.columnInt64(0), stmt.columnInt64(1), stmt.columnIsNull(2) ? Bytes() : stmt.columnBytes(2),
                        stmt.columnInt64(3) != 0});
    int resumed = 0;
    for (const Row& r : rows) {
        // Running, or its send waits for the recipient's prekeys.
        if (isRunning(r.id) || m_messenger.m_tracked.count(r.id) != 0)
            continue;
        if (r.uploading) {
            const Status started = startUpload(r.id);
            if (started.ok()) {
                ++resumed;
            } else {
                failUpload(r.id, started.error());
            }
            continue;
        }
        // Uploaded, but the send did not happen (a crash right after) or failed.
        auto payload = Payload::decode(r.attachment);
        if (!payload.ok() || !payload->file || payload->file->chunks.empty()
            || std::any_of(payload->file->chunks.begin(), payload->file->chunks.end(), [](const Key32& id) { return id == Key32 {}; }))
            continue;
        if (sendPayload(r.id, r.chatId, *payload).ok())
            ++resumed;
        sodium_memzero(payload->file->key.data(), payload->file->key.size());
    }
    return resumed;
}

// ---- download ----

Status AttachmentTransfer::download(qint64 messageId, const QString& directory)
{
    if (m_messenger.m_objects == nullptr)
        return Error(ErrorCode::Unsupported, "attachments need the personal node (no object store)");
    if (m_downloads.count(messageId) > 0)
        return success();
    auto stmt = HIVE_TRY(m_messenger.m_vault.prepare(
        "SELECT attachment, sender_key, chat_id FROM msg_messages WHERE id = ?1 AND kind = ?2 AND outgoing = 0"));
    HIVE_CHECK(stmt.bindInt64(1, messageId));
    HIVE_CHECK(stmt.bindInt64(2, static_cast<std::int64_t>(PayloadKind::File)));
    if (!HIVE_TRY(stmt.step()) || stmt.columnIsNull(0))
        return Error(ErrorCode::NotFound, "no attachment in that message");
    Payload payload = HIVE_TRY(Payload::decode(stmt.columnBytes(0)));
    const auto sender = arrayOf<32>(stmt.columnBlob(1));
    if (!payload.file || !sender || payload.file->chunks.empty() || payload.file->chunkSize == 0
        || payload.file->key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES)
        return Error(ErrorCode::Corrupt, "the stored attachment is unreadable");
    auto d = std::make_unique<Download>();
    d->messageId = messageId;
    d->chatId = stmt.columnInt64(2);
    d->serial = ++m_nextSerial;
    d->info = std::move(*payload.file);
    sodium_memzero(payload.file->key.data(), payload.file->key.size());
    d->sender = *sender;
    d->directory = QDir(directory);
    if (!d->directory.mkpath(QStringLiteral(".")))
        return Error(ErrorCode::Io, "cannot create the download folder");
    // Downloaded ciphertext chunks are kept by id until the file is complete, so a
    // download that was interrupted fetches only what is missing.
    const QString cacheName = QStringLiteral(".hive-download-") + QString::fromLatin1(blobOf(d->info.hash).toHex().left(32));
    if (!d->directory.mkpath(cacheName))
        return Error(ErrorCode::Io, "cannot create the download cache");
    d->cache = QDir(d->directory.filePath(cacheName));
    d->have.assign(d->info.chunks.size(), false);
    d->part.setFileName(d->cache.filePath(QStringLiteral("file.part")));
    if (!d->part.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error(ErrorCode::Io, "cannot write the attachment");
    crypto_generichash_init(&d->hash, nullptr, 0, d->info.hash.size());
    const std::uint64_t serial = d->serial;
    m_downloads[messageId] = std::move(d);
    schedule(messageId, serial, false);
    return success();
}

void AttachmentTransfer::pumpDownload(qint64 messageId, std::uint64_t serial)
{
    auto it = m_downloads.find(messageId);
    if (it == m_downloads.end() || it->second->serial != serial)
        return;
    Download& d = *it->second;
    const std::size_t count = d.info.chunks.size();
    const auto total = static_cast<qint64>(d.info.size);
    // One chunk of work per step: decrypt the next one in order if it is here, else look
    // for the next in the cache, else request it.
    if (d.appended < count && d.have[d.appended]) {
        const Status appended = appendNext(d);
        if (!appended.ok()) {
            failDownload(messageId, appended.error());
            return;
        }
        if (d.appended == count) {
            const Status completed = completeDownload(d);
            if (!completed.ok())
                failDownload(messageId, completed.error());
            return;
        }
        schedule(messageId, serial, false);
        return;
    }
    if (d.next < count && d.inFlight < MaxInFlight) {
        const std::size_t index = d.next++;
        QFile cached(d.chunkPath(index));
        if (cached.open(QIODevice::ReadOnly) && wire::proto::objectIdOf(viewOf(cached.readAll())) == d.info.chunks[index]) {
            d.have[index] = true;
            d.done += chunkBytes(total, d.info.chunkSize, index);
            emit m_messenger.transferProgress(messageId, d.done, total);
        } else {
            ++d.inFlight;
            m_messenger.m_objects->getShared(d.sender, d.info.chunks[index])
                .then(this, [this, messageId, serial, index](const Result<Bytes>& result) {
                    onGot(messageId, serial, index, result);
                });
        }
        schedule(messageId, serial, false);
    }
    // Otherwise every wanted chunk is on its way: the replies continue.
}

void AttachmentTransfer::onGot(qint64 messageId, std::uint64_t serial, std::size_t index, const Result<Bytes>& result)
{
    auto it = m_downloads.find(messageId);
    if (it == m_downloads.end() || it->second->serial != serial)
        return;
    Download& d = *it->second;
    --d.inFlight;
    if (!result.ok()) {
        failDownload(messageId, result.error().withContext("fetching an attachment chunk"));
        return;
    }
    const Bytes& content = *result;
    if (wire::proto::objectIdOf(content) != d.info.chunks[index]) {
        failDownload(messageId, Error(ErrorCode::Corrupt, "an attachment chunk does not match its id"));
        return;
    }
    const QString path = d.chunkPath(index);
    QFile out(path + QStringLiteral(".tmp"));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || out.write(reinterpret_cast<const char*>(content.data()), static_cast<qint64>(content.size()))
            != static_cast<qint64>(content.size())
        || !out.flush()) {
        failDownload(messageId, Error(ErrorCode::Io, "cannot write the download cache"));
        return;
    }
    out.close();
    QFile::remove(path);
    if (!QFile::rename(path + QStringLiteral(".tmp"), path)) {
        failDownload(messageId, Error(ErrorCode::Io, "cannot write the download cache"));
        return;
    }
    d.have[index] = true;
    const auto total = static_cast<qint64>(d.info.size);
    d.done += chunkBytes(total, d.info.chunkSize, index);
    emit m_messenger.transferProgress(messageId, d.done, total);
    schedule(messageId, serial, false);
}

Status AttachmentTransfer::appendNext(Download& d)
{
    const std::size_t i = d.appended;
    const bool last = i + 1 == d.info.chunks.size();
    QFile chunkFile(d.chunkPath(i));
    if (!chunkFile.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Io, "a downloaded chunk vanished");
    const QByteArray raw = chunkFile.readAll();
    if (wire::proto::objectIdOf(viewOf(raw)) != d.info.chunks[i])
        return Error(ErrorCode::Corrupt, "a cached attachment chunk changed");
    const auto* data = reinterpret_cast<const std::uint8_t*>(raw.constData());
    auto length = static_cast<std::size_t>(raw.size());
    if (i == 0) {
        if (length < HeaderBytes || crypto_secretstream_xchacha20poly1305_init_pull(&d.stream, data, d.info.key.data()) != 0)
            return Error(ErrorCode::Crypto, "the attachment header is invalid");
        data += HeaderBytes;
        length -= HeaderBytes;
    }
    if (length < ABytes)
        return Error(ErrorCode::Crypto, "an attachment chunk is truncated");
    Bytes plain(length - ABytes);
    unsigned long long plainLength = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&d.stream, plain.data(), &plainLength, &tag, data, length, nullptr, 0) != 0
        || ((tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != last))
        return Error(ErrorCode::Crypto, "an attachment chunk does not decrypt (tampered or out of order)");
    crypto_generichash_update(&d.hash, plain.data(), plainLength);
    const auto n = static_cast<qint64>(plainLength);
    const bool written = d.part.write(reinterpret_cast<const char*>(plain.data()), n) == n;
    sodium_memzero(plain.data(), plain.size());
    if (!written)
        return Error(ErrorCode::Io, "cannot write the attachment");
    d.written += n;
    ++d.appended;
    return success();
}

Status AttachmentTransfer::completeDownload(Download& d)
{
    const qint64 messageId = d.messageId;
    const qint64 chatId = d.chatId;
    Key32 digest {};
    crypto_generichash_final(&d.hash, digest.data(), digest.size());
    if (!d.part.flush())
        return Error(ErrorCode::Io, "cannot write the attachment");
    d.part.close();
    if (d.written != static_cast<qint64>(d.info.size) || !constantTimeEqual(digest, d.info.hash))
        return Error(ErrorCode::Corrupt, "the attachment does not match its hash");
    QString name = QFileInfo(QString::fromStdString(d.info.fileName)).fileName();
    if (name.isEmpty() || name.startsWith(QLatin1Char('.')))
        name = QStringLiteral("attachment");
    QString target = d.directory.filePath(name);
    for (int n = 1; QFile::exists(target); ++n)
        target = d.directory.filePath(QStringLiteral("%1 (%2)").arg(name).arg(n));
    if (!QFile::rename(d.part.fileName(), target))
        return Error(ErrorCode::Io, "cannot move the attachment into place");
    QDir(d.cache).removeRecursively();
    const auto total = static_cast<qint64>(d.info.size);
    m_downloads.erase(messageId);
    auto update = HIVE_TRY(m_messenger.m_vault.prepare("UPDATE msg_messages SET local_path = ?2, transferred = ?3 WHERE id = ?1"));
    HIVE_CHECK(update.bindInt64(1, messageId));
    HIVE_CHECK(update.bindText(2, target));
    HIVE_CHECK(update.bindInt64(3, total));
    const Status saved = update.run();
    if (!saved.ok()) {
        QFile::remove(target);
        return saved;
    }
    emit m_messenger.messageChanged(chatId, messageId);
    finish(messageId, true, QString());
    return success();
}

void AttachmentTransfer::failDownload(qint64 messageId, const Error& error)
{
    auto it = m_downloads.find(messageId);
    if (it != m_downloads.end()) {
        Download& d = *it->second;
        d.part.close();
        QFile::remove(d.part.fileName());
        // Chunks that passed their id check stay cached for the retry; a file that does not
        // decrypt or match its hash will not get better, so its cache goes.
        if (error.code() == ErrorCode::Crypto || (error.code() == ErrorCode::Corrupt && d.appended == d.info.chunks.size()))
            QDir(d.cache).removeRecursively();
        m_downloads.erase(it);
    }
    qCInfo(lcTransfer) << "download of message" << messageId << "failed:" << error.message();
    finish(messageId, false, QString::fromUtf8(error.message()));
}

} // namespace hive::messaging
