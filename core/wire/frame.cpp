#include "frame.h"

#include "codec.h"

#include <algorithm>

namespace hive::wire {

namespace {

constexpr std::uint8_t MoreFlag = 0x01;
constexpr std::uint8_t LastKind = static_cast<std::uint8_t>(FrameKind::Error);
// Idle connections should cost little memory, so buffers that grew for a large message
// are released once they are empty again.
constexpr std::size_t KeepCapacity = 4096;

FrameLimits clamped(FrameLimits limits)
{
    limits.maxRecord = std::clamp<std::size_t>(limits.maxRecord, noise::TagSize + 2, noise::MaxMessage);
    return limits;
}

// The length in a record header, or the fatal error it represents.
Result<std::size_t> recordLength(const std::uint8_t* header, std::size_t maxRecord)
{
    const std::size_t length = (std::size_t(header[0]) << 24) | (std::size_t(header[1]) << 16)
        | (std::size_t(header[2]) << 8) | header[3];
    if (length == 0)
        return Error(ErrorCode::Malformed, "record of length 0");
    if (length > maxRecord) {
        Error e(ErrorCode::TooLarge, "record of ");
        e.appendNumber(static_cast<std::int64_t>(length)).append(" bytes exceeds the limit of ");
        return e.appendNumber(static_cast<std::int64_t>(maxRecord)).append(" bytes");
    }
    return length;
}

void releaseIfLarge(Bytes& buffer)
{
    if (buffer.empty() && buffer.capacity() > KeepCapacity)
        Bytes().swap(buffer);
}

} // namespace

Bytes Frame::encode() const
{
    Writer w;
    w.u16(version).u8(static_cast<std::uint8_t>(kind)).u64(requestId).u16(service).u16(method).bytes(payload);
    return w.take();
}

Result<Frame> Frame::decode(ByteView encoded, std::size_t maxEncoded)
{
    if (encoded.size() > maxEncoded) {
        Error e(ErrorCode::TooLarge, "frame of ");
        e.appendNumber(static_cast<std::int64_t>(encoded.size())).append(" bytes exceeds the limit of ");
        return e.appendNumber(static_cast<std::int64_t>(maxEncoded)).append(" bytes");
    }
    Reader r(encoded, Limits {.maxBytes = maxEncoded, .maxList = 0, .maxDepth = 1});
    Frame f;
    f.version = r.u16();
    std::uint8_t kind = r.u8();
    if (r.ok() && kind > LastKind) {
        Error e(ErrorCode::Malformed, "unknown frame kind ");
        e.appendNumber(kind);
        r.fail(ErrorCode::Malformed, e.messageView());
    }
    f.kind = static_cast<FrameKind>(kind);
    f.requestId = r.u64();
    f.service = r.u16();
    f.method = r.u16();
    f.payload = r.bytes(maxEncoded);
    if (r.ok() && (f.kind == FrameKind::Hello) != (f.version == 0))
        r.fail(ErrorCode::Malformed, f.kind == FrameKind::Hello ? "a Hello frame must carry version 0"
                                                                : "only Hello frames may carry version 0");
    HIVE_CHECK(r.finish());
    return f;
}

Frame helloFrame(VersionRange range)
{
    Writer w;
    w.u16(range.min).u16(range.max);
    Frame f;
    f.version = 0;
    f.kind = FrameKind::Hello;
    f.payload = w.take();
    return f;
}

Result<VersionRange> parseHello(const Frame& frame)
{
    if (frame.kind != FrameKind::Hello) {
        Error e(ErrorCode::Malformed, "expected a Hello frame first, got frame kind ");
        return e.appendNumber(static_cast<std::int64_t>(frame.kind));
    }
    Reader r(frame.payload);
    VersionRange range;
    range.min = r.u16();
    range.max = r.u16();
    HIVE_CHECK(r.finish());
    if (range.min == 0 || range.min > range.max)
        return Error(ErrorCode::Malformed, "Hello announces an empty or invalid version range");
    return range;
}

Result<std::uint16_t> negotiateVersion(VersionRange ours, VersionRange theirs)
{
    std::uint16_t low = std::max(ours.min, theirs.min);
    std::uint16_t high = std::min(ours.max, theirs.max);
    if (low > high || high == 0) {
        Error e(ErrorCode::Unsupported, "no common protocol version: this side speaks ");
        e.appendNumber(ours.min).append("-").appendNumber(ours.max).append(", the peer ");
        e.appendNumber(theirs.min).append("-").appendNumber(theirs.max).append("; update the older side");
        return e;
    }
    return high;
}

Bytes encodeErrorPayload(const Error& error)
{
    Writer w;
    w.u16(static_cast<std::uint16_t>(error.code())).text(error.messageView());
    return w.take();
}

Error decodeErrorPayload(ByteView payload)
{
    Reader r(payload);
    std::uint16_t code = r.u16();
    std::string message = r.text(Error::MaxMessage);
    if (auto s = r.finish(); !s)
        return s.error().withContext("peer sent a malformed error frame");
    if (code == 0 || code > static_cast<std::uint16_t>(ErrorCode::Internal))
        return Error(ErrorCode::Internal, message);
    return Error(static_cast<ErrorCode>(code), message);
}

void appendRecord(Bytes& out, ByteView body)
{
    const auto n = static_cast<std::uint32_t>(body.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(n >> shift));
    out.insert(out.end(), body.begin(), body.end());
}

RecordReader::RecordReader(std::size_t maxRecord) : m_maxRecord(maxRecord) {}

void RecordReader::append(ByteView bytes)
{
    if (m_error || bytes.empty())
        return;
    if (m_offset > 0) {
        // Drop consumed bytes before growing, so the buffer never exceeds one record plus
        // what the caller hands over at once.
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_offset));
        m_offset = 0;
    }
    m_buffer.insert(m_buffer.end(), bytes.begin(), bytes.end());
}

