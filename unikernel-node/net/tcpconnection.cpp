#include "net/tcpconnection.h"

namespace hive::net {

namespace {

constexpr std::uint16_t DefaultMss = 536; // RFC 9293 3.7.1: assumed when no MSS option
constexpr std::uint16_t MinMss = 64;      // refuse absurdly small MSS values from a peer
constexpr Nanos ClockGranularity = Millisecond;
constexpr std::uint32_t MaxCwnd = 1u << 30;

template <typename T>
T minOf(T a, T b) { return a < b ? a : b; }
template <typename T>
T maxOf(T a, T b) { return a > b ? a : b; }

} // namespace

const char* tcpStateName(TcpState state)
{
    switch (state) {
    case TcpState::Closed: return "CLOSED";
    case TcpState::Listen: return "LISTEN";
    case TcpState::SynSent: return "SYN-SENT";
    case TcpState::SynReceived: return "SYN-RECEIVED";
    case TcpState::Established: return "ESTABLISHED";
    case TcpState::FinWait1: return "FIN-WAIT-1";
    case TcpState::FinWait2: return "FIN-WAIT-2";
    case TcpState::CloseWait: return "CLOSE-WAIT";
    case TcpState::Closing: return "CLOSING";
    case TcpState::LastAck: return "LAST-ACK";
    case TcpState::TimeWait: return "TIME-WAIT";
    }
    return "?";
}

TcpConnection::TcpConnection(const TcpConfig& config, TcpStats& stats, TcpSegmentSink& sink,
                             const TcpEndpoints& endpoints)
    : m_config(config)
    , m_stats(stats)
    , m_sink(sink)
    , m_endpoints(endpoints)
    , m_sendBuffer(config.sendBuffer)
    , m_recvBuffer(minOf<std::size_t>(config.receiveBuffer, 65535))
    , m_rto(config.initialRto)
{
}

bool TcpConnection::synchronized() const
{
    return m_state != TcpState::Closed && m_state != TcpState::Listen && m_state != TcpState::SynSent
        && m_state != TcpState::SynReceived;
}

bool TcpConnection::canSendData() const
{
    return m_state == TcpState::Established || m_state == TcpState::CloseWait || m_state == TcpState::FinWait1
        || m_state == TcpState::LastAck || m_state == TcpState::Closing;
}

std::size_t TcpConnection::writable() const
{
    if (m_finQueued || m_state == TcpState::Closed)
        return 0;
    return m_sendBuffer.space();
}

std::uint8_t TcpConnection::takeEvents()
{
    std::uint8_t e = m_events;
    m_events = 0;
    return e;
}

void TcpConnection::clampMss(const TcpSegment& syn)
{
    std::uint16_t peer = syn.options.mss.value_or(DefaultMss);
    m_sndMss = maxOf(minOf(peer, m_config.mss), MinMss);
}

void TcpConnection::connect(std::uint32_t iss, Nanos now)
{
    m_iss = iss;
    m_sndUna = iss;
    m_sndNxt = iss + 1;
    m_sndMax = iss + 1;
    m_state = TcpState::SynSent;
    m_lastReceive = now;
    sendSyn();
    m_rtoDeadline = now + m_rto;
    m_timing = true;
    m_timedSeq = iss;
    m_timedAt = now;
}

void TcpConnection::acceptSyn(const TcpSegment& syn, std::uint32_t iss, Nanos now)
{
    m_passive = true;
    m_irs = syn.seq;
    m_rcvNxt = syn.seq + 1;
    m_rcvAdvRight = m_rcvNxt;
    m_iss = iss;
    m_sndUna = iss;
    m_sndNxt = iss + 1;
    m_sndMax = iss + 1;
    m_sndWnd = syn.window;
    m_maxSndWnd = syn.window;
    m_sndWl1 = syn.seq;
    m_sndWl2 = iss;
    clampMss(syn);
    m_state = TcpState::SynReceived;
    m_lastReceive = now;
    sendSyn();
    m_rtoDeadline = now + m_rto;
    m_timing = true;
    m_timedSeq = iss;
    m_timedAt = now;
}

void TcpConnection::sendSyn()
{
    std::uint8_t flags = tcpflag::Syn;
    if (m_state == TcpState::SynReceived)
        flags |= tcpflag::Ack;
    sendSegment(m_iss, flags, {}, true);
}

std::uint32_t TcpConnection::windowToAdvertise()
{
    auto space = static_cast<std::uint32_t>(minOf<std::size_t>(m_recvBuffer.space(), 65535));
    if (m_released)
        space = static_cast<std::uint32_t>(minOf<std::size_t>(m_recvBuffer.capacity(), 65535));
    std::uint32_t right = m_rcvNxt + space;
    // Receiver silly-window avoidance (RFC 9293 3.8.6.2.2): move the right edge only by at
    // least min(buffer/2, MSS); never move it back.
    if (seqGt(right, m_rcvAdvRight)) {
        std::uint32_t threshold = minOf<std::uint32_t>(static_cast<std::uint32_t>(m_recvBuffer.capacity() / 2), m_config.mss);
        if (right - m_rcvAdvRight >= threshold)
            m_rcvAdvRight = right;
    }
    if (seqLt(m_rcvAdvRight, m_rcvNxt))
        m_rcvAdvRight = m_rcvNxt;
    return m_rcvAdvRight - m_rcvNxt;
}

void TcpConnection::sendSegment(std::uint32_t seq, std::uint8_t flags, ByteSpan payload, bool withMss)
{
    TcpSegment s;
    s.srcPort = m_endpoints.localPort;
    s.dstPort = m_endpoints.remotePort;
    s.seq = seq;
    s.flags = flags;
    if (flags & tcpflag::Ack)
        s.ack = m_rcvNxt;
    s.window = static_cast<std::uint16_t>(windowToAdvertise());
    if (withMss)
        s.options.mss = m_config.mss;
    s.payload = payload;
    ++m_stats.segmentsOut;
    m_sink.sendTcp(m_endpoints.localIp, m_endpoints.remoteIp, s);
}

void TcpConnection::sendAck()
{
    // SND.MAX, not a SND.NXT rewound by go-back-N: the peer may already hold data up to
    // SND.MAX, and an ACK below its RCV.NXT would be discarded as a duplicate.
    sendSegment(m_sndMax, tcpflag::Ack, {});
}

void TcpConnection::sendChallengeAck(Nanos now)
{
    if (now - m_challengeWindowStart >= Second) {
        m_challengeWindowStart = now;
        m_challengeCount = 0;
    }
    if (m_challengeCount >= m_config.challengeAcksPerSecond)
        return;
    ++m_challengeCount;
    ++m_stats.challengeAcks;
    sendAck();
}

bool TcpConnection::hasUnsent() const
{
    std::uint32_t sentData = m_sndMax - m_sndUna;
    std::size_t buffered = m_sendBuffer.size() + (m_finQueued && !m_finAcked ? 1 : 0);
    return buffered > sentData;
}

std::uint32_t TcpConnection::transmit(std::uint32_t seq, std::size_t maxData, Nanos now)
{
    std::size_t offset = seq - m_sndUna;
    std::size_t available = m_sendBuffer.size() > offset ? m_sendBuffer.size() - offset : 0;
    std::size_t length = minOf(available, maxData);
    bool fin = m_finQueued && !m_finAcked && offset + length == m_sendBuffer.size();
    if (length == 0 && !fin)
        return 0;
    m_scratch.resize(length);
    m_sendBuffer.peek(offset, m_scratch);
    std::uint8_t flags = tcpflag::Ack;
    if (fin)
        flags |= tcpflag::Fin;
    if (length > 0 && offset + length == m_sendBuffer.size())
        flags |= tcpflag::Psh;
    sendSegment(seq, flags, m_scratch);
    auto consumed = static_cast<std::uint32_t>(length + (fin ? 1 : 0));
    if (seqGt(seq + consumed, m_sndMax)) {
        if (!m_timing && seq == m_sndMax) {
            m_timing = true;
            m_timedSeq = seq;
            m_timedAt = now;
        }
        m_sndMax = seq + consumed;
    }
    return consumed;
}

void TcpConnection::trySend(Nanos now)
{
    if (!canSendData())
        return;
    for (;;) {
        std::uint32_t flight = m_sndNxt - m_sndUna;
        std::uint32_t window = minOf(m_sndWnd, m_cwnd);
        std::uint32_t usable = window > flight ? window - flight : 0;
        std::size_t maxData = minOf<std::size_t>(usable, m_sndMss);
        std::size_t offset = m_sndNxt - m_sndUna;
        bool finOnly = m_finQueued && !m_finAcked && offset == m_sendBuffer.size();
        if (maxData == 0 && !finOnly)
            break;
        std::uint32_t consumed = transmit(m_sndNxt, maxData, now);
        if (consumed == 0)
            break;
        m_sndNxt += consumed;
    }
    updateTimers(now);
}

void TcpConnection::updateTimers(Nanos now)
{
    if (!synchronized())
        return;
    if (m_sndMax != m_sndUna) {
        m_persistDeadline = Never;
        if (m_rtoDeadline == Never)
            m_rtoDeadline = now + m_rto;
    } else {
        m_rtoDeadline = Never;
        // Nothing in flight but data waiting behind a zero window: probe it (RFC 9293 3.8.6.1).
        if (m_sndWnd == 0 && hasUnsent() && canSendData()) {
            if (m_persistDeadline == Never)
                m_persistDeadline = now + m_rto;
        } else {
            m_persistDeadline = Never;
        }
    }
    if (m_config.keepAliveIdle > 0 && m_state == TcpState::Established) {
        m_keepAliveDeadline = m_lastReceive + m_config.keepAliveIdle + Nanos {m_keepAliveSent} * m_config.keepAliveInterval;
    } else {
        m_keepAliveDeadline = Never;
    }
}

void TcpConnection::rttSample(Nanos r)
{
    // RFC 6298 (2.2) and (2.3), with alpha = 1/8 and beta = 1/4.
    if (!m_haveRtt) {
        m_srtt = r;
        m_rttvar = r / 2;
        m_haveRtt = true;
    } else {
        Nanos delta = m_srtt > r ? m_srtt - r : r - m_srtt;
        m_rttvar = (3 * m_rttvar + delta) / 4;
        m_srtt = (7 * m_srtt + r) / 8;
    }
    Nanos rto = m_srtt + maxOf(ClockGranularity, 4 * m_rttvar);
    m_rto = minOf(maxOf(rto, m_config.minRto), m_config.maxRto);
}

void TcpConnection::establish(Nanos now)
{
    m_state = TcpState::Established;
    m_retransmits = 0;
    m_cwnd = m_config.initialCwndSegments * std::uint32_t {m_sndMss};
    m_events |= tcpevent::Connected | tcpevent::Writable;
    if (m_closeWhenEstablished)
        shutdown(now);
}

void TcpConnection::enterClosed(TcpError error)
{
    if (m_state == TcpState::Closed)
        return;
    m_state = TcpState::Closed;
    m_error = error;
    m_rtoDeadline = m_persistDeadline = m_timeWaitDeadline = m_keepAliveDeadline = Never;
    m_events |= tcpevent::Closed | tcpevent::Readable;
}

void TcpConnection::enterTimeWait(Nanos now)
{
    m_state = TcpState::TimeWait;
    m_rtoDeadline = m_persistDeadline = m_keepAliveDeadline = Never;
    m_timeWaitDeadline = now + m_config.timeWait;
}

void TcpConnection::input(const TcpSegment& seg, Nanos now)
{
    ++m_stats.segmentsIn;
    if (m_state == TcpState::Closed || m_state == TcpState::Listen)
        return;
    if (m_state == TcpState::SynSent) {
        inputSynSent(seg, now);
        return;
    }
    // A retransmitted SYN means our SYN,ACK was lost: answer it at once.
    if (m_state == TcpState::SynReceived && seg.has(tcpflag::Syn) && !seg.has(tcpflag::Ack) && seg.seq == m_irs) {
        sendSyn();
        return;
    }
    if (!acceptable(seg)) {
        if (seg.has(tcpflag::Rst))
            return;
        // A retransmitted FIN in TIME-WAIT: our last ACK was lost; restart 2*MSL (RFC 9293).
        if (m_state == TcpState::TimeWait && seg.has(tcpflag::Fin))
            m_timeWaitDeadline = now + m_config.timeWait;
        // With a closed receive window only an ACK at RCV.NXT is processed (RFC 9293 3.10.7.4);
        // this is how our window updates reach a peer that keeps probing. The ACK field of
        // a wholly old duplicate (a go-back-N retransmission) is processed too, as BSD does:
        // dropping it can leave two retransmitting peers ignoring each other's ACKs.
        bool zeroWindowAck = m_rcvAdvRight == m_rcvNxt && seg.seq == m_rcvNxt;
        bool oldDuplicate = seqLe(seg.seq + seg.seqLength(), m_rcvNxt);
        if ((zeroWindowAck || oldDuplicate) && seg.has(tcpflag::Ack) && !seg.has(tcpflag::Syn)
            && m_state != TcpState::SynReceived) {
            m_lastReceive = now;
            m_keepAliveSent = 0;
            if (processAck(seg, now) && !finAckedTransitions(now))
                trySend(now);
            if (m_state == TcpState::Closed)
                return;
        }
        sendAck();
        updateTimers(now);
        return;
    }
    m_lastReceive = now;
    m_keepAliveSent = 0;
    if (seg.has(tcpflag::Rst)) {
        // RFC 5961 3.2: only an exact match resets; anything else in window gets a challenge.
        if (seg.seq != m_rcvNxt) {
            sendChallengeAck(now);
            return;
        }
        if (m_state == TcpState::SynReceived && m_passive) {
            enterClosed(TcpError::None);
            return;
        }
        enterClosed(m_state == TcpState::SynReceived ? TcpError::Refused : TcpError::Reset);
        return;
    }
    if (seg.has(tcpflag::Syn)) {
        // RFC 5961 4.2: a SYN in a synchronized state is answered with a challenge ACK.
        sendChallengeAck(now);
        return;
    }
    if (!seg.has(tcpflag::Ack))
        return;
    if (m_state == TcpState::SynReceived) {
        if (!seqGt(seg.ack, m_sndUna) || seqGt(seg.ack, m_sndMax)) {
            sendSegment(seg.ack, tcpflag::Rst, {});
            return;
        }
        m_sndUna = m_iss + 1;
        if (m_timing) {
            rttSample(now - m_timedAt);
            m_timing = false;
        }
        m_rtoDeadline = Never;
        m_sndWnd = seg.window;
        m_maxSndWnd = maxOf(m_maxSndWnd, m_sndWnd);
        m_sndWl1 = seg.seq;
        m_sndWl2 = seg.ack;
        establish(now);
        if (m_state == TcpState::Closed)
            return;
    }
    if (!processAck(seg, now))
        return;
    if (m_state == TcpState::Closed || finAckedTransitions(now))
        return;
    processData(seg, now);
    trySend(now);
    updateTimers(now);
}

bool TcpConnection::finAckedTransitions(Nanos now)
{
    if (!m_finAcked)
        return false;
    if (m_state == TcpState::FinWait1) {
        m_state = TcpState::FinWait2;
    } else if (m_state == TcpState::Closing) {
        enterTimeWait(now);
    } else if (m_state == TcpState::LastAck) {
        enterClosed(TcpError::None);
        return true;
    }
    return false;
}

void TcpConnection::inputSynSent(const TcpSegment& seg, Nanos now)
{
    bool hasAck = seg.has(tcpflag::Ack);
    if (hasAck && (seqLe(seg.ack, m_iss) || seqGt(seg.ack, m_sndMax))) {
        if (!seg.has(tcpflag::Rst))
            sendSegment(seg.ack, tcpflag::Rst, {});
        return;
    }
    if (seg.has(tcpflag::Rst)) {
        if (hasAck)
            enterClosed(TcpError::Refused);
        return;
    }
    if (!seg.has(tcpflag::Syn))
        return;
    m_irs = seg.seq;
    m_rcvNxt = seg.seq + 1;
    m_rcvAdvRight = m_rcvNxt;
    clampMss(seg);
    m_lastReceive = now;
    if (hasAck) {
        m_sndUna = seg.ack;
        m_sndWnd = seg.window;
        m_maxSndWnd = seg.window;
        m_sndWl1 = seg.seq;
        m_sndWl2 = seg.ack;
        if (m_timing) {
            rttSample(now - m_timedAt);
            m_timing = false;
        }
        m_rtoDeadline = Never;
        establish(now);
        sendAck();
        trySend(now);
        updateTimers(now);
        return;
    }
    // Simultaneous open.
    m_state = TcpState::SynReceived;
    m_sndWnd = seg.window;
    m_sndWl1 = seg.seq;
    sendSyn();
    m_rtoDeadline = now + m_rto;
}

bool TcpConnection::acceptable(const TcpSegment& seg) const
{
    // RFC 9293 3.10.7.4, table of the four cases, against the window we last advertised.
    std::uint32_t window = m_rcvAdvRight - m_rcvNxt;
    std::uint32_t length = seg.seqLength();
    auto inWindow = [&](std::uint32_t s) { return seqLe(m_rcvNxt, s) && seqLt(s, m_rcvNxt + window); };
    if (length == 0) {
        // An ACK may sit exactly at the right edge when the peer filled our window.
        return window == 0 ? seg.seq == m_rcvNxt : seqLe(m_rcvNxt, seg.seq) && seqLe(seg.seq, m_rcvNxt + window);
    }
    if (window == 0)
        return false;
    return inWindow(seg.seq) || inWindow(seg.seq + length - 1);
}

bool TcpConnection::processAck(const TcpSegment& seg, Nanos now)
{
    std::uint32_t ack = seg.ack;
    if (seqGt(ack, m_sndMax)) {
        sendAck();
        return false;
    }
    // RFC 5961 5.2: ACKs older than the largest window we have seen are blind guesses.
    if (seqLt(ack, m_sndUna - m_maxSndWnd)) {
        sendAck();
        return false;
    }
    bool windowChanges = seg.window != m_sndWnd;
    if (seqGt(ack, m_sndUna)) {
        std::uint32_t acked = ack - m_sndUna;
        std::size_t data = minOf<std::size_t>(acked, m_sendBuffer.size());
        m_sendBuffer.consume(data);
        if (acked > data && m_finQueued)
            m_finAcked = true;
        m_sndUna = ack;
        if (seqLt(m_sndNxt, m_sndUna))
            m_sndNxt = m_sndUna;
        if (m_timing && seqGt(ack, m_timedSeq)) {
            rttSample(now - m_timedAt);
            m_timing = false;
        }
        m_retransmits = 0;
        if (m_inRecovery) {
            if (seqGe(ack, m_recover)) {
                m_inRecovery = false;
                m_cwnd = m_ssthresh;
            } else {
                // Partial ACK (RFC 6582): the next hole is lost too; resend it now.
                transmit(m_sndUna, m_sndMss, now);
                ++m_stats.fastRetransmits;
                m_timing = false;
                m_cwnd = (m_cwnd > acked ? m_cwnd - acked : 0) + m_sndMss;
            }
        } else if (m_cwnd < m_ssthresh) {
            m_cwnd += minOf<std::uint32_t>(acked, m_sndMss);
        } else {
            m_cwnd += maxOf<std::uint32_t>(1, std::uint32_t {m_sndMss} * m_sndMss / maxOf<std::uint32_t>(m_cwnd, 1));
        }
        m_cwnd = minOf<std::uint32_t>(m_cwnd, MaxCwnd);
        m_dupAcks = 0;
        // RFC 6298 (5.2)/(5.3): stop the timer when all is acknowledged, else restart it.
        m_rtoDeadline = m_sndMax == m_sndUna ? Never : now + m_rto;
        if (data > 0 && !m_finQueued)
            m_events |= tcpevent::Writable;
    } else if (ack == m_sndUna && seg.payload.empty() && !seg.has(tcpflag::Fin) && !windowChanges
               && m_sndMax != m_sndUna && m_sndWnd != 0) {
        // A duplicate ACK as RFC 5681 defines it; answers to zero-window probes are not.
        ++m_dupAcks;
        if (m_dupAcks == 3 && !m_inRecovery) {
            // Fast retransmit (RFC 5681 3.2).
            std::uint32_t flight = m_sndMax - m_sndUna;
            m_ssthresh = maxOf<std::uint32_t>(flight / 2, 2u * m_sndMss);
            m_inRecovery = true;
            m_recover = m_sndMax;
            transmit(m_sndUna, m_sndMss, now);
            ++m_stats.fastRetransmits;
            m_timing = false;
            m_cwnd = m_ssthresh + 3u * m_sndMss;
        } else if (m_dupAcks > 3 && m_inRecovery) {
            m_cwnd += m_sndMss;
        }
    }
    // Window update (RFC 9293 3.10.7.4, fifth check), guarded against old segments.
    if (seqGe(ack, m_sndUna) && (seqLt(m_sndWl1, seg.seq) || (m_sndWl1 == seg.seq && seqLe(m_sndWl2, ack)))) {
        std::uint32_t old = m_sndWnd;
        m_sndWnd = seg.window;
        m_sndWl1 = seg.seq;
        m_sndWl2 = ack;
        m_maxSndWnd = maxOf(m_maxSndWnd, m_sndWnd);
        if (old == 0 && m_sndWnd > 0 && m_sndNxt != m_sndUna) {
            // The window reopened: resend the probe byte with the rest instead of waiting
            // for its (backed-off) retransmission timer.
            m_sndNxt = m_sndUna;
        }
    }
    // A peer that answers zero-window probes is alive: probing may go on indefinitely.
    if (m_sndWnd == 0)
        m_retransmits = 0;
    return true;
}

void TcpConnection::processData(const TcpSegment& seg, Nanos now)
{
    bool fin = seg.has(tcpflag::Fin);
    if (seg.payload.empty() && !fin)
        return;
    if (m_state != TcpState::Established && m_state != TcpState::FinWait1 && m_state != TcpState::FinWait2) {
        // After the peer's FIN nothing more may arrive; answer duplicates with an ACK.
        if (m_state == TcpState::TimeWait && fin)
            m_timeWaitDeadline = now + m_config.timeWait;
        sendAck();
        return;
    }
    std::uint32_t seq = seg.seq;
    ByteSpan data = seg.payload;
    if (seqLt(seq, m_rcvNxt)) {
        std::uint32_t skip = m_rcvNxt - seq;
        if (skip >= data.size()) {
            // Only a (possibly new) FIN remains, or nothing at all.
            if (!(fin && seq + data.size() == m_rcvNxt)) {
                sendAck();
                return;
            }
            data = {};
        } else {
            data = data.subspan(skip);
        }
        seq = m_rcvNxt;
    }
    std::uint32_t right = m_rcvAdvRight;
    if (seqGt(seq + static_cast<std::uint32_t>(data.size()), right)) {
        data = data.first(right - seq);
        fin = false; // the FIN lies beyond the window; the peer will send it again
    }
    if (seq == m_rcvNxt) {
        deliver(seq, data, fin);
        drainOutOfOrder();
    } else {
        queueOutOfOrder(seq, data, fin);
    }
    if (m_finReceived && m_state != TcpState::CloseWait && m_state != TcpState::Closing
        && m_state != TcpState::TimeWait && m_state != TcpState::LastAck)
        receiveFin(now);
    sendAck();
}

void TcpConnection::deliver(std::uint32_t seq, ByteSpan data, bool fin)
{
    (void)seq;
    if (!data.empty()) {
        std::size_t taken = m_released ? data.size() : m_recvBuffer.write(data);
        m_rcvNxt += static_cast<std::uint32_t>(taken);
        if (taken < data.size())
            fin = false;
        if (taken > 0 && !m_released)
            m_events |= tcpevent::Readable;
    }
    if (fin && !m_finReceived) {
        m_rcvNxt += 1;
        m_finReceived = true;
        m_events |= tcpevent::Readable;
    }
}

void TcpConnection::queueOutOfOrder(std::uint32_t seq, ByteSpan data, bool fin)
{
    for (const auto& s : m_ooo)
        if (s.seq == seq && s.data.size() >= data.size() && (s.fin || !fin))
            return; // duplicate
    if (m_ooo.size() >= m_config.maxOutOfOrderSegments) {
        ++m_stats.outOfOrderDropped;
        return;
    }
    ++m_stats.outOfOrderQueued;
    std::size_t at = 0;
    while (at < m_ooo.size() && seqLe(m_ooo[at].seq, seq))
        ++at;
    m_ooo.insert(m_ooo.begin() + static_cast<std::ptrdiff_t>(at),
                 OooSegment {seq, std::vector<std::uint8_t>(data.begin(), data.end()), fin});
}

void TcpConnection::drainOutOfOrder()
{
    while (!m_ooo.empty() && !m_finReceived) {
        OooSegment& s = m_ooo.front();
        if (seqGt(s.seq, m_rcvNxt))
            break;
        std::uint32_t end = s.seq + static_cast<std::uint32_t>(s.data.size());
        if (seqGe(end, m_rcvNxt)) {
            std::size_t skip = m_rcvNxt - s.seq;
            deliver(m_rcvNxt, ByteSpan(s.data).subspan(skip), s.fin);
        }
        m_ooo.erase(m_ooo.begin());
    }
    if (m_finReceived)
        m_ooo.clear();
}

void TcpConnection::receiveFin(Nanos now)
{
    switch (m_state) {
    case TcpState::Established: m_state = TcpState::CloseWait; break;
    case TcpState::FinWait1:
        if (m_finAcked)
            enterTimeWait(now);
        else
            m_state = TcpState::Closing;
        break;
    case TcpState::FinWait2: enterTimeWait(now); break;
    default: break;
    }
}

void TcpConnection::onRetransmitTimeout(Nanos now)
{
    unsigned limit = synchronized() ? m_config.maxRetransmits : m_config.maxSynRetransmits;
    if (m_retransmits >= limit) {
        enterClosed(TcpError::Timeout);
        return;
    }
    ++m_retransmits;
    ++m_stats.retransmitTimeouts;
    m_timing = false; // Karn: never sample a retransmitted sequence
    m_rto = minOf(m_rto * 2, m_config.maxRto); // RFC 6298 (5.5)
    m_rtoDeadline = now + m_rto;
    if (m_state == TcpState::SynSent || m_state == TcpState::SynReceived) {
        sendSyn();
        return;
    }
    std::uint32_t flight = m_sndMax - m_sndUna;
    if (m_sndWnd == 0) {
        ++m_stats.zeroWindowProbes; // retransmitting the probe byte is not congestion
    } else {
        // RFC 5681 (4): loss is congestion; restart from one segment (go-back-N).
        m_ssthresh = maxOf<std::uint32_t>(flight / 2, 2u * m_sndMss);
        m_cwnd = m_sndMss;
        m_inRecovery = false;
        m_dupAcks = 0;
    }
    std::uint32_t consumed = transmit(m_sndUna, minOf<std::uint32_t>(m_sndMss, flight), now);
    m_sndNxt = m_sndUna + consumed;
}

void TcpConnection::poll(Nanos now)
{
    if (m_state == TcpState::TimeWait) {
        if (now >= m_timeWaitDeadline)
            enterClosed(TcpError::None);
        return;
    }
    if (m_state == TcpState::Closed)
        return;
    if (now >= m_rtoDeadline) {
        onRetransmitTimeout(now);
        if (m_state == TcpState::Closed)
            return;
    }
    if (now >= m_persistDeadline) {
        m_persistDeadline = Never;
        ++m_stats.zeroWindowProbes;
        // One byte beyond the closed window (RFC 9293 3.8.6.1); its retransmission with
        // back-off is then the retransmission timer's job.
        std::uint32_t consumed = transmit(m_sndUna, 1, now);
        m_sndNxt = m_sndUna + consumed;
        m_timing = false;
        m_rto = minOf(m_rto * 2, m_config.maxRto);
        m_rtoDeadline = now + m_rto;
    }
    if (now >= m_keepAliveDeadline) {
        if (m_keepAliveSent >= m_config.keepAliveProbes) {
            enterClosed(TcpError::Timeout);
            return;
        }
        if (m_sndMax == m_sndUna) {
            // An old sequence number makes the peer answer with an ACK (RFC 9293 3.8.4).
            ++m_keepAliveSent;
            ++m_stats.keepAliveProbes;
            sendSegment(m_sndUna - 1, tcpflag::Ack, {});
        } else {
            m_lastReceive = now; // data in flight: the retransmission timer watches the peer
        }
    }
    updateTimers(now);
}

Nanos TcpConnection::nextDeadline() const
{
    Nanos next = m_rtoDeadline;
    next = minOf(next, m_persistDeadline);
    next = minOf(next, m_timeWaitDeadline);
    next = minOf(next, m_keepAliveDeadline);
    return next;
}

std::size_t TcpConnection::write(ByteSpan data, Nanos now)
{
    if (m_finQueued)
        return 0;
    if (m_state != TcpState::SynSent && m_state != TcpState::SynReceived && m_state != TcpState::Established
        && m_state != TcpState::CloseWait)
        return 0;
    std::size_t n = m_sendBuffer.write(data);
    trySend(now);
    return n;
}

std::size_t TcpConnection::read(std::span<std::uint8_t> out, Nanos now)
{
    std::uint32_t before = m_rcvAdvRight - m_rcvNxt;
    std::size_t n = m_recvBuffer.read(out);
    if (n > 0 && synchronized() && m_state != TcpState::TimeWait && !m_finReceived) {
        // Window update: tell the peer once the right edge moved (after SWS avoidance).
        std::uint32_t right = m_rcvAdvRight;
        std::uint32_t after = windowToAdvertise();
        if (m_rcvAdvRight != right && (before < m_config.mss || after - before >= 2u * m_config.mss))
            sendAck();
        (void)now;
    }
    return n;
}

void TcpConnection::close(Nanos now)
{
    m_released = true;
    if (m_state == TcpState::SynSent) {
        enterClosed(TcpError::None); // nothing was promised to the peer yet
        return;
    }
    shutdown(now);
}

void TcpConnection::shutdown(Nanos now)
{
    switch (m_state) {
    case TcpState::SynSent:
    case TcpState::SynReceived:
        m_closeWhenEstablished = true;
        return;
    case TcpState::Established:
        m_finQueued = true;
        m_state = TcpState::FinWait1;
        break;
    case TcpState::CloseWait:
        m_finQueued = true;
        m_state = TcpState::LastAck;
        break;
    default:
        return;
    }
    trySend(now);
}

void TcpConnection::abort()
{
    m_released = true;
    if (m_state == TcpState::Closed)
        return;
    if (m_state != TcpState::SynSent && m_state != TcpState::TimeWait)
        sendSegment(m_sndNxt, tcpflag::Rst, {});
    enterClosed(TcpError::None);
}

} // namespace hive::net
