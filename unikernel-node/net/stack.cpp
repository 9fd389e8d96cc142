#include "net/stack.h"

#include <utility>

namespace hive::net {

namespace {

constexpr std::size_t IpFrameHeader = EthernetHeaderSize + Ipv4HeaderSize;
constexpr std::size_t MaxUdpPayload = 1500 - Ipv4HeaderSize - UdpHeaderSize;

constexpr std::uint8_t eventBit(EventKind kind) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(kind)); }

SipKey half(const std::array<std::uint8_t, 32>& secret, std::size_t offset)
{
    SipKey k {};
    for (std::size_t i = 0; i < k.size(); ++i)
        k[i] = secret[offset + i];
    return k;
}

} // namespace

Stack::Stack(const Config& config)
    : m_config(config)
    , m_isnKey(half(config.secret, 0))
    , m_random(half(config.secret, 16))
    , m_arp(config.arp)
    , m_dhcp(config.mac, m_random)
{
}

Stack::~Stack() = default;

void Stack::setAddress(const std::optional<Ipv4Config>& config)
{
    m_address = config;
    std::uint8_t bit = eventBit(config ? EventKind::AddressAcquired : EventKind::AddressLost);
    if (!(m_stackEvents & bit)) {
        m_stackEvents |= bit;
        m_events.push_back({config ? EventKind::AddressAcquired : EventKind::AddressLost, 0});
    }
    if (config) {
        // Gratuitous ARP: announce the address so neighbours update stale caches.
        sendArp(ArpRequest, MacAddr {}, config->address, MacAddr::broadcast());
    }
}

void Stack::configureStatic(const Ipv4Config& config, Nanos now)
{
    m_now = now;
    m_dhcpEnabled = false;
    setAddress(config);
}

void Stack::startDhcp(Nanos now)
{
    m_now = now;
    m_dhcpEnabled = true;
    m_dhcp.start(now);
    flushDhcp();
    applyDhcp(now);
}

std::optional<Ipv4Config> Stack::address() const { return m_address; }

void Stack::flushDhcp()
{
    while (auto out = m_dhcp.takeOutgoing()) {
        auto frame = newFrame(UdpHeaderSize + out->payload.size());
        writeUdp(frame.data() + IpFrameHeader, out->src, out->dst, DhcpClientPort, DhcpServerPort, out->payload);
        sendIpv4(std::move(frame), out->src, out->dst, IpProtoUdp);
    }
}

void Stack::applyDhcp(Nanos)
{
    switch (m_dhcp.takeChange()) {
    case DhcpClient::Change::Acquired: setAddress(m_dhcp.lease()); break;
    case DhcpClient::Change::Lost: setAddress(std::nullopt); break;
    case DhcpClient::Change::None: break;
    }
}

std::vector<std::uint8_t> Stack::newFrame(std::size_t l4Size) { return std::vector<std::uint8_t>(IpFrameHeader + l4Size); }

void Stack::emit(std::vector<std::uint8_t> frame)
{
    if (m_tx.size() >= m_config.txQueueLimit) {
        ++m_stats.txQueueFull;
        return;
    }
    ++m_stats.framesOut;
    m_tx.push_back(std::move(frame));
}

std::optional<std::vector<std::uint8_t>> Stack::takeFrame()
{
    if (m_tx.empty())
        return std::nullopt;
    auto f = std::move(m_tx.front());
    m_tx.pop_front();
    return f;
}

void Stack::returnFrame(std::vector<std::uint8_t> frame)
{
    --m_stats.framesOut;
    m_tx.push_front(std::move(frame));
}

void Stack::sendArp(std::uint16_t operation, MacAddr targetMac, Ipv4Addr targetIp, MacAddr ethDst)
{
    std::vector<std::uint8_t> frame(EthernetHeaderSize + ArpPacketSize);
    writeEthernetHeader(frame.data(), ethDst, m_config.mac, EtherTypeArp);
    ArpPacket a;
    a.operation = operation;
    a.senderMac = m_config.mac;
    a.senderIp = m_address ? m_address->address : Ipv4Addr::any();
    a.targetMac = targetMac;
    a.targetIp = targetIp;
    writeArp(frame.data() + EthernetHeaderSize, a);
    emit(std::move(frame));
}

