// DHCP client against a scripted server: DISCOVER/OFFER/REQUEST/ACK, options applied,
// renewal at T1 (unicast), rebinding at T2 (broadcast), expiry, NAK, retransmission and
// the static alternative.
#include "nettestutil.h"

#include <QtTest>

using namespace hive::net;
using namespace hive::net::test;

namespace {

const MacAddr ServerMac {{0x52, 0x55, 0x0a, 0, 2, 2}};
const Ipv4Addr ServerIp = Ipv4Addr::of(10, 0, 2, 2);
const Ipv4Addr Offered = Ipv4Addr::of(10, 0, 2, 15);

struct Sent {
    MacAddr ethDst;
    Ipv4Addr src, dst;
    DhcpMessage message;
};

std::vector<Sent> dhcpOut(const Captured& c)
{
    std::vector<Sent> out;
    for (const auto& f : c.frames) {
        auto eth = parseEthernet(f);
        if (!eth || eth->type != EtherTypeIpv4)
            continue;
        auto ip = parseIpv4(eth->payload);
        if (!ip || ip->protocol != IpProtoUdp)
            continue;
        auto udp = parseUdp(ip->payload, ip->src, ip->dst);
        if (!udp || udp->srcPort != DhcpClientPort || udp->dstPort != DhcpServerPort)
            continue;
        if (auto m = parseDhcp(udp->payload))
            out.push_back({eth->dst, ip->src, ip->dst, *m});
    }
    return out;
}

std::vector<std::uint8_t> serverReply(DhcpType type, std::uint32_t xid, std::uint32_t lease = 100)
{
    DhcpMessage m;
    m.op = 2;
    m.xid = xid;
    m.yiaddr = type == DhcpType::Nak ? Ipv4Addr::any() : Offered;
    m.chaddr = StackMac;
    m.type = type;
    m.serverId = ServerIp;
    if (type != DhcpType::Nak) {
        m.subnetMask = Ipv4Addr::of(255, 255, 255, 0);
        m.router = ServerIp;
        m.dns = Ipv4Addr::of(10, 0, 2, 3);
        m.leaseTime = lease;
    }
    auto payload = encodeDhcp(m);
    auto udp = udpBytes(ServerIp, Ipv4Addr::broadcast(), DhcpServerPort, DhcpClientPort, payload);
    return ipv4Frame(ServerMac, MacAddr::broadcast(), ServerIp, Ipv4Addr::broadcast(), IpProtoUdp, udp);
}

bool hasEvent(Stack& s, EventKind kind)
{
    bool found = false;
    while (auto e = s.nextEvent())
        found = found || e->kind == kind;
    return found;
}

// Runs DISCOVER -> OFFER -> REQUEST -> ACK at time `now` and returns the xid.
std::uint32_t acquire(Stack& stack, Nanos now)
{
    stack.startDhcp(now);
    auto discover = dhcpOut(drain(stack));
    if (discover.size() != 1)
        return 0;
    std::uint32_t xid = discover[0].message.xid;
    stack.input(serverReply(DhcpType::Offer, xid), now);
    drain(stack);
    stack.input(serverReply(DhcpType::Ack, xid), now);
    drain(stack);
    return xid;
}

} // namespace

class TestNetDhcp : public QObject {
    Q_OBJECT
private slots:
    void fullExchangeConfiguresTheInterface()
    {
        Stack stack(stackConfig());
        stack.startDhcp(0);
        auto discover = dhcpOut(drain(stack));
        QCOMPARE(discover.size(), std::size_t {1});
        QCOMPARE(discover[0].message.type, DhcpType::Discover);
        QVERIFY(discover[0].ethDst.isBroadcast());
        QCOMPARE(discover[0].src, Ipv4Addr::any());
        QCOMPARE(discover[0].dst, Ipv4Addr::broadcast());
        QVERIFY(discover[0].message.chaddr == StackMac);
        std::uint32_t xid = discover[0].message.xid;

        // A reply for someone else's transaction is ignored.
        stack.input(serverReply(DhcpType::Offer, xid + 1), Millisecond);
        QCOMPARE(dhcpOut(drain(stack)).size(), std::size_t {0});

        stack.input(serverReply(DhcpType::Offer, xid), Millisecond);
        auto request = dhcpOut(drain(stack));
        QCOMPARE(request.size(), std::size_t {1});
        QCOMPARE(request[0].message.type, DhcpType::Request);
        QCOMPARE(request[0].message.xid, xid);
        QCOMPARE(request[0].message.requestedIp.value(), Offered);
        QCOMPARE(request[0].message.serverId.value(), ServerIp);
        QVERIFY(request[0].ethDst.isBroadcast());
        QVERIFY(!stack.address());

        stack.input(serverReply(DhcpType::Ack, xid), 2 * Millisecond);
        auto config = stack.address();
        QVERIFY(config);
        QCOMPARE(config->address, Offered);
        QCOMPARE(config->netmask, Ipv4Addr::of(255, 255, 255, 0));
        QCOMPARE(config->gateway, ServerIp);
        QCOMPARE(config->dns, Ipv4Addr::of(10, 0, 2, 3));
        QCOMPARE(stack.dhcp().state(), DhcpClient::State::Bound);
        QVERIFY(hasEvent(stack, EventKind::AddressAcquired));
    }

