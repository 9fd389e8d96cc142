// Fuzzes the messaging decoders (plugins/messaging/messagecodec.h): the first byte picks
// the decoder, the rest is its input. Any bytes decode or fail cleanly, and whatever
// decodes re-encodes to exactly the input (the encodings are canonical).
#include "messaging/messagecodec.h"

#include <cstdlib>

using namespace hive;
using namespace hive::messaging;

namespace {

template <typename T>
void roundTrip(ByteView input)
{
    auto decoded = T::decode(input);
    if (decoded.ok() && decoded->encode() != toBytes(input))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const ByteView input(data + 1, size - 1);
    switch (data[0] % 5) {
    case 0: roundTrip<Payload>(input); break;
    case 1: roundTrip<SignalBody>(input); break;
    case 2: roundTrip<GroupCiphertext>(input); break;
    case 3: roundTrip<PrekeyBundle>(input); break;
    default: roundTrip<OneTimePrekey>(input); break;
    }
    return 0;
}
