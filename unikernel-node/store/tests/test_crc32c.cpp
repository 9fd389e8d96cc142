#include "store/crc32c.h"

#include <QtTest>

using namespace hive;
using namespace hive::node;

class TestCrc32c : public QObject {
    Q_OBJECT
private slots:
    // RFC 3720 appendix B.4 and the common "123456789" check value.
    void publishedVectors()
    {
        QCOMPARE(crc32c(asBytes("123456789")), 0xE3069283u);
        Bytes zeros(32, 0x00);
        QCOMPARE(crc32c(zeros), 0x8A9136AAu);
        Bytes ones(32, 0xFF);
        QCOMPARE(crc32c(ones), 0x62A8AB43u);
        Bytes up(32), down(32);
        for (std::size_t i = 0; i < 32; ++i) {
            up[i] = static_cast<std::uint8_t>(i);
            down[i] = static_cast<std::uint8_t>(31 - i);
        }
        QCOMPARE(crc32c(up), 0x46DD794Eu);
        QCOMPARE(crc32c(down), 0x113FDB5Cu);
        QCOMPARE(crc32c({}), 0u);
    }
    void incrementalEqualsOneShot()
    {
        Bytes data(1000);
        for (std::size_t i = 0; i < data.size(); ++i)
            data[i] = static_cast<std::uint8_t>(i * 31 + 7);
        const std::uint32_t whole = crc32c(data);
        for (std::size_t split : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u}) {
            ByteView v(data);
            QCOMPARE(crc32c(v.subspan(split), crc32c(v.first(split))), whole);
        }
    }
};

QTEST_GUILESS_MAIN(TestCrc32c)
#include "test_crc32c.moc"
