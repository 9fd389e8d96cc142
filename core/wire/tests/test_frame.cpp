// Framing: frames survive any chunking of the stream, large frames span several Noise
// records, and every malformed or oversized input is a fatal, sticky error.
#include "wire/frame.h"

#include <QtTest>

#include <random>

using namespace hive;
using namespace hive::wire;

namespace {

// A real Noise transport pair, so tests run on the encrypted path the node uses.
std::pair<noise::Transport, noise::Transport> transports()
{
    auto client = noise::KeyPair::generate();
    auto server = noise::KeyPair::generate();
    auto i = noise::HandshakeState::create(noise::Role::Initiator, {}, client, server.publicKey);
    auto r = noise::HandshakeState::create(noise::Role::Responder, {}, server, std::nullopt);
    auto m1 = i->writeMessage({});
    (void)r->readMessage(*m1);
    auto m2 = r->writeMessage({});
    (void)i->readMessage(*m2);
    return {i->split().release(), r->split().release()};
}

Frame sample(FrameKind kind, std::uint64_t id, std::size_t payloadSize, std::uint8_t fill = 0x5a)
{
    Frame f;
    f.version = kind == FrameKind::Hello ? 0 : 1;
    f.kind = kind;
    f.requestId = id;
    f.service = 3;
    f.method = 7;
    f.payload = Bytes(payloadSize, fill);
    for (std::size_t i = 0; i < payloadSize; ++i)
        f.payload[i] = static_cast<std::uint8_t>(i * 31 + fill);
    return f;
}

Bytes record(ByteView body)
{
    Bytes out;
    appendRecord(out, body);
    return out;
}

} // namespace

class TestFrame : public QObject {
    Q_OBJECT

private slots:
    void frameEncodingRoundTrips();
    void frameDecodeRejects_data();
    void frameDecodeRejects();
    void anyChunkingYieldsSameFrames();
    void largeFrameSpansSeveralRecords();
    void frameSizeLimitIsEnforced();
    void oversizeRecordIsFatalAndSticky();
    void zeroLengthRecordIsFatal();
    void badChunksAreFatal();
    void tamperedRecordFailsAuthentication();
    void recordReaderSplitsStream();
    void versionNegotiationPicksHighestCommon();
    void helloValidation();
    void errorPayloadRoundTrips();
};

void TestFrame::frameEncodingRoundTrips()
{
    for (auto kind : {FrameKind::Hello, FrameKind::Request, FrameKind::Response, FrameKind::Push, FrameKind::Error}) {
        Frame f = sample(kind, kind == FrameKind::Hello ? 0 : 0xfedcba9876543210ull, 100);
        auto d = Frame::decode(f.encode());
        QVERIFY2(d, d ? "" : d.error().message());
        QVERIFY(*d == f);
    }
}

void TestFrame::frameDecodeRejects_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    auto qb = [](const Bytes& b) { return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size())); };
    Bytes good = sample(FrameKind::Request, 1, 4).encode();
    Bytes unknownKind = good;
    unknownKind[2] = 9;
    QTest::newRow("unknown kind") << qb(unknownKind) << int(ErrorCode::Malformed) << "unknown frame kind 9";
    Bytes helloWithVersion = good;
    helloWithVersion[2] = 0;
    QTest::newRow("hello with version") << qb(helloWithVersion) << int(ErrorCode::Malformed) << "must carry version 0";
    Bytes requestVersion0 = good;
    requestVersion0[1] = 0;
    QTest::newRow("request with version 0") << qb(requestVersion0) << int(ErrorCode::Malformed)
                                            << "only Hello frames may carry version 0";
    Bytes trailing = good;
    trailing.push_back(0);
    QTest::newRow("trailing byte") << qb(trailing) << int(ErrorCode::Malformed) << "";
    Bytes truncated(good.begin(), good.end() - 1);
    QTest::newRow("truncated") << qb(truncated) << int(ErrorCode::Malformed) << "";
    QTest::newRow("empty") << QByteArray() << int(ErrorCode::Malformed) << "";
}

void TestFrame::frameDecodeRejects()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, code);
    QFETCH(QString, message);
    auto d = Frame::decode(ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), std::size_t(bytes.size())));
    QVERIFY(!d);
    QCOMPARE(int(d.error().code()), code);
    QVERIFY2(QString::fromUtf8(d.error().message()).contains(message), d.error().message());
}

