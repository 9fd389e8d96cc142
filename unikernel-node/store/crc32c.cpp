#include "store/crc32c.h"

#include <array>

namespace hive::node {
namespace {

// Reflected Castagnoli polynomial (0x1EDC6F41 bit-reversed).
constexpr std::uint32_t Polynomial = 0x82F63B78u;

// Eight tables for slicing-by-8: table[k][b] is the CRC of byte b followed by k zero
// bytes, so eight input bytes are folded per step instead of one.
constexpr std::array<std::array<std::uint32_t, 256>, 8> makeTables()
{
    std::array<std::array<std::uint32_t, 256>, 8> t {};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t c = b;
        for (int i = 0; i < 8; ++i)
            c = (c & 1u) ? (c >> 1) ^ Polynomial : c >> 1;
        t[0][b] = c;
    }
    for (std::size_t k = 1; k < 8; ++k)
        for (std::size_t b = 0; b < 256; ++b)
            t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
    return t;
}

constexpr auto Tables = makeTables();

} // namespace

std::uint32_t crc32c(ByteView data, std::uint32_t crc)
{
    std::uint32_t c = ~crc;
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    while (n >= 8) {
        std::uint32_t lo = c ^ (static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8
                                | static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24);
        c = Tables[7][lo & 0xFFu] ^ Tables[6][(lo >> 8) & 0xFFu] ^ Tables[5][(lo >> 16) & 0xFFu]
            ^ Tables[4][lo >> 24] ^ Tables[3][p[4]] ^ Tables[2][p[5]] ^ Tables[1][p[6]] ^ Tables[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        c = (c >> 8) ^ Tables[0][(c ^ *p++) & 0xFFu];
    return ~c;
}

} // namespace hive::node
