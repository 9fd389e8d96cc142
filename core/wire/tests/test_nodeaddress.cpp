// Node addresses: every accepted form round-trips, every malformed one is rejected with
// its own actionable message.
#include "wire/base32.h"
#include "wire/nodeaddress.h"

#include <QtTest>

using namespace hive;
using namespace hive::wire;

namespace {

std::array<std::uint8_t, 32> sampleKey()
{
    std::array<std::uint8_t, 32> k {};
    for (std::size_t i = 0; i < k.size(); ++i)
        k[i] = static_cast<std::uint8_t>(i * 7 + 1);
    return k;
}

QString keyText() { return QString::fromStdString(base32::encode(sampleKey())); }

} // namespace

class TestNodeAddress : public QObject {
    Q_OBJECT

private slots:
    void acceptsValidAddresses_data();
    void acceptsValidAddresses();
    void rejectsWithSpecificError_data();
    void rejectsWithSpecificError();
    void toStringRoundTrips();
    void hostValidators();
};

void TestNodeAddress::acceptsValidAddresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("canonical");
    const QString k = keyText();
    QTest::newRow("dns") << "hive://" + k + "@node.example.org:7000" << "node.example.org" << 7000
                         << "hive://" + k + "@node.example.org:7000";
    QTest::newRow("upper-case scheme, key and host") << "HIVE://" + k.toUpper() + "@Node.Example.ORG:1"
                                                      << "node.example.org" << 1
                                                      << "hive://" + k + "@node.example.org:1";
    QTest::newRow("single label") << "hive://" + k + "@localhost:65535" << "localhost" << 65535
                                  << "hive://" + k + "@localhost:65535";
    QTest::newRow("ipv4") << "hive://" + k + "@127.0.0.1:7000" << "127.0.0.1" << 7000
                          << "hive://" + k + "@127.0.0.1:7000";
    QTest::newRow("ipv6 loopback") << "hive://" + k + "@[::1]:7000" << "::1" << 7000 << "hive://" + k + "@[::1]:7000";
    QTest::newRow("ipv6 full") << "hive://" + k + "@[2001:DB8:0:0:0:0:0:1]:443" << "2001:db8:0:0:0:0:0:1" << 443
                               << "hive://" + k + "@[2001:db8:0:0:0:0:0:1]:443";
    QTest::newRow("ipv6 mapped ipv4") << "hive://" + k + "@[::ffff:192.0.2.1]:80" << "::ffff:192.0.2.1" << 80
                                      << "hive://" + k + "@[::ffff:192.0.2.1]:80";
    QTest::newRow("digit-leading label") << "hive://" + k + "@1and1.example:80" << "1and1.example" << 80
                                         << "hive://" + k + "@1and1.example:80";
}

void TestNodeAddress::acceptsValidAddresses()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, canonical);
    auto a = NodeAddress::parse(text.toStdString());
    QVERIFY2(a, a ? "" : a.error().message());
    QVERIFY(a->key == sampleKey());
    QCOMPARE(QString::fromStdString(a->host), host);
    QCOMPARE(int(a->port), port);
    QCOMPARE(QString::fromStdString(a->toString()), canonical);
    auto again = NodeAddress::parse(a->toString());
    QVERIFY(again);
    QVERIFY(*again == *a);
}