void Stack::sendIpv4(std::vector<std::uint8_t> frame, Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol)
{
    auto total = static_cast<std::uint16_t>(frame.size() - EthernetHeaderSize);
    writeIpv4Header(frame.data() + EthernetHeaderSize, src, dst, protocol, total, m_ipId++, m_config.ttl);
    if (dst == Ipv4Addr::broadcast() || (m_address && dst == m_address->subnetBroadcast())) {
        writeEthernetHeader(frame.data(), MacAddr::broadcast(), m_config.mac, EtherTypeIpv4);
        emit(std::move(frame));
        return;
    }
    if (!m_address) {
        ++m_stats.noRoute;
        return;
    }
    Ipv4Addr hop = m_address->sameSubnet(dst) ? dst : m_address->gateway;
    if (hop.isAny()) {
        ++m_stats.noRoute;
        return;
    }
    if (auto mac = m_arp.lookup(hop, m_now)) {
        writeEthernetHeader(frame.data(), *mac, m_config.mac, EtherTypeIpv4);
        emit(std::move(frame));
        return;
    }
    switch (m_arp.enqueue(hop, std::move(frame), m_now)) {
    case ArpCache::Queued::SendRequest: sendArp(ArpRequest, MacAddr {}, hop, MacAddr::broadcast()); break;
    case ArpCache::Queued::Waiting: break;
    case ArpCache::Queued::Dropped: ++m_stats.arpUnresolved; break;
    }
}

void Stack::input(ByteSpan bytes, Nanos now)
{
    m_now = now;
    ++m_stats.framesIn;
    auto eth = parseEthernet(bytes);
    if (!eth) {
        ++m_stats.malformed;
        return;
    }
    if (eth->dst != m_config.mac && !eth->dst.isBroadcast()) {
        ++m_stats.notForUs;
        return;
    }
    if (eth->type == EtherTypeArp)
        inputArp(*eth, now);
    else if (eth->type == EtherTypeIpv4)
        inputIpv4(*eth, now);
    else
        ++m_stats.notForUs;
    reap();
}

void Stack::inputArp(const EthernetFrame& eth, Nanos now)
{
    auto arp = parseArp(eth.payload);
    if (!arp) {
        ++m_stats.malformed;
        return;
    }
    if (arp->senderIp.isAny() || arp->senderMac.isMulticast())
        return; // address probes (RFC 5227) and nonsense senders are not cached
    bool forUs = m_address && arp->targetIp == m_address->address;
    if (m_address && arp->senderIp == m_address->address)
        return; // someone else claims our address; never cache it
    // RFC 826 merge: refresh an existing entry (this also covers gratuitous ARP), and
    // create one only when the packet is addressed to us.
    for (auto& frame : m_arp.update(arp->senderIp, arp->senderMac, forUs, now)) {
        writeEthernetHeader(frame.data(), arp->senderMac, m_config.mac, EtherTypeIpv4);
        emit(std::move(frame));
    }
    if (forUs && arp->operation == ArpRequest)
        sendArp(ArpReply, arp->senderMac, arp->senderIp, arp->senderMac);
}

