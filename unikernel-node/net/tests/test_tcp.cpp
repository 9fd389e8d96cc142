// TCP, segment in -> segment out against a scripted peer: handshakes and MSS, data, the
// close sequences and TIME-WAIT, RST handling and RFC 5961 challenge ACKs, RTO values and
// back-off, fast retransmit, zero-window probes, reassembly, keep-alive, backlog, ISNs.
#include "nettestutil.h"
#include "net/stacknet.h"

#include <QtTest>

using namespace hive::net;
using namespace hive::net::test;

namespace {

constexpr std::uint16_t PeerPort = 40000;
constexpr std::uint16_t Port = 7;
constexpr std::uint8_t A = tcpflag::Ack;

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t seed = 0)
{
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed + i * 7);
    return v;
}

struct Established {
    SocketId id = 0;
    std::uint32_t iss = 0;     // the stack's ISN
    std::uint32_t peerNxt = 0; // next sequence number the peer sends
    std::uint32_t ourNxt = 0;  // next sequence number the stack sends
};

// Passive open on Port from PeerPort: SYN (peer ISN 1000) -> SYN,ACK -> ACK, then accept().
Established openPassive(TcpHarness& h, std::uint16_t peerMss = 1000, std::uint16_t finalWindow = 65535,
                        std::uint16_t peerPort = PeerPort)
{
    Established e;
    auto listener = h.stack.listen(Port);
    if (!listener.ok())
        listener = h.stack.listen(Port + 1000); // reuse by a second call: never happens in these tests
    h.send(peerPort, Port, 1000, 0, tcpflag::Syn, {}, 65535, peerMss);
    auto synAck = h.out();
    if (synAck.size() != 1)
        return e;
    e.iss = synAck[0].seq;
    h.send(peerPort, Port, 1001, e.iss + 1, A, {}, finalWindow);
    h.out();
    e.id = h.stack.accept(*listener).value_or(0);
    e.peerNxt = 1001;
    e.ourNxt = e.iss + 1;
    return e;
}

} // namespace

class TestNetTcp : public QObject {
    Q_OBJECT
private slots:
    void passiveHandshakeNegotiatesMss()
    {
        TcpHarness h;
        auto listener = h.stack.listen(Port);
        QVERIFY(listener.ok());
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn, {}, 65535, 1000);
        auto out = h.out();
        QCOMPARE(out.size(), std::size_t {1});
        QVERIFY(out[0].is(tcpflag::Syn | tcpflag::Ack));
        QCOMPARE(out[0].ack, 1001u);
        QCOMPARE(out[0].mss.value(), std::uint16_t {1460}); // we advertise MTU - 40
        QCOMPARE(out[0].window, std::uint16_t {65535});
        QVERIFY(!h.stack.accept(*listener)); // not before the handshake completes
        h.send(PeerPort, Port, 1001, out[0].seq + 1, A);
        QVERIFY(h.out().empty());
        auto e = h.stack.nextEvent();
        while (e && e->kind != EventKind::Acceptable)
            e = h.stack.nextEvent();
        QVERIFY(e);
        auto id = h.stack.accept(*listener);
        QVERIFY(id);
        QCOMPARE(*h.stack.state(*id), TcpState::Established);
        QCOMPARE(h.stack.connection(*id)->sendMss(), std::uint16_t {1000}); // honour the peer's MSS

