// Inbox and Outbox against a real hive-node: a queued post reaches the recipient's handler
// exactly once, a failing handler leaves the item on the node for the next sync, garbage
// and misplaced kinds are dropped, a queued row survives the process (and a node that is
// down) and is delivered later, and a refused invite drops its row.
#include "nodeprocess.h"

#include "inbox/inbox.h"
#include "inbox/outbox.h"

#include "identity/identity.h"
#include "node/nodeclient.h"
#include "vault/vault.h"
#include "wire/envelope.h"
#include "wire/friendrequest.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

using namespace hive;
using namespace hive::core;
using namespace std::chrono_literals;
namespace proto = hive::wire::proto;

namespace {

Identity::Seed seedOf(std::uint8_t b)
{
    Identity::Seed seed {};
    seed.fill(b);
    return seed;
}

// Records what it receives; fails with `failWith` while that is set.
class Recorder : public InboxHandler {
public:
    Status receive(const InboxItem& item) override
    {
        if (failWith)
            return *failWith;
        items.push_back(item);
        return success();
    }
    std::vector<InboxItem> items;
    std::optional<Error> failWith;
};

template <typename T>
T expectOk(Result<T> result, const char* what)
{
    if (!result.ok())
        qFatal("%s failed: %s", what, result.error().message());
    return std::move(result).value();
}

} // namespace

