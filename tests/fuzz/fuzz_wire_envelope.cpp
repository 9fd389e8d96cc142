// Fuzzes what is inside a sealed envelope and the Note decoder: any bytes decode or fail
// cleanly, and whatever decodes re-encodes to exactly the input.
#include "wire/codec.h"
#include "wire/envelope.h"

#include <cstdlib>

using namespace hive;
using namespace hive::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ByteView input(data, size);
    if (auto opened = decodeEnvelopeContent(input)) {
        Writer w;
        w.u8(EnvelopeVersion).u8(static_cast<std::uint8_t>(opened->kind)).bytes(opened->body);
        if (w.data() != toBytes(input))
            std::abort();
    }
    if (auto note = Note::decode(input)) {
        if (note->encode() != toBytes(input) || !note->hasValidSignature())
            std::abort();
    }
    // Opening arbitrary bytes with a fixed key pair must fail cleanly.
    std::array<std::uint8_t, 32> pk {};
    std::array<std::uint8_t, 32> sk {};
    sk.fill(0x11);
    pk[0] = 9;
    (void)openEnvelope(input, pk, sk);
    return 0;
}