Result<std::optional<Bytes>> RecordReader::next()
{
    if (m_error)
        return *m_error;
    if (buffered() < RecordHeaderSize)
        return std::optional<Bytes>();
    const std::uint8_t* p = m_buffer.data() + m_offset;
    auto header = recordLength(p, m_maxRecord);
    if (!header) {
        m_error = header.error();
        return *m_error;
    }
    const std::size_t length = *header;
    if (buffered() < RecordHeaderSize + length)
        return std::optional<Bytes>();
    Bytes body(p + RecordHeaderSize, p + RecordHeaderSize + length);
    m_offset += RecordHeaderSize + length;
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
        releaseIfLarge(m_buffer);
    }
    return std::optional<Bytes>(std::move(body));
}

FrameDecoder::FrameDecoder(noise::CipherState& receive, FrameLimits limits)
    : m_receive(receive), m_limits(clamped(limits)), m_records(m_limits.maxRecord)
{
}

Status FrameDecoder::fail(Error error)
{
    m_error = error;
    Bytes().swap(m_partial);
    return error;
}

Status FrameDecoder::feed(ByteView bytes)
{
    if (m_error)
        return *m_error;
    if (m_records.buffered() == 0) {
        // Fast path: complete records are decoded straight from the caller's bytes; only
        // an incomplete tail is copied into the record buffer.
        while (bytes.size() >= RecordHeaderSize) {
            auto length = recordLength(bytes.data(), m_limits.maxRecord);
            if (!length)
                return fail(length.error());
            if (bytes.size() < RecordHeaderSize + *length)
                break;
            HIVE_CHECK(feedRecord(bytes.subspan(RecordHeaderSize, *length)));
            bytes = bytes.subspan(RecordHeaderSize + *length);
        }
    }
    m_records.append(bytes);
    while (true) {
        auto record = m_records.next();
        if (!record)
            return fail(record.error());
        if (!*record)
            return success();
        HIVE_CHECK(feedRecord(**record));
    }
}

Status FrameDecoder::feedRecord(ByteView record)
{
    if (m_error)
        return *m_error;
    if (record.empty() || record.size() > m_limits.maxRecord)
        return fail(Error(record.empty() ? ErrorCode::Malformed : ErrorCode::TooLarge,
                          "record length outside 1..maxRecord"));
    auto plain = m_receive.decrypt(record);
    if (!plain)
        return fail(plain.error().withContext("transport record"));
    if (plain->empty())
        return fail(Error(ErrorCode::Malformed, "record carries no chunk flags"));
    const std::uint8_t flags = (*plain)[0];
    if (flags & ~MoreFlag) {
        Error e(ErrorCode::Malformed, "unknown chunk flags ");
        return fail(e.appendNumber(flags));
    }
    const bool more = flags & MoreFlag;
    const std::size_t fragment = plain->size() - 1;
    if (more && fragment == 0)
        return fail(Error(ErrorCode::Malformed, "a non-final chunk must carry data"));
    if (m_partial.size() + fragment > m_limits.maxFrame) {
        Error e(ErrorCode::TooLarge, "frame exceeds the limit of ");
        return fail(e.appendNumber(static_cast<std::int64_t>(m_limits.maxFrame)).append(" bytes"));
    }
    m_partial.insert(m_partial.end(), plain->begin() + 1, plain->end());
    if (more)
        return success();
    auto frame = Frame::decode(m_partial, m_limits.maxFrame);
    if (!frame)
        return fail(frame.error());
    m_frames.push_back(frame.release());
    m_partial.clear();
    releaseIfLarge(m_partial);
    return success();
}

std::optional<Frame> FrameDecoder::next()
{
    if (m_frames.empty())
        return std::nullopt;
    Frame f = std::move(m_frames.front());
    m_frames.pop_front();
    return f;
}

FrameEncoder::FrameEncoder(noise::CipherState& send, FrameLimits limits) : m_send(send), m_limits(clamped(limits)) {}

Result<Bytes> FrameEncoder::encode(const Frame& frame)
{
    const Bytes body = frame.encode();
    if (body.size() > m_limits.maxFrame) {
        Error e(ErrorCode::TooLarge, "frame of ");
        e.appendNumber(static_cast<std::int64_t>(body.size())).append(" bytes exceeds the limit of ");
        return e.appendNumber(static_cast<std::int64_t>(m_limits.maxFrame)).append(" bytes");
    }
    const std::size_t chunk = m_limits.maxRecord - 1 - (m_send.hasKey() ? noise::TagSize : 0);
    Bytes out;
    out.reserve(body.size() + (body.size() / chunk + 1) * (RecordHeaderSize + 1 + noise::TagSize));
    Bytes plain;
    for (std::size_t pos = 0; pos < body.size(); pos += chunk) {
        const std::size_t n = std::min(chunk, body.size() - pos);
        const bool more = pos + n < body.size();
        plain.assign(1, more ? MoreFlag : std::uint8_t(0));
        plain.insert(plain.end(), body.begin() + static_cast<std::ptrdiff_t>(pos),
                     body.begin() + static_cast<std::ptrdiff_t>(pos + n));
        auto sealed = HIVE_TRY(m_send.encrypt(plain));
        appendRecord(out, sealed);
    }
    return out;
}

} // namespace hive::wire
