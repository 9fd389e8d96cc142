// The canonical, bounded binary encoding used for every signed or transmitted structure.
//
// A structure is a fixed sequence of fields, written in declaration order:
//   u8 / u16 / u32 / u64   fixed width, big-endian
//   varint                 unsigned LEB128; the decoder accepts only the shortest form
//   bool                   one byte, 0 or 1 only
//   fixed(N)               exactly N raw bytes (keys, hashes)
//   bytes / text           varint length, then that many bytes; text must be UTF-8
//   list                   varint count, then that many elements
//   struct                 nested fields, bounded by a depth limit
// Because every value has exactly one encoding, encode(decode(x)) == x for every x that
// decodes, and signatures over encodings are unambiguous.
//
// The Reader is total: every call on any input returns a value or leaves an error in the
// reader (the first error sticks, later reads return zeros). finish() reports it and also
// rejects trailing bytes.
#pragma once

#include "bytes.h"
#include "result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hive::wire {

// Limits a decoder enforces. Callers pick tighter ones per structure.
struct Limits {
    std::size_t maxBytes = 1 << 20;  // longest bytes/text field
    std::size_t maxList = 4096;      // most elements in one list
    std::size_t maxDepth = 8;        // deepest struct nesting
};

class Writer {
public:
    Writer() = default;

    Writer& u8(std::uint8_t v);
    Writer& u16(std::uint16_t v);
    Writer& u32(std::uint32_t v);
    Writer& u64(std::uint64_t v);
    Writer& varint(std::uint64_t v);
    Writer& boolean(bool v) { return u8(v ? 1 : 0); }
    Writer& fixed(ByteView v);
    Writer& bytes(ByteView v);
    Writer& text(std::string_view v);
    Writer& listCount(std::size_t n) { return varint(n); }

    const Bytes& data() const { return m_out; }
    Bytes take() { return std::move(m_out); }
    std::size_t size() const { return m_out.size(); }

private:
    Bytes m_out;
};

class Reader {
public:
    explicit Reader(ByteView input, Limits limits = {}) : m_input(input), m_limits(limits) {}

    std::uint8_t u8();
    std::uint16_t u16();
    std::uint32_t u32();
    std::uint64_t u64();
    std::uint64_t varint();
    bool boolean();
    // Reads exactly out.size() bytes into out.
    void fixed(std::span<std::uint8_t> out);
    template <std::size_t N>
    std::array<std::uint8_t, N> fixed()
    {
        std::array<std::uint8_t, N> out {};
        fixed(std::span<std::uint8_t>(out));
        return out;
    }
    // A view into the input; valid while the input is.
    ByteView bytesView(std::size_t maxLength);
    ByteView bytesView() { return bytesView(m_limits.maxBytes); }
    Bytes bytes(std::size_t maxLength) { return toBytes(bytesView(maxLength)); }
    Bytes bytes() { return bytes(m_limits.maxBytes); }
    std::string text(std::size_t maxLength);
    std::string text() { return text(m_limits.maxBytes); }
    // Reads a list count, bounded by maxCount and by the bytes left (each element takes
    // at least minElementSize bytes), so a hostile count cannot force a huge allocation.
    std::size_t listCount(std::size_t maxCount, std::size_t minElementSize = 1);
    std::size_t listCount() { return listCount(m_limits.maxList); }

    // Enter/leave a nested struct; entering past maxDepth is an error.
    void enter();
    void leave();

    // Marks the input malformed with a caller's reason (semantic checks).
    void fail(ErrorCode code, std::string_view message);

    bool ok() const { return !m_failed; }
    std::size_t remaining() const { return m_input.size() - m_pos; }
    bool atEnd() const { return m_pos == m_input.size(); }
    // The error of the first failed read, or an error for trailing bytes, or success.
    Status finish() const;
    // The first error so far (only meaningful when !ok()).
    const Error& error() const { return m_error; }

private:
    bool need(std::size_t n);

    ByteView m_input;
    Limits m_limits;
    std::size_t m_pos = 0;
    std::size_t m_depth = 0;
    bool m_failed = false;
    Error m_error;
};

// True if text is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view text);

} // namespace hive::wire
