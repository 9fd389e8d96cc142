#include "bytes.h"

namespace hive {

Bytes fromHex(std::string_view hex, bool* ok)
{
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    Bytes out;
    bool good = hex.size() % 2 == 0;
    for (std::size_t i = 0; good && i + 1 < hex.size(); i += 2) {
        int hi = nibble(hex[i]);
        int lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            good = false;
            break;
        }
        out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    if (ok)
        *ok = good;
    if (!good)
        out.clear();
    return out;
}

void appendHex(ByteView bytes, char* out)
{
    constexpr char Digits[] = "0123456789abcdef";
    for (std::uint8_t b : bytes) {
        *out++ = Digits[b >> 4];
        *out++ = Digits[b & 15];
    }
}

bool constantTimeEqual(ByteView a, ByteView b)
{
    if (a.size() != b.size())
        return false;
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
    // Keep the compiler from turning the loop into an early-exit comparison.
    volatile std::uint8_t sink = diff;
    return sink == 0;
}

} // namespace hive
