#include "node.h"

namespace hive::node {

std::string shortHex(ByteView key, std::size_t bytes)
{
    const std::size_t n = std::min(bytes, key.size());
    std::string out(2 * n, '0');
    appendHex(key.first(n), out.data());
    return out;
}

} // namespace hive::node
