// The devices a node is given. Node code is written against these concepts only and
// reaches nothing else (MirageOS's functors, in C++20 concepts). The hosted target
// implements them with Linux sockets and a file; the images with virtio and our own
// TCP/IP stack. Freestanding-safe: no Qt, no exceptions, no OS headers.
#pragma once

#include "wire/bytes.h"
#include "wire/result.h"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hive::node {

// Nanoseconds since an arbitrary start (monotonic) or since the Unix epoch (wall).
using Nanos = std::uint64_t;

template <typename C>
concept Clock = requires(C& c) {
    { c.monotonicNanos() } -> std::same_as<Nanos>;
    { c.wallNanos() } -> std::same_as<Nanos>;
};

template <typename E>
concept Entropy = requires(E& e, std::span<std::uint8_t> out) {
    // Fills out with cryptographically secure random bytes or fails.
    { e.fill(out) } -> std::same_as<Status>;
};

template <typename C>
concept Console = requires(C& c, std::string_view line) {
    // Writes one log line (no trailing newline needed).
    { c.log(line) } -> std::same_as<void>;
};

// A block device: fixed-size sectors, a write is durable only after flush() returns ok.
template <typename B>
concept Block = requires(B& b, std::uint64_t sector, std::span<std::uint8_t> out, ByteView in) {
    { b.sectorSize() } -> std::same_as<std::size_t>;
    { b.sectorCount() } -> std::same_as<std::uint64_t>;
    // Reads/writes whole sectors starting at `sector`; sizes are multiples of sectorSize().
    { b.read(sector, out) } -> std::same_as<Status>;
    { b.write(sector, in) } -> std::same_as<Status>;
    { b.flush() } -> std::same_as<Status>;
};

// Stream connections and listeners, identified by small integer handles. Everything is
// non-blocking: calls return what can be done now, and the target's event loop wakes the
// node (poll()) when something changed.
using ConnId = std::uint32_t;

enum class NetEvent : std::uint8_t { Accepted, Readable, Writable, Closed };

template <typename N>
concept Net = requires(N& n, ConnId id, std::span<std::uint8_t> out, ByteView in, std::uint16_t port) {
    // Starts listening on a TCP port.
    { n.listen(port) } -> std::same_as<Status>;
    // Bytes read into out (0 = nothing now), or an error when the peer is gone.
    { n.read(id, out) } -> std::same_as<Result<std::size_t>>;
    // Bytes accepted for sending (may be fewer than in.size()).
    { n.write(id, in) } -> std::same_as<Result<std::size_t>>;
    { n.close(id) } -> std::same_as<void>;
};

} // namespace hive::node
