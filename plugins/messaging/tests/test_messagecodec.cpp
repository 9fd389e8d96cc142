// The messaging encodings: every kind round-trips canonically, and the decoders refuse
// wrong versions, kinds, sizes and trailing bytes.
#include "messaging/messagecodec.h"

#include <QtTest>

using namespace hive;
using namespace hive::messaging;

class TestMessageCodec : public QObject {
    Q_OBJECT

private slots:
    void everyKindRoundTrips()
    {
        Payload p;
        p.uid.fill(3);
        p.sentAt = 1234;
        p.group = GroupId {};
        p.group->fill(9);
        p.expireSeconds = 60;
        for (int kind = 1; kind <= 7; ++kind) {
            p.kind = static_cast<PayloadKind>(kind);
            p.text = "héllo";
            p.members = {Key32 {}, Key32 {}};
            p.receiptUids = {Uid {}};
            p.senderKey = Bytes(40, 1);
            p.typing = true;
            FileInfo f;
            f.fileName = "a.png";
            f.size = 10;
            f.chunkSize = 4;
            f.key = Bytes(32, 5);
            f.chunks = {Key32 {}, Key32 {}, Key32 {}};
            p.file = f;
            const Bytes encoded = p.encode();
            auto decoded = Payload::decode(encoded);
            QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message());
            QVERIFY(decoded->encode() == encoded);
            QCOMPARE(int(decoded->kind), kind);
        }
    }

    void refusesBadInput()
    {
        Payload p;
        p.text = "x";
        Bytes encoded = p.encode();
        Bytes trailing = encoded;
        trailing.push_back(0);
        QVERIFY(!Payload::decode(trailing).ok());
        Bytes version = encoded;
        version[0] = 2;
        QCOMPARE(Payload::decode(version).error().code(), ErrorCode::Unsupported);
        Bytes kind = encoded;
        kind[1 + 16 + 8] = 99;
        QVERIFY(!Payload::decode(kind).ok());
        QVERIFY(!Payload::decode(ByteView(encoded.data(), encoded.size() - 1)).ok());

        // A file whose chunk list does not match its size.
        Payload file;
        file.kind = PayloadKind::File;
        FileInfo f;
        f.size = 10;
        f.chunkSize = 4;
        f.key = Bytes(32, 1);
        f.chunks = {Key32 {}};
        file.file = f;
        QVERIFY(!Payload::decode(file.encode()).ok());

        // A group update needs a group.
        Payload update;
        update.kind = PayloadKind::GroupUpdate;
        QVERIFY(!Payload::decode(update.encode()).ok());
    }

    void signalBodyAndBundle()
    {
        SignalBody b;
        b.sender.fill(1);
        b.senderDevice = 7;
        b.type = SignalType::PreKey;
        b.ciphertext = Bytes(10, 2);
        auto d = SignalBody::decode(b.encode());
        QVERIFY(d.ok());
        QVERIFY(d->encode() == b.encode());
        Bytes bad = b.encode();
        bad[36] = 9; // type
        QVERIFY(!SignalBody::decode(bad).ok());

        PrekeyBundle bundle;
        bundle.signedPrekey = Bytes(33, 5);
        bundle.signedPrekeySignature = Bytes(64, 6);
        auto bd = PrekeyBundle::decode(bundle.encode());
        QVERIFY(bd.ok());
        QVERIFY(bd->encode() == bundle.encode());
        bundle.signedPrekey.pop_back();
        QVERIFY(!PrekeyBundle::decode(bundle.encode()).ok());
        OneTimePrekey k {5, Bytes(33, 1)};
        QCOMPARE(OneTimePrekey::decode(k.encode())->id, 5u);
    }
};

QTEST_GUILESS_MAIN(TestMessageCodec)
#include "test_messagecodec.moc"