void Stack::inputIpv4(const EthernetFrame& eth, Nanos now)
{
    ParseError error = ParseError::None;
    auto ip = parseIpv4(eth.payload, &error);
    if (!ip) {
        if (error == ParseError::BadChecksum)
            ++m_stats.badChecksum;
        else if (error == ParseError::Fragment)
            ++m_stats.fragments;
        else
            ++m_stats.malformed;
        return;
    }
    if (ip->ttl == 0) {
        ++m_stats.malformed;
        return;
    }
    bool forUs = m_address
        && (ip->dst == m_address->address || ip->dst == Ipv4Addr::broadcast() || ip->dst == m_address->subnetBroadcast());
    // Before we have an address, DHCP replies may come to the offered address or broadcast.
    bool dhcpReply = m_dhcpEnabled && ip->protocol == IpProtoUdp;
    if (!forUs && !dhcpReply) {
        ++m_stats.notForUs;
        return;
    }
    switch (ip->protocol) {
    case IpProtoIcmp:
        if (forUs)
            inputIcmp(*ip);
        break;
    case IpProtoUdp: inputUdp(*ip); break;
    case IpProtoTcp:
        if (forUs)
            inputTcp(*ip, now);
        break;
    default: ++m_stats.notForUs; break;
    }
}

void Stack::inputIcmp(const Ipv4Packet& ip)
{
    ParseError error = ParseError::None;
    auto icmp = parseIcmp(ip.payload, &error);
    if (!icmp) {
        if (error == ParseError::BadChecksum)
            ++m_stats.badChecksum;
        else
            ++m_stats.malformed;
        return;
    }
    if (icmp->type == IcmpEchoReply) {
        ++m_stats.echoReplies;
        return;
    }
    if (icmp->type != IcmpEchoRequest || icmp->code != 0 || ip.dst != m_address->address)
        return; // no replies to broadcast pings (RFC 1122 3.2.2.6 allows silence)
    auto frame = newFrame(IcmpHeaderSize + icmp->payload.size());
    writeIcmp(frame.data() + IpFrameHeader, IcmpEchoReply, 0, icmp->rest, icmp->payload);
    sendIpv4(std::move(frame), m_address->address, ip.src, IpProtoIcmp);
}

void Stack::ping(Ipv4Addr dst, std::uint16_t id, std::uint16_t sequence, ByteView payload)
{
    if (!m_address)
        return;
    auto frame = newFrame(IcmpHeaderSize + payload.size());
    writeIcmp(frame.data() + IpFrameHeader, IcmpEchoRequest, 0, (std::uint32_t {id} << 16) | sequence, payload);
    sendIpv4(std::move(frame), m_address->address, dst, IpProtoIcmp);
}

void Stack::sendPortUnreachable(const Ipv4Packet& ip)
{
    // RFC 792/1122: quote the offending header and the first 8 bytes of its payload.
    std::size_t quoted = ip.payload.size() < 8 ? ip.payload.size() : 8;
    std::vector<std::uint8_t> quote(ip.header.begin(), ip.header.end());
    quote.insert(quote.end(), ip.payload.begin(), ip.payload.begin() + static_cast<std::ptrdiff_t>(quoted));
    auto frame = newFrame(IcmpHeaderSize + quote.size());
    writeIcmp(frame.data() + IpFrameHeader, IcmpDestUnreachable, IcmpPortUnreachable, 0, quote);
    sendIpv4(std::move(frame), m_address->address, ip.src, IpProtoIcmp);
}

void Stack::inputUdp(const Ipv4Packet& ip)
{
    ParseError error = ParseError::None;
    auto udp = parseUdp(ip.payload, ip.src, ip.dst, &error);
    if (!udp) {
        if (error == ParseError::BadChecksum)
            ++m_stats.badChecksum;
        else
            ++m_stats.malformed;
        return;
    }
    if (m_dhcpEnabled && udp->dstPort == DhcpClientPort && udp->srcPort == DhcpServerPort) {
        if (auto message = parseDhcp(udp->payload)) {
            m_dhcp.input(*message, m_now);
            flushDhcp();
            applyDhcp(m_now);
        } else {
            ++m_stats.malformed;
        }
        return;
    }
    bool unicastToUs = m_address && ip.dst == m_address->address;
    if (!m_address || (!unicastToUs && ip.dst != Ipv4Addr::broadcast() && ip.dst != m_address->subnetBroadcast())) {
        ++m_stats.notForUs;
        return;
    }
    for (auto& s : m_udp) {
        if (s.port != udp->dstPort)
            continue;
        if (s.queue.size() >= m_config.udpQueueLimit) {
            ++m_stats.udpQueueFull;
            return;
        }
        s.queue.push_back({ip.src, udp->srcPort, std::vector<std::uint8_t>(udp->payload.begin(), udp->payload.end())});
        if (!s.pendingEvent) {
            s.pendingEvent = true;
            m_events.push_back({EventKind::UdpReadable, s.id});
        }
        return;
    }
    ++m_stats.noSocket;
    if (unicastToUs)
        sendPortUnreachable(ip);
}

