// One TCP connection (a TCB) as a pure state machine: RFC 9293 states and segment
// processing, RFC 6298 retransmission timer, RFC 5681/6582 congestion control with fast
// retransmit, zero-window probing, out-of-order reassembly, RFC 5961 challenge ACKs and
// keep-alive. It never reads a clock: every entry point takes `now`, and segments leave
// through a TcpSegmentSink. LISTEN and demultiplexing live in Stack.
#pragma once

#include "net/bytering.h"
#include "net/packet.h"

#include <vector>

namespace hive::net {

enum class TcpState : std::uint8_t {
    Closed, Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait
};
// RFC 9293 name of a state ("ESTABLISHED", ...), for logs and tests.
const char* tcpStateName(TcpState state);

enum class TcpError : std::uint8_t { None, Reset, Refused, Timeout };

struct TcpConfig {
    std::uint16_t mss = 1460;              // advertised: MTU 1500 - 40
    std::size_t receiveBuffer = 65535;     // bytes; also the largest window (no window scaling)
    std::size_t sendBuffer = 128 * 1024;
    Nanos initialRto = 1 * Second;         // RFC 6298 (2.1)
    Nanos minRto = 1 * Second;             // RFC 6298 (2.4); configurable for LAN/tests
    Nanos maxRto = 60 * Second;
    unsigned maxRetransmits = 12;          // consecutive RTO expiries before giving up
    unsigned maxSynRetransmits = 6;
    Nanos timeWait = 60 * Second;          // 2 * MSL, MSL = 30 s
    Nanos keepAliveIdle = 0;               // 0 = keep-alive off
    Nanos keepAliveInterval = 75 * Second;
    unsigned keepAliveProbes = 9;
    std::size_t maxOutOfOrderSegments = 64;
    unsigned initialCwndSegments = 10;     // RFC 6928
    unsigned challengeAcksPerSecond = 100; // RFC 5961 (7) rate limit, per connection
};

// Counters shared by all connections of a stack (tests and diagnostics).
struct TcpStats {
    std::uint64_t segmentsIn = 0;
    std::uint64_t segmentsOut = 0;
    std::uint64_t retransmitTimeouts = 0;
    std::uint64_t fastRetransmits = 0;
    std::uint64_t challengeAcks = 0;
    std::uint64_t zeroWindowProbes = 0;
    std::uint64_t outOfOrderQueued = 0;
    std::uint64_t outOfOrderDropped = 0;
    std::uint64_t keepAliveProbes = 0;
};

struct TcpEndpoints {
    Ipv4Addr localIp;
    std::uint16_t localPort = 0;
    Ipv4Addr remoteIp;
    std::uint16_t remotePort = 0;
    friend bool operator==(const TcpEndpoints&, const TcpEndpoints&) = default;
};

// Where a connection's segments go (the stack wraps them in IPv4 and Ethernet).
class TcpSegmentSink {
public:
    virtual ~TcpSegmentSink() = default;
    virtual void sendTcp(Ipv4Addr src, Ipv4Addr dst, const TcpSegment& segment) = 0;
};

namespace tcpevent {
constexpr std::uint8_t Connected = 0x01; // reached ESTABLISHED
constexpr std::uint8_t Readable = 0x02;  // data or end of stream to read
constexpr std::uint8_t Writable = 0x04;  // send buffer space freed
constexpr std::uint8_t Closed = 0x08;    // reached CLOSED (see error())
} // namespace tcpevent

class TcpConnection {
public:
    TcpConnection(const TcpConfig& config, TcpStats& stats, TcpSegmentSink& sink, const TcpEndpoints& endpoints);

    // Active open: sends SYN with initial sequence number iss.
    void connect(std::uint32_t iss, Nanos now);
    // Passive open from a SYN that arrived on a listener: sends SYN,ACK.
    void acceptSyn(const TcpSegment& syn, std::uint32_t iss, Nanos now);
    // Processes one segment addressed to this connection.
    void input(const TcpSegment& segment, Nanos now);
    // Runs expired timers.
    void poll(Nanos now);
    // Earliest time poll() has work to do (Never when idle).
    Nanos nextDeadline() const;

    // Queues bytes for sending; returns how many fit in the send buffer.
    std::size_t write(ByteSpan data, Nanos now);
    // Moves received in-order bytes to out; returns the count (0 = nothing now).
    std::size_t read(std::span<std::uint8_t> out, Nanos now);
    // Half close: FIN after all queued data; receiving goes on.
    void shutdown(Nanos now);
    // Graceful close: shutdown() and the caller gives up the connection.
    void close(Nanos now);
    // Abortive close: RST now, state CLOSED.
    void abort();

