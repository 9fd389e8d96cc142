// Fuzzes the DHCP parser and the client: total, encode(parse(x)) parses to the same fields,
// and the client survives any message.
#include "net/dhcp.h"

#include <cstdlib>

using namespace hive::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto m = parseDhcp(ByteSpan(data, size));
    if (!m)
        return 0;
    auto again = parseDhcp(encodeDhcp(*m));
    if (!again || again->xid != m->xid || again->type != m->type || again->yiaddr != m->yiaddr
        || again->serverId != m->serverId || again->leaseTime != m->leaseTime || again->router != m->router
        || again->subnetMask != m->subnetMask || again->chaddr != m->chaddr)
        std::abort();
    SipRandom random(SipKey {});
    DhcpClient client(m->chaddr, random);
    client.start(0);
    DhcpMessage reply = *m;
    reply.xid = client.xid();
    client.input(reply, 1);
    client.input(reply, 2);
    client.poll(1000 * Second);
    while (client.takeOutgoing()) {
    }
    return 0;
}
