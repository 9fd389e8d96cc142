// Base32 as in RFC 4648 section 6, lower-case, without padding. Used in URIs, node
// addresses and fingerprints, where case-insensitive, unambiguous text matters.
#pragma once

#include "bytes.h"
#include "result.h"

#include <string>
#include <string_view>

namespace hive::base32 {

// Encodes bytes as lower-case base32 without '=' padding.
std::string encode(ByteView bytes);

// Decodes base32; accepts upper or lower case, rejects padding, characters outside the
// alphabet, impossible lengths and non-zero trailing bits (so every value has exactly one
// encoding).
Result<Bytes> decode(std::string_view text);

// Length of the encoding of n bytes.
constexpr std::size_t encodedLength(std::size_t n) { return (n * 8 + 4) / 5; }

} // namespace hive::base32
