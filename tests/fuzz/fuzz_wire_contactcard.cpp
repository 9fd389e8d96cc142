// Fuzzes the contact card decoders: any bytes or text decode or fail cleanly with a reason,
// the reason agrees with the result, and whatever decodes re-encodes to exactly the input.
#include "wire/contactcard.h"

#include <cstdlib>
#include <string_view>

using namespace hive;
using namespace hive::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ByteView input(data, size);
    // now = 0 so that expiry does not hide the signature check from the fuzzer.
    CardError why = CardError::None;
    auto card = ContactCard::decode(input, 0, &why);
    if (card.ok() != (why == CardError::None))
        std::abort();
    if (card) {
        if (card->encode() != toBytes(input) || !card->validate())
            std::abort();
        auto again = ContactCard::fromUri(card->toUri(ContactCard::UriCase::Upper), 0);
        if (!again || !(*again == *card))
            std::abort();
    }
    why = CardError::None;
    auto fromText = ContactCard::fromUri(asText(input), 0, &why);
    if (fromText.ok() != (why == CardError::None))
        std::abort();
    return 0;
}