    void renewsAtT1RebindsAtT2AndLosesAtExpiry()
    {
        Stack stack(stackConfig());
        QVERIFY(acquire(stack, 0) != 0);
        hasEvent(stack, EventKind::AddressAcquired);
        // Lease 100 s: T1 = 50 s, T2 = 87.5 s.
        QCOMPARE(stack.nextDeadline() <= 50 * Second, true);
        stack.poll(50 * Second);
        auto c = drain(stack);
        // The unicast REQUEST waits for the server's MAC: an ARP request goes out first.
        QVERIFY(dhcpOut(c).empty());
        QCOMPARE(stack.dhcp().state(), DhcpClient::State::Renewing);
        stack.input(arpFrame(ArpReply, ServerMac, ServerIp, StackMac, Offered, StackMac), 50 * Second);
        auto renew = dhcpOut(drain(stack));
        QCOMPARE(renew.size(), std::size_t {1});
        QCOMPARE(renew[0].message.type, DhcpType::Request);
        QCOMPARE(renew[0].dst, ServerIp);
        QVERIFY(renew[0].ethDst == ServerMac);
        QCOMPARE(renew[0].src, Offered);
        QCOMPARE(renew[0].message.ciaddr, Offered);
        QVERIFY(!renew[0].message.requestedIp);
        stack.input(serverReply(DhcpType::Ack, renew[0].message.xid), 51 * Second);
        QCOMPARE(stack.dhcp().state(), DhcpClient::State::Bound);
        QVERIFY(!hasEvent(stack, EventKind::AddressAcquired)); // same address: no new event

        // Renewed at 51 s: T1 = 101 s, T2 = 138.5 s, expiry 151 s. The server goes silent.
        Nanos t = 51 * Second;
        bool sawRebind = false;
        for (int i = 0; i < 20 && stack.address(); ++i) {
            t = stack.nextDeadline();
            stack.poll(t);
            for (const auto& s : dhcpOut(drain(stack)))
                if (s.dst == Ipv4Addr::broadcast() && s.message.type == DhcpType::Request) {
                    QVERIFY(t >= 138 * Second);
                    QCOMPARE(stack.dhcp().state(), DhcpClient::State::Rebinding);
                    sawRebind = true;
                }
        }
        QVERIFY(sawRebind);
        QVERIFY(!stack.address());
        QCOMPARE(t, 151 * Second);
        QVERIFY(hasEvent(stack, EventKind::AddressLost));
        QCOMPARE(stack.dhcp().state(), DhcpClient::State::Selecting);
    }

    void nakRestartsDiscovery()
    {
        Stack stack(stackConfig());
        stack.startDhcp(0);
        auto xid = dhcpOut(drain(stack))[0].message.xid;
        stack.input(serverReply(DhcpType::Offer, xid), 0);
        drain(stack);
        stack.input(serverReply(DhcpType::Nak, xid), 0);
        auto out = dhcpOut(drain(stack));
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(out[0].message.type, DhcpType::Discover);
        QVERIFY(!stack.address());
    }

    void retransmitsDiscoverWithBackoff()
    {
        Stack stack(stackConfig());
        stack.startDhcp(0);
        drain(stack);
        std::vector<Nanos> times;
        Nanos t = 0;
        for (int i = 0; i < 4; ++i) {
            t = stack.nextDeadline();
            stack.poll(t);
            if (dhcpOut(drain(stack)).size() == 1)
                times.push_back(t);
        }
        QCOMPARE(times.size(), std::size_t {4});
        // 2, 4, 8, 16 s (each +/- 1 s of jitter) after the previous attempt.
        Nanos previous = 0;
        Nanos expected = 2 * Second;
        for (Nanos at : times) {
            Nanos gap = at - previous;
            QVERIFY2(gap + Second >= expected && gap <= expected + Second, "retransmission outside backoff window");
            previous = at;
            expected *= 2;
        }
    }

    void staticConfigurationNeedsNoDhcp()
    {
        Stack stack(stackConfig());
        stack.configureStatic(subnet(StackIp), 0);
        QCOMPARE(stack.address()->address, StackIp);
        QVERIFY(dhcpOut(drain(stack)).empty());
        QCOMPARE(stack.nextDeadline(), Never);
        QVERIFY(hasEvent(stack, EventKind::AddressAcquired));
        // DHCP traffic is ignored when configured statically.
        stack.input(serverReply(DhcpType::Ack, 1), 0);
        QCOMPARE(stack.address()->address, StackIp);
    }
};

QTEST_GUILESS_MAIN(TestNetDhcp)
#include "test_dhcp.moc"
