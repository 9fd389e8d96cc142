// Fuzzes the IPv4 parser: total, header and payload views inside the input, never a
// fragment, and the accepted header always checksums to zero.
#include "net/packet.h"

#include <cstdlib>

using namespace hive::net;

namespace {
bool inside(ByteSpan part, const std::uint8_t* data, std::size_t size)
{
    return part.data() >= data && part.data() + part.size() <= data + size;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ParseError error = ParseError::None;
    auto ip = parseIpv4(ByteSpan(data, size), &error);
    if (!ip) {
        if (error == ParseError::None)
            std::abort();
        return 0;
    }
    if (!inside(ip->header, data, size) || !inside(ip->payload, data, size) || ip->header.size() < Ipv4HeaderSize)
        std::abort();
    if (checksumFinish(checksumAdd(ip->header)) != 0)
        std::abort();
    if ((load16(data + 6) & 0x3fff) != 0)
        std::abort();
    return 0;
}
