// Fuzzes the ARP parser: total, and whatever parses re-encodes to the same 28 bytes.
#include "net/packet.h"

#include <cstdlib>
#include <cstring>

using namespace hive::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto arp = parseArp(ByteSpan(data, size));
    if (!arp)
        return 0;
    std::uint8_t out[ArpPacketSize];
    writeArp(out, *arp);
    if (size < ArpPacketSize || std::memcmp(out, data, ArpPacketSize) != 0)
        std::abort();
    return 0;
}
