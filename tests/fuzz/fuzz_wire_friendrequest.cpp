// Fuzzes the friend request decoder and the sealed-request opener: any bytes decode or
// fail cleanly, and whatever decodes re-encodes to exactly the input.
#include "wire/friendrequest.h"

#include <cstdlib>

using namespace hive;
using namespace hive::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ByteView input(data, size);
    if (auto request = FriendRequest::decode(input)) {
        if (request->encode() != toBytes(input) || !request->hasValidSignature())
            std::abort();
    }
    // A fixed key pair: opening arbitrary bytes must fail cleanly (or, never, succeed).
    std::array<std::uint8_t, 32> pk {};
    std::array<std::uint8_t, 32> sk {};
    sk.fill(0x11);
    pk[0] = 9;
    (void)FriendRequest::open(input, pk, sk, SigningPublicKey {});
    return 0;
}
