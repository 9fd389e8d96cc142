// The node protocol messages: every message round-trips through its canonical encoding,
// decoders reject truncation, trailing bytes and out-of-range fields, and device
// certificates bind a Noise key to an identity key.
#include "wire/nodeprotocol.h"

#include <QtTest>

#include <sodium.h>

#include <random>

using namespace hive;
using namespace hive::wire;
using namespace hive::wire::proto;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> filled(std::uint8_t b)
{
    std::array<std::uint8_t, N> a {};
    a.fill(b);
    return a;
}

SigningKey keyFromByte(std::uint8_t b)
{
    return SigningKey::fromSeed(filled<32>(b)).release();
}

// encode -> decode -> equal, and every strict prefix fails to decode, and one extra byte fails.
template <typename T>
void checkRoundTrip(const T& value)
{
    const Bytes bytes = value.encode();
    auto decoded = T::decode(bytes);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message());
    QVERIFY(*decoded == value);
    QCOMPARE(decoded->encode(), bytes);
    for (std::size_t n = 0; n < bytes.size(); n += 1 + bytes.size() / 64)
        QVERIFY(!T::decode(ByteView(bytes.data(), n)).ok());
    Bytes longer = bytes;
    longer.push_back(0);
    QVERIFY(!T::decode(longer).ok());
}

} // namespace

class TestNodeProtocol : public QObject {
    Q_OBJECT

private slots:
    void inviteTokenHashIsTheDomainSeparatedBlake2b()
    {
        const Bytes secret(20, 0x61);
        std::string input = "hive-invite-v1";
        input.append(reinterpret_cast<const char*>(secret.data()), secret.size());
        proto::Key32 expected {};
        crypto_generichash_blake2b(expected.data(), expected.size(), reinterpret_cast<const unsigned char*>(input.data()),
                                   input.size(), nullptr, 0);
        QCOMPARE(inviteTokenHash(secret), expected);
        Bytes other = secret;
        other.back() ^= 1;
        QVERIFY(inviteTokenHash(other) != expected);
    }

    void newRequestsRoundTrip()
    {
        const proto::AdminRegisterInvites invites {.tokens = {{.hash = inviteTokenHash(Bytes(16, 1)), .expiresAt = 99}}};
        QCOMPARE(*proto::AdminRegisterInvites::decode(invites.encode()), invites);
        const proto::MailboxPostWithInvite post {.mailbox = {}, .invite = Bytes(16, 2), .envelope = Bytes(3, 3)};
        QCOMPARE(*proto::MailboxPostWithInvite::decode(post.encode()), post);
        // An invite secret outside 16..32 bytes does not decode.
        const proto::MailboxPostWithInvite shortSecret {.mailbox = {}, .invite = Bytes(15, 2), .envelope = Bytes(3, 3)};
        QVERIFY(!proto::MailboxPostWithInvite::decode(shortSecret.encode()).ok());
        const proto::DirectoryPublishPrekeys prekeys {.deviceId = 5, .prekeys = {Bytes(33, 1), Bytes(33, 2)}};
        QCOMPARE(*proto::DirectoryPublishPrekeys::decode(prekeys.encode()), prekeys);
        const proto::DirectoryTakePrekeyResult none {.found = false, .prekey = {}, .remaining = 0};
        QCOMPARE(*proto::DirectoryTakePrekeyResult::decode(none.encode()), none);
        // "found" and an empty prekey contradict each other.
        const proto::DirectoryTakePrekeyResult contradictory {.found = true, .prekey = {}, .remaining = 0};
        QVERIFY(!proto::DirectoryTakePrekeyResult::decode(contradictory.encode()).ok());
        const proto::MailboxNotify notify {.mailbox = {}, .messageId = 42};
        QCOMPARE(*proto::MailboxNotify::decode(notify.encode()), notify);
    }

