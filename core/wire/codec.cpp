#include "codec.h"

namespace hive::wire {

Writer& Writer::u8(std::uint8_t v)
{
    m_out.push_back(v);
    return *this;
}

Writer& Writer::u16(std::uint16_t v)
{
    m_out.push_back(static_cast<std::uint8_t>(v >> 8));
    m_out.push_back(static_cast<std::uint8_t>(v));
    return *this;
}

Writer& Writer::u32(std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        m_out.push_back(static_cast<std::uint8_t>(v >> shift));
    return *this;
}

Writer& Writer::u64(std::uint64_t v)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        m_out.push_back(static_cast<std::uint8_t>(v >> shift));
    return *this;
}

Writer& Writer::varint(std::uint64_t v)
{
    do {
        std::uint8_t byte = v & 0x7f;
        v >>= 7;
        if (v != 0)
            byte |= 0x80;
        m_out.push_back(byte);
    } while (v != 0);
    return *this;
}

Writer& Writer::fixed(ByteView v)
{
    m_out.insert(m_out.end(), v.begin(), v.end());
    return *this;
}

Writer& Writer::bytes(ByteView v)
{
    varint(v.size());
    return fixed(v);
}

Writer& Writer::text(std::string_view v) { return bytes(asBytes(v)); }

bool Reader::need(std::size_t n)
{
    if (m_failed)
        return false;
    if (remaining() < n) {
        fail(ErrorCode::Malformed, "input ends in the middle of a field");
        return false;
    }
    return true;
}

void Reader::fail(ErrorCode code, std::string_view message)
{
    if (m_failed)
        return;
    m_failed = true;
    m_error = Error(code, message);
    m_error.append(" (at byte ").appendNumber(static_cast<std::int64_t>(m_pos)).append(")");
}

std::uint8_t Reader::u8()
{
    if (!need(1))
        return 0;
    return m_input[m_pos++];
}

std::uint16_t Reader::u16()
{
    if (!need(2))
        return 0;
    std::uint16_t v = static_cast<std::uint16_t>(m_input[m_pos] << 8 | m_input[m_pos + 1]);
    m_pos += 2;
    return v;
}

std::uint32_t Reader::u32()
{
    if (!need(4))
        return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v = v << 8 | m_input[m_pos++];
    return v;
}

std::uint64_t Reader::u64()
{
    if (!need(8))
        return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = v << 8 | m_input[m_pos++];
    return v;
}

std::uint64_t Reader::varint()
{
    std::uint64_t v = 0;
    for (int i = 0; i < 10; ++i) {
        if (!need(1))
            return 0;
        std::uint8_t byte = m_input[m_pos++];
        std::uint64_t part = byte & 0x7fu;
        if (i == 9 && part > 1) {
            fail(ErrorCode::Malformed, "varint overflows 64 bits");
            return 0;
        }
        v |= part << (7 * i);
        if ((byte & 0x80) == 0) {
            if (byte == 0 && i > 0) {
                fail(ErrorCode::Malformed, "varint is not in its shortest form");
                return 0;
            }
            return v;
        }
    }
    fail(ErrorCode::Malformed, "varint is longer than 10 bytes");
    return 0;
}

bool Reader::boolean()
{
    std::uint8_t v = u8();
    if (v > 1) {
        fail(ErrorCode::Malformed, "boolean is neither 0 nor 1");
        return false;
    }
    return v == 1;
}

void Reader::fixed(std::span<std::uint8_t> out)
{
    if (!need(out.size())) {
        for (auto& b : out)
            b = 0;
        return;
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = m_input[m_pos + i];
    m_pos += out.size();
}

ByteView Reader::bytesView(std::size_t maxLength)
{
    std::uint64_t length = varint();
    if (m_failed)
        return {};
    if (length > maxLength || length > m_limits.maxBytes) {
        fail(ErrorCode::TooLarge, "field is longer than its limit");
        return {};
    }
    if (!need(static_cast<std::size_t>(length)))
        return {};
    ByteView view = m_input.subspan(m_pos, static_cast<std::size_t>(length));
    m_pos += static_cast<std::size_t>(length);
    return view;
}

std::string Reader::text(std::size_t maxLength)
{
    ByteView view = bytesView(maxLength);
    std::string_view s = asText(view);
    if (!isValidUtf8(s)) {
        fail(ErrorCode::Malformed, "text is not valid UTF-8");
        return {};
    }
    return std::string(s);
}

std::size_t Reader::listCount(std::size_t maxCount, std::size_t minElementSize)
{
    std::uint64_t count = varint();
    if (m_failed)
        return 0;
    if (count > maxCount || count > m_limits.maxList) {
        fail(ErrorCode::TooLarge, "list has more elements than its limit");
        return 0;
    }
    if (minElementSize > 0 && count > remaining() / minElementSize) {
        fail(ErrorCode::Malformed, "list count exceeds the bytes that follow");
        return 0;
    }
    return static_cast<std::size_t>(count);
}

void Reader::enter()
{
    if (m_failed)
        return;
    if (m_depth >= m_limits.maxDepth) {
        fail(ErrorCode::TooLarge, "structure is nested too deeply");
        return;
    }
    ++m_depth;
}

void Reader::leave()
{
    if (m_depth > 0)
        --m_depth;
}

Status Reader::finish() const
{
    if (m_failed)
        return m_error;
    if (!atEnd()) {
        Error e(ErrorCode::Malformed, "unexpected trailing bytes after the structure (");
        e.appendNumber(static_cast<std::int64_t>(remaining())).append(" left)");
        return e;
    }
    return success();
}

bool isValidUtf8(std::string_view text)
{
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto byteAt = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    while (i < n) {
        std::uint8_t c = byteAt(i);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length;
        std::uint32_t cp;
        if ((c & 0xe0) == 0xc0) {
            length = 2;
            cp = c & 0x1fu;
        } else if ((c & 0xf0) == 0xe0) {
            length = 3;
            cp = c & 0x0fu;
        } else if ((c & 0xf8) == 0xf0) {
            length = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + length > n)
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            std::uint8_t cc = byteAt(i + k);
            if ((cc & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (cc & 0x3fu);
        }
        if ((length == 2 && cp < 0x80) || (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000))
            return false; // overlong
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += length;
    }
    return true;
}

} // namespace hive::wire
