// Basic types of the node's TCP/IP stack: addresses, time, big-endian helpers and the
// Internet checksum. Freestanding-safe (no OS headers, no exceptions, no allocation).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hive::net {

// Nanoseconds on a monotonic clock the caller passes in; the stack never reads a clock.
using Nanos = std::uint64_t;
constexpr Nanos Millisecond = 1'000'000;
constexpr Nanos Second = 1'000'000'000;
constexpr Nanos Never = ~Nanos {0};

using ByteSpan = std::span<const std::uint8_t>;

struct MacAddr {
    std::array<std::uint8_t, 6> bytes {};
    static constexpr MacAddr broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
    bool isBroadcast() const { return *this == broadcast(); }
    bool isMulticast() const { return (bytes[0] & 1) != 0; }
    friend bool operator==(const MacAddr&, const MacAddr&) = default;
};

// An IPv4 address in host byte order (10.0.0.1 == 0x0a000001).
struct Ipv4Addr {
    std::uint32_t value = 0;
    static constexpr Ipv4Addr of(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
    {
        return {(std::uint32_t {a} << 24) | (std::uint32_t {b} << 16) | (std::uint32_t {c} << 8) | d};
    }
    static constexpr Ipv4Addr any() { return {0}; }
    static constexpr Ipv4Addr broadcast() { return {0xffffffffu}; }
    bool isAny() const { return value == 0; }
    friend bool operator==(const Ipv4Addr&, const Ipv4Addr&) = default;
    // Writes dotted-quad text into out (at least 16 bytes); returns the length.
    std::size_t format(char* out) const;
};

// Static or DHCP-assigned interface configuration.
struct Ipv4Config {
    Ipv4Addr address;
    Ipv4Addr netmask;
    Ipv4Addr gateway; // any() when there is none
    Ipv4Addr dns;     // any() when unknown
    bool sameSubnet(Ipv4Addr other) const { return (other.value & netmask.value) == (address.value & netmask.value); }
    Ipv4Addr subnetBroadcast() const { return {address.value | ~netmask.value}; }
};

inline std::uint16_t load16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
inline std::uint32_t load32(const std::uint8_t* p)
{
    return (std::uint32_t {p[0]} << 24) | (std::uint32_t {p[1]} << 16) | (std::uint32_t {p[2]} << 8) | p[3];
}
inline void store16(std::uint8_t* p, std::uint16_t v)
{
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
inline void store32(std::uint8_t* p, std::uint32_t v)
{
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

// RFC 1071 one's-complement sum, folded to 16 bits but not inverted; chain via `initial`.
std::uint32_t checksumAdd(ByteSpan data, std::uint32_t initial = 0);
// Folds and inverts a running sum into the value that goes on the wire.
std::uint16_t checksumFinish(std::uint32_t sum);
// Sum of the IPv4 pseudo header used by UDP and TCP checksums.
std::uint32_t pseudoHeaderSum(Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol, std::uint16_t length);

// Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4).
inline bool seqLt(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
inline bool seqLe(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) <= 0; }
inline bool seqGt(std::uint32_t a, std::uint32_t b) { return seqLt(b, a); }
inline bool seqGe(std::uint32_t a, std::uint32_t b) { return seqLe(b, a); }

} // namespace hive::net
