// Framing of the device <-> node stream, in three layers.
//
// 1. Record (what goes on the TCP stream):
//        u32 big-endian length L, then L bytes = exactly one Noise message.
//    1 <= L <= maxRecord (65535, the Noise limit). During the handshake a record holds a
//    handshake message; afterwards a transport message (ciphertext + 16-byte tag).
//
// 2. Chunk (the plaintext of one transport record):
//        u8 flags, then a fragment of a logical frame.
//    Bit 0 of flags is "more": the frame continues in the next record. The other bits must
//    be zero. A chunk with "more" set carries at least one byte. The fragments of a frame
//    are concatenated in order, so a frame of N encoded bytes spans
//    ceil(N / (maxRecord - 17)) records, and no single Noise message exceeds 65535 bytes
//    while a logical frame may be up to maxFrame (1 MiB of payload plus header by default).
//    Chunks of different frames never interleave on one connection.
//
// 3. Frame (the logical message, canonical encoding of codec.h):
//        u16   version    protocol version in use; 0 only in Hello frames
//        u8    kind       Hello=0, Request=1, Response=2, Push=3, Error=4
//        u64   requestId  chosen by the requester; echoed in its Response or Error;
//                         0 in Hello; a subscription id (or 0) in Push
//        u16   service    which node service (mailbox, objects, ...)
//        u16   method     which operation of that service
//        bytes payload    varint length + bytes, bounded by maxFrame
//
// Version negotiation: the first frame each side sends after the handshake is a Hello
// whose payload is its supported range (u16 min, u16 max). Both pick the highest version
// in both ranges (negotiateVersion) or close the connection with the error it returns.
//
// Every decoder here is total: any byte sequence, in any chunking, yields frames or one
// fatal error (oversize, malformed, failed authentication), after which the decoder stays
// failed and the connection must be closed.
#pragma once

#include "bytes.h"
#include "noise.h"
#include "result.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace hive::wire {

enum class FrameKind : std::uint8_t { Hello = 0, Request = 1, Response = 2, Push = 3, Error = 4 };

// Bytes a record's length prefix takes.
inline constexpr std::size_t RecordHeaderSize = 4;
// Default bound on one logical frame's encoding: 1 MiB of payload plus the header.
inline constexpr std::size_t DefaultMaxFrame = (std::size_t(1) << 20) + 64;

struct FrameLimits {
    std::size_t maxRecord = noise::MaxMessage; // clamped to [TagSize + 2, 65535]
    std::size_t maxFrame = DefaultMaxFrame;    // encoded frame, header included
};

struct Frame {
    std::uint16_t version = 0;
    FrameKind kind = FrameKind::Request;
    std::uint64_t requestId = 0;
    std::uint16_t service = 0;
    std::uint16_t method = 0;
    Bytes payload;

    // The canonical encoding (layer 3).
    Bytes encode() const;
    // Decodes one frame, rejecting unknown kinds, version/kind mismatches, payloads longer
    // than maxEncoded allows and trailing bytes.
    static Result<Frame> decode(ByteView encoded, std::size_t maxEncoded = DefaultMaxFrame);

    bool operator==(const Frame&) const = default;
};

// A protocol version range, as carried by Hello frames.
struct VersionRange {
    std::uint16_t min = 1;
    std::uint16_t max = 1;
};

// The versions this build speaks.
inline constexpr VersionRange SupportedVersions {1, 1};

// The Hello frame announcing `range`.
Frame helloFrame(VersionRange range = SupportedVersions);
// The range a Hello frame announces; fails if the frame is not a well-formed Hello.
Result<VersionRange> parseHello(const Frame& frame);
// The highest version in both ranges, or an Unsupported error naming both ranges.
Result<std::uint16_t> negotiateVersion(VersionRange ours, VersionRange theirs);

// Payload of an Error frame: u16 error code + text message.
Bytes encodeErrorPayload(const Error& error);
// The Error an Error frame carries (unknown codes become Internal; a payload that does not
// decode becomes a Malformed error saying so).
Error decodeErrorPayload(ByteView payload);

// Appends one record (length prefix + body) to out.
void appendRecord(Bytes& out, ByteView body);

// Splits a byte stream into record bodies (layer 1) without decrypting them; used for the
// handshake and, inside FrameDecoder, for transport records.
class RecordReader {
public:
    explicit RecordReader(std::size_t maxRecord = noise::MaxMessage);

    // Adds received bytes (any chunking).
    void append(ByteView bytes);
    // The next complete record body, nothing if more bytes are needed, or a fatal error
    // (zero or oversize length). Once failed, it keeps returning the same error.
    Result<std::optional<Bytes>> next();
    // Bytes received but not yet returned as records.
    std::size_t buffered() const { return m_buffer.size() - m_offset; }

private:
    std::size_t m_maxRecord;
    Bytes m_buffer;
    std::size_t m_offset = 0;
    std::optional<Error> m_error;
};

// Receives frames: records -> decrypt with `receive` -> chunks -> frames.
class FrameDecoder {
public:
    // `receive` must outlive the decoder; an unkeyed CipherState means plaintext records.
    explicit FrameDecoder(noise::CipherState& receive, FrameLimits limits = {});

    // Feeds received bytes in any chunking; decodes every complete frame.
    Status feed(ByteView bytes);
    // Feeds one record body whose length prefix the caller already removed.
    Status feedRecord(ByteView record);
    // The next complete frame, in order of arrival.
    std::optional<Frame> next();
    // Complete frames waiting to be taken.
    std::size_t pending() const { return m_frames.size(); }
    bool failed() const { return m_error.has_value(); }
    // The fatal error (only meaningful when failed()).
    const Error& error() const { return *m_error; }

private:
    Status fail(Error error);

    noise::CipherState& m_receive;
    FrameLimits m_limits;
    RecordReader m_records;
    Bytes m_partial; // fragments of the frame being reassembled
    std::deque<Frame> m_frames;
    std::optional<Error> m_error;
};

// Sends frames: frame -> chunks -> encrypt with `send` -> records.
class FrameEncoder {
public:
    // `send` must outlive the encoder.
    explicit FrameEncoder(noise::CipherState& send, FrameLimits limits = {});

    // The wire bytes (one or more records) carrying frame; TooLarge above maxFrame.
    Result<Bytes> encode(const Frame& frame);

private:
    noise::CipherState& m_send;
    FrameLimits m_limits;
};

} // namespace hive::wire
