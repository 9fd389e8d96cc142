// IPv4, ICMP and UDP through the whole stack: echo replies, port unreachable, UDP delivery
// and sending, and the drops (checksum, fragments, TTL, other hosts).
#include "nettestutil.h"

#include <QtTest>

using namespace hive::net;
using namespace hive::net::test;

namespace {

struct Icmp {
    Ipv4Addr dst;
    std::uint8_t type, code;
    std::uint32_t rest;
    std::vector<std::uint8_t> payload;
};

std::vector<Icmp> icmpOut(const Captured& c)
{
    std::vector<Icmp> out;
    for (const auto& f : c.frames) {
        auto eth = parseEthernet(f);
        if (!eth || eth->type != EtherTypeIpv4)
            continue;
        auto ip = parseIpv4(eth->payload);
        if (!ip || ip->protocol != IpProtoIcmp)
            continue;
        auto m = parseIcmp(ip->payload);
        if (m)
            out.push_back({ip->dst, m->type, m->code, m->rest, {m->payload.begin(), m->payload.end()}});
    }
    return out;
}

struct Fixture {
    Fixture() : stack(stackConfig())
    {
        stack.configureStatic(subnet(StackIp), 0);
        stack.input(arpFrame(ArpRequest, PeerMac, PeerIp, MacAddr {}, StackIp, MacAddr::broadcast()), 0);
        drain(stack);
    }
    Stack stack;
};

std::vector<std::uint8_t> echoRequest(std::vector<std::uint8_t> data)
{
    std::vector<std::uint8_t> b(IcmpHeaderSize + data.size());
    writeIcmp(b.data(), IcmpEchoRequest, 0, 0x12340001, data);
    return b;
}

} // namespace

