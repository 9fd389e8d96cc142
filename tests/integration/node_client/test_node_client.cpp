// NodeClient against real hive-node processes on 127.0.0.1: every service, roles, request
// timeouts, reconnects after a node restart, and LocalNode's process supervision.
#include "nodeprocess.h"

#include "node/localnode.h"
#include "node/nodeclient.h"

#include "wire/nodeprotocol.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

#include <algorithm>
#include <csignal>
#include <memory>

using namespace hive;
using namespace hive::core;
using namespace std::chrono_literals;
namespace proto = hive::wire::proto;

namespace {

Bytes filled(std::size_t size, std::uint8_t seed)
{
    Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
    return bytes;
}

proto::MailboxId randomMailbox()
{
    proto::MailboxId id {};
    randombytes_buf(id.data(), id.size());
    return id;
}

bool processAlive(qint64 pid)
{
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

template <typename T>
T expectOk(const Result<T>& result, const char* what)
{
    if (!result.ok())
        qFatal("%s failed: %s", what, result.error().message());
    return *result;
}

} // namespace

class TestNodeClient : public QObject {
    Q_OBJECT

private:
    wire::SigningKey m_owner = wire::SigningKey::generate();
    wire::SigningKey m_friend = wire::SigningKey::generate();
    std::unique_ptr<test::NodeProcess> m_node;

    std::unique_ptr<NodeClient> client(const wire::SigningKey& identity)
    {
        auto c = std::make_unique<NodeClient>(NodeCredentials::fromKeys(identity, wire::noise::KeyPair::generate()));
        c->setReconnectPolicy({50ms, 500ms, 0});
        c->connectTo(m_node->address());
        return c;
    }
    std::unique_ptr<NodeClient> anonymousClient()
    {
        auto c = std::make_unique<NodeClient>(NodeCredentials::anonymous());
        c->connectTo(m_node->address());
        return c;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(sodium_init() >= 0);
        QVERIFY2(QFileInfo(test::NodeProcess::executable()).isExecutable(), "hive-node is not built");
        m_node = std::make_unique<test::NodeProcess>(m_owner.publicKey);
        QVERIFY2(m_node->initialized(), qPrintable(m_node->log()));
        QVERIFY2(m_node->start(), qPrintable(m_node->log()));
    }

    void cleanupTestCase()
    {
        if (m_node)
            QCOMPARE(m_node->stop(), 0); // SIGTERM -> exit 0
    }

    void handshakeGivesOwnerAndFriendRoles()
    {
        auto owner = client(m_owner);
        const auto hello = expectOk(owner->waitConnected().wait(), "owner connect");
        QCOMPARE(owner->state(), NodeClient::State::Connected);
        QCOMPARE(hello.role, proto::Role::Owner);
        QCOMPARE(hello.owner, m_owner.publicKey);
        QCOMPARE(owner->version(), std::uint16_t(1));
        QVERIFY(owner->lastError().isEmpty());

        auto friendClient = client(m_friend);
        QCOMPARE(expectOk(friendClient->waitConnected().wait(), "friend connect").role, proto::Role::Friend);
        auto anonymous = anonymousClient();
        QCOMPARE(expectOk(anonymous->waitConnected().wait(), "anonymous connect").role, proto::Role::Anonymous);

        const auto pong = expectOk(owner->ping().wait(), "ping");
        QVERIFY(pong.nodeTime > 1700000000);
    }

