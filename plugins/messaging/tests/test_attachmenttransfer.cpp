// Attachments between two Messengers in one process, with an object store whose replies
// finish later from the event loop (as the node's do): the event loop keeps running while
// a multi-chunk file goes up and down, progress only grows, at most MaxInFlight chunks are
// on the way, an interrupted download fetches only what is missing, a tampered chunk fails
// with a clear error and leaves no file, and an upload cut off by a "crash" (the Messenger
// destroyed mid-transfer) resumes putting only the chunks the node had not acknowledged. An
// image carries a small JPEG preview (made by MessengerBackend) the recipient has at once.
#include "messagingtestsupport.h"

#include "messaging/attachmenttransfer.h"
#include "messaging/ui/messengerbackend.h"

#include <QBuffer>
#include <QImage>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::core;
using namespace hive::messaging;
using namespace hive::messaging::testing;

namespace {

constexpr qint64 NowSeconds = 1'800'000'000;
constexpr int DelayMs = 15;

// The node's objects (in `nodes`), but every reply finishes DelayMs later from a timer.
class SlowObjects : public ObjectStore {
public:
    SlowObjects(FakeNodes& nodes, const Key& owner) : m_nodes(nodes), m_owner(owner) {}

    NodeReply<Key32> put(const Bytes& content) override
    {
        ++puts;
        const Key32 id = wire::proto::objectIdOf(content);
        NodeReply<Key32> reply;
        const bool fail = failPutsAfter >= 0 && puts > failPutsAfter;
        if (!fail)
            m_nodes.objects[m_owner][id] = content;
        track();
        QTimer::singleShot(DelayMs, &m_context, [this, reply, id, fail] {
            --pending;
            if (frozen)
                return;
            if (fail)
                reply.finish(Error(ErrorCode::Unavailable, "node unreachable (test)"));
            else
                reply.finish(id);
        });
        return reply;
    }

    NodeReply<Bytes> getShared(const Key& owner, const Key32& id) override
    {
        ++gets;
        NodeReply<Bytes> reply;
        Result<Bytes> result = Error(ErrorCode::Unavailable, "node unreachable (test)");
        if (failGetsAfter < 0 || gets <= failGetsAfter) {
            auto& space = m_nodes.objects[owner];
            auto it = space.find(id);
            result = it == space.end() ? Result<Bytes>(Error(ErrorCode::NotFound, "no such object")) : Result<Bytes>(it->second);
        }
        track();
        QTimer::singleShot(DelayMs, &m_context, [this, reply, result] {
            --pending;
            if (!frozen)
                reply.finish(result);
        });
        return reply;
    }

    int puts = 0;
    int gets = 0;
    int pending = 0;
    int maxPending = 0;
    int failPutsAfter = -1; // puts after this many fail (-1: never)
    int failGetsAfter = -1; // reads after this many fail (-1: never)
    bool frozen = false;    // no reply arrives any more (the process "died"); puts still land

private:
    void track()
    {
        ++pending;
        maxPending = std::max(maxPending, pending);
    }

    FakeNodes& m_nodes;
    Key m_owner;
    QObject m_context;
};



// Runs the event loop until `messageId`'s transfer reports its end; ok and error.
std::pair<bool, QString> awaitTransfer(Messenger& m, qint64 messageId, int timeoutMs = 20000)
{
    QSignalSpy finished(&m, &Messenger::transferFinished);
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        for (const auto& args : finished) {
            if (args.at(0).toLongLong() == messageId)
                return {args.at(1).toBool(), args.at(2).toString()};
        }
        if (clock.elapsed() > timeoutMs || !finished.wait(timeoutMs))
            return {false, QStringLiteral("timed out")};
    }
}

bool nonDecreasing(const QSignalSpy& progress, qint64 messageId, qint64 total)
{
    qint64 last = -1;
    int seen = 0;
    for (const auto& args : progress) {
        if (args.at(0).toLongLong() != messageId)
            continue;
        const qint64 done = args.at(1).toLongLong();
        if (done < last || done > total || args.at(2).toLongLong() != total)
            return false;
        last = done;
        ++seen;
    }
    return seen > 0 && last == total;
}

} // namespace

