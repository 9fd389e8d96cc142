// Fuzzes the TCP segment and option parsers: total, payload inside the input, and a parsed
// segment (with its MSS) re-encodes to one that parses to the same fields.
#include "net/packet.h"

#include <cstdlib>
#include <vector>

using namespace hive::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 8)
        return 0;
    (void)parseTcpOptions(ByteSpan(data, size));
    Ipv4Addr src {load32(data)}, dst {load32(data + 4)};
    ByteSpan in(data + 8, size - 8);
    auto s = parseTcp(in, src, dst);
    if (!s)
        return 0;
    if (s->payload.data() < in.data() || s->payload.data() + s->payload.size() != in.data() + in.size())
        std::abort();
    std::vector<std::uint8_t> out(tcpHeaderSize(s->options.mss.has_value()) + s->payload.size());
    writeTcp(out.data(), src, dst, *s);
    auto again = parseTcp(out, src, dst);
    if (!again || again->seq != s->seq || again->ack != s->ack || again->flags != s->flags
        || again->window != s->window || again->options.mss != s->options.mss
        || again->payload.size() != s->payload.size())
        std::abort();
    return 0;
}