void Stack::sendReset(const Ipv4Packet& ip, const TcpSegment& seg)
{
    // RFC 9293 3.10.7.1: answer a segment for no connection so the peer gives up at once.
    TcpSegment r;
    r.srcPort = seg.dstPort;
    r.dstPort = seg.srcPort;
    if (seg.has(tcpflag::Ack)) {
        r.seq = seg.ack;
        r.flags = tcpflag::Rst;
    } else {
        r.seq = 0;
        r.ack = seg.seq + seg.seqLength();
        r.flags = tcpflag::Rst | tcpflag::Ack;
    }
    sendTcp(ip.dst, ip.src, r);
}

void Stack::sendTcp(Ipv4Addr src, Ipv4Addr dst, const TcpSegment& segment)
{
    auto frame = newFrame(tcpHeaderSize(segment.options.mss.has_value()) + segment.payload.size());
    writeTcp(frame.data() + IpFrameHeader, src, dst, segment);
    sendIpv4(std::move(frame), src, dst, IpProtoTcp);
}

std::uint32_t Stack::initialSequence(const TcpEndpoints& e) const
{
    // RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), where M
    // is a 4 microsecond timer and F a keyed hash (SipHash-2-4 here).
    std::array<std::uint8_t, 12> tuple {};
    store32(&tuple[0], e.localIp.value);
    store16(&tuple[4], e.localPort);
    store32(&tuple[6], e.remoteIp.value);
    store16(&tuple[10], e.remotePort);
    auto f = static_cast<std::uint32_t>(sipHash24(m_isnKey, tuple));
    return f + static_cast<std::uint32_t>(m_now / 4000);
}

void Stack::inputTcp(const Ipv4Packet& ip, Nanos now)
{
    ParseError error = ParseError::None;
    auto seg = parseTcp(ip.payload, ip.src, ip.dst, &error);
    if (!seg) {
        if (error == ParseError::BadChecksum)
            ++m_stats.badChecksum;
        else
            ++m_stats.malformed;
        return;
    }
    if (ip.dst != m_address->address)
        return; // TCP is unicast only
    TcpEndpoints e {ip.dst, seg->dstPort, ip.src, seg->srcPort};
    for (auto& c : m_connections) {
        if (c.tcp->endpoints() == e && c.tcp->state() != TcpState::Closed) {
            c.tcp->input(*seg, now);
            collectEvents(c);
            return;
        }
    }
    for (auto& l : m_listeners) {
        if (l.port != seg->dstPort)
            continue;
        if (seg->has(tcpflag::Rst))
            return;
        if (seg->has(tcpflag::Ack)) {
            sendReset(ip, *seg);
            return;
        }
        if (!seg->has(tcpflag::Syn))
            return;
        std::uint32_t pending = 0;
        for (const auto& c : m_connections)
            if (c.listener == l.id && !c.accepted)
                ++pending;
        if (pending >= l.backlog || m_connections.size() >= m_config.maxConnections) {
            ++m_stats.noSocket; // the peer retries its SYN; dropping is the kind answer
            return;
        }
        auto tcp = std::make_unique<TcpConnection>(m_config.tcp, m_stats.tcp, sink(), e);
        tcp->acceptSyn(*seg, initialSequence(e), now);
        m_connections.push_back({m_nextId++, l.id, false, 0, std::move(tcp)});
        return;
    }
    ++m_stats.noSocket;
    if (!seg->has(tcpflag::Rst))
        sendReset(ip, *seg);
}

