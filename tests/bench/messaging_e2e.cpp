// messaging_e2e: what a message costs from send to decrypted-and-stored on the receiver.
//   1:1     Alice -> Bob through one real hive-node on 127.0.0.1: Alice's Messenger
//           encrypts, seals and queues in her Outbox, the Outbox posts to Bob's node, Bob's
//           Inbox fetches, his Messenger decrypts and stores (vault commit), the Inbox acks.
//           Latency is one message at a time; throughput is a batch of messages.
//   group   Alice and 9 members (a group of 10) with sender keys; bodies are handed from
//           Alice to each member in process (no node), so it is the crypto and storage
//           cost of a fan-out; latency is until the last member stored it.
//   attachment  Bob sends a 16 MiB file: chunks encrypted and put on his node (upload), then
//           Alice fetches them with objects.getShared, decrypts and checks (download). 16
//           chunks stay inside the node's burst of shared reads per friend.
// Prints one table. Usage: messaging_e2e [--messages N] (uses the build's hive-node)
#include "nodeprocess.h"

#include "identity/identity.h"
#include "inbox/inbox.h"
#include "inbox/outbox.h"
#include "messaging/messenger.h"
#include "messaging/nodeadapters.h"
#include "node/nodeclient.h"
#include "node/nodecredentials.h"
#include "signal/signalcontext.h"
#include "trust/contacts.h"
#include "vault/vault.h"
#include "wire/contactcard.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>

using namespace hive;
using namespace hive::core;
using namespace hive::messaging;
using Key = Identity::PublicKey;