    TcpState state() const { return m_state; }
    TcpError error() const { return m_error; }
    const TcpEndpoints& endpoints() const { return m_endpoints; }
    bool passive() const { return m_passive; }
    bool released() const { return m_released; }
    // Peer sent FIN and every byte before it was read.
    bool atEnd() const { return m_finReceived && m_recvBuffer.empty(); }
    std::size_t readable() const { return m_recvBuffer.size(); }
    std::size_t writable() const;
    // Events since the last call (tcpevent bits).
    std::uint8_t takeEvents();

    // Introspection for tests.
    Nanos rto() const { return m_rto; }
    Nanos srtt() const { return m_srtt; }
    Nanos rttvar() const { return m_rttvar; }
    std::uint16_t sendMss() const { return m_sndMss; }
    std::uint32_t sendWindow() const { return m_sndWnd; }
    std::uint32_t congestionWindow() const { return m_cwnd; }
    std::uint32_t sndUna() const { return m_sndUna; }
    std::uint32_t sndNxt() const { return m_sndNxt; }
    std::uint32_t rcvNxt() const { return m_rcvNxt; }
    std::size_t outOfOrderSegments() const { return m_ooo.size(); }
    std::size_t unacknowledged() const { return m_sndMax - m_sndUna; }

private:
    struct OooSegment {
        std::uint32_t seq;
        std::vector<std::uint8_t> data;
        bool fin;
    };

    bool synchronized() const;
    bool canSendData() const;
    void inputSynSent(const TcpSegment& seg, Nanos now);
    bool acceptable(const TcpSegment& seg) const;
    bool processAck(const TcpSegment& seg, Nanos now);
    // Applies FIN-WAIT-1/CLOSING/LAST-ACK transitions once our FIN is acked; true when CLOSED.
    bool finAckedTransitions(Nanos now);
    void processData(const TcpSegment& seg, Nanos now);
    void deliver(std::uint32_t seq, ByteSpan data, bool fin);
    void queueOutOfOrder(std::uint32_t seq, ByteSpan data, bool fin);
    void drainOutOfOrder();
    void receiveFin(Nanos now);
    void enterTimeWait(Nanos now);
    void enterClosed(TcpError error);
    void establish(Nanos now);

    std::uint32_t windowToAdvertise();
    void sendSegment(std::uint32_t seq, std::uint8_t flags, ByteSpan payload, bool withMss = false);
    void sendAck();
    void sendChallengeAck(Nanos now);
    void sendSyn();
    std::uint32_t transmit(std::uint32_t seq, std::size_t maxData, Nanos now);
    void trySend(Nanos now);
    void updateTimers(Nanos now);
    void onRetransmitTimeout(Nanos now);
    void rttSample(Nanos sample);
    bool hasUnsent() const;
    void clampMss(const TcpSegment& syn);

    const TcpConfig& m_config;
    TcpStats& m_stats;
    TcpSegmentSink& m_sink;
    TcpEndpoints m_endpoints;
    TcpState m_state = TcpState::Closed;
    TcpError m_error = TcpError::None;
    bool m_passive = false;
    bool m_released = false;
    bool m_closeWhenEstablished = false;
    std::uint8_t m_events = 0;

    // Send sequence space (RFC 9293 3.3.1); m_sndMax is the highest sequence ever sent,
    // which m_sndNxt falls back from after a timeout (go-back-N).
    std::uint32_t m_iss = 0, m_sndUna = 0, m_sndNxt = 0, m_sndMax = 0;
    std::uint32_t m_sndWnd = 0, m_sndWl1 = 0, m_sndWl2 = 0, m_maxSndWnd = 0;
    std::uint16_t m_sndMss = 536;
    ByteRing m_sendBuffer;
    bool m_finQueued = false;
    bool m_finAcked = false;

    // Congestion control (RFC 5681, NewReno recovery per RFC 6582).
    std::uint32_t m_cwnd = 0, m_ssthresh = 0xffffffffu;
    bool m_inRecovery = false;
    std::uint32_t m_recover = 0;
    unsigned m_dupAcks = 0;

    // Receive sequence space; m_rcvAdvRight is the right window edge last advertised.
    std::uint32_t m_irs = 0, m_rcvNxt = 0, m_rcvAdvRight = 0;
    ByteRing m_recvBuffer;
    bool m_finReceived = false;
    std::vector<OooSegment> m_ooo;

    // Timers.
    Nanos m_rto = 0, m_srtt = 0, m_rttvar = 0;
    bool m_haveRtt = false;
    Nanos m_rtoDeadline = Never;
    unsigned m_retransmits = 0;
    bool m_timing = false;
    std::uint32_t m_timedSeq = 0;
    Nanos m_timedAt = 0;
    Nanos m_persistDeadline = Never;
    Nanos m_timeWaitDeadline = Never;
    Nanos m_lastReceive = 0;
    Nanos m_keepAliveDeadline = Never;
    unsigned m_keepAliveSent = 0;
    Nanos m_challengeWindowStart = 0;
    unsigned m_challengeCount = 0;

    std::vector<std::uint8_t> m_scratch;
};

} // namespace hive::net
