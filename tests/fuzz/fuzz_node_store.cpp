// Fuzzes the node store's recovery: any disk content must open or fail with a clean error,
// never crash; and a store that opened must take a write that survives the next open.
//
// Input: one mode byte, then either a raw device image (mode bit 0 clear) or patches
// {u16 offset, u8 length, bytes} applied to a small valid store (bit 0 set). Bits 1 and 2
// re-seal the superblock and record checksums after patching, so the fuzzer reaches the
// checks behind them instead of stopping at the CRCs.
#include "store/crc32c.h"
#include "store/memblock.h"
#include "store/store.h"

#include <cstdlib>
#include <cstring>

using namespace hive;
using namespace hive::node;

namespace {

constexpr std::size_t Sector = 512;
constexpr std::uint64_t Sectors = 200; // just above the smallest store
constexpr std::size_t LogStart = 130 * Sector; // layout for 512-byte sectors

std::uint32_t le32(const std::uint8_t* p) { return static_cast<std::uint32_t>(p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24); }
void setLe32(std::uint8_t* p, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// A small store with a few records, a delete, an overwrite and config values.
const Bytes& templateImage()
{
    static const Bytes image = [] {
        MemBlock block(Sector, Sectors);
        if (!Store::format(block, FormatOptions {.storeId = 7, .maxObjectSize = 0}).ok())
            std::abort();
        auto store = Store::open(block);
        if (!store.ok())
            std::abort();
        for (int i = 0; i < 6; ++i) {
            Bytes key {'k', static_cast<std::uint8_t>('0' + i)};
            Bytes value(static_cast<std::size_t>(i * 300), static_cast<std::uint8_t>(i));
            if (!(*store)->put(key, value).ok())
                std::abort();
        }
        (void)(*store)->remove(Bytes {'k', '1'});
        (void)(*store)->put(Bytes {'k', '2'}, Bytes(10, 9));
        (void)(*store)->setConfig(0, Bytes(40, 1));
        return block.contents();
    }();
    return image;
}

void resealSuperblocks(Bytes& image)
{
    for (std::size_t copy = 0; copy < 2; ++copy) {
        std::uint8_t* p = image.data() + copy * Sector;
        setLe32(p + 112, crc32c(ByteView(p, 112)));
    }
}

void resealRecords(Bytes& image)
{
    for (std::size_t at = LogStart; at + Sector <= image.size(); at += Sector) {
        std::uint8_t* p = image.data() + at;
        if (le32(p) != 0x43525648u)
            continue;
        const std::size_t keySize = std::min<std::size_t>(p[5], 128);
        const std::size_t payload = le32(p + 8);
        if (payload <= image.size() - at - 44 - keySize)
            setLe32(p + 12, crc32c(ByteView(p + 44 + keySize, payload)));
        setLe32(p + 40, crc32c(ByteView(p + 44, keySize), crc32c(ByteView(p, 40))));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::uint8_t mode = data[0];
    ByteView rest(data + 1, size - 1);
    Bytes image;
    if ((mode & 1) == 0) {
        image.assign(Sectors * Sector, 0);
        std::memcpy(image.data(), rest.data(), std::min(rest.size(), image.size()));
    } else {
        image = templateImage();
        for (std::size_t i = 0; i + 3 <= rest.size();) {
            std::size_t offset = (static_cast<std::size_t>(rest[i]) | static_cast<std::size_t>(rest[i + 1]) << 8) * 2 % image.size();
            std::size_t length = std::min<std::size_t>(rest[i + 2], rest.size() - i - 3);
            length = std::min(length, image.size() - offset);
            std::memcpy(image.data() + offset, rest.data() + i + 3, length);
            i += 3 + length;
        }
    }
    if (mode & 2)
        resealSuperblocks(image);
    if (mode & 4)
        resealRecords(image);

    MemBlock block = MemBlock::fromImage(image, Sector);
    auto opened = Store::open(block);
    if (!opened.ok())
        return 0;
    Store& store = **opened;
    for (const auto& info : store.list({}, {}, 1000)) {
        auto value = store.get(info.key);
        if (value.ok() && value->size() != info.size)
            std::abort();
    }
    (void)store.usage();
    (void)store.config(0);
    const Bytes fresh(100, 0x5A);
    const bool put = store.put(Bytes {'f', 'u', 'z', 'z'}, fresh).ok();
    (void)store.compact();
    opened = Result<std::unique_ptr<Store>>(Error(ErrorCode::Internal, "closed"));

    // Whatever we wrote to a store that opened must open again and keep the acknowledged put.
    auto again = Store::open(block);
    if (!again.ok())
        std::abort();
    if (put && (*again)->get(Bytes {'f', 'u', 'z', 'z'}).valueOr({}) != fresh)
        std::abort();
    return 0;
}