    void everyMessageRoundTrips()
    {
        const SigningKey alice = keyFromByte(7);
        const DeviceCertificate cert = DeviceCertificate::issue(alice, filled<32>(9), 10, 20);
        checkRoundTrip(cert);
        QCOMPARE(cert.encode().size(), DeviceCertificate::EncodedSize);

        checkRoundTrip(ClientHello {.format = 1, .certificate = cert, .grantChain = Bytes {1, 2, 3}});
        checkRoundTrip(ClientHello {});
        NodeHello nh;
        nh.status = ErrorCode::PermissionDenied;
        nh.message = "no";
        nh.owner = filled<32>(3);
        nh.role = Role::Owner;
        nh.grantAccepted = true;
        nh.nodeTime = 123;
        nh.maxFrame = 4096;
        nh.software = "hive-node";
        checkRoundTrip(nh);
        checkRoundTrip(Pong {.nodeTime = 77});
        checkRoundTrip(PresentGrant {.grantChain = Bytes(216, 4)});
        checkRoundTrip(GrantInfo {.leaf = filled<32>(1), .storageQuota = 5, .storageUsed = 2, .notAfter = 9, .depth = 1});
        checkRoundTrip(MailboxPost {.mailbox = filled<32>(1), .envelope = Bytes(100, 5)});
        checkRoundTrip(MailboxPostResult {.messageId = 42});
        checkRoundTrip(MailboxFetch {.mailbox = filled<32>(2), .after = 5, .limit = 10});
        MailboxFetchResult fr;
        fr.envelopes.push_back({.id = 1, .receivedAt = 2, .sender = filled<32>(3), .body = Bytes {1}});
        fr.envelopes.push_back({.id = 2, .receivedAt = 3, .sender = {}, .body = Bytes(300, 7)});
        fr.more = true;
        checkRoundTrip(fr);
        checkRoundTrip(MailboxAck {.mailbox = filled<32>(2), .ids = {1, 2, 1ull << 40}});
        checkRoundTrip(MailboxAckResult {.removed = 3});
        checkRoundTrip(DirectoryPublish {.kind = 1, .entry = Bytes(64, 1)});
        checkRoundTrip(DirectoryPublishResult {.publishedAt = 99});
        checkRoundTrip(DirectoryFetch {.owner = filled<32>(8), .kind = 0});
        DirectoryFetchResult dr;
        dr.owner = filled<32>(8);
        dr.entries.push_back({.kind = 1, .publishedAt = 5, .entry = Bytes(10, 2)});
        checkRoundTrip(dr);
        const Bytes content(1000, 0x5a);
        checkRoundTrip(ObjectPut {.id = objectIdOf(content), .content = content});
        checkRoundTrip(ObjectPutResult {.created = true, .storageUsed = 1000, .storageQuota = 5000});
        checkRoundTrip(ObjectGet {.id = filled<32>(4)});
        checkRoundTrip(ObjectContent {.content = content});
        checkRoundTrip(ObjectHas {.ids = {filled<32>(1), filled<32>(2)}});
        checkRoundTrip(ObjectHasResult {.present = {true, false, true}});
        checkRoundTrip(ObjectList {.after = filled<32>(3), .limit = 7});
        checkRoundTrip(ObjectList {});
        checkRoundTrip(ObjectListResult {.objects = {{filled<32>(1), 10}, {filled<32>(2), 20}}, .more = false});
        checkRoundTrip(ObjectDelete {.ids = {filled<32>(5)}});
        checkRoundTrip(ObjectDeleteResult {.deleted = 1, .storageUsed = 0});
        checkRoundTrip(PresencePublish {.audience = {filled<32>(1), filled<32>(2)}, .ttlSeconds = 900, .blob = Bytes(40, 3)});
        checkRoundTrip(PresencePublishResult {.sequence = 3, .delivered = 2});
        checkRoundTrip(PresenceSubscribeResult {.subscriptionId = 11});
        checkRoundTrip(PresenceUpdate {.publisher = filled<32>(1), .sequence = 3, .publishedAt = 4, .expiresAt = 5, .blob = Bytes(8, 1)});
        AdminStatus st;
        st.uptimeSeconds = 10;
        st.connections = 2;
        st.store = {.liveBytes = 1, .deadBytes = 2, .freeBytes = 3, .capacityBytes = 4, .objectCount = 5};
        st.mailboxMessages = 6;
        st.mailboxBytes = 7;
        st.grants.push_back({.leaf = filled<32>(1), .holder = filled<32>(2), .storageQuota = 3, .storageUsed = 4, .notAfter = 5, .revoked = true});
        st.revocationCount = 1;
        st.revocations.push_back(filled<32>(9));
        checkRoundTrip(st);
        checkRoundTrip(AdminRevoke {.revocation = Revocation::create(filled<32>(6), alice, 100)});
        checkRoundTrip(AdminRevokeResult {.added = true});
        checkRoundTrip(Empty {});
    }