void Stack::pushEvent(Event e)
{
    if (e.kind == EventKind::Acceptable) {
        if (Listener* l = findListener(e.socket); l && !l->pendingEvent) {
            l->pendingEvent = true;
            m_events.push_back(e);
        }
        return;
    }
    if (Connection* c = findConnection(e.socket); c && !(c->pendingEvents & eventBit(e.kind))) {
        c->pendingEvents |= eventBit(e.kind);
        m_events.push_back(e);
    }
}

void Stack::collectEvents(Connection& c)
{
    std::uint8_t e = c.tcp->takeEvents();
    if (e == 0)
        return;
    bool visible = c.accepted && !c.tcp->released();
    if ((e & tcpevent::Connected) && c.listener != 0 && !c.accepted) {
        if (Listener* l = findListener(c.listener)) {
            l->ready.push_back(c.id);
            pushEvent({EventKind::Acceptable, l->id});
        }
    }
    if (!visible)
        return;
    if ((e & tcpevent::Connected) && c.listener == 0)
        pushEvent({EventKind::Connected, c.id});
    if (e & tcpevent::Readable)
        pushEvent({EventKind::Readable, c.id});
    if (e & tcpevent::Writable)
        pushEvent({EventKind::Writable, c.id});
    if (e & tcpevent::Closed)
        pushEvent({EventKind::Closed, c.id});
}

std::optional<Event> Stack::nextEvent()
{
    while (!m_events.empty()) {
        Event e = m_events.front();
        m_events.pop_front();
        switch (e.kind) {
        case EventKind::AddressAcquired:
        case EventKind::AddressLost: m_stackEvents &= static_cast<std::uint8_t>(~eventBit(e.kind)); return e;
        case EventKind::Acceptable:
            if (Listener* l = findListener(e.socket)) {
                l->pendingEvent = false;
                return e;
            }
            break;
        case EventKind::UdpReadable:
            if (UdpSocket* u = findUdp(e.socket)) {
                u->pendingEvent = false;
                return e;
            }
            break;
        default:
            if (Connection* c = findConnection(e.socket)) {
                c->pendingEvents &= static_cast<std::uint8_t>(~eventBit(e.kind));
                return e;
            }
            break;
        }
    }
    return std::nullopt;
}

void Stack::reap()
{
    for (std::size_t i = 0; i < m_connections.size();) {
        Connection& c = m_connections[i];
        bool orphan = c.listener != 0 && !c.accepted;
        if (c.tcp->state() == TcpState::Closed && (c.tcp->released() || orphan)) {
            if (Listener* l = findListener(c.listener)) {
                for (auto it = l->ready.begin(); it != l->ready.end(); ++it) {
                    if (*it == c.id) {
                        l->ready.erase(it);
                        break;
                    }
                }
            }
            m_connections.erase(m_connections.begin() + static_cast<std::ptrdiff_t>(i));
            continue;
        }
        ++i;
    }
}

void Stack::poll(Nanos now)
{
    m_now = now;
    std::vector<Ipv4Addr> resend;
    m_stats.arpUnresolved += m_arp.poll(now, resend);
    for (Ipv4Addr ip : resend)
        sendArp(ArpRequest, MacAddr {}, ip, MacAddr::broadcast());
    if (m_dhcpEnabled) {
        m_dhcp.poll(now);
        flushDhcp();
        applyDhcp(now);
    }
    for (std::size_t i = 0; i < m_connections.size(); ++i) {
        if (now >= m_connections[i].tcp->nextDeadline()) {
            m_connections[i].tcp->poll(now);
            collectEvents(m_connections[i]);
        }
    }
    reap();
}

Nanos Stack::nextDeadline() const
{
    Nanos next = m_arp.nextDeadline();
    if (m_dhcpEnabled && m_dhcp.nextDeadline() < next)
        next = m_dhcp.nextDeadline();
    for (const auto& c : m_connections)
        if (c.tcp->nextDeadline() < next)
            next = c.tcp->nextDeadline();
    return next;
}