namespace {

template <typename T>
T must(Result<T> r, const char* what)
{
    if (!r.ok()) {
        std::fprintf(stderr, "messaging_e2e: %s: %s\n", what, r.error().message());
        std::exit(1);
    }
    return std::move(r).value();
}

void must(const Status& s, const char* what)
{
    if (!s.ok()) {
        std::fprintf(stderr, "messaging_e2e: %s: %s\n", what, s.error().message());
        std::exit(1);
    }
}

wire::ContactCard cardOf(const Identity& who, std::optional<wire::NodeAddress> node)
{
    wire::ContactCard card;
    card.identityKey = who.publicKey();
    card.displayName = who.displayName().toStdString();
    card.node = std::move(node);
    card.inviteSecret = Bytes(16, 0x11);
    card.expires = 4'000'000'000ULL;
    const Bytes sig = must(who.sign(card.signedBytes()), "signing a card");
    std::copy(sig.begin(), sig.end(), card.signature.begin());
    return card;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// In-process mailboxes for the group run.
struct Mailboxes {
    std::map<Key, std::deque<Bytes>> boxes;
    std::map<Key, std::pair<Bytes, std::deque<Bytes>>> keys;
};

class MemTransport : public MessageTransport {
public:
    explicit MemTransport(Mailboxes& m) : m_boxes(m) {}
    Status send(const Key& to, const Bytes& body) override
    {
        m_boxes.boxes[to].push_back(body);
        return success();
    }

private:
    Mailboxes& m_boxes;
};

class MemDirectory : public KeyDirectory {
public:
    MemDirectory(Mailboxes& m, const Key& owner) : m_boxes(m), m_owner(owner) {}
    Status publish(const Bytes& bundle, std::uint32_t, const std::vector<Bytes>& prekeys) override
    {
        auto& k = m_boxes.keys[m_owner];
        k.first = bundle;
        k.second.insert(k.second.end(), prekeys.begin(), prekeys.end());
        return success();
    }
    Result<int> remainingPrekeys(std::uint32_t) override { return static_cast<int>(m_boxes.keys[m_owner].second.size()); }
    NodeReply<Fetched> fetch(const Key& person) override
    {
        auto& k = m_boxes.keys[person];
        Fetched f;
        f.bundle = k.first;
        if (!k.second.empty()) {
            f.prekey = k.second.front();
            k.second.pop_front();
        }
        return NodeReply<Fetched>::finished(std::move(f));
    }

private:
    Mailboxes& m_boxes;
    Key m_owner;
};

// A person with a vault in `dir`.
struct Person {
    std::unique_ptr<Vault> vault;
    std::unique_ptr<Identity> identity;
    std::unique_ptr<Contacts> contacts;
    Person(const QString& dir, const QString& name)
    {
        vault = must(Vault::create(dir + QLatin1Char('/') + name + QStringLiteral(".vault"), VaultKey::random()), "vault");
        identity = must(Identity::create(*vault, name), "identity");
        contacts = must(Contacts::create(*vault, *identity), "contacts");
    }
};

// Bob's sends (receipts) go nowhere, except while `capture` is set.
class CaptureTransport : public MessageTransport {
public:
    bool capture = false;
    std::vector<Bytes> bodies;
    Status send(const Key&, const Bytes& body) override
    {
        if (capture)
            bodies.push_back(body);
        return success();
    }
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // libsignal's per-message notices would drown the table.
    QLoggingCategory::setFilterRules(QStringLiteral("hive.signal=false\nhive.messaging=false\nhive.node.client=false\nhive.inbox=false\nhive.outbox=false"));
    if (sodium_init() < 0)
        return 1;
    int count = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (QString::fromLocal8Bit(argv[i]) == QLatin1String("--messages"))
            count = std::max(10, QString::fromLocal8Bit(argv[i + 1]).toInt());
    }
    QTemporaryDir dir;
    auto signal = must(SignalContext::create(), "signal context");

    // ---- 1:1 through one node ----
    Person alice(dir.path(), QStringLiteral("Alice"));
    Person bob(dir.path(), QStringLiteral("Bob"));
    test::NodeProcess node(bob.identity->publicKey(), QString(), QStringLiteral("96M"));
    if (!node.initialized() || !node.start()) {
        std::fprintf(stderr, "messaging_e2e: hive-node did not start:\n%s\n", qPrintable(node.log()));
        return 1;
    }
    must(alice.contacts->addCard(cardOf(*bob.identity, node.address()), CardSource::ScannedQr, 1'800'000'000), "card");
    must(bob.contacts->addCard(cardOf(*alice.identity, std::nullopt), CardSource::ScannedQr, 1'800'000'000), "card");

    NodeClient bobClient(must(NodeCredentials::fromIdentity(*bob.identity), "credentials"));
    bobClient.connectTo(node.address());
    must(bobClient.waitConnected().wait(), "connecting Bob");
    NodeKeyDirectory bobDirectory(bobClient, *bob.identity, *bob.contacts);
    CaptureTransport bobTransport; // Bob's receipts are encrypted but go nowhere (Alice has no node here)
    auto bobMessenger = must(Messenger::create(*bob.vault, *bob.identity, *bob.contacts, *signal, bobDirectory, bobTransport), "Bob's messenger");
    must(bobMessenger->publishKeys(), "publishing Bob's keys");
    auto inbox = must(Inbox::create(*bob.vault, *bob.identity, bobClient), "inbox");
    MessengerInboxHandler handler(*bobMessenger);
    inbox->registerHandler(wire::EnvelopeKind::Signal, &handler);

    NodeClient aliceOwn(must(NodeCredentials::fromIdentity(*alice.identity), "credentials"));
    NodeKeyDirectory aliceDirectory(aliceOwn, *alice.identity, *alice.contacts);
    auto outbox = must(Outbox::create(*alice.vault, *alice.identity), "outbox");
    OutboxTransport aliceTransport(*outbox, *alice.contacts);
    auto aliceMessenger = must(Messenger::create(*alice.vault, *alice.identity, *alice.contacts, *signal, aliceDirectory, aliceTransport), "Alice's messenger");
    NodeObjectStore bobObjects(bobClient, *bob.identity, *bob.contacts);
    NodeObjectStore aliceObjects(aliceOwn, *alice.identity, *alice.contacts);
    bobMessenger->setObjectStore(&bobObjects);
    aliceMessenger->setObjectStore(&aliceObjects);
    const qint64 chat = must(aliceMessenger->chatWithContact(must(alice.contacts->findByKey(bob.identity->publicKey()), "contact").id), "chat");

    int stored = 0;
    QObject::connect(bobMessenger.get(), &Messenger::messageAdded, [&] { ++stored; });
    std::vector<double> latencies;
    QElapsedTimer clock;
    // Vault commits (each a journal write and fsync): Alice's per sendText, Bob's per
    // message synced (inbox bookkeeping + receive); the first message (X3DH) is left out.
    std::uint64_t sendCommits = 0, receiveCommits = 0;
    for (int i = 0; i < count; ++i) {
        clock.start();
        const std::uint64_t aliceBefore = alice.vault->commitCount();
        must(aliceMessenger->sendText(chat, QStringLiteral("message %1").arg(i)), "send");
        must(aliceMessenger->whenIdle().wait(), "prekeys"); // the first send fetches Bob's keys
        const std::uint64_t aliceAfter = alice.vault->commitCount();
        must(outbox->flush().wait(), "flush");
        const std::uint64_t bobBefore = bob.vault->commitCount();
        must(inbox->sync().wait(), "sync");
        latencies.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        if (i > 0) {
            sendCommits += aliceAfter - aliceBefore;
            receiveCommits += bob.vault->commitCount() - bobBefore;
        }
    }
    // Within the node's burst of anonymous posts (30; then 600/min for all anonymous
    // senders together): beyond it the Outbox backs off, which measures the limit, not us.
    const int batch = std::min(count, 25);
    clock.start();
    for (int i = 0; i < batch; ++i)
        must(aliceMessenger->sendText(chat, QStringLiteral("batch %1").arg(i)), "send");
    must(outbox->flush().wait(), "flush");
    while (stored < count + batch) {
        const int got = must(inbox->sync().wait(), "sync");
        if (got == 0)
            break;
    }
    const double batchSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    if (stored != count + batch)
        std::fprintf(stderr, "messaging_e2e: only %d of %d messages arrived\n", stored, count + batch);

    // ---- attachment: Bob -> Alice, chunks on Bob's node ----
    constexpr qint64 FileBytes = 16 << 20;
    const QString filePath = dir.filePath(QStringLiteral("attachment.bin"));
    {
        QFile f(filePath);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        QByteArray block(1 << 20, '\0');
        for (qint64 i = 0; i < FileBytes / block.size(); ++i) {
            randombytes_buf(block.data(), static_cast<std::size_t>(block.size()));
            f.write(block);
        }
    }
    const qint64 bobChat = must(bobMessenger->chatWithContact(must(bob.contacts->findByKey(alice.identity->publicKey()), "contact").id), "chat");
    bobTransport.bodies.clear();
    bobTransport.capture = true;
    // A transfer runs from the event loop and ends with transferFinished.
    const auto awaitTransfer = [](Messenger& m, qint64 messageId, const char* what) {
        QEventLoop loop;
        bool ok = false;
        QString error;
        QObject::connect(&m, &Messenger::transferFinished, &loop, [&](qint64 id, bool done, const QString& why) {
            if (id != messageId)
                return;
            ok = done;
            error = why;
            loop.quit();
        });
        if (m.transferRunning(messageId))
            loop.exec();
        if (!ok)
            std::fprintf(stderr, "messaging_e2e: %s failed: %s\n", what, qPrintable(error));
    };
    clock.start();
    const qint64 sentFile = must(bobMessenger->sendFile(bobChat, filePath), "sending the file");
    awaitTransfer(*bobMessenger, sentFile, "the upload");
    const double uploadSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    bobTransport.capture = false;
    qint64 fileMessage = 0;
    for (const Bytes& body : bobTransport.bodies) {
        auto r = must(aliceMessenger->receive(body, 0), "receiving the file message");
        if (r.outcome == ReceiveResult::Outcome::Stored)
            fileMessage = r.messageId;
    }
    clock.start();
    must(aliceMessenger->downloadAttachment(fileMessage, dir.filePath(QStringLiteral("downloads"))), "download");
    awaitTransfer(*aliceMessenger, fileMessage, "the download");
    const QString saved = must(aliceMessenger->message(fileMessage), "the downloaded message").attachment.value_or(Attachment {}).localPath;
    const double downloadSeconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    if (QFileInfo(saved).size() != FileBytes)
        std::fprintf(stderr, "messaging_e2e: the downloaded file has the wrong size\n");

    // ---- group of 10, in process ----
    Mailboxes boxes;
    std::vector<std::unique_ptr<Person>> people;
    std::vector<std::unique_ptr<MemDirectory>> directories;
    std::vector<std::unique_ptr<MemTransport>> transports;
    std::vector<std::unique_ptr<Messenger>> messengers;
    for (int i = 0; i < 10; ++i) {
        people.push_back(std::make_unique<Person>(dir.path(), QStringLiteral("G%1").arg(i)));
        directories.push_back(std::make_unique<MemDirectory>(boxes, people.back()->identity->publicKey()));
        transports.push_back(std::make_unique<MemTransport>(boxes));
        messengers.push_back(must(Messenger::create(*people.back()->vault, *people.back()->identity, *people.back()->contacts,
                                                    *signal, *directories.back(), *transports.back()),
                                  "messenger"));
        must(messengers.back()->publishKeys(), "keys");
    }
    for (int i = 0; i < 10; ++i)
        for (int j = 0; j < 10; ++j)
            if (i != j)
                must(people[std::size_t(i)]->contacts->addCard(cardOf(*people[std::size_t(j)]->identity, std::nullopt), CardSource::ScannedQr, 1'800'000'000), "card");
    std::vector<qint64> memberIds;
    for (int j = 1; j < 10; ++j)
        memberIds.push_back(must(people[0]->contacts->findByKey(people[std::size_t(j)]->identity->publicKey()), "contact").id);
    const qint64 group = must(messengers[0]->createGroup(QStringLiteral("Ten"), memberIds), "group");
    auto deliverAll = [&] {
        int n = 0;
        for (int j = 0; j < 10; ++j) {
            auto& box = boxes.boxes[people[std::size_t(j)]->identity->publicKey()];
            while (!box.empty()) {
                const Bytes body = box.front();
                box.pop_front();
                auto r = must(messengers[std::size_t(j)]->receive(body, 0), "receive");
                n += r.outcome == ReceiveResult::Outcome::Stored ? 1 : 0;
            }
        }
        return n;
    };
    deliverAll();
    const int groupCount = std::max(10, count / 4);
    std::vector<double> groupLatencies;
    QElapsedTimer groupClock;
    groupClock.start();
    for (int i = 0; i < groupCount; ++i) {
        clock.start();
        must(messengers[0]->sendText(group, QStringLiteral("group %1").arg(i)), "group send");
        // Members receive; their delivery receipts to Alice are drained too.
        deliverAll();
        groupLatencies.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    const double groupSeconds = static_cast<double>(groupClock.nsecsElapsed()) / 1e9;

    std::printf("messaging_e2e (vaults: SQLCipher, synchronous=FULL, one commit per message)\n");
    std::printf("%-34s %10s %10s %10s %8s\n", "case", "msgs/s", "p50 ms", "p99 ms", "n");
    std::printf("%-34s %10s %10.2f %10.2f %8d\n", "1:1 via hive-node, one at a time", "-", percentile(latencies, 0.5),
                percentile(latencies, 0.99), count);
    std::printf("%-34s %10.1f %10s %10s %8d\n", "1:1 via hive-node, batch of 25", batch / batchSeconds, "-", "-", batch);
    std::printf("%-34s %10.1f %10.2f %10.2f %8d\n", "group of 10 (9 receivers, in proc)", groupCount / groupSeconds,
                percentile(groupLatencies, 0.5), percentile(groupLatencies, 0.99), groupCount);
    std::printf("%-34s %10.2f\n", "vault commits per 1:1 send", static_cast<double>(sendCommits) / (count - 1));
    std::printf("%-34s %10.2f\n", "vault commits per 1:1 receive", static_cast<double>(receiveCommits) / (count - 1));
    std::printf("%-34s %10s %10s\n", "attachment (16 MiB)", "MiB/s", "seconds");
    std::printf("%-34s %10.1f %10.2f\n", "  upload: encrypt + put on node", 16.0 / uploadSeconds, uploadSeconds);
    std::printf("%-34s %10.1f %10.2f\n", "  download: getShared + decrypt", 16.0 / downloadSeconds, downloadSeconds);
    node.stop();
    return 0;
}
