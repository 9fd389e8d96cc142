// The Noise IK state machine: replayed byte-exactly against the cacophony test vector for
// Noise_IK_25519_ChaChaPoly_BLAKE2b, then every way a handshake or transport must refuse.
#include "wire/noise.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sodium.h>

using namespace hive;
using namespace hive::wire::noise;

namespace {

Bytes hex(const QJsonValue& v)
{
    bool ok = false;
    Bytes b = fromHex(v.toString().toStdString(), &ok);
    if (!ok)
        qFatal("bad hex in test vector");
    return b;
}

QByteArray qb(const Bytes& b) { return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size())); }

KeyPair pairOf(const Bytes& secret)
{
    auto r = KeyPair::fromSecret(secret);
    if (!r)
        qFatal("bad key in test vector");
    return r.release();
}

struct Session {
    HandshakeState initiator;
    HandshakeState responder;
};

Session startSession(const KeyPair& client, const KeyPair& server, ByteView prologue = asBytes("hive test"))
{
    auto i = HandshakeState::create(Role::Initiator, prologue, client, server.publicKey);
    auto r = HandshakeState::create(Role::Responder, prologue, server, std::nullopt);
    if (!i || !r)
        qFatal("cannot create handshake");
    return {i.release(), r.release()};
}

// Runs both handshake messages; returns {initiator transport, responder transport}.
std::pair<Transport, Transport> handshake(Session& s)
{
    auto m1 = s.initiator.writeMessage(asBytes("hello node"));
    if (!m1)
        qFatal("write 1: %s", m1.error().message());
    auto p1 = s.responder.readMessage(*m1);
    if (!p1)
        qFatal("read 1: %s", p1.error().message());
    auto m2 = s.responder.writeMessage(asBytes("hello device"));
    if (!m2)
        qFatal("write 2: %s", m2.error().message());
    auto p2 = s.initiator.readMessage(*m2);
    if (!p2)
        qFatal("read 2: %s", p2.error().message());
    return {s.initiator.split().release(), s.responder.split().release()};
}

} // namespace

class TestNoise : public QObject {
    Q_OBJECT

private slots:
    void cacophonyVectorReplaysByteExactly();
    void randomKeysCompleteAndAgree();
    void responderLearnsInitiatorKey();
    void wrongResponderKeyFailsAndStaysFailed();
    void prologueMismatchFails();
    void everyTamperedByteOfFirstMessageIsRejected();
    void tamperedSecondMessageIsRejected();
    void lowOrderEphemeralIsRejected();
    void truncatedMessagesAreRejected();
    void outOfTurnCallsAreRefused();
    void oversizedPayloadIsRefused();
    void replayedTransportMessageIsRejected();
    void failedDecryptDoesNotConsumeNonce();
    void transportSizeLimits();
    void rekeyKeepsBothSidesInSync();
    void exhaustedNonceIsRefused();
    void splitOnlyOnceAndOnlyWhenComplete();
    void unkeyedCipherPassesThrough();
    void secretIsWiped();
};