class TestInbox : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    std::unique_ptr<Identity> m_alice = Identity::fromSeed(seedOf(0xa1), QStringLiteral("Alice"));
    std::unique_ptr<Identity> m_bob = Identity::fromSeed(seedOf(0xb0), QStringLiteral("Bob"));
    std::unique_ptr<test::NodeProcess> m_bobNode;
    std::unique_ptr<Vault> m_aliceVault;
    std::unique_ptr<Vault> m_bobVault;
    std::unique_ptr<NodeClient> m_bobClient;

    std::unique_ptr<Vault> newVault()
    {
        auto v = Vault::create(m_dir.filePath(QStringLiteral("v%1.db").arg(++m_counter)), VaultKey::random());
        if (!v)
            qFatal("vault: %s", v.error().message());
        return std::move(*v);
    }

    Bytes sealedNote(const Bytes& body) { return expectOk(wire::sealEnvelope(wire::EnvelopeKind::Note, body, m_bob->publicKey()), "seal"); }

    // Posts straight into Bob's inbox mailbox, bypassing the outbox.
    void postRaw(const proto::MailboxId& mailbox, Bytes envelope)
    {
        NodeClient client(NodeCredentials::anonymous());
        client.connectTo(m_bobNode->address());
        expectOk(client.mailboxPost(mailbox, std::move(envelope)).wait(), "raw post");
    }

    int mailboxSize(const proto::MailboxId& mailbox)
    {
        return static_cast<int>(expectOk(m_bobClient->mailboxFetch(mailbox).wait(), "fetch").envelopes.size());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        m_bobNode = std::make_unique<test::NodeProcess>(m_bob->publicKey());
        QVERIFY2(m_bobNode->initialized(), qPrintable(m_bobNode->log()));
        QVERIFY2(m_bobNode->start(), qPrintable(m_bobNode->log()));
        m_aliceVault = newVault();
        m_bobVault = newVault();
        auto credentials = NodeCredentials::fromIdentity(*m_bob);
        QVERIFY(credentials.ok());
        m_bobClient = std::make_unique<NodeClient>(std::move(*credentials));
        m_bobClient->connectTo(m_bobNode->address());
        QCOMPARE(expectOk(m_bobClient->waitConnected().wait(), "connect").role, proto::Role::Owner);
    }

    void cleanupTestCase()
    {
        m_bobClient.reset();
        if (m_bobNode)
            QCOMPARE(m_bobNode->stop(), 0);
    }

    void queuedPostIsDeliveredToTheHandlerExactlyOnce()
    {
        auto outbox = expectOk(Outbox::create(*m_aliceVault, *m_alice), "outbox");
        QSignalSpy delivered(outbox.get(), &Outbox::delivered);
        const Bytes body = {10, 20, 30};
        const qint64 id = expectOk(outbox->enqueue(m_bob->publicKey(), m_bobNode->address(),
                                                   wire::inboxMailbox(m_bob->publicKey()), sealedNote(body)),
                                   "enqueue");
        QCOMPARE(expectOk(outbox->pending(), "pending").size(), std::size_t(1));
        const auto flushed = expectOk(outbox->flush().wait(), "flush");
        QCOMPARE(flushed.delivered, 1);
        QCOMPARE(flushed.waiting, 0);
        QCOMPARE(delivered.count(), 1);
        QCOMPARE(delivered.at(0).at(0).toLongLong(), id);
        QVERIFY(expectOk(outbox->pending(), "pending").empty());

        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QSignalSpy synced(inbox.get(), &Inbox::synced);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync"), 1);
        QCOMPARE(notes.items.size(), std::size_t(1));
        QCOMPARE(notes.items[0].kind, wire::EnvelopeKind::Note);
        QCOMPARE(notes.items[0].body, body);
        QCOMPARE(notes.items[0].mailbox, wire::inboxMailbox(m_bob->publicKey()));
        QVERIFY(notes.items[0].receivedAt > 1'700'000'000);
        QCOMPARE(synced.count(), 1);
        // Acked: nothing left on the node, nothing delivered twice.
        QCOMPARE(mailboxSize(wire::inboxMailbox(m_bob->publicKey())), 0);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync again"), 0);
        QCOMPARE(notes.items.size(), std::size_t(1));
    }

    void failingHandlerLeavesTheItemForTheNextSync()
    {
        postRaw(wire::inboxMailbox(m_bob->publicKey()), sealedNote({1}));
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        notes.failWith = Error(ErrorCode::Io, "disk trouble");
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QSignalSpy failed(inbox.get(), &Inbox::failed);
        auto first = inbox->sync().wait();
        QVERIFY(!first.ok());
        QCOMPARE(failed.count(), 1);
        QCOMPARE(mailboxSize(wire::inboxMailbox(m_bob->publicKey())), 1);
        notes.failWith.reset();
        QCOMPARE(expectOk(inbox->sync().wait(), "second sync"), 1);
        QCOMPARE(notes.items.size(), std::size_t(1));
        QCOMPARE(mailboxSize(wire::inboxMailbox(m_bob->publicKey())), 0);
    }

    void undecodableAndMisplacedEnvelopesAreDropped()
    {
        const auto inboxId = wire::inboxMailbox(m_bob->publicKey());
        const auto requestsId = wire::requestsMailbox(m_bob->publicKey());
        postRaw(inboxId, Bytes(80, 0x55)); // not sealed to Bob
        postRaw(inboxId, expectOk(wire::sealEnvelope(wire::EnvelopeKind::FriendRequest, Bytes {1}, m_bob->publicKey()), "seal"));
        postRaw(requestsId, sealedNote({2})); // a note among requests
        // Sealed to someone else entirely.
        postRaw(inboxId, expectOk(wire::sealEnvelope(wire::EnvelopeKind::Note, Bytes {3}, m_alice->publicKey()), "seal"));
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes, requests;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        inbox->registerHandler(wire::EnvelopeKind::FriendRequest, &requests);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync"), 0);
        QCOMPARE(inbox->dropped(), 4);
        QVERIFY(notes.items.empty());
        QVERIFY(requests.items.empty());
        QCOMPARE(mailboxSize(inboxId), 0);
        QCOMPARE(mailboxSize(requestsId), 0);
    }

    void kindsWithoutAHandlerStayOnTheNode()
    {
        const auto inboxId = wire::inboxMailbox(m_bob->publicKey());
        postRaw(inboxId, expectOk(wire::sealEnvelope(wire::EnvelopeKind::Signal, Bytes {9, 9}, m_bob->publicKey()), "seal"));
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync"), 0);
        QCOMPARE(mailboxSize(inboxId), 1);
        Recorder signal;
        inbox->registerHandler(wire::EnvelopeKind::Signal, &signal);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync with messaging"), 1);
        QCOMPARE(signal.items.size(), std::size_t(1));
        QCOMPARE(signal.items[0].body, (Bytes {9, 9}));
        QCOMPARE(mailboxSize(inboxId), 0);
    }

    void queuedRowSurvivesTheProcessAndAnUnreachableNode()
    {
        // A node address nobody listens on: the flush fails softly and reschedules.
        wire::NodeAddress down = m_bobNode->address();
        down.port = 1; // privileged, never listening in tests
        qint64 clock = 2'000'000'000;
        qint64 id = 0;
        {
            auto outbox = expectOk(Outbox::create(*m_aliceVault, *m_alice), "outbox");
            outbox->setClock([&clock] { return clock; });
            id = expectOk(outbox->enqueue(m_bob->publicKey(), down, wire::inboxMailbox(m_bob->publicKey()),
                                          sealedNote({7})),
                          "enqueue");
            QSignalSpy failed(outbox.get(), &Outbox::failed);
            const auto flushed = expectOk(outbox->flush().wait(), "flush to a dead node");
            QCOMPARE(flushed.delivered, 0);
            QCOMPARE(flushed.waiting, 1);
            QCOMPARE(failed.count(), 1);
            const auto rows = expectOk(outbox->pending(), "pending");
            QCOMPARE(rows.size(), std::size_t(1));
            QCOMPARE(rows[0].attempts, 1);
            QCOMPARE(rows[0].nextAttempt, clock + Outbox::InitialBackoff);
            QVERIFY(!rows[0].lastError.isEmpty());
            // Not due yet: a second flush does not even try.
            QCOMPARE(expectOk(outbox->flush().wait(), "early flush").waiting, 1);
            QCOMPARE(expectOk(outbox->pending(), "pending")[0].attempts, 1);
        }
        // The "process" ends here; the row is in the vault. Point it at the live node (as if
        // the friend's node came back at its address) and flush from a new outbox.
        {
            auto s = m_aliceVault->prepare("UPDATE outbox SET node_address = ?1 WHERE id = ?2");
            QVERIFY(s.ok());
            QVERIFY(s->bindText(1, QString::fromStdString(m_bobNode->address().toString())).ok());
            QVERIFY(s->bindInt64(2, id).ok());
            QVERIFY(s->run().ok());
        }
        auto outbox = expectOk(Outbox::create(*m_aliceVault, *m_alice), "outbox again");
        outbox->setClock([&clock] { return clock + Outbox::InitialBackoff; });
        QCOMPARE(expectOk(outbox->flush().wait(), "flush").delivered, 1);
        QVERIFY(expectOk(outbox->pending(), "pending").empty());
        QCOMPARE(mailboxSize(wire::inboxMailbox(m_bob->publicKey())), 1);
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync"), 1);
        QCOMPARE(notes.items[0].body, (Bytes {7}));
    }

    void twoOutboxesOnOneVaultPostARowOnce()
    {
        auto first = expectOk(Outbox::create(*m_aliceVault, *m_alice), "outbox");
        auto second = expectOk(Outbox::create(*m_aliceVault, *m_alice), "second outbox");
        expectOk(first->enqueue(m_bob->publicKey(), m_bobNode->address(), wire::inboxMailbox(m_bob->publicKey()),
                                sealedNote({5})),
                 "enqueue");
        auto a = first->flush();
        auto b = second->flush(); // the row is claimed by the first flush
        QCOMPARE(expectOk(a.wait(), "first flush").delivered + expectOk(b.wait(), "second flush").delivered, 1);
        QCOMPARE(mailboxSize(wire::inboxMailbox(m_bob->publicKey())), 1);
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync"), 1);
    }

    void flushKeepsItsConnectionAndFollowsUpRowsQueuedMeanwhile()
    {
        const auto connections = [this] {
            return expectOk(m_bobClient->adminStatus().wait(), "status").connections;
        };
        const std::uint32_t before = connections();
        auto outbox = expectOk(Outbox::create(*m_aliceVault, *m_alice), "outbox");
        QSignalSpy delivered(outbox.get(), &Outbox::delivered);
        const auto mailbox = wire::inboxMailbox(m_bob->publicKey());
        expectOk(outbox->enqueue(m_bob->publicKey(), m_bobNode->address(), mailbox, sealedNote({7})), "enqueue");
        auto first = outbox->flush();
        // Queued while the first flush runs: asking again joins it, and a second flush follows.
        const qint64 second = expectOk(outbox->enqueue(m_bob->publicKey(), m_bobNode->address(), mailbox, sealedNote({8})),
                                       "enqueue while flushing");
        QVERIFY(!outbox->flush().isFinished());
        QCOMPARE(expectOk(first.wait(), "first flush").delivered, 1);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 2, 5000);
        QCOMPARE(delivered.at(1).at(0).toLongLong(), second);
        // Both posts went over one connection, still open for the next flush.
        QCOMPARE(outbox->openConnections(), 1);
        QCOMPARE(connections(), before + 1);
        expectOk(outbox->enqueue(m_bob->publicKey(), m_bobNode->address(), mailbox, sealedNote({9})), "enqueue");
        QCOMPARE(expectOk(outbox->flush().wait(), "third flush").delivered, 1);
        QCOMPARE(connections(), before + 1);
        outbox.reset();
        QTRY_COMPARE_WITH_TIMEOUT(connections(), before, 5000);

        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QCOMPARE(expectOk(inbox->sync().wait(), "sync"), 3);
    }

    void watchedInboxSyncsWhenAPostLands()
    {
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QSignalSpy synced(inbox.get(), &Inbox::synced);
        inbox->setAutoSync(true);
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 1, 5000); // the sync on switching it on
        synced.clear();
        postRaw(wire::inboxMailbox(m_bob->publicKey()), sealedNote({6}));
        QTRY_VERIFY_WITH_TIMEOUT(notes.items.size() == 1, 5000);
        QCOMPARE(notes.items[0].body, (Bytes {6}));
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 1, 5000);
        QCOMPARE(mailboxSize(wire::inboxMailbox(m_bob->publicKey())), 0);
    }

    void twoWatchingInboxesOnOneClientBothSync()
    {
        // The app runs one Inbox per service (trust, messaging) on the personal node's client.
        auto trust = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        auto messaging = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "second inbox");
        Recorder notes, signal;
        trust->registerHandler(wire::EnvelopeKind::Note, &notes);
        messaging->registerHandler(wire::EnvelopeKind::Signal, &signal);
        QSignalSpy trustSynced(trust.get(), &Inbox::synced);
        QSignalSpy messagingSynced(messaging.get(), &Inbox::synced);
        trust->setAutoSync(true);
        messaging->setAutoSync(true);
        QTRY_VERIFY_WITH_TIMEOUT(trustSynced.count() >= 1 && messagingSynced.count() >= 1, 5000);
        postRaw(wire::inboxMailbox(m_bob->publicKey()), sealedNote({8}));
        postRaw(wire::inboxMailbox(m_bob->publicKey()),
                expectOk(wire::sealEnvelope(wire::EnvelopeKind::Signal, Bytes {8}, m_bob->publicKey()), "seal"));
        QTRY_VERIFY_WITH_TIMEOUT(notes.items.size() == 1 && signal.items.size() == 1, 5000);
    }

    void handlerMayWaitForAnotherReplyOfTheSameClient()
    {
        // Messaging's handler asks the own node for things (and blocks on them in tools).
        class Pinger : public InboxHandler {
        public:
            explicit Pinger(NodeClient& client) : m_client(client) {}
            Status receive(const InboxItem&) override
            {
                HIVE_TRY(m_client.ping().wait());
                ++pinged;
                return success();
            }
            int pinged = 0;

        private:
            NodeClient& m_client;
        };
        postRaw(wire::inboxMailbox(m_bob->publicKey()), sealedNote({3}));
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Pinger pinger(*m_bobClient);
        inbox->registerHandler(wire::EnvelopeKind::Note, &pinger);
        m_bobClient->setRequestTimeout(3s);
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(expectOk(inbox->sync().wait(), "sync"), 1);
        QCOMPARE(pinger.pinged, 1);
        QVERIFY(timer.elapsed() < 2000);
        m_bobClient->setRequestTimeout(NodeClient::DefaultRequestTimeout);
    }

    void watchedInboxRetriesAFailedSync()
    {
        postRaw(wire::inboxMailbox(m_bob->publicKey()), sealedNote({2, 2}));
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        notes.failWith = Error(ErrorCode::Io, "disk trouble");
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        QSignalSpy failed(inbox.get(), &Inbox::failed);
        inbox->setAutoSync(true);
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() >= 1, 5000);
        notes.failWith.reset(); // the disk is fine again; nothing new is posted
        QTRY_VERIFY_WITH_TIMEOUT(notes.items.size() == 1, 8000);
        QCOMPARE(notes.items[0].body, (Bytes {2, 2}));
    }

    void concurrentSyncsJoin()
    {
        postRaw(wire::inboxMailbox(m_bob->publicKey()), sealedNote({4}));
        auto inbox = expectOk(Inbox::create(*m_bobVault, *m_bob, *m_bobClient), "inbox");
        Recorder notes;
        inbox->registerHandler(wire::EnvelopeKind::Note, &notes);
        auto first = inbox->sync();
        auto second = inbox->sync();
        auto third = inbox->sync(); // joins the second
        QCOMPARE(expectOk(first.wait(), "first") + expectOk(second.wait(), "second"), 1);
        QVERIFY(third.wait().ok());
        QCOMPARE(notes.items.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestInbox)
#include "test_inbox.moc"
