// Fuzzes the Ethernet II parser: total, views stay inside the input, header re-encodes.
#include "net/packet.h"

#include <cstdlib>
#include <cstring>

using namespace hive::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ByteSpan in(data, size);
    auto eth = parseEthernet(in);
    if (!eth)
        return 0;
    if (eth->payload.data() != data + EthernetHeaderSize || eth->payload.size() != size - EthernetHeaderSize)
        std::abort();
    std::uint8_t header[EthernetHeaderSize];
    writeEthernetHeader(header, eth->dst, eth->src, eth->type);
    if (std::memcmp(header, data, EthernetHeaderSize) != 0)
        std::abort();
    return 0;
}