        // Without an MSS option the peer gets the RFC 9293 default of 536.
        h.send(PeerPort + 1, Port, 5000, 0, tcpflag::Syn);
        auto synAck = h.out();
        h.send(PeerPort + 1, Port, 5001, synAck[0].seq + 1, A);
        auto second = h.stack.accept(*listener);
        QVERIFY(second);
        QCOMPARE(h.stack.connection(*second)->sendMss(), std::uint16_t {536});
        // A larger peer MSS is capped at ours.
        h.send(PeerPort + 2, Port, 9000, 0, tcpflag::Syn, {}, 65535, 9000);
        synAck = h.out();
        h.send(PeerPort + 2, Port, 9001, synAck[0].seq + 1, A);
        QCOMPARE(h.stack.connection(*h.stack.accept(*listener))->sendMss(), std::uint16_t {1460});
    }

    void activeHandshake()
    {
        TcpHarness h;
        auto id = h.stack.connect(PeerIp, 80);
        QVERIFY(id.ok());
        auto syn = h.out();
        QCOMPARE(syn.size(), std::size_t {1});
        QVERIFY(syn[0].is(tcpflag::Syn));
        QCOMPARE(syn[0].mss.value(), std::uint16_t {1460});
        QCOMPARE(syn[0].dstPort, std::uint16_t {80});
        QVERIFY(syn[0].srcPort >= 49152);
        QCOMPARE(*h.stack.state(*id), TcpState::SynSent);
        // An ACK for something we never sent is answered with a RST.
        h.send(80, syn[0].srcPort, 7000, syn[0].seq + 5, A);
        auto rst = h.out();
        QCOMPARE(rst.size(), std::size_t {1});
        QVERIFY(rst[0].is(tcpflag::Rst));
        QCOMPARE(rst[0].seq, syn[0].seq + 5);
        h.send(80, syn[0].srcPort, 7000, syn[0].seq + 1, tcpflag::Syn | A, {}, 30000, 1200);
        auto ack = h.out();
        QCOMPARE(ack.size(), std::size_t {1});
        QVERIFY(ack[0].is(A));
        QCOMPARE(ack[0].ack, 7001u);
        QCOMPARE(ack[0].seq, syn[0].seq + 1);
        QCOMPARE(*h.stack.state(*id), TcpState::Established);
        QCOMPARE(h.stack.connection(*id)->sendMss(), std::uint16_t {1200});
        QCOMPARE(h.stack.connection(*id)->sendWindow(), 30000u);
        bool connected = false;
        while (auto e = h.stack.nextEvent())
            connected = connected || (e->kind == EventKind::Connected && e->socket == *id);
        QVERIFY(connected);
    }

    void simultaneousOpen()
    {
        TcpHarness h;
        auto id = h.stack.connect(PeerIp, 80);
        auto syn = h.out()[0];
        // The peer opened towards us at the same moment: its bare SYN crosses ours.
        h.send(80, syn.srcPort, 7000, 0, tcpflag::Syn, {}, 65535, 1000);
        auto synAck = h.out();
        QCOMPARE(synAck.size(), std::size_t {1});
        QVERIFY(synAck[0].is(tcpflag::Syn | A));
        QCOMPARE(synAck[0].seq, syn.seq);
        QCOMPARE(synAck[0].ack, 7001u);
        QCOMPARE(*h.stack.state(*id), TcpState::SynReceived);
        // The peer's SYN,ACK for our SYN completes the open.
        h.send(80, syn.srcPort, 7000, syn.seq + 1, tcpflag::Syn | A, {}, 65535, 1000);
        h.send(80, syn.srcPort, 7001, syn.seq + 1, A);
        QCOMPARE(*h.stack.state(*id), TcpState::Established);
        QVERIFY(h.stack.write(*id, bytes(10)).ok());
        auto data = h.out();
        QCOMPARE(data.back().seq, syn.seq + 1);
        QCOMPARE(data.back().data.size(), std::size_t {10});
    }

    void connectRefusedByReset()
    {
        TcpHarness h;
        auto id = h.stack.connect(PeerIp, 81);
        auto syn = h.out()[0];
        h.send(81, syn.srcPort, 0, syn.seq + 1, tcpflag::Rst | A);
        QCOMPARE(*h.stack.state(*id), TcpState::Closed);
        std::vector<std::uint8_t> buf(10);
        auto r = h.stack.read(*id, buf);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code(), hive::ErrorCode::Unavailable);
    }

    void dataIsAcknowledgedAndSegmentedByMss()
    {
        TcpHarness h;
        auto c = openPassive(h);
        QVERIFY(c.id != 0);
        auto data = bytes(100);
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, A | tcpflag::Psh, data);
        auto ack = h.out();
        QCOMPARE(ack.size(), std::size_t {1});
        QCOMPARE(ack[0].ack, c.peerNxt + 100);
        QCOMPARE(ack[0].window, std::uint16_t {65535 - 100});
        std::vector<std::uint8_t> buf(200);
        auto n = h.stack.read(c.id, buf);
        QCOMPARE(n.value(), std::size_t {100});
        QVERIFY(std::equal(data.begin(), data.end(), buf.begin()));
        QCOMPARE(h.stack.read(c.id, buf).value(), std::size_t {0});

        auto big = bytes(2500, 3);
        QCOMPARE(h.stack.write(c.id, big).value(), std::size_t {2500});
        auto segs = h.out();
        QCOMPARE(segs.size(), std::size_t {3});
        QCOMPARE(segs[0].data.size(), std::size_t {1000});
        QCOMPARE(segs[1].data.size(), std::size_t {1000});
        QCOMPARE(segs[2].data.size(), std::size_t {500});
        QCOMPARE(segs[0].seq, c.ourNxt);
        QCOMPARE(segs[2].seq, c.ourNxt + 2000);
        QVERIFY(segs[2].has(tcpflag::Psh));
        QVERIFY(!segs[0].has(tcpflag::Psh));
        std::vector<std::uint8_t> joined;
        for (auto& s : segs)
            joined.insert(joined.end(), s.data.begin(), s.data.end());
        QCOMPARE(joined, big);
        QCOMPARE(h.stack.connection(c.id)->unacknowledged(), std::size_t {2500});
        h.send(PeerPort, Port, c.peerNxt + 100, c.ourNxt + 2500, A);
        QCOMPARE(h.stack.connection(c.id)->unacknowledged(), std::size_t {0});
        QCOMPARE(h.stack.connection(c.id)->nextDeadline(), Never); // RTO stopped when all is acked
    }

    void activeCloseThroughTimeWait()
    {
        TcpConfig config;
        config.timeWait = 2 * Second;
        TcpHarness h(config);
        auto c = openPassive(h);
        h.stack.close(c.id);
        auto fin = h.out();
        QCOMPARE(fin.size(), std::size_t {1});
        QVERIFY(fin[0].is(tcpflag::Fin | A));
        QCOMPARE(fin[0].seq, c.ourNxt);
        QCOMPARE(h.stack.connection(c.id)->state(), TcpState::FinWait1);
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 1, A);
        QCOMPARE(h.stack.connection(c.id)->state(), TcpState::FinWait2);
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 1, tcpflag::Fin | A);
        auto ack = h.out();
        QCOMPARE(ack.size(), std::size_t {1});
        QCOMPARE(ack[0].ack, c.peerNxt + 1);
        QCOMPARE(h.stack.connection(c.id)->state(), TcpState::TimeWait);
        // A retransmitted FIN in TIME-WAIT is acknowledged again.
        h.advance(Second);
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 1, tcpflag::Fin | A);
        QCOMPARE(h.out().size(), std::size_t {1});
        h.advance(1999 * Millisecond);
        QCOMPARE(h.stack.connectionCount(), std::size_t {1});
        h.advance(Millisecond);
        QCOMPARE(h.stack.connectionCount(), std::size_t {0}); // 2*MSL passed: gone
    }

    void passiveCloseThroughLastAck()
    {
        TcpHarness h;
        auto c = openPassive(h);
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, tcpflag::Fin | A, bytes(5));
        auto ack = h.out();
        QCOMPARE(ack.back().ack, c.peerNxt + 6);
        QCOMPARE(*h.stack.state(c.id), TcpState::CloseWait);
        std::vector<std::uint8_t> buf(10);
        QCOMPARE(h.stack.read(c.id, buf).value(), std::size_t {5});
        auto eof = h.stack.read(c.id, buf);
        QVERIFY(!eof.ok());
        QCOMPARE(eof.error().code(), hive::ErrorCode::Unavailable);
        // Half-close: we may still send.
        QCOMPARE(h.stack.write(c.id, bytes(3)).value(), std::size_t {3});
        QCOMPARE(h.out().size(), std::size_t {1});
        h.stack.close(c.id);
        auto fin = h.out();
        QCOMPARE(fin.size(), std::size_t {1});
        QVERIFY(fin[0].has(tcpflag::Fin));
        QCOMPARE(fin[0].seq, c.ourNxt + 3);
        QCOMPARE(h.stack.connection(c.id)->state(), TcpState::LastAck);
        h.send(PeerPort, Port, c.peerNxt + 6, c.ourNxt + 4, A);
        QCOMPARE(h.stack.connectionCount(), std::size_t {0});
    }

    void simultaneousCloseGoesThroughClosing()
    {
        TcpConfig config;
        config.timeWait = Second;
        TcpHarness h(config);
        auto c = openPassive(h);
        h.stack.close(c.id);
        h.out();
        // The peer's FIN crosses ours: it does not acknowledge our FIN yet.
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, tcpflag::Fin | A);
        QCOMPARE(h.stack.connection(c.id)->state(), TcpState::Closing);
        h.send(PeerPort, Port, c.peerNxt + 1, c.ourNxt + 1, A);
        QCOMPARE(h.stack.connection(c.id)->state(), TcpState::TimeWait);
        h.advance(Second);
        QCOMPARE(h.stack.connectionCount(), std::size_t {0});
    }

    void resetWithExactSequenceCloses()
    {
        TcpHarness h;
        auto c = openPassive(h);
        h.send(PeerPort, Port, c.peerNxt, 0, tcpflag::Rst);
        QVERIFY(h.out().empty());
        QCOMPARE(*h.stack.state(c.id), TcpState::Closed);
        std::vector<std::uint8_t> buf(4);
        auto r = h.stack.read(c.id, buf);
        QCOMPARE(r.error().code(), hive::ErrorCode::Io);
        bool closed = false;
        while (auto e = h.stack.nextEvent())
            closed = closed || (e->kind == EventKind::Closed && e->socket == c.id);
        QVERIFY(closed);
        h.stack.close(c.id);
        QCOMPARE(h.stack.connectionCount(), std::size_t {0});
    }

    void inWindowResetGetsChallengeAck()
    {
        TcpHarness h;
        auto c = openPassive(h);
        h.send(PeerPort, Port, c.peerNxt + 100, 0, tcpflag::Rst);
        auto out = h.out();
        QCOMPARE(out.size(), std::size_t {1});
        QVERIFY(out[0].is(A));
        QCOMPARE(out[0].seq, c.ourNxt);
        QCOMPARE(out[0].ack, c.peerNxt);
        QCOMPARE(*h.stack.state(c.id), TcpState::Established);
        QCOMPARE(h.stack.stats().tcp.challengeAcks, std::uint64_t {1});
        // Outside the window: silently ignored.
        h.send(PeerPort, Port, c.peerNxt + 70000, 0, tcpflag::Rst);
        h.send(PeerPort, Port, c.peerNxt - 10, 0, tcpflag::Rst);
        QVERIFY(h.out().empty());
        QCOMPARE(*h.stack.state(c.id), TcpState::Established);
    }

    void synInEstablishedGetsChallengeAck()
    {
        TcpHarness h;
        auto c = openPassive(h);
        for (std::uint32_t seq : {c.peerNxt, c.peerNxt + 500, 5u}) {
            h.send(PeerPort, Port, seq, 0, tcpflag::Syn);
            auto out = h.out();
            QCOMPARE(out.size(), std::size_t {1});
            QVERIFY(out[0].is(A));
            QCOMPARE(out[0].ack, c.peerNxt);
        }
        QCOMPARE(*h.stack.state(c.id), TcpState::Established);
        // Challenge ACKs are rate-limited.
        TcpConfig limited;
        limited.challengeAcksPerSecond = 2;
        TcpHarness h2(limited);
        auto c2 = openPassive(h2);
        for (int i = 0; i < 5; ++i)
            h2.send(PeerPort, Port, c2.peerNxt, 0, tcpflag::Syn);
        QCOMPARE(h2.out().size(), std::size_t {2});
    }

    void blindAckOutsideWindowIsRejected()
    {
        TcpHarness h;
        auto c = openPassive(h);
        QVERIFY(h.stack.write(c.id, bytes(10)).ok());
        h.out();
        // Acknowledging data never sent: answered with an ACK, not accepted.
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 5000, A);
        auto out = h.out();
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(h.stack.connection(c.id)->unacknowledged(), std::size_t {10});
    }

    void closedPortAnswersWithReset()
    {
        TcpHarness h;
        h.send(PeerPort, 81, 777, 0, tcpflag::Syn);
        auto out = h.out();
        QCOMPARE(out.size(), std::size_t {1});
        QVERIFY(out[0].is(tcpflag::Rst | A));
        QCOMPARE(out[0].seq, 0u);
        QCOMPARE(out[0].ack, 778u);
        h.send(PeerPort, 81, 777, 4242, A, bytes(3));
        out = h.out();
        QVERIFY(out[0].is(tcpflag::Rst));
        QCOMPARE(out[0].seq, 4242u);
        h.send(PeerPort, 81, 777, 4242, tcpflag::Rst);
        QVERIFY(h.out().empty()); // never answer a RST
    }

    void corruptSegmentIsDropped()
    {
        TcpHarness h;
        auto c = openPassive(h);
        TcpSegment s;
        s.srcPort = PeerPort;
        s.dstPort = Port;
        s.seq = c.peerNxt;
        s.ack = c.ourNxt;
        s.flags = A;
        s.window = 65535;
        auto data = bytes(20);
        s.payload = data;
        std::vector<std::uint8_t> l4(TcpHeaderSize + data.size());
        writeTcp(l4.data(), PeerIp, StackIp, s);
        l4[TcpHeaderSize + 3] ^= 0x08;
        h.stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoTcp, l4), h.now);
        QVERIFY(h.out().empty());
        QCOMPARE(h.stack.connection(c.id)->rcvNxt(), c.peerNxt);
        QCOMPARE(h.stack.stats().badChecksum, std::uint64_t {1});
    }

    void retransmissionTimeoutBacksOffExponentially()
    {
        TcpConfig config;
        config.maxRetransmits = 5;
        TcpHarness h(config);
        auto c = openPassive(h);
        Nanos start = h.now;
        QVERIFY(h.stack.write(c.id, bytes(100)).ok());
        QCOMPARE(h.out().size(), std::size_t {1});
        QCOMPARE(h.stack.connection(c.id)->rto(), Second); // RFC 6298 minimum
        std::vector<Nanos> at;
        for (int i = 0; i < 10 && *h.stack.state(c.id) != TcpState::Closed; ++i) {
            h.advanceTo(h.stack.nextDeadline());
            for (auto& s : h.out()) {
                QCOMPARE(s.seq, c.ourNxt);
                QCOMPARE(s.data.size(), std::size_t {100});
                at.push_back(h.now - start);
            }
        }
        // 1, 2, 4, 8, 16 s apart, then the connection gives up after the next 32 s.
        QCOMPARE(at, (std::vector<Nanos> {1 * Second, 3 * Second, 7 * Second, 15 * Second, 31 * Second}));
        QCOMPARE(h.now - start, 63 * Second);
        QCOMPARE(*h.stack.state(c.id), TcpState::Closed);
        std::vector<std::uint8_t> buf(4);
        QCOMPARE(h.stack.read(c.id, buf).error().code(), hive::ErrorCode::Timeout);

        // The back-off is capped at maxRto.
        TcpConfig capped;
        capped.maxRto = 3 * Second;
        TcpHarness h2(capped);
        auto c2 = openPassive(h2);
        QVERIFY(h2.stack.write(c2.id, bytes(1)).ok());
        for (int i = 0; i < 4; ++i)
            h2.advanceTo(h2.stack.nextDeadline());
        QCOMPARE(h2.stack.connection(c2.id)->rto(), 3 * Second);
    }

    void rttEstimatorFollowsRfc6298AndKarn()
    {
        TcpConfig config;
        config.minRto = Millisecond;
        TcpHarness h(config);
        auto listener = h.stack.listen(Port);
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn, {}, 65535, 1000);
        auto iss = h.out()[0].seq;
        h.advance(100 * Millisecond);
        h.send(PeerPort, Port, 1001, iss + 1, A);
        auto id = *h.stack.accept(*listener);
        const TcpConnection* t = h.stack.connection(id);
        // First sample R = 100 ms: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4*RTTVAR.
        QCOMPARE(t->srtt(), 100 * Millisecond);
        QCOMPARE(t->rttvar(), 50 * Millisecond);
        QCOMPARE(t->rto(), 300 * Millisecond);
        QVERIFY(h.stack.write(id, bytes(10)).ok());
        h.out();
        h.advance(200 * Millisecond);
        h.send(PeerPort, Port, 1001, iss + 11, A);
        // RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5 ms; SRTT = 7/8*100 + 1/8*200 = 112.5 ms.
        QCOMPARE(t->rttvar(), Nanos {62'500'000});
        QCOMPARE(t->srtt(), Nanos {112'500'000});
        QCOMPARE(t->rto(), Nanos {362'500'000});
        // Karn: an ACK for a retransmitted segment gives no sample.
        QVERIFY(h.stack.write(id, bytes(10)).ok());
        h.out();
        h.advanceTo(h.stack.nextDeadline()); // timeout: retransmit, RTO doubles
        QCOMPARE(h.out().size(), std::size_t {1});
        QCOMPARE(t->rto(), Nanos {725'000'000});
        h.advance(5 * Millisecond);
        h.send(PeerPort, Port, 1001, iss + 21, A);
        QCOMPARE(t->srtt(), Nanos {112'500'000});
        QCOMPARE(t->rto(), Nanos {725'000'000}); // backed-off value kept until a valid sample
    }

    void fastRetransmitAfterThreeDuplicateAcks()
    {
        TcpHarness h;
        auto c = openPassive(h);
        QVERIFY(h.stack.write(c.id, bytes(5000)).ok());
        auto segs = h.out();
        QCOMPARE(segs.size(), std::size_t {5});
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 1000, A); // first segment arrived
        QVERIFY(h.out().empty());
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 1000, A); // dup 1
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 1000, A); // dup 2
        QVERIFY(h.out().empty());
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 1000, A); // dup 3
        auto out = h.out();
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(out[0].seq, c.ourNxt + 1000);
        QCOMPARE(out[0].data.size(), std::size_t {1000});
        QCOMPARE(h.stack.stats().tcp.fastRetransmits, std::uint64_t {1});
        QCOMPARE(h.stack.stats().tcp.retransmitTimeouts, std::uint64_t {0});
        // ssthresh = flight/2 = 2000 (two segments); cwnd inflated by the three dup ACKs.
        QCOMPARE(h.stack.connection(c.id)->congestionWindow(), 5000u);
        // Partial ACK (NewReno): the next hole is resent at once.
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 3000, A);
        out = h.out();
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(out[0].seq, c.ourNxt + 3000);
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt + 5000, A);
        QCOMPARE(h.stack.connection(c.id)->congestionWindow(), 2000u); // deflated to ssthresh
        QCOMPARE(h.stack.connection(c.id)->unacknowledged(), std::size_t {0});
    }

    void zeroWindowIsProbedWithBackoff()
    {
        TcpConfig config;
        config.maxRetransmits = 3;
        TcpHarness h(config);
        auto c = openPassive(h, 1000, 0); // the peer's final ACK closes its window
        QCOMPARE(h.stack.connection(c.id)->sendWindow(), 0u);
        Nanos start = h.now;
        QCOMPARE(h.stack.write(c.id, bytes(100)).value(), std::size_t {100});
        QVERIFY(h.out().empty()); // nothing may be sent into a zero window
        std::vector<Nanos> probes;
        for (int i = 0; i < 6; ++i) {
            h.advanceTo(h.stack.nextDeadline());
            for (auto& s : h.out()) {
                QCOMPARE(s.seq, c.ourNxt);
                QCOMPARE(s.data.size(), std::size_t {1}); // one byte beyond the window
                probes.push_back(h.now - start);
            }
            // The peer answers every probe: still no room.
            h.send(PeerPort, Port, c.peerNxt, c.ourNxt, A, {}, 0);
            QVERIFY(h.out().empty());
        }
        QCOMPARE(probes, (std::vector<Nanos> {1 * Second, 3 * Second, 7 * Second, 15 * Second, 31 * Second, 63 * Second}));
        // Probing continues past maxRetransmits while the peer answers.
        QCOMPARE(*h.stack.state(c.id), TcpState::Established);
        QVERIFY(h.stack.stats().tcp.zeroWindowProbes >= 6);
        // The window opens: everything goes out from SND.UNA.
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, A, {}, 4000);
        auto out = h.out();
        QCOMPARE(out.size(), std::size_t {1});
        QCOMPARE(out[0].seq, c.ourNxt);
        QCOMPARE(out[0].data.size(), std::size_t {100});
    }

    void receiveWindowClosesAndReopensWithUpdate()
    {
        TcpConfig config;
        config.receiveBuffer = 4000;
        TcpHarness h(config);
        auto listener = h.stack.listen(Port);
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn, {}, 65535, 1000);
        auto synAck = h.out();
        QCOMPARE(synAck[0].window, std::uint16_t {4000});
        std::uint32_t iss = synAck[0].seq;
        h.send(PeerPort, Port, 1001, iss + 1, A);
        auto id = *h.stack.accept(*listener);
        for (std::uint32_t i = 0; i < 4; ++i)
            h.send(PeerPort, Port, 1001 + i * 1000, iss + 1, A, bytes(1000));
        auto acks = h.out();
        QCOMPARE(acks.back().window, std::uint16_t {0});
        QCOMPARE(acks.back().ack, 5001u);
        // A zero-window probe is answered with the (still zero) window and not accepted.
        h.send(PeerPort, Port, 5001, iss + 1, A, bytes(1));
        auto probeAck = h.out();
        QCOMPARE(probeAck.size(), std::size_t {1});
        QCOMPARE(probeAck[0].ack, 5001u);
        QCOMPARE(probeAck[0].window, std::uint16_t {0});
        // A small read does not reopen the window (silly window avoidance)...
        std::vector<std::uint8_t> buf(4000);
        QCOMPARE(h.stack.read(id, std::span(buf).first(100)).value(), std::size_t {100});
        QVERIFY(h.out().empty());
        // ...reading the rest sends a window update.
        QCOMPARE(h.stack.read(id, buf).value(), std::size_t {3900});
        auto update = h.out();
        QCOMPARE(update.size(), std::size_t {1});
        QCOMPARE(update[0].window, std::uint16_t {4000});
        QCOMPARE(update[0].ack, 5001u);
    }

    void outOfOrderSegmentsAreReassembled()
    {
        TcpHarness h;
        auto c = openPassive(h);
        auto data = bytes(300, 9);
        auto part = [&](std::size_t from) { return std::vector<std::uint8_t>(data.begin() + static_cast<std::ptrdiff_t>(from), data.begin() + static_cast<std::ptrdiff_t>(from + 100)); };
        h.send(PeerPort, Port, c.peerNxt + 200, c.ourNxt, A | tcpflag::Fin, part(200));
        h.send(PeerPort, Port, c.peerNxt + 100, c.ourNxt, A, part(100));
        auto dups = h.out();
        QCOMPARE(dups.size(), std::size_t {2});
        for (auto& d : dups)
            QCOMPARE(d.ack, c.peerNxt); // duplicate ACKs signal the hole
        QCOMPARE(h.stack.connection(c.id)->outOfOrderSegments(), std::size_t {2});
        std::vector<std::uint8_t> buf(400);
        QCOMPARE(h.stack.read(c.id, buf).value(), std::size_t {0});
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, A, part(0));
        auto ack = h.out();
        QCOMPARE(ack.back().ack, c.peerNxt + 301); // all data and the FIN
        QCOMPARE(h.stack.read(c.id, buf).value(), std::size_t {300});
        QVERIFY(std::equal(data.begin(), data.end(), buf.begin()));
        QCOMPARE(*h.stack.state(c.id), TcpState::CloseWait);
        QCOMPARE(h.stack.connection(c.id)->outOfOrderSegments(), std::size_t {0});
    }

    void outOfOrderBufferIsBounded()
    {
        TcpConfig config;
        config.maxOutOfOrderSegments = 3;
        TcpHarness h(config);
        auto c = openPassive(h);
        for (std::uint32_t i = 1; i <= 6; ++i)
            h.send(PeerPort, Port, c.peerNxt + i * 10, c.ourNxt, A, bytes(5));
        QCOMPARE(h.stack.connection(c.id)->outOfOrderSegments(), std::size_t {3});
        QCOMPARE(h.stack.stats().tcp.outOfOrderDropped, std::uint64_t {3});
    }

    void overlappingRetransmissionIsTrimmed()
    {
        TcpHarness h;
        auto c = openPassive(h);
        auto data = bytes(20, 1);
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, A, std::vector<std::uint8_t>(data.begin(), data.begin() + 10));
        h.send(PeerPort, Port, c.peerNxt + 5, c.ourNxt, A, std::vector<std::uint8_t>(data.begin() + 5, data.end()));
        std::vector<std::uint8_t> buf(40);
        QCOMPARE(h.stack.read(c.id, buf).value(), std::size_t {20});
        QVERIFY(std::equal(data.begin(), data.end(), buf.begin()));
        // A complete duplicate is only acknowledged.
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, A, std::vector<std::uint8_t>(data.begin(), data.begin() + 10));
        QCOMPARE(h.out().back().ack, c.peerNxt + 20);
        QCOMPARE(h.stack.read(c.id, buf).value(), std::size_t {0});
    }

    void keepAliveProbesAndGivesUp()
    {
        TcpConfig config;
        config.keepAliveIdle = 10 * Second;
        config.keepAliveInterval = Second;
        config.keepAliveProbes = 3;
        TcpHarness h(config);
        auto c = openPassive(h);
        Nanos start = h.now;
        h.advanceTo(h.stack.nextDeadline());
        QCOMPARE(h.now - start, 10 * Second);
        auto probe = h.out();
        QCOMPARE(probe.size(), std::size_t {1});
        QCOMPARE(probe[0].seq, c.ourNxt - 1); // old sequence number forces an ACK
        QVERIFY(probe[0].data.empty());
        // The peer answers: the idle timer starts over.
        h.send(PeerPort, Port, c.peerNxt, c.ourNxt, A);
        QCOMPARE(h.stack.nextDeadline(), h.now + 10 * Second);
        // Now the peer is gone: three probes a second apart, then the connection fails.
        int probes = 0;
        for (int i = 0; i < 10 && *h.stack.state(c.id) != TcpState::Closed; ++i) {
            h.advanceTo(h.stack.nextDeadline());
            probes += static_cast<int>(h.out().size());
        }
        QCOMPARE(probes, 3);
        QCOMPARE(*h.stack.state(c.id), TcpState::Closed);
        std::vector<std::uint8_t> buf(4);
        QCOMPARE(h.stack.read(c.id, buf).error().code(), hive::ErrorCode::Timeout);
    }

    void synRetransmitsThenTimesOut()
    {
        TcpConfig config;
        config.maxSynRetransmits = 2;
        TcpHarness h(config);
        Nanos start = h.now;
        auto id = h.stack.connect(PeerIp, 80);
        QCOMPARE(h.out().size(), std::size_t {1});
        std::vector<Nanos> at;
        while (*h.stack.state(*id) != TcpState::Closed && at.size() < 10) {
            h.advanceTo(h.stack.nextDeadline());
            for (auto& s : h.out()) {
                QVERIFY(s.is(tcpflag::Syn));
                at.push_back(h.now - start);
            }
        }
        QCOMPARE(at, (std::vector<Nanos> {1 * Second, 3 * Second}));
        QCOMPARE(h.now - start, 7 * Second);
        std::vector<std::uint8_t> buf(4);
        QCOMPARE(h.stack.read(*id, buf).error().code(), hive::ErrorCode::Timeout);
    }

    void lostSynAckIsResentOnRetransmittedSyn()
    {
        TcpHarness h;
        auto listener = h.stack.listen(Port);
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn, {}, 65535, 1000);
        auto first = h.out();
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn, {}, 65535, 1000);
        auto again = h.out();
        QCOMPARE(again.size(), std::size_t {1});
        QVERIFY(again[0].is(tcpflag::Syn | A));
        QCOMPARE(again[0].seq, first[0].seq);
        QCOMPARE(h.stack.connectionCount(), std::size_t {1});
        (void)listener;
    }

    void listenBacklogLimitsPendingConnections()
    {
        TcpHarness h;
        auto listener = h.stack.listen(Port, 2);
        QVERIFY(listener.ok());
        QVERIFY(!h.stack.listen(Port).ok());
        for (std::uint16_t p = 0; p < 4; ++p)
            h.send(static_cast<std::uint16_t>(PeerPort + p), Port, 1000, 0, tcpflag::Syn);
        QCOMPARE(h.out().size(), std::size_t {2}); // two SYN,ACKs; the rest dropped silently
        QCOMPARE(h.stack.connectionCount(), std::size_t {2});
    }

    void returnedFrameGoesOutFirst()
    {
        TcpHarness h;
        auto c = openPassive(h);
        QVERIFY(h.stack.write(c.id, bytes(3000)).ok());
        QCOMPARE(h.stack.queuedFrames(), std::size_t {3});
        auto first = h.stack.takeFrame();
        QVERIFY(first);
        h.stack.returnFrame(std::move(*first)); // the device's ring was full
        auto segs = h.out();
        QCOMPARE(segs.size(), std::size_t {3});
        QCOMPARE(segs[0].seq, c.ourNxt);
        QCOMPARE(segs[1].seq, c.ourNxt + 1000);
    }

    void stackNetAdapterServesTheNetConcept()
    {
        TcpHarness h;
        StackNet net(h.stack);
        QVERIFY(net.listen(Port).ok());
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn, {}, 65535, 1000);
        auto iss = h.out()[0].seq;
        h.send(PeerPort, Port, 1001, iss + 1, A);
        h.send(PeerPort, Port, 1001, iss + 1, A | tcpflag::Psh, bytes(10));
        h.out();
        while (auto e = h.stack.nextEvent())
            net.onStackEvent(*e);
        auto accepted = net.nextEvent();
        QVERIFY(accepted);
        QCOMPARE(accepted->event, hive::node::NetEvent::Accepted);
        hive::node::ConnId id = accepted->conn;
        auto readable = net.nextEvent();
        QVERIFY(readable);
        QCOMPARE(readable->event, hive::node::NetEvent::Readable);
        QCOMPARE(readable->conn, id);
        std::vector<std::uint8_t> buf(64);
        QCOMPARE(net.read(id, buf).value(), std::size_t {10});
        QCOMPARE(net.write(id, std::span(buf).first(10)).value(), std::size_t {10});
        auto echoed = h.out();
        QCOMPARE(echoed.size(), std::size_t {1});
        QCOMPARE(echoed[0].data, bytes(10));
        h.send(PeerPort, Port, 1011, iss + 11, tcpflag::Fin | A);
        while (auto e = h.stack.nextEvent())
            net.onStackEvent(*e);
        QVERIFY(!net.read(id, buf).ok()); // end of stream
        net.close(id);
        QVERIFY(h.out().back().has(tcpflag::Fin));
    }

    void isnDependsOnTupleAndClock()
    {
        TcpHarness h;
        auto listener = h.stack.listen(Port);
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn);
        auto a = h.out()[0].seq;
        h.send(PeerPort + 1, Port, 1000, 0, tcpflag::Syn);
        auto b = h.out()[0].seq;
        QVERIFY(a != b);
        // Same tuple one second later: the 4 microsecond clock moved the ISN by 250000.
        h.send(PeerPort, Port, 1001, 0, tcpflag::Rst);
        QCOMPARE(h.stack.connectionCount(), std::size_t {1});
        h.advance(Second);
        h.send(PeerPort, Port, 1000, 0, tcpflag::Syn);
        std::uint32_t later = 0;
        for (auto& s : h.out()) // the other connection's SYN,ACK retransmission is in here too
            if (s.dstPort == PeerPort)
                later = s.seq;
        QCOMPARE(later - a, 250000u);
        (void)listener;
    }
};

QTEST_GUILESS_MAIN(TestNetTcp)
#include "test_tcp.moc"