class TestAttachmentTransfer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SignalContext> m_signal;
    std::unique_ptr<FakeNodes> m_nodes;
    std::vector<std::unique_ptr<Person>> m_people;
    std::vector<std::unique_ptr<SlowObjects>> m_stores;
    int m_counter = 0;

    struct Pair {
        Person* alice = nullptr;
        Person* bob = nullptr;
        SlowObjects* aliceStore = nullptr;
        SlowObjects* bobStore = nullptr;
        qint64 chat = 0;
    };

    Person& person(const char* name)
    {
        m_people.push_back(std::make_unique<Person>(m_dir.path(), QString::fromLatin1(name) + QString::number(++m_counter),
                                                    *m_nodes, *m_signal));
        Person& p = *m_people.back();
        (void)p.messenger->publishKeys();
        m_stores.push_back(std::make_unique<SlowObjects>(*m_nodes, p.publicKey()));
        p.messenger->setObjectStore(m_stores.back().get());
        return p;
    }

    Pair pair()
    {
        Pair p;
        p.alice = &person("Alice");
        p.aliceStore = m_stores.back().get();
        p.bob = &person("Bob");
        p.bobStore = m_stores.back().get();
        befriend(*p.alice, *p.bob);
        p.chat = p.alice->messenger->chatWithContact(p.alice->contacts->findByKey(p.bob->publicKey())->id).value();
        return p;
    }

    QString writeFile(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name + QString::number(++m_counter));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            return QString();
        return path;
    }

    static QByteArray randomData(qsizetype size)
    {
        QByteArray data(size, '\0');
        randombytes_buf(data.data(), static_cast<std::size_t>(data.size()));
        return data;
    }

    // Delivers the File message to Bob; its id there.
    qint64 receiveFile(Pair& p)
    {
        const auto got = deliver(*m_nodes, *p.bob);
        for (const auto& r : got) {
            if (r.outcome == ReceiveResult::Outcome::Stored)
                return r.messageId;
        }
        return 0;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        QVERIFY(m_dir.isValid());
        m_signal = std::move(SignalContext::create().value());
    }

    void init() { m_nodes = std::make_unique<FakeNodes>(); }
    void cleanup()
    {
        m_people.clear();
        m_stores.clear();
    }

    void eventLoopRunsWhileAMultiChunkFileGoesUpAndDown()
    {
        Pair p = pair();
        const QByteArray data = randomData(static_cast<qsizetype>(Messenger::AttachmentChunk * 5 + 1234));
        const QString source = writeFile(QStringLiteral("photo.bin"), data);
        QVERIFY(!source.isEmpty());
        int ticks = 0;
        QTimer ticker;
        ticker.setTimerType(Qt::PreciseTimer);
        ticker.setInterval(2);
        connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
        ticker.start();

        QSignalSpy upProgress(p.alice->messenger.get(), &Messenger::transferProgress);
        auto sent = p.alice->messenger->sendFile(p.chat, source);
        QVERIFY2(sent.ok(), sent.ok() ? "" : sent.error().message());
        // sendFile returned before any chunk was put: the upload runs from the event loop.
        QVERIFY(p.alice->messenger->transferRunning(*sent));
        QCOMPARE(p.aliceStore->puts, 0);
        QCOMPARE(p.alice->messenger->message(*sent)->state, ChatMessage::State::Pending);
        QVERIFY(m_nodes->inboxes[p.bob->publicKey()].empty());
        QElapsedTimer elapsed;
        elapsed.start();
        const auto up = awaitTransfer(*p.alice->messenger, *sent);
        QVERIFY2(up.first, qPrintable(up.second));
        qInfo("upload: %lld ms, %d ticks", elapsed.elapsed(), ticks);
        // 6 chunks at 15 ms each, at most MaxInFlight at once: the timer ticked throughout.
        QVERIFY2(ticks >= 5, qPrintable(QString::number(ticks)));
        QCOMPARE(p.aliceStore->puts, 6);
        QVERIFY(p.aliceStore->maxPending >= 2);
        QVERIFY(p.aliceStore->maxPending <= AttachmentTransfer::MaxInFlight);
        QVERIFY(nonDecreasing(upProgress, *sent, data.size()));
        QCOMPARE(p.alice->messenger->message(*sent)->state, ChatMessage::State::Sent);
        QCOMPARE(p.alice->messenger->message(*sent)->attachment->transferred, qint64(data.size()));
        // The node holds only ciphertext.
        for (const auto& [id, content] : m_nodes->objects[p.alice->publicKey()])
            QVERIFY(!QByteArray(reinterpret_cast<const char*>(content.data()), qsizetype(content.size())).contains(data.mid(100, 64)));

        const qint64 received = receiveFile(p);
        QVERIFY(received != 0);
        QCOMPARE(p.bob->messenger->message(received)->attachment->size, qint64(data.size()));
        ticks = 0;
        QSignalSpy downProgress(p.bob->messenger.get(), &Messenger::transferProgress);
        const QString downloads = m_dir.filePath(QStringLiteral("dl-%1").arg(++m_counter));
        QVERIFY(p.bob->messenger->downloadAttachment(received, downloads).ok());
        QVERIFY(p.bob->messenger->message(received)->attachment->localPath.isEmpty());
        const auto down = awaitTransfer(*p.bob->messenger, received);
        QVERIFY2(down.first, qPrintable(down.second));
        QVERIFY2(ticks >= 5, qPrintable(QString::number(ticks)));
        QCOMPARE(p.bobStore->gets, 6);
        QVERIFY(p.bobStore->maxPending <= AttachmentTransfer::MaxInFlight);
        QVERIFY(nonDecreasing(downProgress, received, data.size()));
        const auto saved = p.bob->messenger->message(received)->attachment;
        QCOMPARE(saved->transferred, qint64(data.size()));
        QFile file(saved->localPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == data);
        // The chunk cache is gone once the file is complete.
        QCOMPARE(QDir(downloads).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 1);
    }

    void twoUploadsRunAtOnceEachWithinItsBound()
    {
        Pair p = pair();
        const QByteArray first = randomData(static_cast<qsizetype>(Messenger::AttachmentChunk * 6));
        const QByteArray second = randomData(static_cast<qsizetype>(Messenger::AttachmentChunk * 6));
        auto a = p.alice->messenger->sendFile(p.chat, writeFile(QStringLiteral("a.bin"), first));
        auto b = p.alice->messenger->sendFile(p.chat, writeFile(QStringLiteral("b.bin"), second));
        QVERIFY(a.ok() && b.ok());
        QVERIFY(p.alice->messenger->transferRunning(*a) && p.alice->messenger->transferRunning(*b));
        QVERIFY(awaitTransfer(*p.alice->messenger, *a).first);
        QVERIFY(!p.alice->messenger->transferRunning(*a));
        if (p.alice->messenger->transferRunning(*b))
            QVERIFY(awaitTransfer(*p.alice->messenger, *b).first);
        QCOMPARE(p.alice->messenger->message(*b)->state, ChatMessage::State::Sent);
        // Both were on the way together, neither beyond its own bound.
        QVERIFY(p.aliceStore->maxPending > AttachmentTransfer::MaxInFlight);
        QVERIFY(p.aliceStore->maxPending <= 2 * AttachmentTransfer::MaxInFlight);
        QCOMPARE(p.aliceStore->puts, 12);
    }

    void interruptedDownloadFetchesOnlyTheMissingChunks()
    {
        Pair p = pair();
        const QByteArray data = randomData(static_cast<qsizetype>(Messenger::AttachmentChunk * 3 + Messenger::AttachmentChunk / 2));
        auto sent = p.alice->messenger->sendFile(p.chat, writeFile(QStringLiteral("doc.bin"), data));
        QVERIFY(sent.ok());
        QVERIFY(awaitTransfer(*p.alice->messenger, *sent).first);
        const qint64 received = receiveFile(p);
        QVERIFY(received != 0);

        // The node goes away after two chunks.
        const QString downloads = m_dir.filePath(QStringLiteral("dl-%1").arg(++m_counter));
        p.bobStore->failGetsAfter = 2;
        QVERIFY(p.bob->messenger->downloadAttachment(received, downloads).ok());
        const auto failed = awaitTransfer(*p.bob->messenger, received);
        QVERIFY(!failed.first);
        QVERIFY2(failed.second.contains(QLatin1String("unreachable")), qPrintable(failed.second));
        QVERIFY(QDir(downloads).entryList(QDir::Files).isEmpty());
        QVERIFY(p.bob->messenger->message(received)->attachment->localPath.isEmpty());

        p.bobStore->failGetsAfter = -1;
        p.bobStore->gets = 0;
        QVERIFY(p.bob->messenger->downloadAttachment(received, downloads).ok());
        const auto done = awaitTransfer(*p.bob->messenger, received);
        QVERIFY2(done.first, qPrintable(done.second));
        QCOMPARE(p.bobStore->gets, 2);
        QFile file(p.bob->messenger->message(received)->attachment->localPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == data);
    }

    void tamperedChunkFailsClearlyAndLeavesNoFile()
    {
        Pair p = pair();
        const QByteArray data = randomData(static_cast<qsizetype>(Messenger::AttachmentChunk * 2 + 77));
        auto sent = p.alice->messenger->sendFile(p.chat, writeFile(QStringLiteral("x.bin"), data));
        QVERIFY(sent.ok());
        QVERIFY(awaitTransfer(*p.alice->messenger, *sent).first);
        const qint64 received = receiveFile(p);
        QVERIFY(received != 0);
        // A chunk changed on the node.
        auto& space = m_nodes->objects[p.alice->publicKey()];
        Bytes& some = std::next(space.begin())->second;
        some[some.size() / 2] ^= 1;
        const QString downloads = m_dir.filePath(QStringLiteral("dl-%1").arg(++m_counter));
        QVERIFY(p.bob->messenger->downloadAttachment(received, downloads).ok());
        const auto result = awaitTransfer(*p.bob->messenger, received);
        QVERIFY(!result.first);
        QCOMPARE(result.second, QStringLiteral("an attachment chunk does not match its id"));
        QVERIFY(QDir(downloads).entryList(QDir::Files).isEmpty());
        QDirIterator all(downloads, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (all.hasNext())
            QVERIFY2(!all.next().endsWith(QLatin1String(".part")), "a part file was left behind");
        QVERIFY(p.bob->messenger->message(received)->attachment->localPath.isEmpty());
    }

    void uploadCutOffByACrashResumesWithOnlyTheMissingChunks()
    {
        Pair p = pair();
        const QByteArray data = randomData(static_cast<qsizetype>(Messenger::AttachmentChunk * 7 + 5));
        const QString source = writeFile(QStringLiteral("video.bin"), data);
        auto sent = p.alice->messenger->sendFile(p.chat, source);
        QVERIFY(sent.ok());
        // "Crash" once the acknowledged prefix was recorded: no reply arrives after that
        // (the chunks in flight still land on the node), then the Messenger goes away.
        constexpr auto Recorded = qint64(AttachmentTransfer::PersistEvery);
        qint64 acked = -1;
        connect(p.alice->messenger.get(), &Messenger::transferProgress, this, [&](qint64, qint64 done, qint64) {
            if (acked < 0 && done >= Recorded * qint64(Messenger::AttachmentChunk)) {
                acked = done / qint64(Messenger::AttachmentChunk);
                p.aliceStore->frozen = true;
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(acked >= 0 && p.aliceStore->pending == 0, 10000);
        QCOMPARE(acked, Recorded);
        QVERIFY(p.alice->messenger->transferRunning(*sent));
        p.alice->messenger.reset();
        p.aliceStore->frozen = false;
        QVERIFY(m_nodes->inboxes[p.bob->publicKey()].empty());

        auto reopened = Messenger::create(*p.alice->vault, *p.alice->identity, *p.alice->contacts, *m_signal,
                                          *p.alice->directory, p.alice->transport);
        QVERIFY(reopened.ok());
        p.alice->messenger = std::move(*reopened);
        p.alice->messenger->setClock([a = p.alice] { return a->clock; });
        p.alice->messenger->setObjectStore(p.aliceStore);
        const int putsBefore = p.aliceStore->puts;
        QCOMPARE(p.alice->messenger->message(*sent)->state, ChatMessage::State::Pending);
        QCOMPARE(p.alice->messenger->resumeUploads().valueOr(-1), 1);
        const auto resumed = awaitTransfer(*p.alice->messenger, *sent);
        QVERIFY2(resumed.first, qPrintable(resumed.second));
        // Re-encrypting from the start gave the same chunks; only the unacknowledged went up.
        QCOMPARE(p.aliceStore->puts - putsBefore, 8 - int(acked));
        QCOMPARE(int(m_nodes->objects[p.alice->publicKey()].size()), 8);
        QCOMPARE(p.alice->messenger->message(*sent)->state, ChatMessage::State::Sent);
        // Nothing left to resume.
        QCOMPARE(p.alice->messenger->resumeUploads().valueOr(-1), 0);

        const qint64 received = receiveFile(p);
        QVERIFY(received != 0);
        QVERIFY(p.bob->messenger->downloadAttachment(received, m_dir.filePath(QStringLiteral("dl-%1").arg(++m_counter))).ok());
        QVERIFY(awaitTransfer(*p.bob->messenger, received).first);
        QFile file(p.bob->messenger->message(received)->attachment->localPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == data);
    }

    void imagesCarryASmallPreviewThatArrivesBeforeTheDownload()
    {
        Pair p = pair();
        // A noisy 1600x1200 photo: its JPEG is far larger than a preview may be.
        QImage photo(1600, 1200, QImage::Format_RGB32);
        for (int y = 0; y < photo.height(); ++y)
            for (int x = 0; x < photo.width(); ++x)
                photo.setPixel(x, y, qRgb(int(randombytes_uniform(256)), (x * 255) / 1600, (y * 255) / 1200));
        const QString path = m_dir.filePath(QStringLiteral("photo-%1.jpg").arg(++m_counter));
        QVERIFY(photo.save(path, "JPEG", 90));
        QVERIFY(QFileInfo(path).size() > qint64(AttachmentTransfer::MaxThumbnailBytes));

        // The UI side (MessengerBackend) makes the preview.
        ui::MessengerBackend backend(*p.alice->messenger);
        auto sent = backend.sendFile(p.chat, path);
        QVERIFY2(sent.ok(), sent.ok() ? "" : sent.error().message());
        QVERIFY(awaitTransfer(*p.alice->messenger, *sent).first);
        const qint64 received = receiveFile(p);
        QVERIFY(received != 0);
        const auto attachment = p.bob->messenger->message(received)->attachment;
        QVERIFY(attachment->isImage);
        QVERIFY(attachment->localPath.isEmpty()); // not downloaded, yet the preview is there
        QVERIFY(!attachment->thumbnail.isEmpty());
        QVERIFY(std::size_t(attachment->thumbnail.size()) <= AttachmentTransfer::MaxThumbnailBytes);
        QImage preview;
        QVERIFY(preview.loadFromData(attachment->thumbnail, "JPEG"));
        QCOMPARE(std::max(preview.width(), preview.height()), 320);
        QCOMPARE(preview.width() * 3, preview.height() * 4);

        // Not an image: no preview. Too large a preview: refused.
        auto plain = backend.sendFile(p.chat, writeFile(QStringLiteral("notes.txt"), "just text"));
        QVERIFY(plain.ok());
        QVERIFY(awaitTransfer(*p.alice->messenger, *plain).first);
        QVERIFY(p.alice->messenger->message(*plain)->attachment->thumbnail.isEmpty());
        const auto tooLarge = p.alice->messenger->sendFile(p.chat, path, Bytes(AttachmentTransfer::MaxThumbnailBytes + 1, 0xff));
        QVERIFY(!tooLarge.ok());
        QCOMPARE(tooLarge.error().code(), ErrorCode::TooLarge);
    }

    // What the conversation needs from the real messenger: the preview on the received row
    // before the download, the failure forwarded, and a retry that fetches the file into the
    // app's attachment directory.
    void backendShowsThePreviewForwardsAFailureAndRetries()
    {
        Pair p = pair();
        QImage photo(400, 300, QImage::Format_RGB32);
        photo.fill(qRgb(30, 140, 90));
        const QString path = m_dir.filePath(QStringLiteral("photo-%1.png").arg(++m_counter));
        QVERIFY(photo.save(path));
        ui::MessengerBackend sender(*p.alice->messenger);
        auto sent = sender.sendFile(p.chat, path);
        QVERIFY(sent.ok());
        QVERIFY(awaitTransfer(*p.alice->messenger, *sent).first);
        const qint64 received = receiveFile(p);
        QVERIFY(received != 0);

        const QString downloads = m_dir.filePath(QStringLiteral("dl-%1").arg(++m_counter));
        ui::MessengerBackend backend(*p.bob->messenger, downloads);
        const qint64 bobChat = p.bob->messenger->message(received)->chatId;
        auto rows = backend.messages(bobChat, 10, 0);
        QVERIFY(rows.ok());
        const auto row = std::find_if(rows->begin(), rows->end(), [&](const ui::MessageRow& r) { return r.id == received; });
        QVERIFY(row != rows->end() && row->attachment);
        QVERIFY(row->attachment->localPath.isEmpty());
        QImage preview;
        QVERIFY(preview.loadFromData(row->attachment->thumbnail, "JPEG"));
        QCOMPARE(preview.size(), QSize(320, 240));

        // The node cannot be reached: the failure reaches the backend's listeners.
        QSignalSpy finished(&backend, &ui::ChatBackend::transferFinished);
        p.bobStore->failGetsAfter = 0;
        QVERIFY(p.bob->messenger->downloadAttachment(received, downloads).ok());
        QVERIFY(!awaitTransfer(*p.bob->messenger, received).first);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toLongLong(), received);
        QCOMPARE(finished.at(0).at(1).toBool(), false);
        QVERIFY(!finished.at(0).at(2).toString().isEmpty());

        // Without a directory a download cannot be retried.
        ui::MessengerBackend nowhere(*p.bob->messenger);
        QCOMPARE(nowhere.retryTransfer(received).error().code(), ErrorCode::InvalidArgument);

        // Retried once it can be: the file lands in the attachment directory.
        p.bobStore->failGetsAfter = -1;
        QVERIFY(backend.retryTransfer(received).ok());
        const auto done = awaitTransfer(*p.bob->messenger, received);
        QVERIFY2(done.first, qPrintable(done.second));
        const QString local = p.bob->messenger->message(received)->attachment->localPath;
        QVERIFY2(local.startsWith(downloads), qPrintable(local));
        QCOMPARE(QImage(local).size(), photo.size());

        // Once the file is here a retry has nothing to do; a message without a file none either.
        QVERIFY(backend.retryTransfer(received).ok());
        const qint64 text = p.bob->messenger->sendText(bobChat, QStringLiteral("thanks")).value();
        QCOMPARE(backend.retryTransfer(text).error().code(), ErrorCode::InvalidArgument);
    }

    void aMessageThatDisappearsDuringItsUploadIsNotSent()
    {
        Pair p = pair();
        QVERIFY(p.alice->messenger->setDisappearing(p.chat, 30).ok());
        deliver(*m_nodes, *p.bob);
        auto sent = p.alice->messenger->sendFile(p.chat, writeFile(QStringLiteral("brief.bin"), randomData(3 << 20)));
        QVERIFY(sent.ok());
        p.alice->clock += 31'000;
        QCOMPARE(p.alice->messenger->purgeExpired().valueOr(-1), 1);
        const auto result = awaitTransfer(*p.alice->messenger, *sent);
        QVERIFY(!result.first);
        QVERIFY2(result.second.contains(QLatin1String("deleted")), qPrintable(result.second));
        QVERIFY(m_nodes->inboxes[p.bob->publicKey()].empty());
        QVERIFY(!p.alice->messenger->message(*sent).ok());
        QCOMPARE(p.alice->messenger->resumeUploads().valueOr(-1), 0);
    }

    void failedUploadResumesAndAChangedFileStartsAfreshUnderANewKey()
    {
        Pair p = pair();
        QByteArray data = randomData(static_cast<qsizetype>(Messenger::AttachmentChunk * 4));
        const QString source = writeFile(QStringLiteral("draft.bin"), data);
        p.aliceStore->failPutsAfter = 2;
        auto sent = p.alice->messenger->sendFile(p.chat, source);
        QVERIFY(sent.ok());
        const auto failed = awaitTransfer(*p.alice->messenger, *sent);
        QVERIFY(!failed.first);
        QCOMPARE(p.alice->messenger->message(*sent)->state, ChatMessage::State::Failed);
        QVERIFY(m_nodes->inboxes[p.bob->publicKey()].empty());

        // The file changes before the retry: the old key must not encrypt the new bytes.
        const auto oldIds = m_nodes->objects[p.alice->publicKey()];
        data[10] = static_cast<char>(data[10] ^ 0x55);
        data.append("tail");
        {
            QFile f(source);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(f.write(data), data.size());
        }
        p.aliceStore->failPutsAfter = -1;
        p.aliceStore->puts = 0;
        QCOMPARE(p.alice->messenger->resumeUploads().valueOr(-1), 1);
        const auto resumed = awaitTransfer(*p.alice->messenger, *sent);
        QVERIFY2(resumed.first, qPrintable(resumed.second));
        QCOMPARE(p.aliceStore->puts, 5); // every chunk of the new content, none skipped
        // The first chunk starts with the secretstream header: the new one is not the old
        // one (same key and header over different bytes would leak their XOR to the node).
        const std::size_t firstSize = crypto_secretstream_xchacha20poly1305_HEADERBYTES + Messenger::AttachmentChunk
            + crypto_secretstream_xchacha20poly1305_ABYTES;
        std::vector<Bytes> headers;
        for (const auto& [id, content] : m_nodes->objects[p.alice->publicKey()]) {
            if (content.size() == firstSize)
                headers.emplace_back(content.begin(), content.begin() + crypto_secretstream_xchacha20poly1305_HEADERBYTES);
        }
        QCOMPARE(int(headers.size()), 2);
        QVERIFY(headers[0] != headers[1]);
        QCOMPARE(int(m_nodes->objects[p.alice->publicKey()].size()), int(oldIds.size()) + 5);
        const qint64 received = receiveFile(p);
        QVERIFY(received != 0);
        QVERIFY(p.bob->messenger->downloadAttachment(received, m_dir.filePath(QStringLiteral("dl-%1").arg(++m_counter))).ok());
        QVERIFY(awaitTransfer(*p.bob->messenger, received).first);
        QFile file(p.bob->messenger->message(received)->attachment->localPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll() == data);
    }
};

QTEST_GUILESS_MAIN(TestAttachmentTransfer)
#include "test_attachmenttransfer.moc"
