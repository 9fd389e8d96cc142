// Helpers for the stack's packet-level tests: a Stack under test at 10.0.0.1 and a scripted
// peer at 10.0.0.2 whose frames are built and parsed here, with simulated time.
#pragma once

#include "net/stack.h"

#include <optional>
#include <vector>

namespace hive::net::test {

inline const MacAddr StackMac {{0x02, 0, 0, 0, 0, 0x01}};
inline const MacAddr PeerMac {{0x02, 0, 0, 0, 0, 0x02}};
inline const Ipv4Addr StackIp = Ipv4Addr::of(10, 0, 0, 1);
inline const Ipv4Addr PeerIp = Ipv4Addr::of(10, 0, 0, 2);

inline Stack::Config stackConfig(MacAddr mac = StackMac, std::uint8_t seed = 1)
{
    Stack::Config c;
    c.mac = mac;
    for (std::size_t i = 0; i < c.secret.size(); ++i)
        c.secret[i] = static_cast<std::uint8_t>(seed * 31 + i);
    return c;
}

inline Ipv4Config subnet(Ipv4Addr address)
{
    return {address, Ipv4Addr::of(255, 255, 255, 0), Ipv4Addr::of(10, 0, 0, 254), Ipv4Addr::any()};
}

inline std::vector<std::uint8_t> ipv4Frame(MacAddr src, MacAddr dst, Ipv4Addr from, Ipv4Addr to, std::uint8_t protocol,
                                           const std::vector<std::uint8_t>& l4, std::uint8_t ttl = 64)
{
    std::vector<std::uint8_t> f(EthernetHeaderSize + Ipv4HeaderSize + l4.size());
    writeEthernetHeader(f.data(), dst, src, EtherTypeIpv4);
    writeIpv4Header(f.data() + EthernetHeaderSize, from, to, protocol,
                    static_cast<std::uint16_t>(Ipv4HeaderSize + l4.size()), 7, ttl);
    for (std::size_t i = 0; i < l4.size(); ++i)
        f[EthernetHeaderSize + Ipv4HeaderSize + i] = l4[i];
    return f;
}

inline std::vector<std::uint8_t> arpFrame(std::uint16_t op, MacAddr senderMac, Ipv4Addr senderIp, MacAddr targetMac,
                                          Ipv4Addr targetIp, MacAddr ethDst)
{
    std::vector<std::uint8_t> f(EthernetHeaderSize + ArpPacketSize);
    writeEthernetHeader(f.data(), ethDst, senderMac, EtherTypeArp);
    writeArp(f.data() + EthernetHeaderSize, {op, senderMac, senderIp, targetMac, targetIp});
    return f;
}

inline std::vector<std::uint8_t> udpBytes(Ipv4Addr from, Ipv4Addr to, std::uint16_t srcPort, std::uint16_t dstPort,
                                          const std::vector<std::uint8_t>& payload)
{
    std::vector<std::uint8_t> u(UdpHeaderSize + payload.size());
    writeUdp(u.data(), from, to, srcPort, dstPort, payload);
    return u;
}

// A TCP segment as seen on the wire, with its payload copied out of the frame.
struct Seg {
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::optional<std::uint16_t> mss;
    std::vector<std::uint8_t> data;
    bool has(std::uint8_t f) const { return (flags & f) != 0; }
    bool is(std::uint8_t f) const { return flags == f; }
};

// Everything one stack transmitted, decoded.
struct Captured {
    std::vector<std::vector<std::uint8_t>> frames;
    std::vector<Seg> tcp() const
    {
        std::vector<Seg> out;
        for (const auto& f : frames) {
            auto eth = parseEthernet(f);
            if (!eth || eth->type != EtherTypeIpv4)
                continue;
            auto ip = parseIpv4(eth->payload);
            if (!ip || ip->protocol != IpProtoTcp)
                continue;
            auto s = parseTcp(ip->payload, ip->src, ip->dst);
            if (!s)
                continue;
            out.push_back({s->srcPort, s->dstPort, s->seq, s->ack, s->flags, s->window, s->options.mss,
                           std::vector<std::uint8_t>(s->payload.begin(), s->payload.end())});
        }
        return out;
    }
};

inline Captured drain(Stack& stack)
{
    Captured c;
    while (auto f = stack.takeFrame())
        c.frames.push_back(std::move(*f));
    return c;
}

// The stack under test with a scripted TCP peer; ARP is pre-resolved both ways.
struct TcpHarness {
    explicit TcpHarness(const TcpConfig& tcp = {}) : stack(config(tcp))
    {
        stack.configureStatic(subnet(StackIp), now);
        // The peer asks for us, which puts the peer into our cache (RFC 826 merge).
        stack.input(arpFrame(ArpRequest, PeerMac, PeerIp, MacAddr {}, StackIp, MacAddr::broadcast()), now);
        drain(stack);
    }
    static Stack::Config config(const TcpConfig& tcp)
    {
        auto c = stackConfig();
        c.tcp = tcp;
        c.arp.entryLifetime = 24 * 3600 * Second; // keep ARP out of the TCP timelines
        return c;
    }
    void send(std::uint16_t srcPort, std::uint16_t dstPort, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
              std::vector<std::uint8_t> data = {}, std::uint16_t window = 65535,
              std::optional<std::uint16_t> mss = std::nullopt)
    {
        TcpSegment s;
        s.srcPort = srcPort;
        s.dstPort = dstPort;
        s.seq = seq;
        s.ack = ack;
        s.flags = flags;
        s.window = window;
        s.options.mss = mss;
        s.payload = data;
        std::vector<std::uint8_t> l4(tcpHeaderSize(mss.has_value()) + data.size());
        writeTcp(l4.data(), PeerIp, StackIp, s);
        stack.input(ipv4Frame(PeerMac, StackMac, PeerIp, StackIp, IpProtoTcp, l4), now);
    }
    std::vector<Seg> out() { return drain(stack).tcp(); }
    void advanceTo(Nanos t)
    {
        now = t;
        stack.poll(now);
    }
    void advance(Nanos dt) { advanceTo(now + dt); }

    Nanos now = 1 * Second;
    Stack stack;
};

} // namespace hive::net::test