    // A receiver of `connected` or of a push may wait for another reply of the same client:
    // the signals come from the event loop, not from inside the socket's readyRead (where a
    // local event loop would see no more data until the request timed out).
    void receiversMayWaitForRepliesInsideSignals()
    {
        auto owner = std::make_unique<NodeClient>(NodeCredentials::fromKeys(m_owner, wire::noise::KeyPair::generate()));
        owner->setRequestTimeout(3s);
        std::optional<Result<proto::Pong>> fromConnected;
        connect(owner.get(), &NodeClient::connected, owner.get(), [&] { fromConnected = owner->ping().wait(); });
        owner->connectTo(m_node->address());
        QTRY_VERIFY_WITH_TIMEOUT(fromConnected.has_value(), 10000);
        QVERIFY2(fromConnected->ok(), fromConnected->ok() ? "" : fromConnected->error().message());

        const proto::MailboxId mailbox = randomMailbox();
        expectOk(owner->mailboxWatch({mailbox}).wait(), "watch");
        std::optional<Result<proto::MailboxFetchResult>> fromPush;
        connect(owner.get(), &NodeClient::mailboxNotified, owner.get(),
                [&](const proto::MailboxId&, quint64) { fromPush = owner->mailboxFetch(mailbox).wait(); });
        auto poster = client(m_friend);
        expectOk(poster->mailboxPost(mailbox, Bytes(100, 7)).wait(), "post");
        QTRY_VERIFY_WITH_TIMEOUT(fromPush.has_value(), 10000);
        QVERIFY2(fromPush->ok(), fromPush->ok() ? "" : fromPush->error().message());
        QCOMPARE(fromPush->value().envelopes.size(), std::size_t(1));
    }

    void ownerDevicesPostToTheirOwnMailbox()
    {
        // How one device of a person leaves a message for another of its devices.
        auto owner = client(m_owner);
        const proto::MailboxId mailbox = randomMailbox();
        const Bytes body = filled(1024, 14);
        const auto posted = expectOk(owner->mailboxPost(mailbox, body).wait(), "owner post");
        const auto fetched = expectOk(owner->mailboxFetch(mailbox).wait(), "owner fetch");
        QCOMPARE(fetched.envelopes.size(), std::size_t(1));
        QCOMPARE(fetched.envelopes[0].id, posted.messageId);
        QCOMPARE(fetched.envelopes[0].body, body);
        QCOMPARE(fetched.envelopes[0].sender, m_owner.publicKey);
        QCOMPARE(expectOk(owner->mailboxAck(mailbox, {posted.messageId}).wait(), "owner ack").removed, 1u);
    }
    void mailboxPostFetchAck()
    {
        auto owner = client(m_owner);
        auto friendClient = client(m_friend);
        const proto::MailboxId mailbox = randomMailbox();
        const Bytes first = filled(1024, 1);
        const Bytes second = filled(300, 2);
        const auto posted1 = expectOk(friendClient->mailboxPost(mailbox, first).wait(), "post 1");
        const auto posted2 = expectOk(friendClient->mailboxPost(mailbox, second).wait(), "post 2");
        QVERIFY(posted2.messageId > posted1.messageId);

        // Only the owner's devices may read a mailbox.
        const auto& denied = friendClient->mailboxFetch(mailbox).wait();
        QVERIFY(!denied.ok());
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);

        const auto fetched = expectOk(owner->mailboxFetch(mailbox).wait(), "fetch");
        QCOMPARE(fetched.envelopes.size(), std::size_t(2));
        QCOMPARE(fetched.envelopes[0].id, posted1.messageId);
        QCOMPARE(fetched.envelopes[0].body, first);
        QCOMPARE(fetched.envelopes[0].sender, m_friend.publicKey);
        QCOMPARE(fetched.envelopes[1].body, second);
        QVERIFY(!fetched.more);

        const auto after = expectOk(owner->mailboxFetch(mailbox, posted1.messageId).wait(), "fetch after");
        QCOMPARE(after.envelopes.size(), std::size_t(1));
        QCOMPARE(after.envelopes[0].id, posted2.messageId);

        const auto acked = expectOk(owner->mailboxAck(mailbox, {posted1.messageId, posted2.messageId}).wait(), "ack");
        QCOMPARE(acked.removed, 2u);
        QVERIFY(expectOk(owner->mailboxFetch(mailbox).wait(), "fetch empty").envelopes.empty());
    }

