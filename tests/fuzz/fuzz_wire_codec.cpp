// Fuzzes the canonical decoder and base32: any input must decode or fail cleanly, and
// whatever decodes must re-encode to exactly the input.
#include "wire/base32.h"
#include "wire/codec.h"

#include <cstdlib>

using namespace hive;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    ByteView in(data, size);
    {
        wire::Reader r(in, wire::Limits {.maxBytes = 512, .maxList = 32, .maxDepth = 4});
        wire::Writer w;
        std::uint8_t tag = r.u8();
        w.u8(tag);
        w.varint(r.varint());
        w.boolean(r.boolean());
        w.text(r.text(128));
        std::size_t n = r.listCount(32);
        w.listCount(n);
        for (std::size_t i = 0; i < n && r.ok(); ++i)
            w.bytes(r.bytes(64));
        if (r.finish().ok() && w.data() != toBytes(in))
            std::abort();
    }
    {
        auto decoded = base32::decode(asText(in));
        if (decoded.ok() && base32::encode(*decoded) != asText(in) && base32::encode(*decoded).size() == size) {
            // Upper-case input decodes too; compare case-insensitively.
            std::string e = base32::encode(*decoded);
            for (std::size_t i = 0; i < size; ++i)
                if (e[i] != (static_cast<char>(data[i]) | 0x20) && e[i] != static_cast<char>(data[i]))
                    std::abort();
        }
    }
    return 0;
}