void TestNoise::cacophonyVectorReplaysByteExactly()
{
    QFile file(qEnvironmentVariable("HIVE_TEST_DATA") + "/noise/cacophony_IK_25519_ChaChaPoly_BLAKE2b.json");
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const auto vectors = QJsonDocument::fromJson(file.readAll()).object().value("vectors").toArray();
    QCOMPARE(vectors.size(), 1);
    const auto v = vectors.at(0).toObject();
    QCOMPARE(v.value("name").toString(), QString::fromLatin1(ProtocolName.data(), qsizetype(ProtocolName.size())));

    KeyPair initStatic = pairOf(hex(v["init_static"]));
    KeyPair respStatic = pairOf(hex(v["resp_static"]));
    Bytes remote = hex(v["init_remote_static"]);
    // The vector gives the responder's public key separately; it must match its secret.
    QCOMPARE(qb(Bytes(respStatic.publicKey.begin(), respStatic.publicKey.end())), qb(remote));

    auto initiator = HandshakeState::create(Role::Initiator, hex(v["init_prologue"]), initStatic,
                                            respStatic.publicKey, pairOf(hex(v["init_ephemeral"])));
    auto responder = HandshakeState::create(Role::Responder, hex(v["resp_prologue"]), respStatic, std::nullopt,
                                            pairOf(hex(v["resp_ephemeral"])));
    QVERIFY(initiator && responder);

    const auto messages = v["messages"].toArray();
    QCOMPARE(messages.size(), 6);
    std::optional<Transport> init;
    std::optional<Transport> resp;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const auto m = messages.at(i).toObject();
        const Bytes payload = hex(m["payload"]);
        const Bytes expected = hex(m["ciphertext"]);
        const bool fromInitiator = i % 2 == 0;
        Result<Bytes> written = Error();
        Result<Bytes> read = Error();
        if (i < 2) {
            HandshakeState& writer = fromInitiator ? *initiator : *responder;
            HandshakeState& reader = fromInitiator ? *responder : *initiator;
            written = writer.writeMessage(payload);
            QVERIFY(written);
            QCOMPARE(qb(*written), qb(expected));
            read = reader.readMessage(expected);
        } else {
            if (!init) {
                QVERIFY(initiator->isComplete() && responder->isComplete());
                init = initiator->split().release();
                resp = responder->split().release();
            }
            Transport& writer = fromInitiator ? *init : *resp;
            Transport& reader = fromInitiator ? *resp : *init;
            written = writer.send.encrypt(payload);
            QVERIFY(written);
            QCOMPARE(qb(*written), qb(expected));
            read = reader.receive.decrypt(expected);
        }
        QVERIFY2(read, read ? "" : read.error().message());
        QCOMPARE(qb(*read), qb(payload));
    }
    QCOMPARE(qb(Bytes(init->handshakeHash.begin(), init->handshakeHash.end())),
             qb(Bytes(resp->handshakeHash.begin(), resp->handshakeHash.end())));
    QVERIFY(init->remoteStatic == respStatic.publicKey);
    QVERIFY(resp->remoteStatic == initStatic.publicKey);
}

void TestNoise::randomKeysCompleteAndAgree()
{
    for (int round = 0; round < 5; ++round) {
        KeyPair client = KeyPair::generate();
        KeyPair server = KeyPair::generate();
        Session s = startSession(client, server);
        auto [a, b] = handshake(s);
        QVERIFY(a.handshakeHash == b.handshakeHash);
        for (int i = 0; i < 20; ++i) {
            Bytes msg(static_cast<std::size_t>(i * 37), static_cast<std::uint8_t>(i));
            auto c = a.send.encrypt(msg);
            QVERIFY(c);
            QCOMPARE(c->size(), msg.size() + TagSize);
            auto p = b.receive.decrypt(*c);
            QVERIFY(p);
            QVERIFY(*p == msg);
            auto back = b.send.encrypt(msg);
            QVERIFY(back && a.receive.decrypt(*back).ok());
        }
    }
}

void TestNoise::responderLearnsInitiatorKey()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    QVERIFY(!s.responder.remoteStatic());
    auto m1 = s.initiator.writeMessage({});
    QVERIFY(m1);
    auto p = s.responder.readMessage(*m1);
    QVERIFY(p);
    QVERIFY(p->empty());
    QVERIFY(s.responder.remoteStatic() == client.publicKey);
}

void TestNoise::wrongResponderKeyFailsAndStaysFailed()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    KeyPair impostor = KeyPair::generate();
    auto i = HandshakeState::create(Role::Initiator, {}, client, impostor.publicKey);
    auto r = HandshakeState::create(Role::Responder, {}, server, std::nullopt);
    QVERIFY(i && r);
    auto m1 = i->writeMessage(asBytes("secret"));
    QVERIFY(m1);
    auto p = r->readMessage(*m1);
    QVERIFY(!p);
    QCOMPARE(p.error().code(), ErrorCode::Crypto);
    QVERIFY(r->hasFailed());
    // A failed handshake refuses everything afterwards.
    QVERIFY(!r->writeMessage({}));
    QVERIFY(!r->readMessage(*m1));
    QVERIFY(!r->split());
}