    void decodersRejectOutOfRangeFields()
    {
        // An empty envelope, a reserved directory kind, an unknown role or certificate version.
        QVERIFY(!MailboxPost::decode(MailboxPost {.mailbox = {}, .envelope = {}}.encode()).ok());
        QVERIFY(!DirectoryPublish::decode(DirectoryPublish {.kind = 0, .entry = {}}.encode()).ok());
        Bytes hello = NodeHello {}.encode();
        // format(1) status(2) message(1: empty) owner(32) versions(4) role(1)
        hello[1 + 2 + 1 + 32 + 4] = 3;
        QVERIFY(!NodeHello::decode(hello).ok());
        Bytes cert = DeviceCertificate {}.encode();
        cert[0] = 2;
        QCOMPARE(DeviceCertificate::decode(cert).error().code(), ErrorCode::Unsupported);
        // A bool that is neither 0 nor 1.
        Bytes has = ObjectHasResult {.present = {true}}.encode();
        has.back() = 2;
        QVERIFY(!ObjectHasResult::decode(has).ok());
        // Too many ids, and a count larger than the bytes that follow.
        Writer w;
        w.listCount(MaxIdsPerRequest + 1);
        for (std::size_t i = 0; i <= MaxIdsPerRequest; ++i)
            w.fixed(filled<32>(1));
        QCOMPARE(ObjectHas::decode(w.data()).error().code(), ErrorCode::TooLarge);
        Writer w2;
        w2.listCount(1000);
        QVERIFY(!ObjectDelete::decode(w2.data()).ok());
        // An object larger than MaxObjectSize.
        Writer w3;
        w3.fixed(filled<32>(0)).bytes(Bytes(MaxObjectSize + 1, 0));
        QCOMPARE(ObjectPut::decode(w3.data()).error().code(), ErrorCode::TooLarge);
    }

    void randomBytesNeverCrashAndReencodeCanonically()
    {
        std::mt19937 rng(12345);
        for (int round = 0; round < 3000; ++round) {
            Bytes bytes(rng() % 200);
            for (auto& b : bytes)
                b = static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() : rng() % 3);
            if (auto v = MailboxFetchResult::decode(bytes))
                QCOMPARE(v->encode(), bytes);
            if (auto v = ClientHello::decode(bytes))
                QCOMPARE(v->encode(), bytes);
            if (auto v = ObjectList::decode(bytes))
                QCOMPARE(v->encode(), bytes);
            if (auto v = AdminStatus::decode(bytes))
                QCOMPARE(v->encode(), bytes);
        }
    }

    void certificateBindsNoiseKeyToIdentity()
    {
        const SigningKey alice = keyFromByte(7);
        const auto noiseKey = filled<32>(9);
        DeviceCertificate cert = DeviceCertificate::issue(alice, noiseKey, 100, 200);
        QVERIFY(cert.verify(noiseKey, 150).ok());
        QCOMPARE(cert.verify(filled<32>(8), 150).error().code(), ErrorCode::PermissionDenied);
        QCOMPARE(cert.verify(noiseKey, 99).error().code(), ErrorCode::PermissionDenied);
        QCOMPARE(cert.verify(noiseKey, 200).error().code(), ErrorCode::PermissionDenied);
        DeviceCertificate forged = cert;
        forged.identity = keyFromByte(8).publicKey;
        QCOMPARE(forged.verify(noiseKey, 150).error().code(), ErrorCode::Crypto);
        DeviceCertificate widened = cert;
        widened.notAfter = 300;
        QCOMPARE(widened.verify(noiseKey, 250).error().code(), ErrorCode::Crypto);
    }

    void framesEchoTheRequest()
    {
        Frame req = requestFrame(1, 77, Service::Objects, static_cast<std::uint16_t>(ObjectsMethod::Get), Bytes {1});
        Frame resp = responseFrame(req, Bytes {2});
        QCOMPARE(resp.requestId, 77u);
        QCOMPARE(resp.kind, FrameKind::Response);
        QCOMPARE(resp.service, static_cast<std::uint16_t>(Service::Objects));
        Frame err = errorFrame(req, Error(ErrorCode::NoSpace, "full"));
        QCOMPARE(err.kind, FrameKind::Error);
        QCOMPARE(decodeErrorPayload(err.payload).code(), ErrorCode::NoSpace);
        QCOMPARE(objectIdOf(Bytes {}), objectIdOf(Bytes {}));
        QVERIFY(objectIdOf(Bytes {1}) != objectIdOf(Bytes {2}));
    }
};

QTEST_GUILESS_MAIN(TestNodeProtocol)
#include "test_nodeprotocol.moc"
