// ARP: replies to requests for our address, the RFC 826 merge rule (incl. gratuitous ARP),
// entry lifetime, bounded resolution retries and the bounded pending queue.
#include "nettestutil.h"

#include <QtTest>

using namespace hive::net;
using namespace hive::net::test;

namespace {

std::vector<ArpPacket> arpOut(const Captured& c)
{
    std::vector<ArpPacket> out;
    for (const auto& f : c.frames) {
        auto eth = parseEthernet(f);
        if (eth && eth->type == EtherTypeArp)
            if (auto a = parseArp(eth->payload))
                out.push_back(*a);
    }
    return out;
}

} // namespace

class TestNetArp : public QObject {
    Q_OBJECT
private slots:
    void repliesToRequestForOurAddress()
    {
        Stack stack(stackConfig());
        stack.configureStatic(subnet(StackIp), 0);
        auto announce = arpOut(drain(stack));
        QCOMPARE(announce.size(), std::size_t {1}); // gratuitous announcement
        QCOMPARE(announce[0].senderIp, StackIp);
        QCOMPARE(announce[0].targetIp, StackIp);

        stack.input(arpFrame(ArpRequest, PeerMac, PeerIp, MacAddr {}, StackIp, MacAddr::broadcast()), 0);
        auto c = drain(stack);
        auto replies = arpOut(c);
        QCOMPARE(replies.size(), std::size_t {1});
        QCOMPARE(replies[0].operation, ArpReply);
        QVERIFY(replies[0].senderMac == StackMac);
        QCOMPARE(replies[0].senderIp, StackIp);
        QVERIFY(replies[0].targetMac == PeerMac);
        QCOMPARE(replies[0].targetIp, PeerIp);
        QVERIFY(parseEthernet(c.frames[0])->dst == PeerMac);
        // The requester is now cached.
        QVERIFY(stack.arp().lookup(PeerIp, 1).has_value());
    }

    void ignoresRequestsForOtherAddresses()
    {
        Stack stack(stackConfig());
        stack.configureStatic(subnet(StackIp), 0);
        drain(stack);
        stack.input(arpFrame(ArpRequest, PeerMac, PeerIp, MacAddr {}, Ipv4Addr::of(10, 0, 0, 9), MacAddr::broadcast()), 0);
        QCOMPARE(drain(stack).frames.size(), std::size_t {0});
        QVERIFY(!stack.arp().contains(PeerIp)); // merge only creates entries when we are the target
    }

    void resolvesQueuesAndFlushesOnReply()
    {
        Stack stack(stackConfig());
        stack.configureStatic(subnet(StackIp), 0);
        drain(stack);
        auto udp = stack.udpBind(5000);
        QVERIFY(udp.ok());
        std::vector<std::uint8_t> payload {1, 2, 3};
        for (int i = 0; i < 3; ++i)
            QVERIFY(stack.udpSend(*udp, PeerIp, 6000, payload).ok());
        auto requests = arpOut(drain(stack));
        QCOMPARE(requests.size(), std::size_t {1}); // one request for three queued datagrams
        QCOMPARE(requests[0].operation, ArpRequest);
        QCOMPARE(requests[0].targetIp, PeerIp);

        stack.input(arpFrame(ArpReply, PeerMac, PeerIp, StackMac, StackIp, StackMac), 10 * Millisecond);
        auto c = drain(stack);
        QCOMPARE(c.frames.size(), std::size_t {3});
        for (const auto& f : c.frames) {
            auto eth = parseEthernet(f);
            QVERIFY(eth->dst == PeerMac);
            QCOMPARE(eth->type, EtherTypeIpv4);
        }
    }

    void offSubnetTrafficGoesToTheGateway()
    {
        Stack stack(stackConfig());
        stack.configureStatic(subnet(StackIp), 0);
        drain(stack);
        auto udp = stack.udpBind(5000);
        QVERIFY(stack.udpSend(*udp, Ipv4Addr::of(8, 8, 8, 8), 53, std::vector<std::uint8_t> {1}).ok());
        auto requests = arpOut(drain(stack));
        QCOMPARE(requests.size(), std::size_t {1});
        QCOMPARE(requests[0].targetIp, Ipv4Addr::of(10, 0, 0, 254));
    }

