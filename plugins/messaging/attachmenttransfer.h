// AttachmentTransfer: the Messenger's attachments (docs/messaging.md, "Attachments").
//
// A file is encrypted in chunks with a fresh secretstream key; each encrypted chunk is one
// object on the sender's node, and the File payload carries the chunk ids, the key and the
// plaintext hash. Both directions run chunk by chunk from the event loop: a chunk is read,
// hashed and encrypted (or fetched, checked and decrypted) in one short step, the object
// store's reply continues the transfer, and at most MaxInFlight chunks per transfer are on
// the way at once, so memory stays bounded and the thread never waits for the network.
//
// Resuming. Download: fetched ciphertext chunks are cached by id in the download folder
// until the file is complete, so a retry fetches only the missing ones. Upload: the
// secretstream header and the ids of the chunks the node acknowledged (in order) are kept
// in the vault (msg_uploads, every PersistEvery chunks). Resuming re-encrypts the file from
// the start with the same key and header, which yields the same ciphertext (secretstream
// is deterministic given key, header and plaintext), and puts only chunks past the
// acknowledged prefix. A file that changed since (size, modification time, or a chunk id
// that no longer matches) is uploaded afresh under a new key. A change that keeps size and
// modification time and touches only chunks past the prefix is not seen; their earlier
// ciphertext (if it reached the node) then sits unreferenced on the sender's own node,
// readable only by its exact id, which nobody was given.
#pragma once

#include "messagecodec.h"

#include "identity/identity.h"
#include "wire/result.h"

#include <QObject>
#include <QString>

#include <map>
#include <memory>

namespace hive::messaging {

class Messenger;

class AttachmentTransfer : public QObject {
    Q_OBJECT

public:
    // Chunks of one transfer on the way to or from the node at the same time.
    static constexpr int MaxInFlight = 3;
    // The acknowledged prefix is written to the vault every this many chunks (and when an
    // upload stops): each write is a synced commit, so not one per chunk. After a crash at
    // most this many chunks are put again, which is harmless (objects are content-addressed).
    static constexpr std::size_t PersistEvery = 4;
    // The chunk list travels in one envelope (64 KiB), 32 bytes per chunk.
    static constexpr std::size_t MaxChunks = 1800;
    // A preview sent with the file; larger ones are refused (the codec allows up to 48 KiB).
    static constexpr std::size_t MaxThumbnailBytes = 16 * 1024;

    // `messenger` owns the transfer and outlives it.
    explicit AttachmentTransfer(Messenger& messenger);
    ~AttachmentTransfer() override;

    // Stores the outgoing File message and starts its upload; the payload is sent once every
    // chunk is on the node. An error only for what fails at once (unreadable file, too big).
    Result<qint64> sendFile(qint64 chatId, const QString& path, const Bytes& thumbnail = {});
    // Starts fetching a received attachment into `directory` (or joins the running fetch).
    Status download(qint64 messageId, const QString& directory);
    // Restarts every upload a crash or failure left unfinished and sends File payloads whose
    // upload finished but whose send did not; returns how many were restarted or sent.
    Result<int> resumeUploads();
    // Whether a transfer of this message is running.
    bool isRunning(qint64 messageId) const;
    // How many transfers are running.
    int running() const { return static_cast<int>(m_uploads.size() + m_downloads.size()); }

private:
    struct Upload;
    struct Download;

    // Creates the vault table that remembers unfinished uploads.
    Status ensureSchema();
    Status startUpload(qint64 messageId);
    // (Re)initialises an upload from its file; `fresh`: a new key and header.
    Status beginUpload(Upload& u, bool fresh);
    void pumpUpload(qint64 messageId, std::uint64_t serial);
    void onPut(qint64 messageId, std::uint64_t serial, std::size_t index, const Result<Key32>& result);
    // Records the acknowledged prefix (resume point) in the vault.
    Status saveProgress(Upload& u);
    void completeUpload(Upload& u);
    void failUpload(qint64 messageId, const Error& error);
    // Sends the complete File payload of a stored message and records its state (Sent,
    // Pending while the recipient's prekeys are fetched, or Failed).
    Status sendPayload(qint64 messageId, qint64 chatId, const Payload& payload);

    void pumpDownload(qint64 messageId, std::uint64_t serial);
    void onGot(qint64 messageId, std::uint64_t serial, std::size_t index, const Result<Bytes>& result);
    // Decrypts the next cached chunk in order and appends it to the part file.
    Status appendNext(Download& d);
    Status completeDownload(Download& d);
    void failDownload(qint64 messageId, const Error& error);

    // Runs pump(messageId, serial) from the event loop, once per turn.
    void schedule(qint64 messageId, std::uint64_t serial, bool upload);
    void finish(qint64 messageId, bool ok, const QString& error);

    Messenger& m_messenger;
    bool m_schemaReady = false;
    std::uint64_t m_nextSerial = 0;
    std::map<qint64, std::unique_ptr<Upload>> m_uploads;
    std::map<qint64, std::unique_ptr<Download>> m_downloads;
};

} // namespace hive::messaging
