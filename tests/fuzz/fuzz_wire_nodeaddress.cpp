// Fuzzes the node address parser: any text parses or fails cleanly, and whatever parses
// prints to a canonical form that parses back to the same address.
#include "wire/nodeaddress.h"

#include <cstdlib>
#include <string_view>

using namespace hive;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto address = wire::NodeAddress::parse(text);
    if (!address)
        return 0;
    const std::string canonical = address->toString();
    auto again = wire::NodeAddress::parse(canonical);
    if (!again || !(*again == *address) || again->toString() != canonical)
        std::abort();
    return 0;
}