    void retriesThenDropsPendingFrames()
    {
        Stack stack(stackConfig());
        stack.configureStatic(subnet(StackIp), 0);
        drain(stack);
        auto udp = stack.udpBind(5000);
        QVERIFY(stack.udpSend(*udp, PeerIp, 6000, std::vector<std::uint8_t> {1}).ok());
        QCOMPARE(arpOut(drain(stack)).size(), std::size_t {1});
        Nanos t = 0;
        int requests = 1;
        for (int i = 0; i < 10; ++i) {
            t = stack.nextDeadline();
            QVERIFY(t != Never);
            stack.poll(t);
            requests += static_cast<int>(arpOut(drain(stack)).size());
            if (!stack.arp().contains(PeerIp))
                break;
        }
        QCOMPARE(requests, 3); // ArpConfig::maxRequests
        QCOMPARE(t, 3 * Second); // one per retryInterval
        QCOMPARE(stack.stats().arpUnresolved, std::uint64_t {1});
    }

    void pendingQueueIsBounded()
    {
        ArpConfig config;
        config.maxPendingPerEntry = 2;
        ArpCache cache(config);
        QCOMPARE(cache.enqueue(PeerIp, {1}, 0), ArpCache::Queued::SendRequest);
        QCOMPARE(cache.enqueue(PeerIp, {2}, 0), ArpCache::Queued::Waiting);
        QCOMPARE(cache.enqueue(PeerIp, {3}, 0), ArpCache::Queued::Dropped);
        auto released = cache.update(PeerIp, PeerMac, false, 0);
        QCOMPARE(released.size(), std::size_t {2});
        QCOMPARE(released[0][0], std::uint8_t {1});
    }

    void entriesExpire()
    {
        ArpConfig config;
        config.entryLifetime = 5 * Second;
        ArpCache cache(config);
        cache.update(PeerIp, PeerMac, true, 0);
        QVERIFY(cache.lookup(PeerIp, 4 * Second));
        QVERIFY(!cache.lookup(PeerIp, 5 * Second));
        std::vector<Ipv4Addr> resend;
        cache.poll(5 * Second, resend);
        QVERIFY(!cache.contains(PeerIp));
        QVERIFY(resend.empty());
    }

    void cacheSizeIsBounded()
    {
        ArpConfig config;
        config.maxEntries = 4;
        ArpCache cache(config);
        for (std::uint8_t i = 1; i <= 10; ++i)
            cache.update(Ipv4Addr::of(10, 0, 1, i), PeerMac, true, Nanos {i} * Second);
        QCOMPARE(cache.size(), std::size_t {4});
        QVERIFY(cache.contains(Ipv4Addr::of(10, 0, 1, 10)));
        QVERIFY(!cache.contains(Ipv4Addr::of(10, 0, 1, 1))); // oldest evicted
    }

    void gratuitousArpUpdatesExistingEntryOnly()
    {
        Stack stack(stackConfig());
        stack.configureStatic(subnet(StackIp), 0);
        stack.input(arpFrame(ArpRequest, PeerMac, PeerIp, MacAddr {}, StackIp, MacAddr::broadcast()), 0);
        drain(stack);
        MacAddr moved {{0x02, 0, 0, 0, 0, 0x22}};
        // The peer moved to a new MAC and announces it (sender == target IP).
        stack.input(arpFrame(ArpRequest, moved, PeerIp, MacAddr {}, PeerIp, MacAddr::broadcast()), Second);
        QCOMPARE(drain(stack).frames.size(), std::size_t {0}); // no reply to an announcement
        QVERIFY(*stack.arp().lookup(PeerIp, Second) == moved);
        // A stranger's announcement does not create an entry.
        Ipv4Addr stranger = Ipv4Addr::of(10, 0, 0, 77);
        stack.input(arpFrame(ArpRequest, moved, stranger, MacAddr {}, stranger, MacAddr::broadcast()), Second);
        QVERIFY(!stack.arp().contains(stranger));
        // Someone claiming our own address is never cached.
        stack.input(arpFrame(ArpReply, moved, StackIp, MacAddr {}, StackIp, MacAddr::broadcast()), Second);
        QVERIFY(!stack.arp().contains(StackIp));
    }
};

QTEST_GUILESS_MAIN(TestNetArp)
#include "test_arp.moc"
