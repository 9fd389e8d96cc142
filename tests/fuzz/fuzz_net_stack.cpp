// Fuzzes the whole stack: the input is a script of frames (2-byte length, a flags byte,
// the frame) with time steps in between. Flag bit 0 recomputes the IPv4/ICMP/UDP/TCP
// checksums so the fuzzer reaches TCP and DHCP states instead of stopping at checksums.
// The stack listens (echo) on port 7 and has a UDP socket; the first byte picks static
// configuration or DHCP.
#include "net/stack.h"

#include <vector>

using namespace hive::net;

namespace {

void fixChecksums(std::vector<std::uint8_t>& f)
{
    if (f.size() < EthernetHeaderSize + Ipv4HeaderSize || load16(&f[12]) != EtherTypeIpv4)
        return;
    std::uint8_t* ip = f.data() + EthernetHeaderSize;
    std::size_t headerLength = std::size_t {ip[0] & 0x0fu} * 4;
    std::size_t total = load16(ip + 2);
    if (headerLength < Ipv4HeaderSize || total < headerLength || EthernetHeaderSize + total > f.size())
        return;
    store16(ip + 10, 0);
    store16(ip + 10, checksumFinish(checksumAdd({ip, headerLength})));
    std::uint8_t* l4 = ip + headerLength;
    std::size_t l4Length = total - headerLength;
    Ipv4Addr src {load32(ip + 12)}, dst {load32(ip + 16)};
    auto protocol = ip[9];
    if (protocol == IpProtoTcp && l4Length >= TcpHeaderSize) {
        store16(l4 + 16, 0);
        store16(l4 + 16, checksumFinish(checksumAdd({l4, l4Length},
                                                    pseudoHeaderSum(src, dst, IpProtoTcp, static_cast<std::uint16_t>(l4Length)))));
    } else if (protocol == IpProtoUdp && l4Length >= UdpHeaderSize) {
        store16(l4 + 6, 0);
        std::uint16_t length = load16(l4 + 4);
        if (length >= UdpHeaderSize && length <= l4Length)
            store16(l4 + 6, checksumFinish(checksumAdd({l4, length}, pseudoHeaderSum(src, dst, IpProtoUdp, length))));
    } else if (protocol == IpProtoIcmp && l4Length >= IcmpHeaderSize) {
        store16(l4 + 2, 0);
        store16(l4 + 2, checksumFinish(checksumAdd({l4, l4Length})));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    Stack::Config config;
    config.mac = MacAddr {{0x02, 0, 0, 0, 0, 0x01}};
    config.tcp.timeWait = 5 * Second;
    config.tcp.maxOutOfOrderSegments = 8;
    Stack stack(config);
    Nanos now = 0;
    if (data[0] & 1)
        stack.startDhcp(now);
    else
        stack.configureStatic({Ipv4Addr::of(10, 0, 0, 1), Ipv4Addr::of(255, 255, 255, 0), Ipv4Addr::of(10, 0, 0, 254), {}}, now);
    auto listener = stack.listen(7, 4);
    auto udp = stack.udpBind(5000);
    if (data[0] & 2)
        (void)stack.connect(Ipv4Addr::of(10, 0, 0, 2), 80);
    std::size_t i = 1;
    std::vector<SocketId> conns;
    std::uint8_t buf[2048];
    while (i + 3 <= size) {
        std::size_t length = load16(data + i) % 1600;
        std::uint8_t flags = data[i + 2];
        i += 3;
        if (length > size - i)
            length = size - i;
        std::vector<std::uint8_t> frame(data + i, data + i + length);
        i += length;
        if (flags & 1)
            fixChecksums(frame);
        now += Nanos {static_cast<std::uint8_t>(flags >> 1)} * 50 * Millisecond;
        stack.input(frame, now);
        if (stack.nextDeadline() <= now)
            stack.poll(now);
        while (auto e = stack.nextEvent()) {
            if (e->kind == EventKind::Acceptable && listener.ok())
                while (auto c = stack.accept(*listener))
                    conns.push_back(*c);
        }
        for (SocketId c : conns) {
            auto n = stack.read(c, buf);
            if (n.ok() && *n > 0)
                (void)stack.write(c, hive::ByteView(buf, *n));
            else if (!n.ok())
                stack.close(c);
        }
        if (udp.ok())
            while (stack.udpReceive(*udp)) {
            }
        while (stack.takeFrame()) {
        }
    }
    // Let every timer run out: nothing may loop forever or crash on the way.
    for (int step = 0; step < 200 && stack.nextDeadline() != Never; ++step) {
        now = stack.nextDeadline();
        stack.poll(now);
        while (stack.takeFrame()) {
        }
    }
    return 0;
}
