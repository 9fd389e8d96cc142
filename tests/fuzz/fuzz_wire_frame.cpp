// Fuzzes the frame decoder on plaintext records (an unkeyed cipher): any byte stream in any
// chunking yields frames or one fatal error, the outcome does not depend on the chunking,
// and every decoded frame re-encodes canonically.
#include "wire/frame.h"

#include <cstdlib>
#include <vector>

using namespace hive;
using namespace hive::wire;

namespace {

struct Outcome {
    std::vector<Frame> frames;
    bool failed = false;
    ErrorCode code = ErrorCode::Ok;
};

// Feeds the input in pieces whose sizes come from `cuts` (0 = all at once).
Outcome decode(ByteView input, std::uint8_t cuts)
{
    noise::CipherState plain;
    // A small frame limit keeps runs fast while still exercising the oversize paths.
    FrameDecoder decoder(plain, FrameLimits {.maxRecord = 512, .maxFrame = 4096});
    Outcome out;
    std::size_t pos = 0;
    std::size_t step = cuts == 0 ? input.size() : cuts;
    do {
        const std::size_t n = std::min(step, input.size() - pos);
        auto s = decoder.feed(input.subspan(pos, n));
        while (auto f = decoder.next())
            out.frames.push_back(std::move(*f));
        if (!s) {
            out.failed = true;
            out.code = s.error().code();
            break;
        }
        pos += n;
        if (cuts != 0)
            step = 1 + (step * 7 + cuts) % 61;
    } while (pos < input.size());
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t cuts = data[0];
    ByteView input(data + 1, size - 1);

    Outcome whole = decode(input, 0);
    Outcome pieces = decode(input, static_cast<std::uint8_t>(cuts | 1));
    if (whole.failed != pieces.failed || whole.code != pieces.code || whole.frames != pieces.frames)
        std::abort();
    for (const auto& f : whole.frames) {
        auto again = Frame::decode(f.encode(), 4096);
        if (!again || !(*again == f))
            std::abort();
    }

    // The frame codec alone: whatever decodes re-encodes to exactly the input.
    auto frame = Frame::decode(input, 4096);
    if (frame && frame->encode() != toBytes(input))
        std::abort();
    if (frame && frame->kind == FrameKind::Hello)
        (void)parseHello(*frame);
    (void)decodeErrorPayload(input);
    return 0;
}