class TestNetIp : public QObject {
    Q_OBJECT
private slots:
    void answersEchoRequest()
    {
        Fixture f;
        f.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoIcmp, echoRequest({'p', 'i', 'n', 'g'})), 0);
        auto out = icmpOut(drain(f.stack));
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(out[0].type, IcmpEchoReply);
        QCOMPARE(out[0].dst, PeerIp);
        QCOMPARE(out[0].rest, 0x12340001u);
        QCOMPARE(out[0].payload, (std::vector<std::uint8_t> {'p', 'i', 'n', 'g'}));
    }

    void ignoresBroadcastEchoAndBadChecksum()
    {
        Fixture f;
        f.stack.input(ipv4Frame(PeerMac, MacAddr::broadcast(), PeerIp, Ipv4Addr::of(10, 0, 0, 255), IpProtoIcmp,
                                echoRequest({1})), 0);
        auto bad = echoRequest({1, 2});
        bad[8] ^= 0xff;
        f.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoIcmp, bad), 0);
        QCOMPARE(icmpOut(drain(f.stack)).size(), std::size_t {0});
        QCOMPARE(f.stack.stats().badChecksum, std::uint64_t {1});
    }

    void pingBetweenTwoStacksGetsReplies()
    {
        Stack a(stackConfig(StackMac, 1)), b(stackConfig(PeerMac, 2));
        a.configureStatic(subnet(StackIp), 0);
        b.configureStatic(subnet(PeerIp), 0);
        a.ping(PeerIp, 1, 1, std::vector<std::uint8_t> {7});
        for (int round = 0; round < 4; ++round) {
            for (auto& fr : drain(a).frames)
                b.input(fr, 0);
            for (auto& fr : drain(b).frames)
                a.input(fr, 0);
        }
        QCOMPARE(a.stats().echoReplies, std::uint64_t {1});
    }

    void udpToClosedPortIsPortUnreachable()
    {
        Fixture f;
        auto udp = udpBytes(PeerIp, StackIp, 4000, 9999, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        auto frame = ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoUdp, udp);
        f.stack.input(frame, 0);
        auto out = icmpOut(drain(f.stack));
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(out[0].type, IcmpDestUnreachable);
        QCOMPARE(out[0].code, IcmpPortUnreachable);
        // The quote is the original IP header plus the first 8 bytes of its payload.
        QCOMPARE(out[0].payload.size(), std::size_t {28});
        QVERIFY(std::equal(out[0].payload.begin(), out[0].payload.end(), frame.begin() + EthernetHeaderSize));
        // Broadcasts to closed ports get no answer.
        auto bcast = udpBytes(PeerIp, Ipv4Addr::broadcast(), 4000, 9999, {1});
        f.stack.input(ipv4Frame(PeerMac, MacAddr::broadcast(), PeerIp, Ipv4Addr::broadcast(), IpProtoUdp, bcast), 0);
        QCOMPARE(icmpOut(drain(f.stack)).size(), std::size_t {0});
    }

    void udpBindReceiveAndSend()
    {
        Fixture f;
        auto sock = f.stack.udpBind(5353);
        QVERIFY(sock.ok());
        QVERIFY(!f.stack.udpBind(5353).ok());
        f.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoUdp, udpBytes(PeerIp, StackIp, 4000, 5353, {'q'})), 0);
        auto e = f.stack.nextEvent();
        while (e && e->kind == EventKind::AddressAcquired)
            e = f.stack.nextEvent();
        QVERIFY(e);
        QCOMPARE(e->kind, EventKind::UdpReadable);
        QCOMPARE(e->socket, *sock);
        auto d = f.stack.udpReceive(*sock);
        QVERIFY(d);
        QCOMPARE(d->src, PeerIp);
        QCOMPARE(d->srcPort, std::uint16_t {4000});
        QCOMPARE(d->data, (std::vector<std::uint8_t> {'q'}));
        QVERIFY(!f.stack.udpReceive(*sock));

        QVERIFY(f.stack.udpSend(*sock, PeerIp, 4000, std::vector<std::uint8_t> {'r'}).ok());
        auto c = drain(f.stack);
        QCOMPARE(c.frames.size(), std::size_t {1});
        auto ip = parseIpv4(parseEthernet(c.frames[0])->payload);
        QVERIFY(ip);
        QCOMPARE(ip->ttl, std::uint8_t {64});
        auto u = parseUdp(ip->payload, ip->src, ip->dst);
        QVERIFY(u); // checksum verified by the parser
        QCOMPARE(u->dstPort, std::uint16_t {4000});
        QCOMPARE(u->srcPort, std::uint16_t {5353});
        QVERIFY(!f.stack.udpSend(*sock, PeerIp, 4000, std::vector<std::uint8_t>(1473)).ok()); // no fragmentation
    }

    void dropsCorruptFragmentedExpiredAndForeignPackets()
    {
        Fixture f;
        auto sock = f.stack.udpBind(5353);
        auto good = udpBytes(PeerIp, StackIp, 4000, 5353, {'x'});
        auto badSum = good;
        badSum[8] ^= 1;
        f.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoUdp, badSum), 0);
        f.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoUdp, good, 0), 0); // TTL 0
        f.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, Ipv4Addr::of(10, 0, 0, 3), IpProtoUdp, good), 0);
        MacAddr other {{2, 0, 0, 0, 0, 0x33}};
        f.stack.input(ipv4Frame(PeerMac, other, PeerIp, StackIp, IpProtoUdp, good), 0);
        auto frag = ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoUdp, good);
        store16(&frag[EthernetHeaderSize + 6], 0x2000);
        store16(&frag[EthernetHeaderSize + 10], 0);
        store16(&frag[EthernetHeaderSize + 10], checksumFinish(checksumAdd(ByteSpan(frag).subspan(EthernetHeaderSize, 20))));
        f.stack.input(frag, 0);
        auto ipBad = ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoUdp, good);
        ipBad[EthernetHeaderSize + 12] ^= 0x10; // source address bit: header checksum fails
        f.stack.input(ipBad, 0);
        QVERIFY(!f.stack.udpReceive(*sock));
        QCOMPARE(f.stack.stats().badChecksum, std::uint64_t {2});
        QCOMPARE(f.stack.stats().fragments, std::uint64_t {1});
        QCOMPARE(f.stack.stats().malformed, std::uint64_t {1});
        QCOMPARE(f.stack.stats().notForUs, std::uint64_t {2});
        QCOMPARE(drain(f.stack).frames.size(), std::size_t {0});
        f.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoUdp, good), 0);
        QVERIFY(f.stack.udpReceive(*sock));
    }
};

QTEST_GUILESS_MAIN(TestNetIp)
#include "test_ip.moc"
