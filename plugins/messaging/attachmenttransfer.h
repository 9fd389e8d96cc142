// AttachmentTransfer: the Messenger's attachments (docs/messaging.md, "Attachments"). A
// file is encrypted in chunks with a fresh secretstream key, each chunk one object on the
// sender's node; the File payload carries the chunk ids, key and plaintext hash.
#pragma once

#include "wire/result.h"

#include <QObject>
#include <QString>

namespace hive::messaging {

class Messenger;

class AttachmentTransfer : public QObject {
    Q_OBJECT

public:
    // `messenger` owns the transfer and outlives it.
    explicit AttachmentTransfer(Messenger& messenger);

    // Stores the outgoing File message, uploads the chunks and sends the payload.
    Result<qint64> sendFile(qint64 chatId, const QString& path);
    // Fetches a received attachment into `directory` (cached chunks are kept); its path.
    Result<QString> download(qint64 messageId, const QString& directory);

private:
    Messenger& m_messenger;
};

} // namespace hive::messaging