    void anonymousMayOnlyPost()
    {
        auto anonymous = anonymousClient();
        auto owner = client(m_owner);
        const proto::MailboxId mailbox = randomMailbox();
        expectOk(anonymous->mailboxPost(mailbox, filled(64, 3)).wait(), "anonymous post");
        const auto& denied = anonymous->directoryFetch().wait();
        QVERIFY(!denied.ok());
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);
        const auto fetched = expectOk(owner->mailboxFetch(mailbox).wait(), "owner fetch");
        QCOMPARE(fetched.envelopes.size(), std::size_t(1));
        QCOMPARE(fetched.envelopes[0].sender, proto::Key32 {}); // anonymous: zero sender
    }

    void directoryPublishFetch()
    {
        auto owner = client(m_owner);
        auto friendClient = client(m_friend);
        const Bytes card = filled(200, 4);
        const Bytes bundle = filled(500, 5);
        expectOk(owner->directoryPublish(std::uint16_t(proto::DirectoryKind::ContactCard), card).wait(), "publish card");
        expectOk(owner->directoryPublish(std::uint16_t(proto::DirectoryKind::PrekeyBundle), bundle).wait(),
                 "publish bundle");

        const auto all = expectOk(friendClient->directoryFetch().wait(), "fetch all");
        QCOMPARE(all.owner, m_owner.publicKey);
        QCOMPARE(all.entries.size(), std::size_t(2));
        QCOMPARE(all.entries[0].kind, std::uint16_t(proto::DirectoryKind::PrekeyBundle)); // ascending kind
        QCOMPARE(all.entries[0].entry, bundle);
        QCOMPARE(all.entries[1].entry, card);

        const auto one = expectOk(
            friendClient->directoryFetch({}, std::uint16_t(proto::DirectoryKind::ContactCard)).wait(), "fetch card");
        QCOMPARE(one.entries.size(), std::size_t(1));
        QCOMPARE(one.entries[0].entry, card);

        // Friends may not publish; an empty entry removes one.
        const auto& denied = friendClient->directoryPublish(7, filled(10, 6)).wait();
        QVERIFY(!denied.ok());
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);
        expectOk(owner->directoryPublish(std::uint16_t(proto::DirectoryKind::PrekeyBundle), {}).wait(), "remove");
        QCOMPARE(expectOk(friendClient->directoryFetch().wait(), "fetch after removal").entries.size(), std::size_t(1));
    }

    void objectsPutGetHasListDelete()
    {
        auto owner = client(m_owner);
        const Bytes a = filled(4096, 7);
        const Bytes b = filled(100000, 8);
        const proto::ObjectId idA = proto::objectIdOf(a);
        const proto::ObjectId idB = proto::objectIdOf(b);
        const proto::ObjectId idMissing = proto::objectIdOf(filled(10, 9));

        const auto putA = expectOk(owner->objectPut(a).wait(), "put a");
        QVERIFY(putA.created);
        QVERIFY(putA.storageUsed >= a.size());
        QVERIFY(expectOk(owner->objectPut(b).wait(), "put b").created);
        QVERIFY(!expectOk(owner->objectPut(a).wait(), "put a again").created);

        QCOMPARE(expectOk(owner->objectGet(idA).wait(), "get a").content, a);
        QCOMPARE(expectOk(owner->objectGet(idB).wait(), "get b").content, b);

        const auto has = expectOk(owner->objectHas({idA, idMissing, idB}).wait(), "has");
        QCOMPARE(has.present, (std::vector<bool> {true, false, true}));

        const auto list = expectOk(owner->objectList().wait(), "list");
        QCOMPARE(list.objects.size(), std::size_t(2));
        QVERIFY(list.objects[0].id < list.objects[1].id);
        for (const auto& entry : list.objects)
            QCOMPARE(entry.size, std::uint32_t(entry.id == idA ? a.size() : b.size()));
        const auto tail = expectOk(owner->objectList(list.objects[0].id).wait(), "list after");
        QCOMPARE(tail.objects.size(), std::size_t(1));
        QCOMPARE(tail.objects[0].id, list.objects[1].id);

        const auto deleted = expectOk(owner->objectDelete({idA, idMissing}).wait(), "delete");
        QCOMPARE(deleted.deleted, 1u);
        QCOMPARE(expectOk(owner->objectHas({idA}).wait(), "has after delete").present, std::vector<bool> {false});
        const auto& gone = owner->objectGet(idA).wait();
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code(), ErrorCode::NotFound);

        // A friend without a grant has no object space at all.
        auto friendClient = client(m_friend);
        const auto& denied = friendClient->objectPut(a).wait();
        QVERIFY(!denied.ok());
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);
    }

    void presencePublishIsPushedToSubscribers()
    {
        auto owner = client(m_owner);
        auto friendClient = client(m_friend);
        const wire::SigningKey outsider = wire::SigningKey::generate();
        auto outsiderClient = client(outsider);
        QSignalSpy friendUpdates(friendClient.get(), &NodeClient::presenceUpdated);
        QSignalSpy outsiderUpdates(outsiderClient.get(), &NodeClient::presenceUpdated);
        expectOk(friendClient->presenceSubscribe().wait(), "friend subscribe");
        expectOk(outsiderClient->presenceSubscribe().wait(), "outsider subscribe");

        const Bytes blob = filled(256, 10);
        const auto published = expectOk(owner->presencePublish({m_friend.publicKey}, 600, blob).wait(), "publish");
        QVERIFY(published.delivered >= 1);
        QTRY_COMPARE_WITH_TIMEOUT(friendUpdates.size(), 1, 5000);
        const auto update = friendUpdates.at(0).at(0).value<proto::PresenceUpdate>();
        QCOMPARE(update.blob, blob);
        QCOMPARE(update.publisher, m_owner.publicKey);
        QCOMPARE(update.sequence, published.sequence);
        // The outsider is not in the audience; a ping round trip later it still has nothing.
        expectOk(outsiderClient->ping().wait(), "outsider ping");
        QCOMPARE(outsiderUpdates.size(), 0);

        expectOk(friendClient->presenceUnsubscribe().wait(), "unsubscribe");
        expectOk(owner->presencePublish({m_friend.publicKey}, 600, filled(10, 11)).wait(), "publish again");
        expectOk(friendClient->ping().wait(), "friend ping");
        QCOMPARE(friendUpdates.size(), 1);
    }

    void adminStatusForTheOwnerOnly()
    {
        auto owner = client(m_owner);
        expectOk(owner->objectPut(filled(2000, 12)).wait(), "put");
        const auto status = expectOk(owner->adminStatus().wait(), "status");
        QVERIFY(status.connections >= 1);
        QVERIFY(status.store.capacityBytes > 0);
        QVERIFY(status.store.capacityBytes <= 16u << 20);
        QVERIFY(status.store.liveBytes >= 2000);
        QVERIFY(status.store.objectCount >= 1);

        auto friendClient = client(m_friend);
        const auto& denied = friendClient->adminStatus().wait();
        QVERIFY(!denied.ok());
        QCOMPARE(denied.error().code(), ErrorCode::PermissionDenied);
    }

    void requestTimesOutWhenTheNodeStalls()
    {
        auto owner = client(m_owner);
        expectOk(owner->waitConnected().wait(), "connect");
        m_node->pause();
        const auto started = std::chrono::steady_clock::now();
        const auto pending = owner->request(proto::Service::Session, 1, proto::Empty {}.encode(), 300ms);
        const auto& result = pending.wait();
        const auto waited = std::chrono::steady_clock::now() - started;
        m_node->resume();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), ErrorCode::Timeout);
        QVERIFY(waited >= 290ms);
        QVERIFY(waited < 5s);
        // The late answer to the timed-out request is dropped; the connection stays usable.
        expectOk(owner->ping().wait(), "ping after resume");
        QCOMPARE(owner->state(), NodeClient::State::Connected);
    }

    void reconnectsAfterTheNodeIsKilledAndRestarted()
    {
        auto owner = client(m_owner);
        auto friendClient = client(m_friend);
        expectOk(owner->waitConnected().wait(), "owner connect");
        expectOk(friendClient->presenceSubscribe().wait(), "subscribe");
        QSignalSpy connectedAgain(owner.get(), &NodeClient::connected);
        QSignalSpy updates(friendClient.get(), &NodeClient::presenceUpdated);

        m_node->kill();
        QTRY_VERIFY_WITH_TIMEOUT(owner->state() != NodeClient::State::Connected, 5000);
        // Requests while it is down fail (Failed) or wait for the reconnect (Connecting).
        QVERIFY(!owner->lastError().isEmpty());

        QVERIFY2(m_node->start(m_node->port()), qPrintable(m_node->log()));
        QTRY_VERIFY_WITH_TIMEOUT(connectedAgain.size() >= 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(friendClient->state(), NodeClient::State::Connected, 10000);
        expectOk(owner->ping().wait(), "ping after restart");

        // The friend's presence subscription was renewed on the new connection.
        expectOk(friendClient->ping().wait(), "friend ping"); // the renewal went before it
        expectOk(owner->presencePublish({m_friend.publicKey}, 60, filled(32, 13)).wait(), "publish");
        QTRY_VERIFY_WITH_TIMEOUT(updates.size() >= 1, 5000);
    }

    void replayedInviteIsRefusedAlsoAfterARestart()
    {
        auto owner = client(m_owner);
        Bytes secret(24);
        randombytes_buf(secret.data(), secret.size());
        const std::uint64_t now = static_cast<std::uint64_t>(QDateTime::currentSecsSinceEpoch());
        const auto added = expectOk(owner->adminRegisterInvites({{.hash = wire::inviteTokenHash(secret), .expiresAt = now + 3600}}).wait(),
                                    "register invites");
        QCOMPARE(added.added, 1u);
        const proto::MailboxId requests = randomMailbox();
        auto stranger = anonymousClient();
        expectOk(stranger->mailboxPostWithInvite(requests, secret, filled(300, 21)).wait(), "first post with invite");
        const auto& replay = stranger->mailboxPostWithInvite(requests, secret, filled(300, 22)).wait();
        QVERIFY(!replay.ok());
        QCOMPARE(replay.error().code(), ErrorCode::PermissionDenied);
        QCOMPARE(replay.error().messageView(), std::string_view("invite already used"));
        Bytes wrong = secret;
        wrong[0] ^= 1;
        const auto& unknown = stranger->mailboxPostWithInvite(requests, wrong, filled(300, 23)).wait();
        QCOMPARE(unknown.error().messageView(), std::string_view("unknown invite"));

        QCOMPARE(m_node->stop(), 0);
        QVERIFY2(m_node->start(m_node->port()), qPrintable(m_node->log()));
        auto later = anonymousClient();
        const auto& afterRestart = later->mailboxPostWithInvite(requests, secret, filled(300, 24)).wait();
        QVERIFY(!afterRestart.ok());
        QCOMPARE(afterRestart.error().messageView(), std::string_view("invite already used"));
        auto owner2 = client(m_owner);
        const auto fetched = expectOk(owner2->mailboxFetch(requests).wait(), "fetch requests");
        QCOMPARE(fetched.envelopes.size(), std::size_t(1));
        QCOMPARE(fetched.envelopes[0].body, filled(300, 21));
    }

    void twoFriendsNeverGetTheSamePrekey()
    {
        auto owner = client(m_owner);
        std::vector<Bytes> prekeys;
        for (std::uint8_t i = 0; i < 6; ++i)
            prekeys.push_back(filled(33, static_cast<std::uint8_t>(100 + i)));
        const auto published = expectOk(owner->directoryPublishPrekeys(3, prekeys).wait(), "publish prekeys");
        QCOMPARE(published.stored, 6u);
        const wire::SigningKey other = wire::SigningKey::generate();
        auto alice = client(m_friend);
        auto bob = client(other);
        expectOk(alice->waitConnected().wait(), "alice connect");
        expectOk(bob->waitConnected().wait(), "bob connect");
        // Both ask at once, interleaved on two connections.
        std::vector<NodeReply<proto::DirectoryTakePrekeyResult>> replies;
        for (int i = 0; i < 3; ++i) {
            replies.push_back(alice->directoryTakePrekey({}, 3));
            replies.push_back(bob->directoryTakePrekey({}, 3));
        }
        std::vector<Bytes> taken;
        for (auto& reply : replies) {
            const auto got = expectOk(reply.wait(), "take prekey");
            QVERIFY(got.found);
            taken.push_back(got.prekey);
        }
        std::sort(taken.begin(), taken.end());
        QVERIFY(std::adjacent_find(taken.begin(), taken.end()) == taken.end());
        std::sort(prekeys.begin(), prekeys.end());
        QCOMPARE(taken, prekeys);
        const auto none = expectOk(alice->directoryTakePrekey({}, 3).wait(), "take from an empty set");
        QVERIFY(!none.found);
        QCOMPARE(expectOk(owner->directoryCountPrekeys(3).wait(), "count").remaining, 0u);
    }

    void ownerGetsANotifyPushAfterAFriendsPost()
    {
        auto owner = client(m_owner);
        const proto::MailboxId inbox = randomMailbox();
        std::vector<std::pair<proto::MailboxId, quint64>> notified;
        connect(owner.get(), &NodeClient::mailboxNotified, this,
                [&](proto::MailboxId mailbox, quint64 messageId) { notified.emplace_back(mailbox, messageId); });
        expectOk(owner->mailboxWatch({inbox}).wait(), "watch");
        auto friendClient = client(m_friend);
        const auto posted = expectOk(friendClient->mailboxPost(inbox, filled(1024, 30)).wait(), "friend post");
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), std::size_t(1), 5000);
        QCOMPARE(notified[0].first, inbox);
        QCOMPARE(notified[0].second, quint64(posted.messageId));

        // A shared object of the owner is readable by id by the friend.
        const Bytes attachment = filled(5000, 31);
        expectOk(owner->objectPut(attachment).wait(), "owner put");
        const auto shared = expectOk(friendClient->objectGetShared(proto::objectIdOf(attachment)).wait(), "get shared");
        QCOMPARE(shared.content, attachment);
    }

    void wrongNodeKeyFailsTheHandshake()
    {
        wire::NodeAddress wrong = m_node->address();
        wrong.key[0] ^= 0x55;
        NodeClient c(NodeCredentials::fromKeys(m_owner, wire::noise::KeyPair::generate()));
        c.setReconnectPolicy({50ms, 100ms, 1});
        c.connectTo(wrong);
        const auto& result = c.waitConnected(5000ms).wait();
        QVERIFY(!result.ok());
        QCOMPARE(c.state(), NodeClient::State::Failed);
        QVERIFY(!c.lastError().isEmpty());
        // Failed: requests fail at once instead of waiting for their timeout.
        const auto& ping = c.ping().wait();
        QVERIFY(!ping.ok());
        QCOMPARE(ping.error().code(), ErrorCode::Unavailable);
    }

    void unreachableNodeFailsAndRetriesWithinBounds()
    {
        const quint16 freePort = LocalNode::pickFreePort(0);
        wire::NodeAddress nowhere = m_node->address();
        nowhere.port = freePort;
        NodeClient c(NodeCredentials::fromKeys(m_owner, wire::noise::KeyPair::generate()));
        c.setReconnectPolicy({20ms, 80ms, 3});
        QSignalSpy states(&c, &NodeClient::stateChanged);
        c.connectTo(nowhere);
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), NodeClient::State::Failed, 5000);
        // Three attempts at most, then it stays Failed.
        QTest::qWait(500);
        int connecting = 0;
        for (const auto& args : states)
            connecting += args.at(0).value<NodeClient::State>() == NodeClient::State::Connecting ? 1 : 0;
        QCOMPARE(connecting, 3);
        QCOMPARE(c.state(), NodeClient::State::Failed);
        c.close();
        QCOMPARE(c.state(), NodeClient::State::Disconnected);
    }

    void localNodeIsSupervised()
    {
        QTemporaryDir profile;
        LocalNode::Options options;
        options.executable = test::NodeProcess::executable();
        options.dataDirectory = LocalNode::dataDirectoryFor(profile.path());
        options.owner = m_owner.publicKey;
        options.port = LocalNode::pickFreePort(0);
        options.storeSize = QStringLiteral("8M");
        options.initialRestartDelay = 50ms;
        LocalNode local(options);
        QSignalSpy ready(&local, &LocalNode::ready);
        QVERIFY(!local.isInitialized());
        const auto started = local.start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message());
        // init and address run in the background: start() returned before the node exists.
        QCOMPARE(local.state(), LocalNode::State::Starting);
        QTRY_VERIFY_WITH_TIMEOUT(ready.size() == 1, 10000);
        QVERIFY(local.isInitialized());
        QCOMPARE(local.state(), LocalNode::State::Running);
        QVERIFY(local.address());
        QCOMPARE(local.address()->port, options.port);

        NodeClient c(NodeCredentials::fromKeys(m_owner, wire::noise::KeyPair::generate()));
        c.setReconnectPolicy({50ms, 200ms, 0});
        c.connectTo(*local.address());
        QCOMPARE(expectOk(c.waitConnected().wait(), "connect to local node").role, proto::Role::Owner);

        // A node that dies is started again.
        const qint64 firstPid = local.processId();
        QVERIFY(processAlive(firstPid));
        ::kill(static_cast<pid_t>(firstPid), SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(ready.size() == 2, 10000);
        QVERIFY(local.processId() != firstPid);
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), NodeClient::State::Connected, 10000);
        expectOk(c.ping().wait(), "ping after restart");

        // stop() ends it with SIGTERM and it is not restarted.
        const qint64 secondPid = local.processId();
        local.stop();
        QCOMPARE(local.state(), LocalNode::State::Stopped);
        QVERIFY(!processAlive(secondPid));
        QTest::qWait(200);
        QCOMPARE(local.processId(), qint64(0));
        QVERIFY(local.recentLog().join(QLatin1Char('\n')).contains(QLatin1String("stop requested")));
    }

    // init runs in the background; its failure still reaches state and lastError.
    void localNodeReportsAFailedInit()
    {
        QTemporaryDir profile;
        QFile blocker(profile.filePath(QStringLiteral("not-a-directory")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        LocalNode::Options options;
        options.executable = test::NodeProcess::executable();
        options.dataDirectory = profile.filePath(QStringLiteral("not-a-directory/node"));
        options.owner = m_owner.publicKey;
        options.port = LocalNode::pickFreePort(0);
        LocalNode local(options);
        QSignalSpy ready(&local, &LocalNode::ready);
        QVERIFY(local.start().ok());
        QTRY_COMPARE_WITH_TIMEOUT(local.state(), LocalNode::State::Failed, 10000);
        QVERIFY2(local.lastError().contains(QLatin1String("hive-node init failed")), qPrintable(local.lastError()));
        QCOMPARE(ready.size(), 0);
        QCOMPARE(local.processId(), qint64(0));
    }

    void localNodeReportsAMissingExecutable()
    {
        QTemporaryDir profile;
        LocalNode::Options options;
        options.executable = profile.filePath(QStringLiteral("no-such-hive-node"));
        options.dataDirectory = LocalNode::dataDirectoryFor(profile.path());
        LocalNode local(options);
        const auto started = local.start();
        QVERIFY(!started.ok());
        QCOMPARE(started.error().code(), ErrorCode::NotFound);
        QCOMPARE(local.state(), LocalNode::State::Failed);
        QVERIFY(local.lastError().contains(QLatin1String("not found")));
    }
};

QTEST_GUILESS_MAIN(TestNodeClient)
#include "test_node_client.moc"
