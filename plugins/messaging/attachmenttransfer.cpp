#include "attachmenttransfer.h"

#include "messenger.h"

#include "trust/contacts.h"
#include "vault/vault.h"
#include "wire/nodeprotocol.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

#include <sodium.h>

#include <algorithm>

namespace hive::messaging {

namespace {

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

} // namespace

AttachmentTransfer::AttachmentTransfer(Messenger& messenger) : m_messenger(messenger) {}

Result<qint64> AttachmentTransfer::sendFile(qint64 chatId, const QString& path)
{
    const Messenger::ChatRow row = HIVE_TRY(m_messenger.chat(chatId));
    if (m_messenger.m_objects == nullptr)
        return Error(ErrorCode::Unsupported, "attachments need the personal node (no object store)");
    if (row.contact)
        HIVE_CHECK(m_messenger.m_contacts.canSend(*row.contact));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::NotFound, "cannot read the file");
    const qint64 size = file.size();
    // The chunk list travels in one envelope (64 KiB), 32 bytes per chunk.
    constexpr qint64 MaxAttachmentChunks = 1800;
    if (size <= 0)
        return Error(ErrorCode::InvalidArgument, "the file is empty");
    if (size > MaxAttachmentChunks * qint64(Messenger::AttachmentChunk))
        return Error(ErrorCode::TooLarge, "the file is larger than 1.75 GiB");

    Payload payload = m_messenger.newPayload(PayloadKind::File, row);
    FileInfo info;
    info.fileName = QFileInfo(path).fileName().toStdString();
    info.mimeType = QMimeDatabase().mimeTypeForFile(path).name().toStdString();
    info.size = static_cast<std::uint64_t>(size);
    info.chunkSize = static_cast<std::uint32_t>(Messenger::AttachmentChunk);
    info.key.resize(crypto_secretstream_xchacha20poly1305_KEYBYTES);
    crypto_secretstream_xchacha20poly1305_keygen(info.key.data());
    payload.text = info.fileName;
    const qint64 id = HIVE_TRY(m_messenger.storeOutgoing(row, payload));
    emit m_messenger.messageAdded(chatId, id);