void TestFrame::anyChunkingYieldsSameFrames()
{
    auto [client, server] = transports();
    FrameEncoder encoder(client.send);
    std::vector<Frame> frames = {sample(FrameKind::Hello, 0, 4), sample(FrameKind::Request, 1, 0),
                                 sample(FrameKind::Request, 2, 200000), sample(FrameKind::Push, 3, 65518),
                                 sample(FrameKind::Response, 4, 1)};
    Bytes stream;
    for (const auto& f : frames) {
        auto bytes = encoder.encode(f);
        QVERIFY(bytes);
        stream.insert(stream.end(), bytes->begin(), bytes->end());
    }
    // The same stream cut four different ways; each decoder needs its own cipher copy
    // because decryption advances the nonce.
    std::mt19937 rng(42);
    for (int way = 0; way < 4; ++way) {
        noise::CipherState receive = server.receive;
        FrameDecoder decoder(receive);
        std::vector<Frame> got;
        std::size_t pos = 0;
        while (pos < stream.size()) {
            std::size_t n = way == 0 ? stream.size() : way == 1 ? 1 : way == 2 ? 1 + rng() % 7 : 1 + rng() % 70000;
            // Byte-at-a-time over 300 KB would be slow; only do it for the first few KB.
            if (way == 1 && pos > 5000)
                n = 4096;
            n = std::min(n, stream.size() - pos);
            auto s = decoder.feed(ByteView(stream).subspan(pos, n));
            QVERIFY2(s, s ? "" : s.error().message());
            pos += n;
            while (auto f = decoder.next())
                got.push_back(std::move(*f));
        }
        QCOMPARE(got.size(), frames.size());
        for (std::size_t i = 0; i < frames.size(); ++i)
            QVERIFY(got[i] == frames[i]);
    }
}

void TestFrame::largeFrameSpansSeveralRecords()
{
    auto [client, server] = transports();
    FrameEncoder encoder(client.send);
    Frame f = sample(FrameKind::Request, 9, 1 << 20);
    auto bytes = encoder.encode(f);
    QVERIFY(bytes);
    // Count records and check each is one Noise message of at most 65535 bytes.
    RecordReader reader;
    reader.append(*bytes);
    std::size_t records = 0;
    while (true) {
        auto r = reader.next();
        QVERIFY(r);
        if (!*r)
            break;
        QVERIFY((*r)->size() <= noise::MaxMessage);
        ++records;
    }
    const std::size_t encoded = f.encode().size();
    const std::size_t perRecord = noise::MaxMessage - noise::TagSize - 1;
    QCOMPARE(records, (encoded + perRecord - 1) / perRecord);
    QVERIFY(records > 16);
    FrameDecoder decoder(server.receive);
    QVERIFY(decoder.feed(*bytes));
    auto got = decoder.next();
    QVERIFY(got && *got == f);
}

void TestFrame::frameSizeLimitIsEnforced()
{
    noise::CipherState plain;
    FrameLimits limits {.maxRecord = 100, .maxFrame = 1000};
    FrameEncoder encoder(plain, limits);
    Frame f = sample(FrameKind::Request, 1, 0);
    const std::size_t header = f.encode().size(); // with an empty payload: varint length 0
    f.payload = Bytes(1000 - header - 1, 1);      // one more byte for the 2-byte varint
    QCOMPARE(f.encode().size(), std::size_t(1000));
    auto ok = encoder.encode(f);
    QVERIFY(ok);
    f.payload.push_back(2);
    auto tooBig = encoder.encode(f);
    QVERIFY(!tooBig);
    QCOMPARE(tooBig.error().code(), ErrorCode::TooLarge);

    // A peer that keeps sending "more" chunks past the limit is cut off.
    noise::CipherState receive;
    FrameDecoder decoder(receive, limits);
    QVERIFY(decoder.feed(*ok));
    QVERIFY(decoder.next());
    FrameEncoder bigEncoder(plain, FrameLimits {.maxRecord = 100, .maxFrame = 5000});
    auto big = bigEncoder.encode(f);
    QVERIFY(big);
    auto s = decoder.feed(*big);
    QVERIFY(!s);
    QCOMPARE(s.error().code(), ErrorCode::TooLarge);
    QVERIFY(decoder.failed());
}

void TestFrame::oversizeRecordIsFatalAndSticky()
{
    noise::CipherState receive;
    FrameDecoder decoder(receive);
    Bytes header = {0x00, 0x01, 0x00, 0x00}; // 65536 > 65535
    auto s = decoder.feed(header);
    QVERIFY(!s);
    QCOMPARE(s.error().code(), ErrorCode::TooLarge);
    // Valid bytes afterwards change nothing: the connection must be closed.
    Bytes valid = record(Bytes {0x00});
    auto again = decoder.feed(valid);
    QVERIFY(!again);
    QCOMPARE(again.error().code(), ErrorCode::TooLarge);
    QVERIFY(!decoder.next());
}

void TestFrame::zeroLengthRecordIsFatal()
{
    noise::CipherState receive;
    FrameDecoder decoder(receive);
    auto s = decoder.feed(Bytes {0, 0, 0, 0});
    QVERIFY(!s);
    QCOMPARE(s.error().code(), ErrorCode::Malformed);
}

