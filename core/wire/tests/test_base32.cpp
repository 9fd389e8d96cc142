#include "wire/base32.h"

#include <QtTest>
#include <random>

using namespace hive;

class TestBase32 : public QObject {
    Q_OBJECT
private slots:
    void rfc4648Vectors_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QString>("encoded");
        // RFC 4648 section 10, lower-cased and with the padding removed.
        QTest::newRow("empty") << QByteArray("") << "";
        QTest::newRow("f") << QByteArray("f") << "my";
        QTest::newRow("fo") << QByteArray("fo") << "mzxq";
        QTest::newRow("foo") << QByteArray("foo") << "mzxw6";
        QTest::newRow("foob") << QByteArray("foob") << "mzxw6yq";
        QTest::newRow("fooba") << QByteArray("fooba") << "mzxw6ytb";
        QTest::newRow("foobar") << QByteArray("foobar") << "mzxw6ytboi";
    }
    void rfc4648Vectors()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QString, encoded);
        ByteView in(reinterpret_cast<const std::uint8_t*>(plain.constData()), static_cast<std::size_t>(plain.size()));
        QCOMPARE(QString::fromStdString(base32::encode(in)), encoded);
        auto back = base32::decode(encoded.toStdString());
        QVERIFY(back.ok());
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(back->data()), static_cast<qsizetype>(back->size())), plain);
        auto upper = base32::decode(encoded.toUpper().toStdString());
        QVERIFY(upper.ok());
        QCOMPARE(*upper, *back);
    }
    void rejectsWhatIsNotCanonical_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("padding") << "my======";
        QTest::newRow("bad length 1") << "m";
        QTest::newRow("bad length 3") << "mzx";
        QTest::newRow("bad length 6") << "mzxw6y";
        QTest::newRow("digit 1") << "m1";
        QTest::newRow("digit 8") << "m8";
        QTest::newRow("non-zero trailing bits") << "mz";
    }
    void rejectsWhatIsNotCanonical()
    {
        QFETCH(QString, text);
        auto r = base32::decode(text.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), ErrorCode::Malformed);
    }
    void randomRoundTrips()
    {
        std::mt19937 rng(1234);
        for (int i = 0; i < 2000; ++i) {
            Bytes b(rng() % 80);
            for (auto& x : b)
                x = static_cast<std::uint8_t>(rng());
            std::string e = base32::encode(b);
            QCOMPARE(e.size(), base32::encodedLength(b.size()));
            auto d = base32::decode(e);
            QVERIFY(d.ok());
            QCOMPARE(*d, b);
        }
    }
};

QTEST_APPLESS_MAIN(TestBase32)
#include "test_base32.moc"
