// Parsers and writers for the wire formats of the stack: Ethernet II, ARP, IPv4, ICMP,
// UDP and TCP. Parsers are total (any input returns a value or nullopt, never reads out
// of bounds) and return views into the caller's buffer. Writers fill caller-owned memory.
#pragma once

#include "net/types.h"

#include <optional>

namespace hive::net {

// Why a parser rejected its input (for the stack's drop counters and for tests).
enum class ParseError : std::uint8_t { None, Truncated, Malformed, BadChecksum, Fragment, Unsupported };

constexpr std::uint16_t EtherTypeIpv4 = 0x0800;
constexpr std::uint16_t EtherTypeArp = 0x0806;
constexpr std::size_t EthernetHeaderSize = 14;

struct EthernetFrame {
    MacAddr dst;
    MacAddr src;
    std::uint16_t type = 0;
    ByteSpan payload;
};
// Splits an Ethernet II frame (no FCS, no VLAN tags).
std::optional<EthernetFrame> parseEthernet(ByteSpan frame, ParseError* error = nullptr);
void writeEthernetHeader(std::uint8_t* out, MacAddr dst, MacAddr src, std::uint16_t type);

constexpr std::size_t ArpPacketSize = 28;
constexpr std::uint16_t ArpRequest = 1;
constexpr std::uint16_t ArpReply = 2;

struct ArpPacket {
    std::uint16_t operation = 0;
    MacAddr senderMac;
    Ipv4Addr senderIp;
    MacAddr targetMac;
    Ipv4Addr targetIp;
};
// Parses an Ethernet/IPv4 ARP packet (RFC 826); other hardware/protocol types are rejected.
std::optional<ArpPacket> parseArp(ByteSpan payload, ParseError* error = nullptr);
void writeArp(std::uint8_t* out, const ArpPacket& arp);

constexpr std::uint8_t IpProtoIcmp = 1;
constexpr std::uint8_t IpProtoTcp = 6;
constexpr std::uint8_t IpProtoUdp = 17;
constexpr std::size_t Ipv4HeaderSize = 20;

struct Ipv4Packet {
    std::uint8_t tos = 0;
    std::uint16_t id = 0;
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    Ipv4Addr src;
    Ipv4Addr dst;
    ByteSpan header;  // including options (skipped)
    ByteSpan payload; // trimmed to the total length (Ethernet padding removed)
};
// Validates version, lengths and header checksum; rejects fragments (MF set or offset != 0).
std::optional<Ipv4Packet> parseIpv4(ByteSpan packet, ParseError* error = nullptr);
// Writes a 20-byte header without options, checksum included.
void writeIpv4Header(std::uint8_t* out, Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol,
                     std::uint16_t totalLength, std::uint16_t id, std::uint8_t ttl);

constexpr std::uint8_t IcmpEchoReply = 0;
constexpr std::uint8_t IcmpDestUnreachable = 3;
constexpr std::uint8_t IcmpEchoRequest = 8;
constexpr std::uint8_t IcmpPortUnreachable = 3; // code under IcmpDestUnreachable
constexpr std::size_t IcmpHeaderSize = 8;

struct IcmpMessage {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint32_t rest = 0; // identifier + sequence for echo
    ByteSpan payload;
};
// Parses an ICMP message and verifies its checksum.
std::optional<IcmpMessage> parseIcmp(ByteSpan payload, ParseError* error = nullptr);
// Writes header + payload (out must hold IcmpHeaderSize + payload.size()), checksum included.
void writeIcmp(std::uint8_t* out, std::uint8_t type, std::uint8_t code, std::uint32_t rest, ByteSpan payload);

constexpr std::size_t UdpHeaderSize = 8;

struct UdpDatagram {
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    ByteSpan payload;
};
// Parses a UDP datagram and verifies its checksum (zero means "not computed" and is accepted).
std::optional<UdpDatagram> parseUdp(ByteSpan payload, Ipv4Addr src, Ipv4Addr dst, ParseError* error = nullptr);
// Writes header + payload (out must hold UdpHeaderSize + payload.size()), checksum included.
void writeUdp(std::uint8_t* out, Ipv4Addr src, Ipv4Addr dst, std::uint16_t srcPort, std::uint16_t dstPort,
              ByteSpan payload);

namespace tcpflag {
constexpr std::uint8_t Fin = 0x01;
constexpr std::uint8_t Syn = 0x02;
constexpr std::uint8_t Rst = 0x04;
constexpr std::uint8_t Psh = 0x08;
constexpr std::uint8_t Ack = 0x10;
constexpr std::uint8_t Urg = 0x20;
} // namespace tcpflag

constexpr std::size_t TcpHeaderSize = 20;

struct TcpOptions {
    std::optional<std::uint16_t> mss;
};
// Parses the options area of a TCP header; nullopt when an option length is malformed.
std::optional<TcpOptions> parseTcpOptions(ByteSpan options);

struct TcpSegment {
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::uint16_t urgent = 0;
    TcpOptions options;
    ByteSpan payload;
    bool has(std::uint8_t flag) const { return (flags & flag) != 0; }
    // Sequence space the segment occupies: payload plus one each for SYN and FIN.
    std::uint32_t seqLength() const
    {
        return static_cast<std::uint32_t>(payload.size()) + (has(tcpflag::Syn) ? 1u : 0u) + (has(tcpflag::Fin) ? 1u : 0u);
    }
};
// Parses a TCP segment, its options and verifies its checksum against the pseudo header.
std::optional<TcpSegment> parseTcp(ByteSpan payload, Ipv4Addr src, Ipv4Addr dst, ParseError* error = nullptr);
// Header size writeTcp produces (20, or 24 with an MSS option).
constexpr std::size_t tcpHeaderSize(bool withMss) { return withMss ? 24 : 20; }
// Writes header (+ MSS option when seg.options.mss is set) + seg.payload, checksum included.
// out must hold tcpHeaderSize(...) + payload.size().
void writeTcp(std::uint8_t* out, Ipv4Addr src, Ipv4Addr dst, const TcpSegment& seg);

} // namespace hive::net