void TestFrame::badChunksAreFatal()
{
    const Bytes body = sample(FrameKind::Request, 1, 3).encode();
    {
        noise::CipherState receive;
        FrameDecoder decoder(receive);
        Bytes chunk = {0x02};
        chunk.insert(chunk.end(), body.begin(), body.end());
        auto s = decoder.feed(record(chunk));
        QVERIFY(!s);
        QVERIFY(QByteArray(s.error().message()).contains("unknown chunk flags"));
    }
    {
        noise::CipherState receive;
        FrameDecoder decoder(receive);
        auto s = decoder.feed(record(Bytes {0x01}));
        QVERIFY(!s);
        QVERIFY(QByteArray(s.error().message()).contains("non-final chunk must carry data"));
    }
    {
        noise::CipherState receive;
        FrameDecoder decoder(receive);
        Bytes chunk = {0x00, 0xff, 0xff};
        auto s = decoder.feed(record(chunk));
        QVERIFY(!s);
        QCOMPARE(s.error().code(), ErrorCode::Malformed);
    }
}

void TestFrame::tamperedRecordFailsAuthentication()
{
    auto [client, server] = transports();
    FrameEncoder encoder(client.send);
    auto bytes = encoder.encode(sample(FrameKind::Request, 5, 10));
    QVERIFY(bytes);
    (*bytes)[bytes->size() / 2] ^= 0x40;
    FrameDecoder decoder(server.receive);
    auto s = decoder.feed(*bytes);
    QVERIFY(!s);
    QCOMPARE(s.error().code(), ErrorCode::Crypto);
}

void TestFrame::recordReaderSplitsStream()
{
    RecordReader reader(10);
    Bytes stream = record(Bytes {1, 2, 3});
    Bytes second = record(Bytes {4});
    stream.insert(stream.end(), second.begin(), second.end());
    reader.append(ByteView(stream).first(5));
    auto r = reader.next();
    QVERIFY(r && !*r);
    reader.append(ByteView(stream).subspan(5));
    r = reader.next();
    QVERIFY(r && *r && **r == (Bytes {1, 2, 3}));
    r = reader.next();
    QVERIFY(r && *r && **r == (Bytes {4}));
    r = reader.next();
    QVERIFY(r && !*r);
    QCOMPARE(reader.buffered(), std::size_t(0));
    reader.append(record(Bytes(11, 0)));
    QCOMPARE(reader.next().error().code(), ErrorCode::TooLarge);
}

void TestFrame::versionNegotiationPicksHighestCommon()
{
    auto v = negotiateVersion({1, 3}, {2, 5});
    QVERIFY(v);
    QCOMPARE(*v, std::uint16_t(3));
    QCOMPARE(*negotiateVersion({1, 1}, {1, 1}), std::uint16_t(1));
    auto none = negotiateVersion({1, 2}, {3, 4});
    QVERIFY(!none);
    QCOMPARE(none.error().code(), ErrorCode::Unsupported);
    QVERIFY2(QByteArray(none.error().message()).contains("this side speaks 1-2, the peer 3-4"), none.error().message());
}

void TestFrame::helloValidation()
{
    Frame hello = helloFrame({2, 4});
    auto decoded = Frame::decode(hello.encode());
    QVERIFY(decoded);
    auto range = parseHello(*decoded);
    QVERIFY(range);
    QCOMPARE(range->min, std::uint16_t(2));
    QCOMPARE(range->max, std::uint16_t(4));
    QVERIFY(!parseHello(sample(FrameKind::Request, 1, 4)));
    QVERIFY(!parseHello(helloFrame({3, 2})));
    QVERIFY(!parseHello(helloFrame({0, 2})));
    Frame longHello = helloFrame();
    longHello.payload.push_back(0);
    QVERIFY(!parseHello(longHello));
}

void TestFrame::errorPayloadRoundTrips()
{
    Error e(ErrorCode::PermissionDenied, "grant does not cover storage");
    Error back = decodeErrorPayload(encodeErrorPayload(e));
    QCOMPARE(back.code(), ErrorCode::PermissionDenied);
    QCOMPARE(back.messageView(), e.messageView());
    Bytes unknown = encodeErrorPayload(e);
    unknown[0] = 0x7f;
    QCOMPARE(decodeErrorPayload(unknown).code(), ErrorCode::Internal);
    Error malformed = decodeErrorPayload(Bytes {0});
    QCOMPARE(malformed.code(), ErrorCode::Malformed);
    QVERIFY(QByteArray(malformed.message()).contains("malformed error frame"));
}

QTEST_GUILESS_MAIN(TestFrame)
#include "test_frame.moc"
