// CRC-32C (Castagnoli), the checksum on every store record. It guards against torn and
// decayed sectors, not against an attacker: the store is not a security boundary, and
// objects that need authenticity carry their own hashes or MACs.
#pragma once

#include "wire/bytes.h"

#include <cstdint>

namespace hive::node {

// Continues a CRC-32C over more bytes; start with crc = 0.
std::uint32_t crc32c(ByteView data, std::uint32_t crc = 0);

} // namespace hive::node