Stack::Connection* Stack::findConnection(SocketId id)
{
    for (auto& c : m_connections)
        if (c.id == id)
            return &c;
    return nullptr;
}

const Stack::Connection* Stack::findConnection(SocketId id) const
{
    for (const auto& c : m_connections)
        if (c.id == id)
            return &c;
    return nullptr;
}

Stack::Listener* Stack::findListener(SocketId id)
{
    for (auto& l : m_listeners)
        if (l.id == id)
            return &l;
    return nullptr;
}

Stack::UdpSocket* Stack::findUdp(SocketId id)
{
    for (auto& u : m_udp)
        if (u.id == id)
            return &u;
    return nullptr;
}

std::uint16_t Stack::ephemeralPort()
{
    for (int attempt = 0; attempt < 64; ++attempt) {
        auto port = static_cast<std::uint16_t>(49152 + m_random.next() % 16384);
        bool used = false;
        for (const auto& c : m_connections)
            used = used || c.tcp->endpoints().localPort == port;
        if (!used)
            return port;
    }
    return 0;
}

Result<SocketId> Stack::listen(std::uint16_t port, std::uint32_t backlog)
{
    if (port == 0)
        return Error(ErrorCode::InvalidArgument, "port 0 cannot be listened on");
    for (const auto& l : m_listeners)
        if (l.port == port)
            return Error(ErrorCode::AlreadyExists, "port already has a listener");
    m_listeners.push_back({m_nextId, port, backlog == 0 ? 1 : backlog, {}, false});
    return m_nextId++;
}

std::optional<SocketId> Stack::accept(SocketId listener)
{
    Listener* l = findListener(listener);
    if (!l || l->ready.empty())
        return std::nullopt;
    SocketId id = l->ready.front();
    l->ready.pop_front();
    Connection* c = findConnection(id);
    if (!c)
        return std::nullopt;
    c->accepted = true;
    // Whatever arrived before accept() is reported now.
    if (c->tcp->readable() > 0 || c->tcp->atEnd())
        pushEvent({EventKind::Readable, id});
    if (c->tcp->state() == TcpState::Closed)
        pushEvent({EventKind::Closed, id});
    return id;
}

Result<SocketId> Stack::connect(Ipv4Addr remote, std::uint16_t port)
{
    if (!m_address)
        return Error(ErrorCode::Unavailable, "the interface has no address yet");
    if (m_connections.size() >= m_config.maxConnections)
        return Error(ErrorCode::NoSpace, "too many connections");
    std::uint16_t local = ephemeralPort();
    if (local == 0)
        return Error(ErrorCode::NoSpace, "no free local port");
    TcpEndpoints e {m_address->address, local, remote, port};
    auto tcp = std::make_unique<TcpConnection>(m_config.tcp, m_stats.tcp, sink(), e);
    tcp->connect(initialSequence(e), m_now);
    SocketId id = m_nextId++;
    m_connections.push_back({id, 0, true, 0, std::move(tcp)});
    return id;
}

Result<std::size_t> Stack::read(SocketId id, std::span<std::uint8_t> out)
{
    Connection* c = findConnection(id);
    if (!c || !c->accepted || c->tcp->released())
        return Error(ErrorCode::NotFound, "no such connection");
    std::size_t n = c->tcp->read(out, m_now);
    if (n > 0 || out.empty())
        return n;
    switch (c->tcp->error()) {
    case TcpError::Reset: return Error(ErrorCode::Io, "connection reset by peer");
    case TcpError::Refused: return Error(ErrorCode::Unavailable, "connection refused");
    case TcpError::Timeout: return Error(ErrorCode::Timeout, "peer stopped answering");
    case TcpError::None: break;
    }
    if (c->tcp->atEnd() || c->tcp->state() == TcpState::Closed)
        return Error(ErrorCode::Unavailable, "end of stream");
    return std::size_t {0};
}

