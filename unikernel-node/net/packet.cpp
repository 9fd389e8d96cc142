#include "net/packet.h"

namespace hive::net {

namespace {

MacAddr macAt(const std::uint8_t* p)
{
    MacAddr m;
    for (std::size_t i = 0; i < 6; ++i)
        m.bytes[i] = p[i];
    return m;
}

void writeMac(std::uint8_t* out, const MacAddr& mac)
{
    for (std::size_t i = 0; i < 6; ++i)
        out[i] = mac.bytes[i];
}

template <typename T>
std::optional<T> fail(ParseError* error, ParseError why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

void ok(ParseError* error)
{
    if (error)
        *error = ParseError::None;
}

void copyBytes(std::uint8_t* out, ByteSpan in)
{
    for (std::size_t i = 0; i < in.size(); ++i)
        out[i] = in[i];
}

} // namespace

std::size_t Ipv4Addr::format(char* out) const
{
    std::size_t n = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned octet = (value >> shift) & 0xffu;
        if (octet >= 100)
            out[n++] = static_cast<char>('0' + octet / 100);
        if (octet >= 10)
            out[n++] = static_cast<char>('0' + (octet / 10) % 10);
        out[n++] = static_cast<char>('0' + octet % 10);
        if (shift > 0)
            out[n++] = '.';
    }
    out[n] = '\0';
    return n;
}

std::uint32_t checksumAdd(ByteSpan data, std::uint32_t initial)
{
    std::uint64_t sum = initial;
    std::size_t i = 0;
    for (; i + 1 < data.size(); i += 2)
        sum += load16(&data[i]);
    if (i < data.size())
        sum += static_cast<std::uint32_t>(data[i]) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint32_t>(sum);
}

std::uint16_t checksumFinish(std::uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::uint32_t pseudoHeaderSum(Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol, std::uint16_t length)
{
    std::uint64_t sum = (src.value >> 16) + (src.value & 0xffff) + (dst.value >> 16) + (dst.value & 0xffff)
        + protocol + length;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint32_t>(sum);
}

std::optional<EthernetFrame> parseEthernet(ByteSpan frame, ParseError* error)
{
    if (frame.size() < EthernetHeaderSize)
        return fail<EthernetFrame>(error, ParseError::Truncated);
    EthernetFrame f;
    f.dst = macAt(&frame[0]);
    f.src = macAt(&frame[6]);
    f.type = load16(&frame[12]);
    f.payload = frame.subspan(EthernetHeaderSize);
    ok(error);
    return f;
}

void writeEthernetHeader(std::uint8_t* out, MacAddr dst, MacAddr src, std::uint16_t type)
{
    writeMac(out, dst);
    writeMac(out + 6, src);
    store16(out + 12, type);
}

std::optional<ArpPacket> parseArp(ByteSpan p, ParseError* error)
{
    if (p.size() < ArpPacketSize)
        return fail<ArpPacket>(error, ParseError::Truncated);
    if (load16(&p[0]) != 1 || load16(&p[2]) != EtherTypeIpv4 || p[4] != 6 || p[5] != 4)
        return fail<ArpPacket>(error, ParseError::Unsupported);
    ArpPacket a;
    a.operation = load16(&p[6]);
    if (a.operation != ArpRequest && a.operation != ArpReply)
        return fail<ArpPacket>(error, ParseError::Unsupported);
    a.senderMac = macAt(&p[8]);
    a.senderIp = {load32(&p[14])};
    a.targetMac = macAt(&p[18]);
    a.targetIp = {load32(&p[24])};
    ok(error);
    return a;
}

void writeArp(std::uint8_t* out, const ArpPacket& a)
{
    store16(out, 1);
    store16(out + 2, EtherTypeIpv4);
    out[4] = 6;
    out[5] = 4;
    store16(out + 6, a.operation);
    writeMac(out + 8, a.senderMac);
    store32(out + 14, a.senderIp.value);
    writeMac(out + 18, a.targetMac);
    store32(out + 24, a.targetIp.value);
}

std::optional<Ipv4Packet> parseIpv4(ByteSpan p, ParseError* error)
{
    if (p.size() < Ipv4HeaderSize)
        return fail<Ipv4Packet>(error, ParseError::Truncated);
    if ((p[0] >> 4) != 4)
        return fail<Ipv4Packet>(error, ParseError::Unsupported);
    std::size_t headerLength = std::size_t {p[0] & 0x0fu} * 4;
    std::size_t totalLength = load16(&p[2]);
    if (headerLength < Ipv4HeaderSize || totalLength < headerLength)
        return fail<Ipv4Packet>(error, ParseError::Malformed);
    if (totalLength > p.size())
        return fail<Ipv4Packet>(error, ParseError::Truncated);
    if (checksumFinish(checksumAdd(p.first(headerLength))) != 0)
        return fail<Ipv4Packet>(error, ParseError::BadChecksum);
    std::uint16_t fragment = load16(&p[6]);
    // We never reassemble: a node only talks TCP with MSS-sized segments and small UDP.
    if ((fragment & 0x2000) != 0 || (fragment & 0x1fff) != 0)
        return fail<Ipv4Packet>(error, ParseError::Fragment);
    Ipv4Packet ip;
    ip.tos = p[1];
    ip.id = load16(&p[4]);
    ip.ttl = p[8];
    ip.protocol = p[9];
    ip.src = {load32(&p[12])};
    ip.dst = {load32(&p[16])};
    ip.header = p.first(headerLength);
    ip.payload = p.subspan(headerLength, totalLength - headerLength);
    ok(error);
    return ip;
}

void writeIpv4Header(std::uint8_t* out, Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol,
                     std::uint16_t totalLength, std::uint16_t id, std::uint8_t ttl)
{
    out[0] = 0x45;
    out[1] = 0;
    store16(out + 2, totalLength);
    store16(out + 4, id);
    store16(out + 6, 0x4000); // DF: we never fragment and want PMTU errors, not fragments
    out[8] = ttl;
    out[9] = protocol;
    store16(out + 10, 0);
    store32(out + 12, src.value);
    store32(out + 16, dst.value);
    store16(out + 10, checksumFinish(checksumAdd({out, Ipv4HeaderSize})));
}

std::optional<IcmpMessage> parseIcmp(ByteSpan p, ParseError* error)
{
    if (p.size() < IcmpHeaderSize)
        return fail<IcmpMessage>(error, ParseError::Truncated);
    if (checksumFinish(checksumAdd(p)) != 0)
        return fail<IcmpMessage>(error, ParseError::BadChecksum);
    IcmpMessage m;
    m.type = p[0];
    m.code = p[1];
    m.rest = load32(&p[4]);
    m.payload = p.subspan(IcmpHeaderSize);
    ok(error);
    return m;
}

void writeIcmp(std::uint8_t* out, std::uint8_t type, std::uint8_t code, std::uint32_t rest, ByteSpan payload)
{
    out[0] = type;
    out[1] = code;
    store16(out + 2, 0);
    store32(out + 4, rest);
    copyBytes(out + IcmpHeaderSize, payload);
    store16(out + 2, checksumFinish(checksumAdd({out, IcmpHeaderSize + payload.size()})));
}

std::optional<UdpDatagram> parseUdp(ByteSpan p, Ipv4Addr src, Ipv4Addr dst, ParseError* error)
{
    if (p.size() < UdpHeaderSize)
        return fail<UdpDatagram>(error, ParseError::Truncated);
    std::size_t length = load16(&p[4]);
    if (length < UdpHeaderSize || length > p.size())
        return fail<UdpDatagram>(error, ParseError::Malformed);
    ByteSpan datagram = p.first(length);
    if (load16(&p[6]) != 0) {
        std::uint32_t sum = pseudoHeaderSum(src, dst, IpProtoUdp, static_cast<std::uint16_t>(length));
        if (checksumFinish(checksumAdd(datagram, sum)) != 0)
            return fail<UdpDatagram>(error, ParseError::BadChecksum);
    }
    UdpDatagram d;
    d.srcPort = load16(&p[0]);
    d.dstPort = load16(&p[2]);
    d.payload = datagram.subspan(UdpHeaderSize);
    ok(error);
    return d;
}

void writeUdp(std::uint8_t* out, Ipv4Addr src, Ipv4Addr dst, std::uint16_t srcPort, std::uint16_t dstPort,
              ByteSpan payload)
{
    auto length = static_cast<std::uint16_t>(UdpHeaderSize + payload.size());
    store16(out, srcPort);
    store16(out + 2, dstPort);
    store16(out + 4, length);
    store16(out + 6, 0);
    copyBytes(out + UdpHeaderSize, payload);
    std::uint16_t sum = checksumFinish(checksumAdd({out, length}, pseudoHeaderSum(src, dst, IpProtoUdp, length)));
    // A computed zero is sent as all ones; zero on the wire means "no checksum" (RFC 768).
    store16(out + 6, sum == 0 ? 0xffff : sum);
}

std::optional<TcpOptions> parseTcpOptions(ByteSpan o)
{
    TcpOptions options;
    std::size_t i = 0;
    while (i < o.size()) {
        std::uint8_t kind = o[i];
        if (kind == 0)
            break;
        if (kind == 1) {
            ++i;
            continue;
        }
        if (i + 1 >= o.size())
            return std::nullopt;
        std::size_t length = o[i + 1];
        if (length < 2 || i + length > o.size())
            return std::nullopt;
        if (kind == 2) {
            if (length != 4)
                return std::nullopt;
            options.mss = load16(&o[i + 2]);
        }
        i += length;
    }
    return options;
}

std::optional<TcpSegment> parseTcp(ByteSpan p, Ipv4Addr src, Ipv4Addr dst, ParseError* error)
{
    if (p.size() < TcpHeaderSize)
        return fail<TcpSegment>(error, ParseError::Truncated);
    std::size_t headerLength = std::size_t {static_cast<std::uint8_t>(p[12] >> 4)} * 4;
    if (headerLength < TcpHeaderSize || headerLength > p.size())
        return fail<TcpSegment>(error, ParseError::Malformed);
    if (p.size() > 0xffff)
        return fail<TcpSegment>(error, ParseError::Malformed);
    std::uint32_t sum = pseudoHeaderSum(src, dst, IpProtoTcp, static_cast<std::uint16_t>(p.size()));
    if (checksumFinish(checksumAdd(p, sum)) != 0)
        return fail<TcpSegment>(error, ParseError::BadChecksum);
    auto options = parseTcpOptions(p.subspan(TcpHeaderSize, headerLength - TcpHeaderSize));
    if (!options)
        return fail<TcpSegment>(error, ParseError::Malformed);
    TcpSegment s;
    s.srcPort = load16(&p[0]);
    s.dstPort = load16(&p[2]);
    s.seq = load32(&p[4]);
    s.ack = load32(&p[8]);
    s.flags = p[13] & 0x3f;
    s.window = load16(&p[14]);
    s.urgent = load16(&p[18]);
    s.options = *options;
    s.payload = p.subspan(headerLength);
    ok(error);
    return s;
}

void writeTcp(std::uint8_t* out, Ipv4Addr src, Ipv4Addr dst, const TcpSegment& s)
{
    std::size_t headerLength = tcpHeaderSize(s.options.mss.has_value());
    store16(out, s.srcPort);
    store16(out + 2, s.dstPort);
    store32(out + 4, s.seq);
    store32(out + 8, s.ack);
    out[12] = static_cast<std::uint8_t>((headerLength / 4) << 4);
    out[13] = s.flags;
    store16(out + 14, s.window);
    store16(out + 16, 0);
    store16(out + 18, s.urgent);
    if (s.options.mss) {
        out[20] = 2;
        out[21] = 4;
        store16(out + 22, *s.options.mss);
    }
    copyBytes(out + headerLength, s.payload);
    auto length = static_cast<std::uint16_t>(headerLength + s.payload.size());
    store16(out + 16, checksumFinish(checksumAdd({out, length}, pseudoHeaderSum(src, dst, IpProtoTcp, length))));
}

} // namespace hive::net