void TestNodeAddress::rejectsWithSpecificError_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    const QString k = keyText();
    QTest::newRow("empty") << "" << "node address is empty";
    QTest::newRow("wrong scheme") << "http://" + k + "@h:1" << "must start with hive://, not 'http://'";
    QTest::newRow("no scheme") << k + "@h:1" << "must start with hive://";
    QTest::newRow("missing @") << "hive://" + k + "h:1" << "missing '@'";
    QTest::newRow("no key") << "hive://@h:1" << "no node key before '@'";
    QTest::newRow("short key") << "hive://" + k.left(51) + "@h:1" << "must be 32 bytes (52 base32 characters); got 51";
    QTest::newRow("long key") << "hive://" + k + "a@h:1" << "got 53 characters";
    QTest::newRow("bad base32") << "hive://" + k.left(50) + "1a@h:1" << "not valid base32";
    QTest::newRow("nothing after @") << "hive://" + k + "@" << "no host:port after '@'";
    QTest::newRow("missing port") << "hive://" + k + "@host" << "missing ':port'";
    QTest::newRow("empty port") << "hive://" + k + "@host:" << "empty port";
    QTest::newRow("port not a number") << "hive://" + k + "@host:http" << "port 'http' is not a number";
    QTest::newRow("trailing path") << "hive://" + k + "@host:80/x" << "port '80/x' is not a number";
    QTest::newRow("port zero") << "hive://" + k + "@host:0" << "out of range";
    QTest::newRow("port too big") << "hive://" + k + "@host:65536" << "out of range";
    QTest::newRow("port huge") << "hive://" + k + "@host:99999999999999999999" << "out of range";
    QTest::newRow("port leading zero") << "hive://" + k + "@host:080" << "leading zeros";
    QTest::newRow("empty host") << "hive://" + k + "@:80" << "empty host";
    QTest::newRow("bad host char") << "hive://" + k + "@ho_st:80" << "not a valid host name";
    QTest::newRow("host label hyphen") << "hive://" + k + "@-host:80" << "not a valid host name";
    QTest::newRow("host empty label") << "hive://" + k + "@a..b:80" << "not a valid host name";
    QTest::newRow("bad ipv4") << "hive://" + k + "@256.1.1.1:80" << "not a valid IPv4 address";
    QTest::newRow("short ipv4") << "hive://" + k + "@1.2.3:80" << "not a valid IPv4 address";
    QTest::newRow("ipv4 leading zero") << "hive://" + k + "@01.2.3.4:80" << "not a valid IPv4 address";
    QTest::newRow("unbracketed ipv6") << "hive://" + k + "@::1:80" << "must be written in brackets";
    QTest::newRow("unclosed bracket") << "hive://" + k + "@[::1:80" << "closed with ']'";
    QTest::newRow("stray close bracket") << "hive://" + k + "@::1]:80" << "without an opening '['";
    QTest::newRow("empty brackets") << "hive://" + k + "@[]:80" << "empty IPv6 host";
    QTest::newRow("bad ipv6") << "hive://" + k + "@[1::2::3]:80" << "not a valid IPv6 address";
    QTest::newRow("ipv6 too many groups") << "hive://" + k + "@[1:2:3:4:5:6:7:8:9]:80" << "not a valid IPv6 address";
    QTest::newRow("ipv6 zone") << "hive://" + k + "@[fe80::1%eth0]:80" << "not a valid IPv6 address";
    QTest::newRow("ipv6 no port") << "hive://" + k + "@[::1]" << "missing ':port'";
    QTest::newRow("ipv6 junk after bracket") << "hive://" + k + "@[::1]x80" << "expected ':port' right after";
}

void TestNodeAddress::rejectsWithSpecificError()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    auto a = NodeAddress::parse(text.toStdString());
    QVERIFY(!a);
    QCOMPARE(a.error().code(), ErrorCode::InvalidArgument);
    QVERIFY2(QString::fromUtf8(a.error().message()).contains(message), a.error().message());
}

void TestNodeAddress::toStringRoundTrips()
{
    NodeAddress a;
    a.key = sampleKey();
    a.host = "2001:db8::7";
    a.port = 9;
    QCOMPARE(QString::fromStdString(a.toString()), "hive://" + keyText() + "@[2001:db8::7]:9");
    auto b = NodeAddress::parse(a.toString());
    QVERIFY(b);
    QVERIFY(*b == a);
}

void TestNodeAddress::hostValidators()
{
    QVERIFY(isValidIpv4("0.0.0.0"));
    QVERIFY(isValidIpv4("255.255.255.255"));
    QVERIFY(!isValidIpv4("1.2.3.4.5"));
    QVERIFY(!isValidIpv4("1.2.3."));
    QVERIFY(isValidIpv6("::"));
    QVERIFY(isValidIpv6("1::"));
    QVERIFY(isValidIpv6("1:2:3:4:5:6::8"));
    QVERIFY(isValidIpv6("1:2:3:4:5:6:1.2.3.4"));
    QVERIFY(!isValidIpv6("1:2:3:4:5:6:7:1.2.3.4"));
    QVERIFY(!isValidIpv6(":::"));
    QVERIFY(!isValidIpv6("12345::"));
    QVERIFY(!isValidIpv6("1:2:3:4:5:6:7:8::"));
    QVERIFY(!isValidIpv6("::1.2.3.4:5"));
    QVERIFY(isValidHostName("a-b.c"));
    QVERIFY(!isValidHostName(std::string(64, 'a')));
    QVERIFY(isValidHostName(std::string(63, 'a')));
    QVERIFY(!isValidHostName("example.123"));
    QVERIFY(!isValidHostName("trailing.dot."));
}

QTEST_GUILESS_MAIN(TestNodeAddress)
#include "test_nodeaddress.moc"
