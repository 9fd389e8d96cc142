// The node core on in-memory devices: roles, every service, limits, grants and
// revocations, presence pushes, bad input closing only its own connection, slow readers,
// and a restart that keeps everything.
#include "nodeharness.h"

using namespace hive;
using namespace hive::wire;
using namespace hive::node;
using namespace hive::node::testing;
using proto::Service;

namespace {

proto::MailboxId mailboxId(std::uint8_t b)
{
    proto::MailboxId id {};
    id.fill(b);
    return id;
}

proto::ObjectPut objectOf(std::size_t size, std::uint8_t fill)
{
    Bytes content(size, fill);
    return proto::ObjectPut {.id = proto::objectIdOf(content), .content = content};
}

// owner -> friend with storage share `storage` (basis points).
GrantChain grantFor(const Harness& h, const SigningKey& holder, std::uint16_t storage, std::uint64_t now)
{
    GrantChain chain;
    chain.links.push_back(makeGrantLink(h.owner, holder.publicKey, h.nodeKey, {}, now - 10, now + 86400, 1, {storage, 0, 0}));
    return chain;
}

} // namespace

class TestNodeCore : public QObject {
    Q_OBJECT

private slots:
    void handshakeAssignsRoles()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto friendC = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        auto anon = connectAnonymous(h);
        QVERIFY(owner.channel->ready());
        QCOMPARE(owner.channel->nodeHello()->role, proto::Role::Owner);
        QCOMPARE(owner.channel->nodeHello()->owner, h.owner.publicKey);
        QCOMPARE(friendC.channel->nodeHello()->role, proto::Role::Friend);
        QCOMPARE(anon.channel->nodeHello()->role, proto::Role::Anonymous);
        QVERIFY(anon.channel->ready());
        QCOMPARE(h.node->connectionCount(), 3u);
        auto pong = owner.call<proto::Pong>(Service::Session, proto::SessionMethod::Ping, proto::Empty {});
        QVERIFY(pong.ok());
        QCOMPARE(pong->nodeTime, h.now());
    }

    void certificateForAnotherKeyIsRefused()
    {
        Harness h;
        TestDevice device = TestDevice::create(keyFromByte(2), h.now());
        // The certificate names device.noiseKey, but the handshake uses another key.
        auto c = connectClient(h, device.hello(), noise::KeyPair::generate());
        QVERIFY(!c.channel->ready());
        QVERIFY(c.channel->failed());
        QCOMPARE(c.channel->error().code(), ErrorCode::PermissionDenied);
        QVERIFY(c.closed());
        // An expired certificate too.
        TestDevice old = TestDevice::create(keyFromByte(3), h.now() - 200000);
        auto c2 = connectAs(h, old);
        QVERIFY(c2.channel->failed());
        QVERIFY(QString(c2.channel->error().message()).contains("expired"));
    }

    void mailboxPostFetchAck()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        const TestDevice alice = TestDevice::create(keyFromByte(2), h.now());
        auto friendC = connectAs(h, alice);
        auto anon = connectAnonymous(h);
        const auto box = mailboxId(7);
        auto p1 = friendC.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                        proto::MailboxPost {.mailbox = box, .envelope = Bytes(100, 1)});
        auto p2 = anon.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                     proto::MailboxPost {.mailbox = box, .envelope = Bytes(50, 2)});
        QVERIFY(p1.ok() && p2.ok());
        QVERIFY(p2->messageId > p1->messageId);

        auto denied = friendC.call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch,
                                                              proto::MailboxFetch {.mailbox = box, .after = 0, .limit = 0});
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);

        auto fetched = owner.call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch,
                                                             proto::MailboxFetch {.mailbox = box, .after = 0, .limit = 0});
        QVERIFY(fetched.ok());
        QCOMPARE(fetched->envelopes.size(), 2u);
        QCOMPARE(fetched->envelopes[0].body, Bytes(100, 1));
        QCOMPARE(fetched->envelopes[0].sender, alice.identity.publicKey);
        QCOMPARE(fetched->envelopes[1].sender, proto::Key32 {});
        QCOMPARE(fetched->envelopes[1].receivedAt, h.now());
        auto limited = owner.call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch,
                                                             proto::MailboxFetch {.mailbox = box, .after = 0, .limit = 1});
        QCOMPARE(limited->envelopes.size(), 1u);
        QVERIFY(limited->more);

        auto ack = owner.call<proto::MailboxAckResult>(Service::Mailbox, proto::MailboxMethod::Ack,
                                                       proto::MailboxAck {.mailbox = box, .ids = {p1->messageId, 999}});
        QCOMPARE(ack->removed, 1u);
        fetched = owner.call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch,
                                                        proto::MailboxFetch {.mailbox = box, .after = 0, .limit = 0});
        QCOMPARE(fetched->envelopes.size(), 1u);
        QCOMPARE(fetched->envelopes[0].id, p2->messageId);

        // Ids keep growing after every message was acknowledged and the node restarted.
        (void)owner.call<proto::MailboxAckResult>(Service::Mailbox, proto::MailboxMethod::Ack,
                                                  proto::MailboxAck {.mailbox = box, .ids = {p2->messageId}});
        h.restart();
        auto again = connectAs(h, alice);
        auto p3 = again.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                      proto::MailboxPost {.mailbox = box, .envelope = Bytes(10, 3)});
        QVERIFY(p3.ok());
        QVERIFY(p3->messageId > p2->messageId);
    }

    void mailboxRateAndSizeLimits()
    {
        NodeConfig config;
        config.services.postBurst = 3;
        config.services.postsPerMinute = 60;
        config.services.mailboxMaxMessages = 5;
        Harness h(config);
        auto alice = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        auto bob = connectAs(h, TestDevice::create(keyFromByte(3), h.now()));
        auto post = [&](Client& c, std::uint8_t box) {
            return c.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                    proto::MailboxPost {.mailbox = mailboxId(box), .envelope = Bytes(10, 1)});
        };
        for (int i = 0; i < 3; ++i)
            QVERIFY(post(alice, 1).ok());
        auto limited = post(alice, 1);
        QCOMPARE(limited.error().code(), ErrorCode::Unavailable);
        QVERIFY(QString(limited.error().message()).contains("rate limit"));
        // Another sender is not affected; one second later alice may post once more.
        QVERIFY(post(bob, 1).ok());
        h.clock.advance(1000000000ull);
        QVERIFY(post(alice, 1).ok());
        // The mailbox now holds 5 messages: full, with a clear error, for everyone.
        auto full = post(bob, 1);
        QCOMPARE(full.error().code(), ErrorCode::NoSpace);
        QVERIFY(QString(full.error().message()).contains("mailbox is full"));
        QVERIFY(post(bob, 2).ok());
        // Oversized envelopes are refused by the decoder.
        auto big = alice.call(Service::Mailbox, static_cast<std::uint16_t>(proto::MailboxMethod::Post),
                              [] {
                                  Writer w;
                                  w.fixed(Bytes(32, 1)).bytes(Bytes(proto::MaxEnvelope + 1, 0));
                                  return w.take();
                              }());
        QVERIFY(big.ok());
        QCOMPARE(big->kind, FrameKind::Error);
        QCOMPARE(decodeErrorPayload(big->payload).code(), ErrorCode::TooLarge);
    }

    void anonymousPostsShareOnlyTheNodeWideLimit()
    {
        // A new anonymous connection brings a new Noise key, so a per-connection bucket
        // would stop nobody; the node-wide anonymous bucket is the limit, and one kept
        // connection (a sender's outbox) may use it.
        NodeConfig config;
        config.services.postBurst = 3;
        config.services.anonymousPostsPerMinute = 20; // burst 11, one token per 3 s
        Harness h(config);
        auto anon = connectAnonymous(h);
        auto other = connectAnonymous(h);
        auto post = [&](Client& c) {
            return c.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                    proto::MailboxPost {.mailbox = mailboxId(4), .envelope = Bytes(10, 1)});
        };
        for (int i = 0; i < 11; ++i)
            QVERIFY2(post(anon).ok(), qPrintable(QString::number(i)));
        auto limited = post(anon);
        QCOMPARE(limited.error().code(), ErrorCode::Unavailable);
        QVERIFY(QString(limited.error().message()).contains("try again in 3 s"));
        QCOMPARE(post(other).error().code(), ErrorCode::Unavailable);
        h.clock.advance(3000000000ull);
        QVERIFY(post(other).ok());
        QCOMPARE(post(anon).error().code(), ErrorCode::Unavailable);
    }

    void directoryPublishAndFetch()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto friendC = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        auto anon = connectAnonymous(h);
        QVERIFY(owner.call<proto::DirectoryPublishResult>(Service::Directory, proto::DirectoryMethod::Publish,
                                                          proto::DirectoryPublish {.kind = 1, .entry = Bytes(300, 1)}).ok());
        QVERIFY(owner.call<proto::DirectoryPublishResult>(Service::Directory, proto::DirectoryMethod::Publish,
                                                          proto::DirectoryPublish {.kind = 3, .entry = Bytes(30, 3)}).ok());
        auto denied = friendC.call<proto::DirectoryPublishResult>(Service::Directory, proto::DirectoryMethod::Publish,
                                                                  proto::DirectoryPublish {.kind = 1, .entry = Bytes(3, 1)});
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);
        auto all = friendC.call<proto::DirectoryFetchResult>(Service::Directory, proto::DirectoryMethod::Fetch,
                                                             proto::DirectoryFetch {.owner = {}, .kind = 0});
        QVERIFY(all.ok());
        QCOMPARE(all->owner, h.owner.publicKey);
        QCOMPARE(all->entries.size(), 2u);
        QCOMPARE(all->entries[0].entry, Bytes(300, 1));
        QCOMPARE(all->entries[1].kind, std::uint16_t(3));
        auto one = friendC.call<proto::DirectoryFetchResult>(Service::Directory, proto::DirectoryMethod::Fetch,
                                                             proto::DirectoryFetch {.owner = h.owner.publicKey, .kind = 3});
        QCOMPARE(one->entries.size(), 1u);
        auto otherOwner = friendC.call<proto::DirectoryFetchResult>(Service::Directory, proto::DirectoryMethod::Fetch,
                                                                    proto::DirectoryFetch {.owner = keyFromByte(9).publicKey, .kind = 0});
        QCOMPARE(otherOwner.error().code(), ErrorCode::NotFound);
        auto anonFetch = anon.call<proto::DirectoryFetchResult>(Service::Directory, proto::DirectoryMethod::Fetch,
                                                                proto::DirectoryFetch {.owner = {}, .kind = 0});
        QCOMPARE(anonFetch.error().code(), ErrorCode::PermissionDenied);
        // An empty entry removes the kind.
        QVERIFY(owner.call<proto::DirectoryPublishResult>(Service::Directory, proto::DirectoryMethod::Publish,
                                                          proto::DirectoryPublish {.kind = 3, .entry = {}}).ok());
        auto gone = friendC.call<proto::DirectoryFetchResult>(Service::Directory, proto::DirectoryMethod::Fetch,
                                                              proto::DirectoryFetch {.owner = {}, .kind = 3});
        QCOMPARE(gone.error().code(), ErrorCode::NotFound);
    }

    void objectsForOwnerAndGrantHolders()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        const SigningKey alice = keyFromByte(2);
        const GrantChain chain = grantFor(h, alice, 10, h.now()); // 0.1% of the capacity
        auto friendC = connectAs(h, TestDevice::create(alice, h.now()), chain.encode());
        auto noGrant = connectAs(h, TestDevice::create(keyFromByte(3), h.now()));
        auto anon = connectAnonymous(h);
        QVERIFY(friendC.channel->nodeHello()->grantAccepted);

        const auto obj = objectOf(1000, 0x11);
        auto put = owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj);
        QVERIFY(put.ok());
        QVERIFY(put->created);
        QCOMPARE(put->storageUsed, 1000u);
        auto again = owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj);
        QVERIFY(!again->created);
        auto got = owner.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id});
        QCOMPARE(got->content, obj.content);
        proto::ObjectPut wrong = objectOf(10, 1);
        wrong.content[0] ^= 1;
        QCOMPARE(owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, wrong).error().code(),
                 ErrorCode::Malformed);
        QCOMPARE(noGrant.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj).error().code(),
                 ErrorCode::PermissionDenied);
        QCOMPARE(anon.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj).error().code(),
                 ErrorCode::PermissionDenied);

        // Spaces are separate: the friend does not see the owner's object.
        auto has = friendC.call<proto::ObjectHasResult>(Service::Objects, proto::ObjectsMethod::Has, proto::ObjectHas {.ids = {obj.id}});
        QCOMPARE(has->present, std::vector<bool> {false});
        // Quota: capacity x 0.1%.
        const auto first = objectOf(4000, 0x21);
        auto fput = friendC.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, first);
        QVERIFY(fput.ok());
        const std::uint64_t quota = fput->storageQuota;
        QVERIFY(quota > 4000 && quota < 12000);
        const auto second = objectOf(static_cast<std::size_t>(quota - 4000 + 1), 0x22);
        auto over = friendC.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, second);
        QCOMPARE(over.error().code(), ErrorCode::NoSpace);
        QVERIFY(QString(over.error().message()).contains("quota"));
        auto list = friendC.call<proto::ObjectListResult>(Service::Objects, proto::ObjectsMethod::List, proto::ObjectList {});
        QCOMPARE(list->objects.size(), 1u);
        QCOMPARE(list->objects[0].id, first.id);
        QCOMPARE(list->objects[0].size, 4000u);
        auto del = friendC.call<proto::ObjectDeleteResult>(Service::Objects, proto::ObjectsMethod::Delete,
                                                          proto::ObjectDelete {.ids = {first.id, obj.id}});
        QCOMPARE(del->deleted, 1u);
        QCOMPARE(del->storageUsed, 0u);
        QVERIFY(friendC.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, second).ok());
        // The owner's object is untouched by the friend's delete.
        QVERIFY(owner.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id}).ok());
    }

    void grantForAnotherIdentityIsRefused()
    {
        Harness h;
        const GrantChain chain = grantFor(h, keyFromByte(2), 100, h.now());
        auto mallory = connectAs(h, TestDevice::create(keyFromByte(3), h.now()), chain.encode());
        QVERIFY(mallory.channel->ready());
        QVERIFY(!mallory.channel->nodeHello()->grantAccepted);
        auto present = mallory.call<proto::GrantInfo>(Service::Session, proto::SessionMethod::PresentGrant,
                                                      proto::PresentGrant {.grantChain = chain.encode()});
        QCOMPARE(present.error().code(), ErrorCode::PermissionDenied);
    }

    void revokedGrantIsRefusedOnTheNextRequest()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        const SigningKey alice = keyFromByte(2);
        const GrantChain chain = grantFor(h, alice, 100, h.now());
        const TestDevice device = TestDevice::create(alice, h.now());
        auto friendC = connectAs(h, device);
        auto info = friendC.call<proto::GrantInfo>(Service::Session, proto::SessionMethod::PresentGrant,
                                                   proto::PresentGrant {.grantChain = chain.encode()});
        QVERIFY(info.ok());
        QCOMPARE(info->leaf, chain.links[0].hash());
        const auto obj = objectOf(100, 5);
        QVERIFY(friendC.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj).ok());

        // A friend may not submit someone else's revocation.
        auto forgedBy = friendC.call<proto::AdminRevokeResult>(
            Service::Admin, proto::AdminMethod::Revoke, proto::AdminRevoke {.revocation = Revocation::create(chain.links[0].hash(), h.owner, h.now())});
        QCOMPARE(forgedBy.error().code(), ErrorCode::PermissionDenied);

        auto revoked = owner.call<proto::AdminRevokeResult>(
            Service::Admin, proto::AdminMethod::Revoke, proto::AdminRevoke {.revocation = Revocation::create(chain.links[0].hash(), h.owner, h.now())});
        QVERIFY(revoked.ok());
        QVERIFY(revoked->added);
        auto get = friendC.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id});
        QCOMPARE(get.error().code(), ErrorCode::PermissionDenied);
        QVERIFY(QString(get.error().message()).contains("revoked"));

        // Persisted: after a restart a new connection's grant is not accepted either.
        h.restart();
        auto after = connectAs(h, device, chain.encode());
        QVERIFY(after.channel->ready());
        QVERIFY(!after.channel->nodeHello()->grantAccepted);
        auto owner2 = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto status = owner2.call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {});
        QCOMPARE(status->revocationCount, 1u);
        QCOMPARE(status->revocations[0], chain.links[0].hash());
        QCOMPARE(status->grants.size(), 1u);
        QVERIFY(status->grants[0].revoked);
    }

    void presencePushesReachTheAudienceOnly()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        const SigningKey alice = keyFromByte(2);
        auto a = connectAs(h, TestDevice::create(alice, h.now()));
        auto b = connectAs(h, TestDevice::create(keyFromByte(3), h.now()));
        auto anon = connectAnonymous(h);
        auto subA = a.call<proto::PresenceSubscribeResult>(Service::Presence, proto::PresenceMethod::Subscribe, proto::Empty {});
        QVERIFY(subA.ok());
        QVERIFY(b.call<proto::PresenceSubscribeResult>(Service::Presence, proto::PresenceMethod::Subscribe, proto::Empty {}).ok());
        QCOMPARE(anon.call<proto::PresenceSubscribeResult>(Service::Presence, proto::PresenceMethod::Subscribe, proto::Empty {})
                     .error().code(), ErrorCode::PermissionDenied);
        auto pub = owner.call<proto::PresencePublishResult>(
            Service::Presence, proto::PresenceMethod::Publish,
            proto::PresencePublish {.audience = {alice.publicKey}, .ttlSeconds = 60, .blob = Bytes(20, 9)});
        QVERIFY(pub.ok());
        QCOMPARE(pub->delivered, 1u);
        a.collectPushes();
        b.collectPushes();
        QCOMPARE(a.pushes.size(), 1u);
        QCOMPARE(b.pushes.size(), 0u);
        QCOMPARE(a.pushes[0].requestId, subA->subscriptionId);
        auto update = proto::PresenceUpdate::decode(a.pushes[0].payload);
        QCOMPARE(update->blob, Bytes(20, 9));
        QCOMPARE(update->expiresAt, h.now() + 60);
        // A late subscriber in the audience gets the current blob at once; after expiry, nothing.
        auto a2 = connectAs(h, TestDevice::create(alice, h.now()));
        QVERIFY(a2.call<proto::PresenceSubscribeResult>(Service::Presence, proto::PresenceMethod::Subscribe, proto::Empty {}).ok());
        a2.collectPushes();
        QCOMPARE(a2.pushes.size(), 1u);
        h.clock.advance(61ull * 1000000000ull);
        auto a3 = connectAs(h, TestDevice::create(alice, h.now()));
        QVERIFY(a3.call<proto::PresenceSubscribeResult>(Service::Presence, proto::PresenceMethod::Subscribe, proto::Empty {}).ok());
        a3.collectPushes();
        QCOMPARE(a3.pushes.size(), 0u);
        // Unsubscribed connections get nothing more.
        QVERIFY(a.call<proto::Empty>(Service::Presence, proto::PresenceMethod::Unsubscribe, proto::Empty {}).ok());
        QVERIFY(owner.call<proto::PresencePublishResult>(Service::Presence, proto::PresenceMethod::Publish,
                                                         proto::PresencePublish {.audience = {alice.publicKey}, .ttlSeconds = 0, .blob = Bytes(1, 1)}).ok());
        a.collectPushes();
        QCOMPARE(a.pushes.size(), 1u);
        QCOMPARE(a2.call<proto::Pong>(Service::Session, proto::SessionMethod::Ping, proto::Empty {}).ok(), true);
        QCOMPARE(a2.pushes.size(), 2u);
    }

    void adminStatusIsForTheOwner()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto friendC = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        QVERIFY(friendC.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                       proto::MailboxPost {.mailbox = mailboxId(1), .envelope = Bytes(10, 1)}).ok());
        QVERIFY(owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, objectOf(700, 1)).ok());
        h.clock.advance(5ull * 1000000000ull);
        auto status = owner.call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {});
        QVERIFY(status.ok());
        QCOMPARE(status->uptimeSeconds, 5u);
        QCOMPARE(status->connections, 2u);
        QCOMPARE(status->mailboxMessages, 1u);
        QCOMPARE(status->store.objectCount, 3u); // the object, the message and the message counter
        QVERIFY(status->store.capacityBytes > 0);
        QCOMPARE(friendC.call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {}).error().code(),
                 ErrorCode::PermissionDenied);
        // Unknown services and methods get an error, not a closed connection.
        auto unknown = owner.call(static_cast<Service>(99), 1, {});
        QCOMPARE(unknown->kind, FrameKind::Error);
        QCOMPARE(decodeErrorPayload(unknown->payload).code(), ErrorCode::Unsupported);
        QVERIFY(!owner.closed());
    }

    void badInputClosesOnlyThatConnection_data()
    {
        QTest::addColumn<QString>("attack");
        QTest::newRow("garbage before the handshake") << "garbage";
        QTest::newRow("oversized handshake record") << "oversized";
        QTest::newRow("wrong node key") << "wrongkey";
        QTest::newRow("replayed handshake message") << "replay1";
        QTest::newRow("replayed transport record") << "replayrecord";
        QTest::newRow("forged transport record") << "forged";
        QTest::newRow("oversized frame record") << "bigrecord";
        QTest::newRow("frame that is not a request") << "notrequest";
        QTest::newRow("peer vanishes mid-handshake") << "halfhandshake";
    }
    void badInputClosesOnlyThatConnection()
    {
        QFETCH(QString, attack);
        Harness h;
        auto good = connectAs(h, TestDevice::create(h.owner, h.now()));
        QVERIFY(good.channel->ready());
        const TestDevice alice = TestDevice::create(keyFromByte(2), h.now());

        ConnId victim = 0;
        auto raw = [&](ByteView bytes) {
            victim = h.net.connect();
            h.node->onEvent(NetEvent::Accepted, victim);
            h.net.clientSend(victim, bytes);
            h.node->onEvent(NetEvent::Readable, victim);
        };
        if (attack == "garbage") {
            raw(asBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        } else if (attack == "oversized") {
            raw(Bytes {0x00, 0x10, 0x00, 0x00, 1, 2, 3});
        } else if (attack == "wrongkey") {
            auto other = ClientChannel::start(noise::KeyPair::generate().publicKey, alice.noiseKey, alice.hello()).release();
            raw(other->takeOutput());
        } else if (attack == "replay1") {
            // An eavesdropper replays alice's message 1 on a new connection: the node answers,
            // but without alice's keys nothing the replayer sends next authenticates.
            auto first = connectAs(h, alice);
            QVERIFY(first.channel->ready());
            Bytes replay;
            appendRecord(replay, first.channel->message1());
            const auto req = first.channel->request(Service::Session, 1, {});
            (void)req;
            Bytes recorded = first.channel->takeOutput();
            raw(replay);
            QVERIFY(!h.net.closedByNode(victim));
            h.net.clientSend(victim, recorded);
            h.node->onEvent(NetEvent::Readable, victim);
        } else if (attack == "replayrecord" || attack == "forged" || attack == "bigrecord" || attack == "notrequest") {
            auto c = connectAs(h, alice);
            QVERIFY(c.channel->ready());
            victim = c.id;
            (void)c.channel->request(Service::Session, 1, {});
            Bytes record = c.channel->takeOutput();
            if (attack == "replayrecord") {
                c.h->net.clientSend(c.id, record);
                c.h->node->onEvent(NetEvent::Readable, c.id);
                QVERIFY(!h.net.closedByNode(victim)); // the original is fine
            } else if (attack == "forged") {
                record.back() ^= 1;
            } else if (attack == "bigrecord") {
                record = Bytes {0x00, 0x01, 0x00, 0x00, 0, 0};
            } else {
                Frame push;
                push.version = 1;
                push.kind = FrameKind::Push;
                QVERIFY(c.channel->sendFrame(push).ok());
                record = c.channel->takeOutput();
            }
            h.net.clientSend(victim, record);
            h.node->onEvent(NetEvent::Readable, victim);
        } else if (attack == "halfhandshake") {
            auto other = ClientChannel::start(h.nodeKey, alice.noiseKey, alice.hello()).release();
            Bytes m1 = other->takeOutput();
            m1.resize(m1.size() / 2);
            raw(m1);
            h.net.clientClose(victim);
            h.node->onEvent(NetEvent::Readable, victim);
        }
        QVERIFY2(h.net.closedByNode(victim), qPrintable(attack));
        QVERIFY(h.console.lines.size() > 0);
        // The good client is still served.
        QVERIFY(good.call<proto::Pong>(Service::Session, proto::SessionMethod::Ping, proto::Empty {}).ok());
        QVERIFY(!good.closed());
    }

    void handshakeTimesOut()
    {
        Harness h;
        ConnId id = h.net.connect();
        h.node->onEvent(NetEvent::Accepted, id);
        h.net.clientSend(id, Bytes {0, 0});
        h.node->onEvent(NetEvent::Readable, id);
        h.node->tick();
        QVERIFY(!h.net.closedByNode(id));
        h.clock.advance(11ull * 1000000000ull);
        h.node->tick();
        QVERIFY(h.net.closedByNode(id));
        QVERIFY(h.console.contains("handshake timed out"));
        QCOMPARE(h.node->connectionCount(), 0u);
    }

    void slowReaderCannotGrowTheNode()
    {
        NodeConfig config;
        config.pushDropAbove = 8 * 1024;
        config.maxUnsent = 64 * 1024;
        Harness h(config);
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        const SigningKey alice = keyFromByte(2);
        auto slow = connectAs(h, TestDevice::create(alice, h.now()));
        QVERIFY(slow.call<proto::PresenceSubscribeResult>(Service::Presence, proto::PresenceMethod::Subscribe, proto::Empty {}).ok());
        h.net.setWindow(slow.id, 0); // never reads again
        for (int i = 0; i < 50; ++i)
            QVERIFY(owner.call<proto::PresencePublishResult>(Service::Presence, proto::PresenceMethod::Publish,
                                                             proto::PresencePublish {.audience = {alice.publicKey}, .ttlSeconds = 0, .blob = Bytes(1000, 1)}).ok());
        QVERIFY(h.node->counters().pushesDropped > 30);
        QVERIFY(!slow.closed());
        // Requests whose responses pile up past maxUnsent close the connection.
        const auto obj = objectOf(30000, 7);
        QVERIFY(owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj).ok());
        auto slowOwner = connectAs(h, TestDevice::create(h.owner, h.now()));
        h.net.setWindow(slowOwner.id, 0);
        for (int i = 0; i < 5; ++i)
            (void)slowOwner.channel->request(Service::Objects, static_cast<std::uint16_t>(proto::ObjectsMethod::Get),
                                             proto::ObjectGet {.id = obj.id}.encode());
        slowOwner.pump();
        QVERIFY(slowOwner.closed());
        QVERIFY(h.console.contains("slow reader"));
        QVERIFY(owner.call<proto::Pong>(Service::Session, proto::SessionMethod::Ping, proto::Empty {}).ok());
    }

    void oneFastSenderCannotStarveOthers()
    {
        NodeConfig config;
        config.maxReadsPerEvent = 2;
        Harness h(config);
        auto fast = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto other = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        // 300 KiB of requests arrive at once; one event reads at most 2 x 64 KiB of them.
        for (int i = 0; i < 10; ++i)
            (void)fast.channel->request(Service::Objects, static_cast<std::uint16_t>(proto::ObjectsMethod::Put),
                                        objectOf(30 * 1024, static_cast<std::uint8_t>(i)).encode());
        h.net.clientSend(fast.id, fast.channel->takeOutput());
        h.node->onEvent(NetEvent::Readable, fast.id);
        auto countResponses = [&] {
            (void)fast.channel->feed(h.net.clientReceive(fast.id));
            std::size_t n = 0;
            while (auto f = fast.channel->next())
                n += f->kind == FrameKind::Response ? 1u : 0u;
            return n;
        };
        const std::size_t first = countResponses();
        QVERIFY(first > 0 && first < 10);
        QVERIFY(other.call<proto::Pong>(Service::Session, proto::SessionMethod::Ping, proto::Empty {}).ok());
        // The rest is read on later events or ticks.
        std::size_t total = first;
        for (int i = 0; i < 10 && total < 10; ++i) {
            h.node->tick();
            total += countResponses();
        }
        QCOMPARE(total, 10u);
    }

    void invitesAreSingleUseAndDurable()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto anon = connectAnonymous(h);
        const Bytes secret(24, 0x5a);
        const Bytes shortLived(16, 0x33);
        const auto box = mailboxId(9);
        auto post = [&](Client& c, const Bytes& invite) {
            return c.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::PostWithInvite,
                                                    proto::MailboxPostWithInvite {.mailbox = box, .invite = invite, .envelope = Bytes(40, 4)});
        };
        // Only the owner registers invites.
        auto friendC = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        auto refused = friendC.call<proto::AdminRegisterInvitesResult>(
            Service::Admin, proto::AdminMethod::RegisterInvites,
            proto::AdminRegisterInvites {.tokens = {{.hash = inviteTokenHash(secret), .expiresAt = h.now() + 3600}}});
        QCOMPARE(refused.error().code(), ErrorCode::PermissionDenied);

        auto unknown = post(anon, secret);
        QCOMPARE(unknown.error().code(), ErrorCode::PermissionDenied);
        QCOMPARE(unknown.error().messageView(), std::string_view("unknown invite"));

        auto added = owner.call<proto::AdminRegisterInvitesResult>(
            Service::Admin, proto::AdminMethod::RegisterInvites,
            proto::AdminRegisterInvites {.tokens = {{.hash = inviteTokenHash(secret), .expiresAt = h.now() + 3600},
                                                    {.hash = inviteTokenHash(shortLived), .expiresAt = h.now() + 10},
                                                    {.hash = inviteTokenHash(secret), .expiresAt = h.now() + 3600}}});
        QVERIFY(added.ok());
        QCOMPARE(added->added, 2u);

        auto first = post(anon, secret);
        QVERIFY(first.ok());
        auto replay = post(anon, secret);
        QCOMPARE(replay.error().code(), ErrorCode::PermissionDenied);
        QCOMPARE(replay.error().messageView(), std::string_view("invite already used"));

        h.clock.advance(11ull * 1000000000ull);
        auto late = post(anon, shortLived);
        QCOMPARE(late.error().messageView(), std::string_view("invite expired"));

        // Spent durably: a restarted node still refuses the replay.
        h.restart();
        auto again = connectAnonymous(h);
        auto replayAfterRestart = post(again, secret);
        QCOMPARE(replayAfterRestart.error().messageView(), std::string_view("invite already used"));
        auto owner2 = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto fetched = owner2.call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch,
                                                              proto::MailboxFetch {.mailbox = box, .after = 0, .limit = 0});
        QCOMPARE(fetched->envelopes.size(), 1u);
        QCOMPARE(fetched->envelopes[0].id, first->messageId);
        auto status = owner2.call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {});
        QCOMPARE(status->invitesOutstanding, 0u);
    }

    void inviteIsNotSpentByARefusedPost()
    {
        NodeConfig config;
        config.services.mailboxMaxMessages = 1;
        Harness h(config);
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        const Bytes secret(32, 0x11);
        const auto box = mailboxId(3);
        QVERIFY(owner.call<proto::AdminRegisterInvitesResult>(
                         Service::Admin, proto::AdminMethod::RegisterInvites,
                         proto::AdminRegisterInvites {.tokens = {{.hash = inviteTokenHash(secret), .expiresAt = h.now() + 60}}})
                    .ok());
        QVERIFY(owner.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                     proto::MailboxPost {.mailbox = box, .envelope = Bytes(5, 1)})
                    .ok());
        auto anon = connectAnonymous(h);
        auto full = anon.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::PostWithInvite,
                                                        proto::MailboxPostWithInvite {.mailbox = box, .invite = secret, .envelope = Bytes(5, 2)});
        QCOMPARE(full.error().code(), ErrorCode::NoSpace);
        auto status = owner.call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {});
        QCOMPARE(status->invitesOutstanding, 1u);
    }

    void prekeysAreTakenSingly()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto alice = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        auto bob = connectAs(h, TestDevice::create(keyFromByte(3), h.now()));
        auto anon = connectAnonymous(h);
        std::vector<Bytes> keys;
        for (std::uint8_t i = 1; i <= 5; ++i)
            keys.push_back(Bytes(33, i));
        auto denied = alice.call<proto::DirectoryPublishPrekeysResult>(
            Service::Directory, proto::DirectoryMethod::PublishPrekeys, proto::DirectoryPublishPrekeys {.deviceId = 7, .prekeys = keys});
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);
        auto published = owner.call<proto::DirectoryPublishPrekeysResult>(
            Service::Directory, proto::DirectoryMethod::PublishPrekeys, proto::DirectoryPublishPrekeys {.deviceId = 7, .prekeys = keys});
        QVERIFY(published.ok());
        QCOMPARE(published->stored, 5u);
        QCOMPARE(published->remaining, 5u);

        auto take = [&](Client& c) {
            return c.call<proto::DirectoryTakePrekeyResult>(Service::Directory, proto::DirectoryMethod::TakePrekey,
                                                            proto::DirectoryTakePrekey {.owner = {}, .deviceId = 7});
        };
        QCOMPARE(take(anon).error().code(), ErrorCode::PermissionDenied);
        std::vector<Bytes> handedOut;
        for (int i = 0; i < 2; ++i) {
            for (Client* c : {&alice, &bob}) {
                auto got = take(*c);
                QVERIFY(got.ok());
                QVERIFY(got->found);
                handedOut.push_back(got->prekey);
            }
        }
        // Oldest first, each exactly once.
        QCOMPARE(handedOut, std::vector<Bytes>(keys.begin(), keys.begin() + 4));
        h.restart();
        auto owner2 = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto count = owner2.call<proto::DirectoryCountPrekeysResult>(Service::Directory, proto::DirectoryMethod::CountPrekeys,
                                                                     proto::DirectoryCountPrekeys {.deviceId = 7});
        QCOMPARE(count->remaining, 1u);
        auto carol = connectAs(h, TestDevice::create(keyFromByte(4), h.now()));
        auto last = take(carol);
        QVERIFY(last->found);
        QCOMPARE(last->prekey, keys[4]);
        QCOMPARE(last->remaining, 0u);
        auto none = take(carol);
        QVERIFY(none.ok());
        QVERIFY(!none->found);
        // Appending after a take continues after the last sequence number.
        auto more = owner2.call<proto::DirectoryPublishPrekeysResult>(
            Service::Directory, proto::DirectoryMethod::PublishPrekeys,
            proto::DirectoryPublishPrekeys {.deviceId = 7, .prekeys = {Bytes(33, 9)}});
        QCOMPARE(more->remaining, 1u);
        QCOMPARE(take(carol)->prekey, Bytes(33, 9));
        auto otherOwner = carol.call<proto::DirectoryTakePrekeyResult>(
            Service::Directory, proto::DirectoryMethod::TakePrekey,
            proto::DirectoryTakePrekey {.owner = keyFromByte(5).publicKey, .deviceId = 7});
        QCOMPARE(otherOwner.error().code(), ErrorCode::NotFound);
    }

    void watchersGetANotifyPushAfterAPost()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto other = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto friendC = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        const auto box = mailboxId(5);
        QCOMPARE(friendC.call<proto::Empty>(Service::Mailbox, proto::MailboxMethod::Watch,
                                            proto::MailboxWatch {.mailboxes = {box}})
                     .error()
                     .code(),
                 ErrorCode::PermissionDenied);
        QVERIFY(owner.call<proto::Empty>(Service::Mailbox, proto::MailboxMethod::Watch,
                                         proto::MailboxWatch {.mailboxes = {box, mailboxId(6)}})
                    .ok());
        auto posted = friendC.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                            proto::MailboxPost {.mailbox = box, .envelope = Bytes(8, 8)});
        QVERIFY(posted.ok());
        (void)friendC.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                     proto::MailboxPost {.mailbox = mailboxId(1), .envelope = Bytes(8, 8)});
        owner.collectPushes();
        other.collectPushes();
        QCOMPARE(owner.pushes.size(), 1u);
        QCOMPARE(owner.pushes[0].service, std::uint16_t(Service::Mailbox));
        QCOMPARE(owner.pushes[0].method, std::uint16_t(proto::MailboxMethod::Notify));
        auto notify = proto::MailboxNotify::decode(owner.pushes[0].payload);
        QVERIFY(notify.ok());
        QCOMPARE(notify->mailbox, box);
        QCOMPARE(notify->messageId, posted->messageId);
        QVERIFY(other.pushes.empty()); // did not watch
        QVERIFY(friendC.pushes.empty());

        // A new watch replaces the set; a refused one keeps it.
        QVERIFY(owner.call<proto::Empty>(Service::Mailbox, proto::MailboxMethod::Watch,
                                         proto::MailboxWatch {.mailboxes = {mailboxId(6)}})
                    .ok());
        QVERIFY(other.call<proto::Empty>(Service::Mailbox, proto::MailboxMethod::Watch, proto::MailboxWatch {.mailboxes = {box}}).ok());
        (void)friendC.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                     proto::MailboxPost {.mailbox = box, .envelope = Bytes(8, 9)});
        owner.collectPushes();
        other.collectPushes();
        QCOMPARE(owner.pushes.size(), 1u);
        QCOMPARE(other.pushes.size(), 1u);
        // A closed watcher is forgotten: the other one still gets its push.
        h.net.clientClose(owner.id);
        h.node->onEvent(NetEvent::Closed, owner.id);
        (void)friendC.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                     proto::MailboxPost {.mailbox = box, .envelope = Bytes(8, 10)});
        other.collectPushes();
        QCOMPARE(other.pushes.size(), 2u);
    }

    void sharedObjectsAreReadableByIdOnly()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto friendC = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        auto anon = connectAnonymous(h);
        const auto object = objectOf(3000, 0x42);
        QVERIFY(owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, object).ok());
        auto got = friendC.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::GetShared,
                                                      proto::ObjectGetShared {.id = object.id});
        QVERIFY(got.ok());
        QCOMPARE(got->content, object.content);
        QCOMPARE(anon.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::GetShared,
                                                 proto::ObjectGetShared {.id = object.id})
                     .error()
                     .code(),
                 ErrorCode::PermissionDenied);
        QCOMPARE(friendC.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::GetShared,
                                                    proto::ObjectGetShared {.id = objectOf(10, 1).id})
                     .error()
                     .code(),
                 ErrorCode::NotFound);
        // Friends still cannot list or read the owner's space by other means.
        QCOMPARE(friendC.call<proto::ObjectListResult>(Service::Objects, proto::ObjectsMethod::List, proto::ObjectList {})
                     .error()
                     .code(),
                 ErrorCode::PermissionDenied);
        auto status = owner.call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {});
        QCOMPARE(status->sharedReads, 1u);
        QCOMPARE(status->sharedBytes, 3000u);
    }

    // Shared reads have their own budget per friend, apart from posts.
    void sharedReadsHaveTheirOwnRateLimit()
    {
        NodeConfig config;
        config.services.postBurst = 2;
        config.services.sharedReadBurst = 5;
        config.services.sharedReadsPerMinute = 60;
        Harness h(config);
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto friendC = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        const auto object = objectOf(100, 0x17);
        QVERIFY(owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, object).ok());
        auto read = [&] {
            return friendC.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::GetShared,
                                                      proto::ObjectGetShared {.id = object.id});
        };
        for (int i = 0; i < 5; ++i)
            QVERIFY(read().ok()); // more than the post burst of 2
        const auto refused = read();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), ErrorCode::Unavailable);
        QVERIFY(refused.error().messageView().find("shared object reads") != std::string_view::npos);
        // Posting is charged to another bucket and still works.
        QVERIFY(friendC.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                       proto::MailboxPost {.mailbox = mailboxId(9), .envelope = Bytes(10, 1)})
                    .ok());
    }

    void aTurnSharesOneFlushAndHoldsItsAnswers()
    {
        Harness h;
        auto a = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto b = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        const auto box = mailboxId(4);
        const proto::MailboxPost post {.mailbox = box, .envelope = Bytes(64, 6)};
        QVERIFY(a.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post, post).ok());
        const std::uint64_t flushes = h.block.flushes();
        h.node->beginTurn();
        for (Client* c : {&a, &b}) {
            c->channel->request(Service::Mailbox, static_cast<std::uint16_t>(proto::MailboxMethod::Post), post.encode());
            h.net.clientSend(c->id, c->channel->takeOutput());
            h.node->onEvent(NetEvent::Readable, c->id);
        }
        // Nothing is answered before the turn's writes are durable.
        QVERIFY(h.net.clientReceive(a.id).empty());
        QVERIFY(h.net.clientReceive(b.id).empty());
        QCOMPARE(h.block.flushes(), flushes);
        h.node->endTurn();
        QCOMPARE(h.block.flushes(), flushes + 1);
        for (Client* c : {&a, &b}) {
            QVERIFY(c->channel->feed(h.net.clientReceive(c->id)).ok());
            auto frame = c->channel->next();
            QVERIFY(frame.has_value());
            QCOMPARE(frame->kind, FrameKind::Response);
        }
    }

    void readsOfDurableDataAreNotHeldByTheTurn()
    {
        Harness h;
        auto writer = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        auto reader = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto other = connectAs(h, TestDevice::create(h.owner, h.now()));
        const auto quiet = mailboxId(1);
        const auto busy = mailboxId(2);
        QVERIFY(writer.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                      proto::MailboxPost {.mailbox = quiet, .envelope = Bytes(9, 9)})
                    .ok());
        h.node->beginTurn();
        auto sendOnly = [&](Client& c, proto::MailboxMethod method, Bytes payload) {
            c.channel->request(Service::Mailbox, static_cast<std::uint16_t>(method), std::move(payload));
            h.net.clientSend(c.id, c.channel->takeOutput());
            h.node->onEvent(NetEvent::Readable, c.id);
        };
        sendOnly(writer, proto::MailboxMethod::Post, proto::MailboxPost {.mailbox = busy, .envelope = Bytes(9, 1)}.encode());
        sendOnly(reader, proto::MailboxMethod::Fetch, proto::MailboxFetch {.mailbox = quiet, .after = 0, .limit = 0}.encode());
        sendOnly(other, proto::MailboxMethod::Fetch, proto::MailboxFetch {.mailbox = busy, .after = 0, .limit = 0}.encode());
        // The fetch of a mailbox untouched this turn is answered now; the post and the fetch
        // that sees it wait for the flush.
        QVERIFY(!h.net.clientReceive(reader.id).empty());
        QVERIFY(h.net.clientReceive(writer.id).empty());
        QVERIFY(h.net.clientReceive(other.id).empty());
        h.node->endTurn();
        QVERIFY(!h.net.clientReceive(writer.id).empty());
        QVERIFY(!h.net.clientReceive(other.id).empty());
    }

    void aFailedTurnFlushClosesItsConnectionsUnanswered()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        auto poster = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        const auto box = mailboxId(8);
        QVERIFY(poster.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                      proto::MailboxPost {.mailbox = box, .envelope = Bytes(10, 1)})
                    .ok());
        h.node->beginTurn();
        poster.channel->request(Service::Mailbox, static_cast<std::uint16_t>(proto::MailboxMethod::Post),
                                proto::MailboxPost {.mailbox = box, .envelope = Bytes(10, 2)}.encode());
        h.net.clientSend(poster.id, poster.channel->takeOutput());
        h.node->onEvent(NetEvent::Readable, poster.id);
        h.block.failFlushes(ErrorCode::Io);
        h.node->endTurn();
        h.block.failFlushes(std::nullopt);
        QVERIFY(poster.closed());
        QVERIFY(h.net.clientReceive(poster.id).empty());
        QVERIFY(!owner.closed());
        // The undone post is gone from the node's view as well as the store's.
        auto fetched = owner.call<proto::MailboxFetchResult>(Service::Mailbox, proto::MailboxMethod::Fetch,
                                                             proto::MailboxFetch {.mailbox = box, .after = 0, .limit = 0});
        QVERIFY(fetched.ok());
        QCOMPARE(fetched->envelopes.size(), 1u);
        QCOMPARE(fetched->envelopes[0].body, Bytes(10, 1));
        auto status = owner.call<proto::AdminStatus>(Service::Admin, proto::AdminMethod::Status, proto::Empty {});
        QCOMPARE(status->mailboxMessages, 1u);
        auto again = connectAs(h, TestDevice::create(keyFromByte(2), h.now()));
        QVERIFY(again.call<proto::MailboxPostResult>(Service::Mailbox, proto::MailboxMethod::Post,
                                                     proto::MailboxPost {.mailbox = box, .envelope = Bytes(10, 3)})
                    .ok());
    }

    void restartKeepsStateAndQuota()
    {
        Harness h;
        const SigningKey alice = keyFromByte(2);
        const GrantChain chain = grantFor(h, alice, 10, h.now());
        const TestDevice device = TestDevice::create(alice, h.now());
        std::uint64_t quota = 0;
        const auto first = objectOf(4000, 1);
        {
            auto c = connectAs(h, device, chain.encode());
            auto put = c.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, first);
            QVERIFY(put.ok());
            quota = put->storageQuota;
            auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
            QVERIFY(owner.call<proto::DirectoryPublishResult>(Service::Directory, proto::DirectoryMethod::Publish,
                                                              proto::DirectoryPublish {.kind = 2, .entry = Bytes(5, 5)}).ok());
        }
        h.restart();
        auto c = connectAs(h, device, chain.encode());
        auto got = c.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = first.id});
        QVERIFY(got.ok());
        QCOMPARE(got->content, first.content);
        // The usage survived the restart: the quota still counts the first object.
        auto over = c.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put,
                                                   objectOf(static_cast<std::size_t>(quota - 4000 + 1), 2));
        QCOMPARE(over.error().code(), ErrorCode::NoSpace);
        auto dir = c.call<proto::DirectoryFetchResult>(Service::Directory, proto::DirectoryMethod::Fetch, proto::DirectoryFetch {});
        QCOMPARE(dir->entries.size(), 1u);
    }

    void storeFullGivesAClearErrorAndKeepsData()
    {
        Harness h;
        auto owner = connectAs(h, TestDevice::create(h.owner, h.now()));
        std::vector<proto::ObjectPut> stored;
        Error last;
        for (std::uint8_t i = 0; i < 200; ++i) {
            auto obj = objectOf(200 * 1024, i);
            auto put = owner.call<proto::ObjectPutResult>(Service::Objects, proto::ObjectsMethod::Put, obj);
            if (!put) {
                last = put.error();
                break;
            }
            stored.push_back(obj);
        }
        QCOMPARE(last.code(), ErrorCode::NoSpace);
        QVERIFY(stored.size() > 10);
        for (const auto& obj : stored) {
            auto got = owner.call<proto::ObjectContent>(Service::Objects, proto::ObjectsMethod::Get, proto::ObjectGet {.id = obj.id});
            QVERIFY(got.ok());
            QCOMPARE(got->content, obj.content);
        }
    }
};

QTEST_GUILESS_MAIN(TestNodeCore)
#include "test_node.moc"
