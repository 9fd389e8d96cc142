// Byte buffers shared by app and node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hive {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView asBytes(std::string_view text)
{
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline std::string_view asText(ByteView bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline Bytes toBytes(ByteView view) { return Bytes(view.begin(), view.end()); }

// Lower-case hex, for logs and test vectors.
Bytes fromHex(std::string_view hex, bool* ok = nullptr);
void appendHex(ByteView bytes, char* out); // writes 2*size chars, no terminator

// Constant-time equality for MACs, tags and tokens (length is not secret).
bool constantTimeEqual(ByteView a, ByteView b);

} // namespace hive