void TestNoise::prologueMismatchFails()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    auto i = HandshakeState::create(Role::Initiator, asBytes("hive/1"), client, server.publicKey);
    auto r = HandshakeState::create(Role::Responder, asBytes("hive/2"), server, std::nullopt);
    QVERIFY(i && r);
    auto m1 = i->writeMessage({});
    QVERIFY(m1);
    auto p = r->readMessage(*m1);
    QVERIFY(!p);
    QCOMPARE(p.error().code(), ErrorCode::Crypto);
}

void TestNoise::everyTamperedByteOfFirstMessageIsRejected()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session base = startSession(client, server);
    auto m1 = base.initiator.writeMessage(asBytes("payload"));
    QVERIFY(m1);
    for (std::size_t i = 0; i < m1->size(); ++i) {
        Bytes bad = *m1;
        bad[i] ^= 0x01;
        auto r = HandshakeState::create(Role::Responder, asBytes("hive test"), server, std::nullopt);
        QVERIFY(r);
        QVERIFY2(!r->readMessage(bad).ok(), qPrintable(QString("byte %1 accepted").arg(i)));
        QVERIFY(r->hasFailed());
    }
}

void TestNoise::tamperedSecondMessageIsRejected()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    auto m1 = s.initiator.writeMessage({});
    QVERIFY(m1 && s.responder.readMessage(*m1).ok());
    auto m2 = s.responder.writeMessage(asBytes("ok"));
    QVERIFY(m2);
    (*m2)[m2->size() - 1] ^= 0x80;
    auto p = s.initiator.readMessage(*m2);
    QVERIFY(!p);
    QCOMPARE(p.error().code(), ErrorCode::Crypto);
    QVERIFY(!s.initiator.isComplete());
}

void TestNoise::lowOrderEphemeralIsRejected()
{
    KeyPair server = KeyPair::generate();
    auto r = HandshakeState::create(Role::Responder, {}, server, std::nullopt);
    QVERIFY(r);
    // An all-zero ephemeral is a low-order point: the DH output would be all zeros.
    Bytes m1(DhSize + DhSize + TagSize + TagSize, 0);
    auto p = r->readMessage(m1);
    QVERIFY(!p);
    QCOMPARE(p.error().code(), ErrorCode::Crypto);
    QVERIFY(QByteArray(p.error().message()).contains("low-order"));
}

void TestNoise::truncatedMessagesAreRejected()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    auto m1 = s.initiator.writeMessage({});
    QVERIFY(m1);
    auto r = HandshakeState::create(Role::Responder, asBytes("hive test"), server, std::nullopt);
    auto p = r->readMessage(ByteView(*m1).first(m1->size() - 1));
    QVERIFY(!p);
    QCOMPARE(p.error().code(), ErrorCode::Malformed);
    auto r2 = HandshakeState::create(Role::Responder, {}, server, std::nullopt);
    QCOMPARE(r2->readMessage({}).error().code(), ErrorCode::Malformed);
    auto r3 = HandshakeState::create(Role::Responder, {}, server, std::nullopt);
    Bytes huge(MaxMessage + 1, 1);
    QCOMPARE(r3->readMessage(huge).error().code(), ErrorCode::TooLarge);
}

void TestNoise::outOfTurnCallsAreRefused()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    QVERIFY(s.initiator.isMyTurn());
    QVERIFY(!s.responder.isMyTurn());
    QVERIFY(!s.responder.writeMessage({}));
    QVERIFY(!s.initiator.readMessage(Bytes(96, 1)));
    // Refusing an out-of-turn call does not poison the state.
    QVERIFY(!s.initiator.hasFailed() && !s.responder.hasFailed());
    auto [a, b] = handshake(s);
    QVERIFY(a.handshakeHash == b.handshakeHash);
    QVERIFY(!s.initiator.writeMessage({}));
    QVERIFY(!HandshakeState::create(Role::Initiator, {}, client, std::nullopt));
    QVERIFY(!HandshakeState::create(Role::Responder, {}, server, client.publicKey));
}

void TestNoise::oversizedPayloadIsRefused()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    Bytes big(MaxMessage - 96 + 1, 7);
    auto w = s.initiator.writeMessage(big);
    QVERIFY(!w);
    QCOMPARE(w.error().code(), ErrorCode::TooLarge);
    big.pop_back();
    auto ok = s.initiator.writeMessage(big);
    QVERIFY(ok);
    QCOMPARE(ok->size(), MaxMessage);
    QVERIFY(s.responder.readMessage(*ok).ok());
}

