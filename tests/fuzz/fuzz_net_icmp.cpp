// Fuzzes the ICMP parser: total, and a parsed message re-encodes to the input.
#include "net/packet.h"

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace hive::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto m = parseIcmp(ByteSpan(data, size));
    if (!m)
        return 0;
    std::vector<std::uint8_t> out(IcmpHeaderSize + m->payload.size());
    writeIcmp(out.data(), m->type, m->code, m->rest, m->payload);
    // The checksum may differ only as 0x0000 vs 0xffff (both are "zero" in one's complement).
    if (out.size() != size || std::memcmp(out.data() + 4, data + 4, size - 4) != 0 || out[0] != data[0] || out[1] != data[1])
        std::abort();
    return 0;
}
