// Envelopes and notes: sealing that only the recipient opens, every kind round-trips,
// unknown versions/kinds and trailing bytes refused, the inbox mailbox id, and notes whose
// signature, type or content was tampered with refused.
#include "wire/envelope.h"
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

Note makeNote(const SigningKey& sender, const SigningKey& recipient)
{
    Note note;
    note.sender = sender.publicKey;
    note.recipient = recipient.publicKey;
    note.sentAt = 1'800'000'000;
    note.type = NoteType::Grant;
    note.content = Bytes(216, 0x42);
    if (!note.sign(sender))
        qFatal("cannot sign");
    return note;
}

} // namespace

class TestEnvelope : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(sodium_init() >= 0); }

    void sealedEnvelopeOpensOnlyForTheRecipient()
    {
        const SigningKey bob = keyFromByte(2), eve = keyFromByte(3);
        const Bytes body = {1, 2, 3, 4, 5};
        for (EnvelopeKind kind : {EnvelopeKind::Note, EnvelopeKind::Signal, EnvelopeKind::FriendRequest}) {
            auto sealed = sealEnvelope(kind, body, bob.publicKey);
            QVERIFY(sealed.ok());
            QCOMPARE(sealed->size(), body.size() + 3 + EnvelopeSealOverhead);
            const X25519 b = x25519Of(bob);
            auto opened = openEnvelope(*sealed, b.pk, b.sk);
            QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message());
            QCOMPARE(opened->kind, kind);
            QCOMPARE(opened->body, body);
            const X25519 e = x25519Of(eve);
            auto wrong = openEnvelope(*sealed, e.pk, e.sk);
            QVERIFY(!wrong.ok());
            QCOMPARE(wrong.error().code(), ErrorCode::Crypto);
        }
    }

    void sealingTheSameBodyTwiceDiffers()
    {
        // Sealed boxes use a fresh ephemeral key: the node cannot link two equal messages.
        const SigningKey bob = keyFromByte(2);
        const Bytes body(32, 7);
        QVERIFY(*sealEnvelope(EnvelopeKind::Note, body, bob.publicKey) != *sealEnvelope(EnvelopeKind::Note, body, bob.publicKey));
    }

    void oversizedBodyIsRefused()
    {
        const SigningKey bob = keyFromByte(2);
        QVERIFY(sealEnvelope(EnvelopeKind::Signal, Bytes(MaxEnvelopeBody, 1), bob.publicKey).ok());
        auto big = sealEnvelope(EnvelopeKind::Signal, Bytes(MaxEnvelopeBody + 1, 1), bob.publicKey);
        QVERIFY(!big.ok());
        QCOMPARE(big.error().code(), ErrorCode::TooLarge);
        // The largest envelope still fits the node's 64 KiB mailbox limit.
        QVERIFY(sealEnvelope(EnvelopeKind::Signal, Bytes(MaxEnvelopeBody, 1), bob.publicKey)->size() <= 64 * 1024);
    }

    void contentDecoderRefusesUnknownVersionKindAndTrailingBytes()
    {
        QVERIFY(decodeEnvelopeContent(Bytes {1, 1, 0}).ok());
        QCOMPARE(decodeEnvelopeContent(Bytes {2, 1, 0}).error().code(), ErrorCode::Unsupported);
        QCOMPARE(decodeEnvelopeContent(Bytes {1, 9, 0}).error().code(), ErrorCode::Unsupported);
        QCOMPARE(decodeEnvelopeContent(Bytes {1, 0, 0}).error().code(), ErrorCode::Unsupported);
        QCOMPARE(decodeEnvelopeContent(Bytes {1, 1, 0, 0}).error().code(), ErrorCode::Malformed);
        QCOMPARE(decodeEnvelopeContent(Bytes {1, 1, 3, 1}).error().code(), ErrorCode::Malformed);
        QVERIFY(!decodeEnvelopeContent(Bytes {}).ok());
    }

    void inboxMailboxIsDistinctPerPersonAndFromRequests()
    {
        const SigningKey alice = keyFromByte(1), bob = keyFromByte(2);
        QVERIFY(inboxMailbox(alice.publicKey) != inboxMailbox(bob.publicKey));
        QVERIFY(inboxMailbox(alice.publicKey) != requestsMailbox(alice.publicKey));
        QCOMPARE(inboxMailbox(alice.publicKey), inboxMailbox(alice.publicKey));
        // BLAKE2b-256("hive-inbox-v1" || key), computed independently.
        Bytes input = toBytes(asBytes("hive-inbox-v1"));
        input.insert(input.end(), alice.publicKey.begin(), alice.publicKey.end());
        std::array<std::uint8_t, 32> expected {};
        crypto_generichash(expected.data(), expected.size(), input.data(), input.size(), nullptr, 0);
        QCOMPARE(inboxMailbox(alice.publicKey), expected);
    }

    void noteRoundTripsAndIsSigned()
    {
        const SigningKey alice = keyFromByte(1), bob = keyFromByte(2);
        const Note note = makeNote(alice, bob);
        auto decoded = Note::decode(note.encode());
        QVERIFY(decoded.ok());
        QCOMPARE(*decoded, note);
        QCOMPARE(decoded->contentId(), note.contentId());
        Note other = note;
        QVERIFY(!other.sign(bob).ok()); // not the sender's key
    }

    void tamperedNotesAreRefused()
    {
        const SigningKey alice = keyFromByte(1), bob = keyFromByte(2), carol = keyFromByte(3);
        const Note note = makeNote(alice, bob);
        Note redirected = note;
        redirected.recipient = carol.publicKey; // passed on to someone else
        QCOMPARE(Note::decode(redirected.encode()).error().code(), ErrorCode::Crypto);
        Note widened = note;
        widened.content.back() ^= 1;
        QCOMPARE(Note::decode(widened.encode()).error().code(), ErrorCode::Crypto);
        Bytes bytes = note.encode();
        bytes[1 + 32 + 32 + 8] = 77; // unknown type
        QCOMPARE(Note::decode(bytes).error().code(), ErrorCode::Unsupported);
        bytes = note.encode();
        bytes.push_back(0);
        QCOMPARE(Note::decode(bytes).error().code(), ErrorCode::Malformed);
        bytes = note.encode();
        bytes.resize(bytes.size() - 1);
        QCOMPARE(Note::decode(bytes).error().code(), ErrorCode::Malformed);
        Note big = note;
        big.content = Bytes(Note::MaxContent + 1, 1);
        QVERIFY(big.sign(alice).ok());
        QVERIFY(!Note::decode(big.encode()).ok());
    }
};

QTEST_APPLESS_MAIN(TestEnvelope)
#include "test_envelope.moc"
