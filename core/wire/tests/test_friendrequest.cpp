// Friend requests: round trip, forged or altered requests refused, sealing that only the
// recipient opens, a request sealed for someone else refused, and the requests mailbox id.
#include "wire/friendrequest.h"

#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::wire;

namespace {

SigningKey keyFromByte(std::uint8_t b)
{
    std::array<std::uint8_t, 32> seed {};
    seed.fill(b);
    return SigningKey::fromSeed(seed).release();
}

FriendRequest makeRequest(const SigningKey& sender, const SigningKey& recipient)
{
    FriendRequest q;
    q.recipient = recipient.publicKey;
    q.inviteSecret = Bytes(16, 0x21);
    q.sender = sender.publicKey;
    q.displayName = "Alice";
    NodeAddress node;
    node.key.fill(7);
    node.host = "127.0.0.1";
    node.port = 7420;
    q.node = node;
    q.sentAt = 1'800'000'000;
    q.scannedInPerson = true;
    if (!q.sign(sender))
        qFatal("cannot sign");
    return q;
}

struct X25519 {
    std::array<std::uint8_t, 32> pk {};
    std::array<std::uint8_t, 32> sk {};
};

X25519 x25519Of(const SigningKey& key)
{
    X25519 out;
    if (crypto_sign_ed25519_pk_to_curve25519(out.pk.data(), key.publicKey.data()) != 0)
        qFatal("not a valid key");
    crypto_sign_ed25519_sk_to_curve25519(out.sk.data(), key.secretKey.data());
    return out;
}

} // namespace

class TestFriendRequest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(sodium_init() >= 0); }

    void roundTrips()
    {
        const FriendRequest q = makeRequest(keyFromByte(1), keyFromByte(2));
        auto decoded = FriendRequest::decode(q.encode());
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message());
        QVERIFY(*decoded == q);
        FriendRequest plain = q;
        plain.node.reset();
        plain.scannedInPerson = false;
        QVERIFY(plain.sign(keyFromByte(1)).ok());
        QVERIFY(*FriendRequest::decode(plain.encode()) == plain);
    }

    void refusesForgedAndMalformedRequests()
    {
        const SigningKey alice = keyFromByte(1);
        const SigningKey bob = keyFromByte(2);
        FriendRequest q = makeRequest(alice, bob);
        FriendRequest renamed = q;
        renamed.displayName = "Mallory";
        QCOMPARE(FriendRequest::decode(renamed.encode()).error().code(), ErrorCode::Crypto);
        FriendRequest otherSecret = q;
        otherSecret.inviteSecret = Bytes(16, 0x22);
        QCOMPARE(FriendRequest::decode(otherSecret.encode()).error().code(), ErrorCode::Crypto);
        QVERIFY(!renamed.sign(bob).ok());
        Bytes bytes = q.encode();
        for (std::size_t n = 0; n < bytes.size(); n += 7)
            QVERIFY(!FriendRequest::decode(ByteView(bytes).first(n)).ok());
        bytes.push_back(0);
        QVERIFY(!FriendRequest::decode(bytes).ok());
        bytes.pop_back();
        bytes[0] = 2;
        QCOMPARE(FriendRequest::decode(bytes).error().code(), ErrorCode::Unsupported);
        FriendRequest shortSecret = q;
        shortSecret.inviteSecret = Bytes(8, 1);
        QVERIFY(shortSecret.sign(alice).ok());
        QCOMPARE(FriendRequest::decode(shortSecret.encode()).error().code(), ErrorCode::Malformed);
    }

    void onlyTheRecipientOpensTheSealedRequest()
    {
        const SigningKey alice = keyFromByte(1);
        const SigningKey bob = keyFromByte(2);
        const SigningKey carol = keyFromByte(3);
        const FriendRequest q = makeRequest(alice, bob);
        auto sealed = q.seal();
        QVERIFY(sealed.ok());
        QCOMPARE(sealed->size(), q.encode().size() + FriendRequest::SealOverhead);
        const X25519 bobX = x25519Of(bob);
        auto opened = FriendRequest::open(*sealed, bobX.pk, bobX.sk, bob.publicKey);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message());
        QVERIFY(*opened == q);
        const X25519 carolX = x25519Of(carol);
        QCOMPARE(FriendRequest::open(*sealed, carolX.pk, carolX.sk, carol.publicKey).error().code(), ErrorCode::Crypto);
        Bytes damaged = *sealed;
        damaged[damaged.size() / 2] ^= 1;
        QVERIFY(!FriendRequest::open(damaged, bobX.pk, bobX.sk, bob.publicKey).ok());
        QVERIFY(!FriendRequest::open(Bytes(10, 0), bobX.pk, bobX.sk, bob.publicKey).ok());

        // Sealed to Carol's key but naming Bob: Carol refuses it.
        FriendRequest misdirected = makeRequest(alice, bob);
        Bytes plain = misdirected.encode();
        Bytes toCarol(plain.size() + FriendRequest::SealOverhead);
        QCOMPARE(crypto_box_seal(toCarol.data(), plain.data(), plain.size(), carolX.pk.data()), 0);
        QCOMPARE(FriendRequest::open(toCarol, carolX.pk, carolX.sk, carol.publicKey).error().code(),
                 ErrorCode::PermissionDenied);
    }

    void requestsMailboxIsPerIdentity()
    {
        const auto a = requestsMailbox(keyFromByte(1).publicKey);
        QVERIFY(a == requestsMailbox(keyFromByte(1).publicKey));
        QVERIFY(a != requestsMailbox(keyFromByte(2).publicKey));
        QVERIFY((a != std::array<std::uint8_t, 32> {}));
    }
};

QTEST_APPLESS_MAIN(TestFriendRequest)
#include "test_friendrequest.moc"
