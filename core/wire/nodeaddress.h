// A node's address: `hive://<base32 node public key>@host:port`. The key is the node's
// X25519 Noise static key, so connecting to an address authenticates the node without any
// certificate authority (the IK handshake fails unless the peer holds that key).
#pragma once

#include "result.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hive::wire {

struct NodeAddress {
    std::array<std::uint8_t, 32> key {};
    // A DNS name or IPv4 dotted quad in lower case, or an IPv6 address without brackets.
    std::string host;
    std::uint16_t port = 0;

    // Parses an address; every rejection says what is wrong and what is expected.
    static Result<NodeAddress> parse(std::string_view text);
    // The canonical text form (lower-case, IPv6 in brackets); parse(toString()) == *this.
    std::string toString() const;

    bool operator==(const NodeAddress&) const = default;
};

// True if text is a valid DNS host name (letters, digits, hyphens; labels of 1-63).
bool isValidHostName(std::string_view text);
// True if text is an IPv4 dotted quad without leading zeros.
bool isValidIpv4(std::string_view text);
// True if text is an IPv6 address (RFC 4291 text forms, no zone index).
bool isValidIpv6(std::string_view text);

} // namespace hive::wire