    // Streamed: one chunk in memory at a time, encrypted, hashed and uploaded.
    crypto_secretstream_xchacha20poly1305_state stream;
    std::array<std::uint8_t, crypto_secretstream_xchacha20poly1305_HEADERBYTES> header {};
    crypto_secretstream_xchacha20poly1305_init_push(&stream, header.data(), info.key.data());
    crypto_generichash_state hash;
    crypto_generichash_init(&hash, nullptr, 0, info.hash.size());
    Bytes plain(Messenger::AttachmentChunk);
    qint64 done = 0;
    Status uploaded = success();
    while (done < size && uploaded.ok()) {
        const qint64 n = file.read(reinterpret_cast<char*>(plain.data()), static_cast<qint64>(plain.size()));
        if (n <= 0) {
            uploaded = Error(ErrorCode::Io, "reading the file failed");
            break;
        }
        crypto_generichash_update(&hash, plain.data(), static_cast<unsigned long long>(n));
        const std::size_t offset = done == 0 ? header.size() : 0;
        Bytes chunk(offset + static_cast<std::size_t>(n) + crypto_secretstream_xchacha20poly1305_ABYTES);
        if (offset > 0)
            std::copy(header.begin(), header.end(), chunk.begin());
        const bool last = done + n >= size;
        crypto_secretstream_xchacha20poly1305_push(&stream, chunk.data() + offset, nullptr, plain.data(),
                                                   static_cast<unsigned long long>(n), nullptr, 0,
                                                   last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        auto object = m_messenger.m_objects->put(chunk);
        if (!object.ok()) {
            uploaded = object.error().withContext("uploading the attachment");
            break;
        }
        info.chunks.push_back(*object);
        done += n;
        emit m_messenger.transferProgress(id, done, size);
    }
    sodium_memzero(&stream, sizeof stream);
    sodium_memzero(plain.data(), plain.size());
    crypto_generichash_final(&hash, info.hash.data(), info.hash.size());
    if (!uploaded.ok()) {
        HIVE_CHECK(m_messenger.setState(id, ChatMessage::State::Failed));
        emit m_messenger.messageChanged(chatId, id);
        return uploaded.error();
    }
    payload.file = info;
    auto update = HIVE_TRY(m_messenger.m_vault.prepare("UPDATE msg_messages SET attachment = ?2, local_path = ?3, transferred = ?4 WHERE id = ?1"));
    HIVE_CHECK(update.bindInt64(1, id));
    HIVE_CHECK(update.bindBlob(2, payload.encode()));
    HIVE_CHECK(update.bindText(3, QFileInfo(path).absoluteFilePath()));
    HIVE_CHECK(update.bindInt64(4, size));
    HIVE_CHECK(update.run());
    const Status sent = m_messenger.sendToChat(row, payload);
    HIVE_CHECK(m_messenger.setState(id, sent.ok() ? ChatMessage::State::Sent : ChatMessage::State::Failed));
    emit m_messenger.messageChanged(chatId, id);
    emit m_messenger.chatsChanged();
    if (!sent.ok())
        return sent.error();
    return id;
}

Result<QString> AttachmentTransfer::download(qint64 messageId, const QString& directory)
{
    if (m_messenger.m_objects == nullptr)
        return Error(ErrorCode::Unsupported, "attachments need the personal node (no object store)");
    auto stmt = HIVE_TRY(m_messenger.m_vault.prepare("SELECT attachment, sender_key, chat_id FROM msg_messages WHERE id = ?1 AND kind = ?2"));
    HIVE_CHECK(stmt.bindInt64(1, messageId));
    HIVE_CHECK(stmt.bindInt64(2, static_cast<std::int64_t>(PayloadKind::File)));
    if (!HIVE_TRY(stmt.step()) || stmt.columnIsNull(0))
        return Error(ErrorCode::NotFound, "no attachment in that message");
    const Payload payload = HIVE_TRY(Payload::decode(stmt.columnBytes(0)));
    const auto sender = arrayOf<32>(stmt.columnBlob(1));
    const qint64 chatId = stmt.columnInt64(2);
    if (!payload.file || !sender || payload.file->chunks.empty())
        return Error(ErrorCode::Corrupt, "the stored attachment is unreadable");
    const FileInfo& info = *payload.file;

    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral(".")))
        return Error(ErrorCode::Io, "cannot create the download folder");
    // Downloaded ciphertext chunks are kept by id until the file is complete, so a
    // download that was interrupted fetches only what is missing.
    const QString cacheName = QStringLiteral(".hive-download-") + QString::fromLatin1(blobOf(info.hash).toHex().left(32));
    if (!dir.mkpath(cacheName))
        return Error(ErrorCode::Io, "cannot create the download cache");
    const QDir cache(dir.filePath(cacheName));
    const auto total = static_cast<qint64>(info.size);
    for (std::size_t i = 0; i < info.chunks.size(); ++i) {
        const Key32& id = info.chunks[i];
        const QString chunkPath = cache.filePath(QString::fromLatin1(blobOf(id).toHex()));
        QFile cached(chunkPath);
        bool have = false;
        if (cached.open(QIODevice::ReadOnly)) {
            const QByteArray content = cached.readAll();
            have = wire::proto::objectIdOf(ByteView(reinterpret_cast<const std::uint8_t*>(content.constData()),
                                                    static_cast<std::size_t>(content.size()))) == id;
            cached.close();
        }
        if (!have) {
            const Bytes content = HIVE_TRY(m_messenger.m_objects->getShared(*sender, id));
            if (wire::proto::objectIdOf(content) != id)
                return Error(ErrorCode::Corrupt, "an attachment chunk does not match its id");
            QFile out(chunkPath + QStringLiteral(".tmp"));
            if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)
                || out.write(reinterpret_cast<const char*>(content.data()), static_cast<qint64>(content.size()))
                    != static_cast<qint64>(content.size())
                || !out.flush())
                return Error(ErrorCode::Io, "cannot write the download cache");
            out.close();
            QFile::remove(chunkPath);
            if (!QFile::rename(chunkPath + QStringLiteral(".tmp"), chunkPath))
                return Error(ErrorCode::Io, "cannot write the download cache");
        }
        const qint64 done = std::min<qint64>(total, static_cast<qint64>((i + 1) * info.chunkSize));
        emit m_messenger.transferProgress(messageId, done, total);
    }

    // Every chunk is here: decrypt in order, check the hash, then move into place.
    QString name = QFileInfo(QString::fromStdString(info.fileName)).fileName();
    if (name.isEmpty() || name.startsWith(QLatin1Char('.')))
        name = QStringLiteral("attachment");
    QString target = dir.filePath(name);
    for (int n = 1; QFile::exists(target); ++n)
        target = dir.filePath(QStringLiteral("%1 (%2)").arg(name).arg(n));
    QFile out(target + QStringLiteral(".part"));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error(ErrorCode::Io, "cannot write the attachment");
    crypto_secretstream_xchacha20poly1305_state stream;
    crypto_generichash_state hash;
    crypto_generichash_init(&hash, nullptr, 0, info.hash.size());
    Status decrypted = success();
    qint64 written = 0;
    Bytes plain;
    for (std::size_t i = 0; i < info.chunks.size() && decrypted.ok(); ++i) {
        QFile chunkFile(cache.filePath(QString::fromLatin1(blobOf(info.chunks[i]).toHex())));
        if (!chunkFile.open(QIODevice::ReadOnly)) {
            decrypted = Error(ErrorCode::Io, "a downloaded chunk vanished");
            break;
        }
        const QByteArray raw = chunkFile.readAll();
        const auto* data = reinterpret_cast<const std::uint8_t*>(raw.constData());
        std::size_t length = static_cast<std::size_t>(raw.size());
        if (i == 0) {
            if (info.key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES
                || length < crypto_secretstream_xchacha20poly1305_HEADERBYTES
                || crypto_secretstream_xchacha20poly1305_init_pull(&stream, data, info.key.data()) != 0) {
                decrypted = Error(ErrorCode::Crypto, "the attachment header is invalid");
                break;
            }
            data += crypto_secretstream_xchacha20poly1305_HEADERBYTES;
            length -= crypto_secretstream_xchacha20poly1305_HEADERBYTES;
        }
        if (length < crypto_secretstream_xchacha20poly1305_ABYTES) {
            decrypted = Error(ErrorCode::Crypto, "an attachment chunk is truncated");
            break;
        }
        plain.resize(length - crypto_secretstream_xchacha20poly1305_ABYTES);
        unsigned long long plainLength = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&stream, plain.data(), &plainLength, &tag, data, length, nullptr, 0) != 0
            || ((tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) != (i + 1 == info.chunks.size()))) {
            decrypted = Error(ErrorCode::Crypto, "an attachment chunk does not decrypt (tampered or out of order)");
            break;
        }
        crypto_generichash_update(&hash, plain.data(), plainLength);
        if (out.write(reinterpret_cast<const char*>(plain.data()), static_cast<qint64>(plainLength)) != static_cast<qint64>(plainLength)) {
            decrypted = Error(ErrorCode::Io, "cannot write the attachment");
            break;
        }
        written += static_cast<qint64>(plainLength);
    }
    sodium_memzero(&stream, sizeof stream);
    Key32 digest {};
    crypto_generichash_final(&hash, digest.data(), digest.size());
    out.close();
    if (decrypted.ok() && (written != total || !constantTimeEqual(digest, info.hash)))
        decrypted = Error(ErrorCode::Corrupt, "the attachment does not match its hash");
    if (!decrypted.ok()) {
        QFile::remove(target + QStringLiteral(".part"));
        return decrypted.error();
    }
    if (!QFile::rename(target + QStringLiteral(".part"), target))
        return Error(ErrorCode::Io, "cannot move the attachment into place");
    QDir(cache).removeRecursively();
    auto update = HIVE_TRY(m_messenger.m_vault.prepare("UPDATE msg_messages SET local_path = ?2, transferred = ?3 WHERE id = ?1"));
    HIVE_CHECK(update.bindInt64(1, messageId));
    HIVE_CHECK(update.bindText(2, target));
    HIVE_CHECK(update.bindInt64(3, total));
    HIVE_CHECK(update.run());
    emit m_messenger.messageChanged(chatId, messageId);
    return target;
}

} // namespace hive::messaging
