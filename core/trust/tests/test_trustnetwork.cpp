// TrustNetwork without a node: what addCard queues, and what the request and note handlers
// do with what arrives (taken straight from the sender's outbox): a request spends the
// invite once and a replay is refused, a grant note is stored once however often it is
// delivered, notes from strangers or naming someone else are refused, a revocation note
// marks the received grant revoked, and re-sharing narrows the chain.
#include "identity/identity.h"
#include "inbox/outbox.h"
#include "trust/contacts.h"
#include "trust/invites.h"
#include "trust/trustnetwork.h"
#include "vault/vault.h"
#include "wire/envelope.h"
#include "wire/friendrequest.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::core;
using hive::wire::NodeAddress;

namespace {

constexpr qint64 Now = 1'900'000'000;

Identity::Seed seedOf(std::uint8_t b)
{
    Identity::Seed seed {};
    seed.fill(b);
    return seed;
}

NodeAddress nodeOf(std::uint8_t b)
{
    NodeAddress node;
    node.key.fill(b);
    node.host = "127.0.0.1";
    node.port = 7420;
    return node;
}

// One person: identity, vault and the trust services.
struct Person {
    std::unique_ptr<Identity> identity;
    std::unique_ptr<Vault> vault;
    std::unique_ptr<Contacts> contacts;
    std::unique_ptr<Invites> invites;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<TrustNetwork> network;

    Person(QTemporaryDir& dir, std::uint8_t seed, const QString& name)
    {
        identity = Identity::fromSeed(seedOf(seed), name);
        vault = Vault::create(dir.filePath(name + QStringLiteral(".db")), VaultKey::random()).release();
        contacts = Contacts::create(*vault, *identity).release();
        invites = Invites::create(*vault).release();
        outbox = Outbox::create(*vault, *identity).release();
        outbox->setClock([] { return Now; });
        network = TrustNetwork::create(*vault, *identity, *contacts, *invites, *outbox).release();
    }
    ~Person()
    {
        network.reset();
        outbox.reset();
        invites.reset();
        contacts.reset();
    }

    wire::ContactCard card(std::uint8_t node) { return invites->issueCard(*identity, nodeOf(node), Now).release(); }

    // The newest queued envelope, opened as its recipient `to` would.
    InboxItem lastQueuedFor(const Person& to)
    {
        auto rows = outbox->pending().release();
        if (rows.empty())
            qFatal("nothing queued");
        auto opened = wire::openEnvelope(rows.back().envelope, to.identity->x25519PublicKey(), to.identity->x25519SecretKey());
        if (!opened.ok())
            qFatal("cannot open: %s", opened.error().message());
        InboxItem item;
        item.kind = opened->kind;
        item.body = opened->body;
        item.mailbox = rows.back().mailbox;
        item.receivedAt = static_cast<std::uint64_t>(Now + 10);
        return item;
    }
};

} // namespace

