#include "wire/codec.h"

#include <QtTest>
#include <random>

using namespace hive;
using namespace hive::wire;

namespace {
// A sample structure exercising every field kind, as real structures will.
struct Sample {
    std::uint8_t version = 1;
    std::uint64_t counter = 0;
    bool flag = false;
    std::array<std::uint8_t, 32> key {};
    std::string name;
    std::vector<Bytes> items;

    Bytes encode() const
    {
        Writer w;
        w.u8(version).varint(counter).boolean(flag).fixed(key).text(name).listCount(items.size());
        for (const auto& i : items)
            w.bytes(i);
        return w.take();
    }
    static Result<Sample> decode(ByteView in)
    {
        Reader r(in, Limits {.maxBytes = 256, .maxList = 16, .maxDepth = 4});
        Sample s;
        s.version = r.u8();
        if (r.ok() && s.version != 1)
            r.fail(ErrorCode::Unsupported, "unknown sample version");
        s.counter = r.varint();
        s.flag = r.boolean();
        s.key = r.fixed<32>();
        s.name = r.text(64);
        std::size_t n = r.listCount(16);
        for (std::size_t i = 0; i < n && r.ok(); ++i)
            s.items.push_back(r.bytes());
        HIVE_CHECK(r.finish());
        return s;
    }
};

Sample randomSample(std::mt19937_64& rng)
{
    Sample s;
    s.counter = rng() >> (rng() % 64);
    s.flag = rng() & 1;
    for (auto& b : s.key)
        b = static_cast<std::uint8_t>(rng());
    std::size_t len = rng() % 40;
    for (std::size_t i = 0; i < len; ++i)
        s.name.push_back(static_cast<char>('a' + rng() % 26));
    std::size_t items = rng() % 5;
    for (std::size_t i = 0; i < items; ++i) {
        Bytes b(rng() % 50);
        for (auto& x : b)
            x = static_cast<std::uint8_t>(rng());
        s.items.push_back(b);
    }
    return s;
}
} // namespace

class TestCodec : public QObject {
    Q_OBJECT
private slots:
    void fixedWidthIsBigEndian()
    {
        Writer w;
        w.u16(0x0102).u32(0x03040506).u64(0x0708090a0b0c0d0eULL);
        Bytes expected {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        QCOMPARE(w.data(), expected);
        Reader r(w.data());
        QCOMPARE(r.u16(), std::uint16_t(0x0102));
        QCOMPARE(r.u32(), 0x03040506u);
        QCOMPARE(r.u64(), 0x0708090a0b0c0d0eULL);
        QVERIFY(r.finish().ok());
    }
    void varintVectors()
    {
        struct V { std::uint64_t value; Bytes encoding; };
        const V vectors[] = {
            {0, {0x00}}, {1, {0x01}}, {127, {0x7f}}, {128, {0x80, 0x01}}, {300, {0xac, 0x02}},
            {UINT64_MAX, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
        };
        for (const auto& v : vectors) {
            Writer w;
            w.varint(v.value);
            QCOMPARE(w.data(), v.encoding);
            Reader r(v.encoding);
            QCOMPARE(r.varint(), v.value);
            QVERIFY(r.finish().ok());
        }
    }
    void varintRejectsNonCanonicalAndOverflow()
    {
        Bytes overlong {0x80, 0x00};
        Reader a(overlong);
        a.varint();
        QCOMPARE(a.finish().error().code(), ErrorCode::Malformed);
        Bytes overflow {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
        Reader b(overflow);
        b.varint();
        QVERIFY(!b.finish().ok());
        Bytes tooLong(11, 0x80);
        Reader c(tooLong);
        c.varint();
        QVERIFY(!c.finish().ok());
    }
    void booleansAreZeroOrOne()
    {
        Bytes two {2};
        Reader r(two);
        r.boolean();
        QCOMPARE(r.finish().error().code(), ErrorCode::Malformed);
    }
    void trailingBytesAreRejected()
    {
        Bytes in {1, 2};
        Reader r(in);
        r.u8();
        QVERIFY(!r.finish().ok());
    }
    void lengthsAndCountsAreBounded()
    {
        Writer w;
        w.bytes(Bytes(300, 7));
        Reader r(w.data(), Limits {.maxBytes = 256});
        r.bytes();
        QCOMPARE(r.finish().error().code(), ErrorCode::TooLarge);

        // A count claiming more elements than bytes remain never allocates.
        Writer lc;
        lc.varint(1000000);
        Reader r2(lc.data());
        QCOMPARE(r2.listCount(10000000), std::size_t(0));
        QVERIFY(!r2.ok());
    }
    void depthIsBounded()
    {
        Bytes empty;
        Reader r(empty, Limits {.maxDepth = 3});
        for (int i = 0; i < 3; ++i)
            r.enter();
        QVERIFY(r.ok());
        r.enter();
        QCOMPARE(r.finish().error().code(), ErrorCode::TooLarge);
    }
    void textMustBeUtf8()
    {
        QVERIFY(isValidUtf8("grüße 🐝"));
        QVERIFY(!isValidUtf8("\xc0\xaf"));           // overlong '/'
        QVERIFY(!isValidUtf8("\xed\xa0\x80"));       // surrogate
        QVERIFY(!isValidUtf8("\xf4\x90\x80\x80"));   // > U+10FFFF
        QVERIFY(!isValidUtf8("\xe2\x82"));           // truncated
        Writer w;
        w.bytes(Bytes {0xff, 0xfe});
        Reader r(w.data());
        r.text();
        QCOMPARE(r.finish().error().code(), ErrorCode::Malformed);
    }
    // Property: decode(encode(x)) == x and encode(decode(b)) == b for every decodable b.
    void roundTripProperty()
    {
        std::mt19937_64 rng(42);
        for (int i = 0; i < 3000; ++i) {
            Sample s = randomSample(rng);
            Bytes enc = s.encode();
            auto dec = Sample::decode(enc);
            QVERIFY2(dec.ok(), dec.ok() ? "" : dec.error().message());
            QCOMPARE(dec->encode(), enc);
        }
    }
    // Property: every truncation and every single-byte mutation either fails cleanly or
    // decodes to a value whose encoding is exactly the mutated input (canonical form).
    void mutationProperty()
    {
        std::mt19937_64 rng(7);
        for (int i = 0; i < 300; ++i) {
            Bytes enc = randomSample(rng).encode();
            for (std::size_t cut = 0; cut < enc.size(); ++cut) {
                auto r = Sample::decode(ByteView(enc).first(cut));
                QVERIFY(!r.ok());
            }
            for (int m = 0; m < 20; ++m) {
                Bytes mutated = enc;
                mutated[rng() % mutated.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
                auto r = Sample::decode(mutated);
                if (r.ok())
                    QCOMPARE(r->encode(), mutated);
            }
        }
    }
    void randomGarbageNeverCrashes()
    {
        std::mt19937_64 rng(99);
        int decoded = 0;
        for (int i = 0; i < 20000; ++i) {
            Bytes junk(rng() % 64);
            for (auto& b : junk)
                b = static_cast<std::uint8_t>(rng());
            auto r = Sample::decode(junk);
            if (r.ok()) {
                ++decoded;
                QCOMPARE(r->encode(), junk);
            }
        }
        QVERIFY(decoded < 20000);
    }
};

QTEST_APPLESS_MAIN(TestCodec)
#include "test_codec.moc"