Result<std::size_t> Stack::write(SocketId id, ByteView data)
{
    Connection* c = findConnection(id);
    if (!c || !c->accepted || c->tcp->released())
        return Error(ErrorCode::NotFound, "no such connection");
    TcpState s = c->tcp->state();
    if (s == TcpState::Closed) {
        if (c->tcp->error() == TcpError::Reset)
            return Error(ErrorCode::Io, "connection reset by peer");
        return Error(ErrorCode::Unavailable, "connection closed");
    }
    if (s != TcpState::SynSent && s != TcpState::SynReceived && s != TcpState::Established && s != TcpState::CloseWait)
        return Error(ErrorCode::Unavailable, "connection is closing");
    std::size_t n = c->tcp->write(data, m_now);
    collectEvents(*c);
    return n;
}

void Stack::close(SocketId id)
{
    for (auto it = m_listeners.begin(); it != m_listeners.end(); ++it) {
        if (it->id != id)
            continue;
        // Connections nobody accepted yet die with their listener.
        for (auto& c : m_connections)
            if (c.listener == id && !c.accepted)
                c.tcp->abort();
        m_listeners.erase(it);
        reap();
        return;
    }
    for (auto it = m_udp.begin(); it != m_udp.end(); ++it) {
        if (it->id == id) {
            m_udp.erase(it);
            return;
        }
    }
    if (Connection* c = findConnection(id)) {
        c->tcp->close(m_now);
        c->tcp->takeEvents();
        reap();
    }
}

Status Stack::shutdown(SocketId id)
{
    Connection* c = findConnection(id);
    if (!c || !c->accepted || c->tcp->released())
        return Error(ErrorCode::NotFound, "no such connection");
    c->tcp->shutdown(m_now);
    collectEvents(*c);
    return success();
}

void Stack::abort(SocketId id)
{
    if (Connection* c = findConnection(id)) {
        c->tcp->abort();
        c->tcp->takeEvents();
        reap();
        return;
    }
    close(id);
}

std::optional<TcpState> Stack::state(SocketId id) const
{
    if (const Connection* c = findConnection(id))
        return c->tcp->state();
    for (const auto& l : m_listeners)
        if (l.id == id)
            return TcpState::Listen;
    return std::nullopt;
}

const TcpConnection* Stack::connection(SocketId id) const
{
    const Connection* c = findConnection(id);
    return c ? c->tcp.get() : nullptr;
}

Result<SocketId> Stack::udpBind(std::uint16_t port)
{
    if (port == 0)
        return Error(ErrorCode::InvalidArgument, "port 0 cannot be bound");
    for (const auto& u : m_udp)
        if (u.port == port)
            return Error(ErrorCode::AlreadyExists, "UDP port already bound");
    m_udp.push_back({m_nextId, port, {}, false});
    return m_nextId++;
}

Status Stack::udpSend(SocketId id, Ipv4Addr dst, std::uint16_t dstPort, ByteView payload)
{
    UdpSocket* u = findUdp(id);
    if (!u)
        return Error(ErrorCode::NotFound, "no such UDP socket");
    if (!m_address)
        return Error(ErrorCode::Unavailable, "the interface has no address yet");
    if (payload.size() > MaxUdpPayload)
        return Error(ErrorCode::TooLarge, "datagram exceeds the MTU (no fragmentation)");
    auto frame = newFrame(UdpHeaderSize + payload.size());
    writeUdp(frame.data() + IpFrameHeader, m_address->address, dst, u->port, dstPort, payload);
    sendIpv4(std::move(frame), m_address->address, dst, IpProtoUdp);
    return success();
}

std::optional<Datagram> Stack::udpReceive(SocketId id)
{
    UdpSocket* u = findUdp(id);
    if (!u || u->queue.empty())
        return std::nullopt;
    Datagram d = std::move(u->queue.front());
    u->queue.pop_front();
    return d;
}

} // namespace hive::net
