// Fuzzes the UDP parser with addresses from the input: total, payload inside the input and
// within the length field.
#include "net/packet.h"

#include <cstdlib>

using namespace hive::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 8)
        return 0;
    Ipv4Addr src {load32(data)}, dst {load32(data + 4)};
    ByteSpan in(data + 8, size - 8);
    auto udp = parseUdp(in, src, dst);
    if (!udp)
        return 0;
    if (udp->payload.data() != in.data() + UdpHeaderSize || udp->payload.size() + UdpHeaderSize != load16(in.data() + 4))
        std::abort();
    return 0;
}
