#include "base32.h"

namespace hive::base32 {

namespace {
constexpr char Alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

int valueOf(char c)
{
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}
} // namespace

std::string encode(ByteView bytes)
{
    std::string out;
    out.reserve(encodedLength(bytes.size()));
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::uint8_t b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out.push_back(Alphabet[(buffer >> (bits - 5)) & 31u]);
            bits -= 5;
        }
        buffer &= (1u << bits) - 1u;
    }
    if (bits > 0)
        out.push_back(Alphabet[(buffer << (5 - bits)) & 31u]);
    return out;
}

Result<Bytes> decode(std::string_view text)
{
    // Valid unpadded lengths modulo 8 are 0, 2, 4, 5, 7.
    switch (text.size() % 8) {
    case 1:
    case 3:
    case 6:
        return Error(ErrorCode::Malformed, "base32 text has an impossible length");
    default:
        break;
    }
    Bytes out;
    out.reserve(text.size() * 5 / 8);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v = valueOf(c);
        if (v < 0) {
            if (c == '=')
                return Error(ErrorCode::Malformed, "base32 text must not carry '=' padding");
            return Error(ErrorCode::Malformed, "base32 text contains a character outside a-z, 2-7");
        }
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
            bits -= 8;
            buffer &= (1u << bits) - 1u;
        }
    }
    if (buffer != 0)
        return Error(ErrorCode::Malformed, "base32 text has non-zero trailing bits");
    return out;
}

} // namespace hive::base32
