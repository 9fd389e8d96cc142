// Wire formats: checksum and SipHash test vectors, parser totality on malformed input, TCP
// option parsing, and writer/parser round trips.
#include "net/bytering.h"
#include "net/dhcp.h"
#include "net/packet.h"
#include "net/siphash.h"

#include <QtTest>

using namespace hive::net;

class TestNetPacket : public QObject {
    Q_OBJECT
private slots:
    void checksumMatchesRfc1071Example()
    {
        // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2.
        const std::vector<std::uint8_t> data {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
        QCOMPARE(checksumAdd(data), 0xddf2u);
        QCOMPARE(checksumFinish(checksumAdd(data)), std::uint16_t {0x220d});
        // Odd lengths pad with a zero byte.
        const std::vector<std::uint8_t> odd {0x00, 0x01, 0xf2};
        QCOMPARE(checksumAdd(odd), 0xf201u);
    }

    void ipv4HeaderChecksumVector()
    {
        // A classic example header whose checksum is b861.
        std::vector<std::uint8_t> h {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                     0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
        QCOMPARE(checksumFinish(checksumAdd(h)), std::uint16_t {0xb861});
        std::vector<std::uint8_t> written(20);
        writeIpv4Header(written.data(), Ipv4Addr::of(192, 168, 0, 1), Ipv4Addr::of(192, 168, 0, 199), IpProtoUdp,
                        0x73, 0, 64);
        QCOMPARE(load16(&written[10]), std::uint16_t {0xb861});
    }

    void udpChecksumVector()
    {
        // 192.168.1.10:5353 -> 192.168.1.20:53 "hive"; checksum computed independently.
        const std::vector<std::uint8_t> payload {'h', 'i', 'v', 'e'};
        std::vector<std::uint8_t> udp(UdpHeaderSize + payload.size());
        auto src = Ipv4Addr::of(192, 168, 1, 10);
        auto dst = Ipv4Addr::of(192, 168, 1, 20);
        writeUdp(udp.data(), src, dst, 5353, 53, payload);
        QCOMPARE(load16(&udp[6]), std::uint16_t {0x887a});
        auto parsed = parseUdp(udp, src, dst);
        QVERIFY(parsed);
        QCOMPARE(parsed->payload.size(), std::size_t {4});
        // Every single-bit error is caught, including in the pseudo header.
        for (std::size_t bit = 0; bit < udp.size() * 8; ++bit) {
            auto bad = udp;
            bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
            ParseError e = ParseError::None;
            if (bit / 8 == 6 && load16(&bad[6]) == 0)
                continue; // zero means "no checksum"
            QVERIFY2(!parseUdp(bad, src, dst, &e), "bit flip not detected");
        }
        QVERIFY(!parseUdp(udp, src, Ipv4Addr::of(192, 168, 1, 21)));
        // Zero on the wire means the sender computed none.
        store16(&udp[6], 0);
        QVERIFY(parseUdp(udp, src, Ipv4Addr::of(192, 168, 1, 21)));
    }

    void sipHashPaperVectors()
    {
        // SipHash paper, appendix A: key 00..0f, message 00..0e.
        SipKey key {};
        for (std::size_t i = 0; i < 16; ++i)
            key[i] = static_cast<std::uint8_t>(i);
        std::vector<std::uint8_t> message(15);
        for (std::size_t i = 0; i < message.size(); ++i)
            message[i] = static_cast<std::uint8_t>(i);
        QCOMPARE(sipHash24(key, message), std::uint64_t {0xa129ca6149be45e5ull});
        QCOMPARE(sipHash24(key, {}), std::uint64_t {0x726fdb47dd0e0e31ull});
        SipRandom a(key), b(key);
        QCOMPARE(a.next(), b.next());
        QVERIFY(a.next() != a.next());
    }

    void ethernetAndArpRoundTrip()
    {
        std::vector<std::uint8_t> f(EthernetHeaderSize + ArpPacketSize);
        MacAddr a {{2, 0, 0, 0, 0, 1}}, b {{2, 0, 0, 0, 0, 2}};
        writeEthernetHeader(f.data(), MacAddr::broadcast(), a, EtherTypeArp);
        writeArp(f.data() + EthernetHeaderSize, {ArpRequest, a, Ipv4Addr::of(10, 0, 0, 1), b, Ipv4Addr::of(10, 0, 0, 2)});
        auto eth = parseEthernet(f);
        QVERIFY(eth);
        QVERIFY(eth->dst.isBroadcast());
        QCOMPARE(eth->type, EtherTypeArp);
        auto arp = parseArp(eth->payload);
        QVERIFY(arp);
        QCOMPARE(arp->operation, ArpRequest);
        QVERIFY(arp->senderMac == a);
        QCOMPARE(arp->targetIp, Ipv4Addr::of(10, 0, 0, 2));
        ParseError e = ParseError::None;
        QVERIFY(!parseEthernet(ByteSpan(f).first(13), &e));
        QCOMPARE(e, ParseError::Truncated);
        QVERIFY(!parseArp(eth->payload.first(27), &e));
        auto bad = f;
        bad[EthernetHeaderSize + 7] = 9; // operation 9
        QVERIFY(!parseArp(ByteSpan(bad).subspan(EthernetHeaderSize), &e));
        QCOMPARE(e, ParseError::Unsupported);
    }

    void ipv4RejectsFragmentsAndBadHeaders()
    {
        std::vector<std::uint8_t> p(28);
        writeIpv4Header(p.data(), Ipv4Addr::of(1, 2, 3, 4), Ipv4Addr::of(5, 6, 7, 8), IpProtoUdp, 28, 1, 64);
        ParseError e = ParseError::None;
        QVERIFY(parseIpv4(p, &e));
        auto withTrailer = p;
        withTrailer.resize(60); // Ethernet padding is cut off by the total length
        QCOMPARE(parseIpv4(withTrailer)->payload.size(), std::size_t {8});
        auto setFragment = [&](std::uint16_t value) {
            auto q = p;
            store16(&q[6], value);
            store16(&q[10], 0);
            store16(&q[10], checksumFinish(checksumAdd(ByteSpan(q).first(20))));
            return q;
        };
        QVERIFY(!parseIpv4(setFragment(0x2000), &e)); // MF
        QCOMPARE(e, ParseError::Fragment);
        QVERIFY(!parseIpv4(setFragment(0x0010), &e)); // offset != 0
        QCOMPARE(e, ParseError::Fragment);
        QVERIFY(parseIpv4(setFragment(0x4000), &e)); // DF alone is fine
        auto corrupt = p;
        corrupt[15] ^= 1;
        QVERIFY(!parseIpv4(corrupt, &e));
        QCOMPARE(e, ParseError::BadChecksum);
        auto truncated = p;
        truncated.resize(27);
        QVERIFY(!parseIpv4(truncated, &e));
        QCOMPARE(e, ParseError::Truncated);
        auto v6 = p;
        v6[0] = 0x65;
        QVERIFY(!parseIpv4(v6, &e));
        auto shortHeader = p;
        shortHeader[0] = 0x44;
        QVERIFY(!parseIpv4(shortHeader, &e));
        QCOMPARE(e, ParseError::Malformed);
    }

    void ipv4OptionsAreSkipped()
    {
        std::vector<std::uint8_t> p(24 + 4, 0);
        p[0] = 0x46;
        store16(&p[2], 28);
        p[8] = 64;
        p[9] = IpProtoUdp;
        p[20] = 1; // NOP options
        p[21] = 1;
        p[22] = 1;
        p[23] = 0;
        p[24] = 0xaa;
        store16(&p[10], checksumFinish(checksumAdd(ByteSpan(p).first(24))));
        auto ip = parseIpv4(p);
        QVERIFY(ip);
        QCOMPARE(ip->header.size(), std::size_t {24});
        QCOMPARE(ip->payload.size(), std::size_t {4});
        QCOMPARE(ip->payload[0], std::uint8_t {0xaa});
    }

    void tcpOptionsParse()
    {
        std::vector<std::uint8_t> mss {1, 1, 2, 4, 0x05, 0xb4, 0, 0};
        QCOMPARE(parseTcpOptions(mss)->mss.value(), std::uint16_t {1460});
        // Unknown options are skipped by length (window scale, SACK permitted, timestamps).
        std::vector<std::uint8_t> mixed {3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 4, 0x02, 0x18};
        QCOMPARE(parseTcpOptions(mixed)->mss.value(), std::uint16_t {536});
        QVERIFY(!parseTcpOptions(std::vector<std::uint8_t> {2, 4, 5}));    // truncated
        QVERIFY(!parseTcpOptions(std::vector<std::uint8_t> {8, 0, 0, 0}));  // length 0 would loop
        QVERIFY(!parseTcpOptions(std::vector<std::uint8_t> {8, 1, 0, 0}));  // length 1 is invalid
        QVERIFY(!parseTcpOptions(std::vector<std::uint8_t> {2, 3, 5, 0}));  // MSS of the wrong length
        QVERIFY(!parseTcpOptions(std::vector<std::uint8_t> {1, 1, 1, 5}));  // kind without length
        QVERIFY(!parseTcpOptions(std::vector<std::uint8_t> {0, 9, 9, 9})->mss); // end of list
    }

    void tcpRoundTripAndChecksumRejection()
    {
        TcpSegment s;
        s.srcPort = 40000;
        s.dstPort = 7;
        s.seq = 0xfffffff0u;
        s.ack = 12345;
        s.flags = tcpflag::Syn | tcpflag::Ack;
        s.window = 5000;
        s.options.mss = 1400;
        std::vector<std::uint8_t> data {1, 2, 3};
        s.payload = data;
        std::vector<std::uint8_t> b(tcpHeaderSize(true) + 3);
        auto src = Ipv4Addr::of(10, 0, 0, 2), dst = Ipv4Addr::of(10, 0, 0, 1);
        writeTcp(b.data(), src, dst, s);
        auto p = parseTcp(b, src, dst);
        QVERIFY(p);
        QCOMPARE(p->seq, s.seq);
        QCOMPARE(p->ack, s.ack);
        QCOMPARE(p->flags, s.flags);
        QCOMPARE(p->window, s.window);
        QCOMPARE(p->options.mss.value(), std::uint16_t {1400});
        QCOMPARE(p->payload.size(), std::size_t {3});
        QCOMPARE(p->seqLength(), 4u);
        ParseError e = ParseError::None;
        auto bad = b;
        bad[25] ^= 0x40;
        QVERIFY(!parseTcp(bad, src, dst, &e));
        QCOMPARE(e, ParseError::BadChecksum);
        QVERIFY(!parseTcp(b, src, Ipv4Addr::of(10, 0, 0, 3), &e)); // pseudo header covers addresses
        auto offset = b;
        offset[12] = 0x40; // data offset 16 bytes < 20
        QVERIFY(!parseTcp(offset, src, dst, &e));
        QCOMPARE(e, ParseError::Malformed);
        offset[12] = 0xf0; // 60 bytes > segment
        QVERIFY(!parseTcp(offset, src, dst, &e));
    }

    void icmpRoundTrip()
    {
        std::vector<std::uint8_t> data {9, 8, 7};
        std::vector<std::uint8_t> b(IcmpHeaderSize + 3);
        writeIcmp(b.data(), IcmpEchoRequest, 0, 0x00010002, data);
        auto m = parseIcmp(b);
        QVERIFY(m);
        QCOMPARE(m->type, IcmpEchoRequest);
        QCOMPARE(m->rest, 0x00010002u);
        b[9] ^= 1;
        ParseError e = ParseError::None;
        QVERIFY(!parseIcmp(b, &e));
        QCOMPARE(e, ParseError::BadChecksum);
    }

    void dhcpRoundTripAndMalformedOptions()
    {
        DhcpMessage m;
        m.op = 2;
        m.xid = 0xdeadbeef;
        m.yiaddr = Ipv4Addr::of(10, 0, 2, 15);
        m.chaddr = MacAddr {{2, 0, 0, 0, 0, 9}};
        m.type = DhcpType::Offer;
        m.subnetMask = Ipv4Addr::of(255, 255, 255, 0);
        m.router = Ipv4Addr::of(10, 0, 2, 2);
        m.dns = Ipv4Addr::of(10, 0, 2, 3);
        m.serverId = Ipv4Addr::of(10, 0, 2, 2);
        m.leaseTime = 86400;
        auto bytes = encodeDhcp(m);
        auto p = parseDhcp(bytes);
        QVERIFY(p);
        QCOMPARE(p->xid, 0xdeadbeefu);
        QCOMPARE(p->type, DhcpType::Offer);
        QCOMPARE(p->yiaddr, Ipv4Addr::of(10, 0, 2, 15));
        QCOMPARE(p->router.value(), Ipv4Addr::of(10, 0, 2, 2));
        QCOMPARE(p->dns.value(), Ipv4Addr::of(10, 0, 2, 3));
        QCOMPARE(p->leaseTime.value(), 86400u);
        QVERIFY(p->chaddr == m.chaddr);
        auto cookie = bytes;
        cookie[236] = 0;
        QVERIFY(!parseDhcp(cookie));
        auto overrun = std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 240);
        overrun.push_back(51);
        overrun.push_back(200); // option longer than the packet
        overrun.push_back(1);
        ParseError e = ParseError::None;
        QVERIFY(!parseDhcp(overrun, &e));
        QCOMPARE(e, ParseError::Malformed);
        QVERIFY(!parseDhcp(ByteSpan(bytes).first(239), &e));
        QCOMPARE(e, ParseError::Truncated);
    }

    void byteRingWrapsAround()
    {
        ByteRing ring(10);
        std::vector<std::uint8_t> in {0, 1, 2, 3, 4, 5, 6, 7};
        QCOMPARE(ring.write(in), std::size_t {8});
        ring.consume(6);
        QCOMPARE(ring.write(in), std::size_t {8}); // wraps: 2 at the end, 6 at the start
        QCOMPARE(ring.write(in), std::size_t {0}); // full
        QCOMPARE(ring.size(), std::size_t {10});
        std::vector<std::uint8_t> out(10);
        QCOMPARE(ring.peek(3, std::span(out).first(5)), std::size_t {5});
        QCOMPARE(std::vector<std::uint8_t>(out.begin(), out.begin() + 5), (std::vector<std::uint8_t> {1, 2, 3, 4, 5}));
        QCOMPARE(ring.read(out), std::size_t {10});
        QCOMPARE(out, (std::vector<std::uint8_t> {6, 7, 0, 1, 2, 3, 4, 5, 6, 7}));
        QVERIFY(ring.empty());
        QCOMPARE(ring.peek(0, out), std::size_t {0});
    }

    void addressFormatting()
    {
        char text[16];
        QCOMPARE(Ipv4Addr::of(10, 0, 2, 15).format(text), std::size_t {9});
        QCOMPARE(QByteArray(text), QByteArray("10.0.2.15"));
        Ipv4Addr::of(255, 255, 255, 255).format(text);
        QCOMPARE(QByteArray(text), QByteArray("255.255.255.255"));
        QVERIFY(seqLt(0xfffffff0u, 5u));
        QVERIFY(seqGt(5u, 0xfffffff0u));
    }
};

QTEST_GUILESS_MAIN(TestNetPacket)
#include "test_packet.moc"