void TestNoise::replayedTransportMessageIsRejected()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    auto [a, b] = handshake(s);
    auto c = a.send.encrypt(asBytes("pay 10"));
    QVERIFY(c);
    QVERIFY(b.receive.decrypt(*c).ok());
    auto replay = b.receive.decrypt(*c);
    QVERIFY(!replay);
    QCOMPARE(replay.error().code(), ErrorCode::Crypto);
    // A message for the other direction does not decrypt either (distinct keys).
    auto mine = a.send.encrypt(asBytes("x"));
    QVERIFY(!a.receive.decrypt(*mine));
}

void TestNoise::failedDecryptDoesNotConsumeNonce()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    auto [a, b] = handshake(s);
    auto c = a.send.encrypt(asBytes("abc"));
    Bytes forged = *c;
    forged[0] ^= 1;
    QVERIFY(!b.receive.decrypt(forged));
    QCOMPARE(b.receive.nonce(), std::uint64_t(0));
    QVERIFY(b.receive.decrypt(*c).ok());
    QCOMPARE(b.receive.nonce(), std::uint64_t(1));
}

void TestNoise::transportSizeLimits()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    auto [a, b] = handshake(s);
    Bytes max(MaxPlaintext, 3);
    auto c = a.send.encrypt(max);
    QVERIFY(c);
    QCOMPARE(c->size(), MaxMessage);
    QVERIFY(b.receive.decrypt(*c).ok());
    max.push_back(0);
    QCOMPARE(a.send.encrypt(max).error().code(), ErrorCode::TooLarge);
    QCOMPARE(b.receive.decrypt(Bytes(TagSize - 1, 0)).error().code(), ErrorCode::Malformed);
    QCOMPARE(b.receive.decrypt(Bytes(MaxMessage + 1, 0)).error().code(), ErrorCode::TooLarge);
}

void TestNoise::rekeyKeepsBothSidesInSync()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    auto [a, b] = handshake(s);
    auto before = a.send.encrypt(asBytes("one"));
    QVERIFY(b.receive.decrypt(*before).ok());
    a.send.rekey();
    auto after = a.send.encrypt(asBytes("two"));
    // Without rekeying, the receiver cannot read the new key's messages...
    CipherState stale = b.receive;
    QVERIFY(!stale.decrypt(*after));
    // ...and with it, it can.
    b.receive.rekey();
    auto p = b.receive.decrypt(*after);
    QVERIFY(p);
    QCOMPARE(asText(*p), std::string_view("two"));
}

void TestNoise::exhaustedNonceIsRefused()
{
    std::array<std::uint8_t, KeySize> key {};
    CipherState c(key);
    c.setNonce(UINT64_MAX - 1);
    QVERIFY(c.encrypt(asBytes("last")).ok());
    auto e = c.encrypt(asBytes("one too many"));
    QVERIFY(!e);
    QCOMPARE(e.error().code(), ErrorCode::Crypto);
}

void TestNoise::splitOnlyOnceAndOnlyWhenComplete()
{
    KeyPair client = KeyPair::generate();
    KeyPair server = KeyPair::generate();
    Session s = startSession(client, server);
    QVERIFY(!s.initiator.split());
    handshake(s);
    QVERIFY(!s.initiator.split());
    QVERIFY(!s.responder.split());
}

void TestNoise::unkeyedCipherPassesThrough()
{
    CipherState c;
    QVERIFY(!c.hasKey());
    auto e = c.encrypt(asBytes("plain"));
    QVERIFY(e);
    QCOMPARE(asText(*e), std::string_view("plain"));
    QCOMPARE(c.nonce(), std::uint64_t(0));
}

void TestNoise::secretIsWiped()
{
    Secret<8> s;
    for (std::size_t i = 0; i < 8; ++i)
        s.data()[i] = 0xaa;
    s.wipe();
    for (std::size_t i = 0; i < 8; ++i)
        QCOMPARE(s.data()[i], std::uint8_t(0));
}

QTEST_GUILESS_MAIN(TestNoise)
#include "test_noise.moc"