class TestTrustNetwork : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(sodium_init() >= 0); }

    void addingACardQueuesARequestThatIsReceivedOnce()
    {
        QTemporaryDir dir;
        Person alice(dir, 1, QStringLiteral("Alice")), bob(dir, 2, QStringLiteral("Bob"));
        qint64 queued = 0;
        auto added = bob.network->addCard(alice.card(0xa1), CardSource::PastedLink, Now, &queued);
        QVERIFY(added.ok());
        QVERIFY(queued > 0);
        const auto rows = bob.outbox->pending().release();
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].mailbox, wire::requestsMailbox(alice.identity->publicKey()));
        QVERIFY(rows[0].invite.has_value());
        QCOMPARE(rows[0].sender, OutboxSender::Anonymous);
        QVERIFY(rows[0].node == nodeOf(0xa1));

        const InboxItem item = bob.lastQueuedFor(alice);
        QCOMPARE(item.kind, wire::EnvelopeKind::FriendRequest);
        QSignalSpy received(alice.network.get(), &TrustNetwork::requestReceived);
        QVERIFY(alice.network->requestHandler().receive(item).ok());
        QCOMPARE(received.count(), 1);
        auto pending = alice.network->pendingRequests().release();
        QCOMPARE(pending.size(), std::size_t(1));
        QCOMPARE(pending[0].displayName, QStringLiteral("Bob"));
        // The same request again spends nothing and adds nothing.
        const Status replay = alice.network->requestHandler().receive(item);
        QVERIFY(!replay.ok());
        QCOMPARE(replay.error().code(), ErrorCode::AlreadyExists);
        QCOMPARE(alice.network->pendingRequests()->size(), std::size_t(1));

        // Accepting queues a signed "accepted" note to Bob's inbox.
        QVERIFY(alice.network->acceptRequest(pending[0].id, Now).ok());
        QVERIFY(alice.network->pendingRequests()->empty());
    }

    void grantNotesAreStoredOnceAndOnlyFromFriends()
    {
        QTemporaryDir dir;
        Person alice(dir, 1, QStringLiteral("Alice")), bob(dir, 2, QStringLiteral("Bob")),
            carol(dir, 3, QStringLiteral("Carol"));
        QVERIFY(alice.contacts->addCard(bob.card(0xb2), CardSource::ScannedQr, Now).ok());
        QVERIFY(bob.contacts->addCard(alice.card(0xa1), CardSource::ScannedQr, Now).ok());
        const qint64 bobId = alice.contacts->findByKey(bob.identity->publicKey())->id;
        auto given = alice.network->issueGrant(bobId, nodeOf(0xa1), {2000, 2000, 2000}, 1, 30 * 86400, Now);
        QVERIFY2(given.ok(), given.ok() ? "" : given.error().message());
        const InboxItem note = alice.lastQueuedFor(bob);
        QCOMPARE(note.kind, wire::EnvelopeKind::Note);
        QCOMPARE(note.mailbox, wire::inboxMailbox(bob.identity->publicKey()));

        // Carol does not know Alice: the note is refused (and would be dropped).
        const Status stranger = carol.network->noteHandler().receive(note);
        QVERIFY(!stranger.ok());
        QCOMPARE(stranger.error().code(), ErrorCode::PermissionDenied);

        QVERIFY(bob.network->noteHandler().receive(note).ok());
        QVERIFY(bob.network->noteHandler().receive(note).ok()); // delivered twice: one grant
        auto grants = bob.network->grants().release();
        QCOMPARE(grants.size(), std::size_t(1));
        QCOMPARE(grants[0].direction, GrantDirection::Received);
        QCOMPARE(grants[0].effective().storage, std::uint16_t(2000));
        QCOMPARE(grants[0].peerName, QStringLiteral("Alice"));

        // Bob re-shares half with Carol: the chain grows by one narrower link.
        QVERIFY(bob.contacts->addCard(carol.card(0xc3), CardSource::ScannedQr, Now).ok());
        const qint64 carolId = bob.contacts->findByKey(carol.identity->publicKey())->id;
        QVERIFY(!bob.network->shareGrant(grants[0].id, carolId, {5000, 0, 0}, 1, 86400, Now).ok()); // depth not lower
        auto shared = bob.network->shareGrant(grants[0].id, carolId, {5000, 0, 0}, 0, 86400, Now);
        QVERIFY(shared.ok());
        QCOMPARE(shared->chain.links.size(), std::size_t(2));
        QCOMPARE(shared->effective().storage, std::uint16_t(1000));
        QVERIFY(shared->leaf().notAfter <= grants[0].leaf().notAfter);
        QVERIFY(carol.network->importGrant(TrustNetwork::grantUri(*shared), Now).ok());
        QVERIFY(!alice.network->importGrant(TrustNetwork::grantUri(*shared), Now).ok()); // not Alice's

        // Alice revokes: Bob's copy is marked revoked when the note arrives.
        QVERIFY(alice.network->revokeGrant(given->id, Now).ok());
        QVERIFY(bob.network->noteHandler().receive(alice.lastQueuedFor(bob)).ok());
        QVERIFY(bob.network->grant(grants[0].id)->revokedAt != 0);
        QVERIFY(!bob.network->shareGrant(grants[0].id, carolId, {100, 0, 0}, 0, 86400, Now).ok());
    }
};

QTEST_GUILESS_MAIN(TestTrustNetwork)
#include "test_trustnetwork.moc"
