// SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012), written
// from the paper. The stack uses it only as a keyed hash for RFC 6528 initial sequence
// numbers and as a counter-mode PRNG for ports and DHCP transaction ids: values that must
// be unpredictable to an off-path attacker, not a primitive protecting Hive data (that is
// libsodium's job).
#pragma once

#include "net/types.h"

namespace hive::net {

using SipKey = std::array<std::uint8_t, 16>;

// SipHash-2-4 of `data` under the 128-bit key.
std::uint64_t sipHash24(const SipKey& key, ByteSpan data);

// Deterministic generator seeded by the caller's entropy: SipHash of a counter.
class SipRandom {
public:
    explicit SipRandom(const SipKey& key) : m_key(key) {}
    // Next 64 pseudo-random bits.
    std::uint64_t next();

private:
    SipKey m_key;
    std::uint64_t m_counter = 0;
};

} // namespace hive::net
