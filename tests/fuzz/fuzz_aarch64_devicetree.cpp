// Fuzzes the aarch64 image's device-tree reader: any blob must be accepted or rejected
// cleanly (ASan/UBSan watch every read), and an accepted board must stay inside the blob.
#include "devicetree.h"

#include <cstdlib>

using namespace hive::image::aarch64;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::span<const std::uint8_t> blob(data, size);
    (void)DeviceTree::totalSize(blob);
    auto tree = DeviceTree::create(blob);
    if (!tree.ok())
        return 0;
    auto board = describeBoard(*tree);
    if (!board.ok())
        return 0;
    const auto* begin = reinterpret_cast<const char*>(data);
    const auto* end = begin + size;
    if (!board->bootargs.empty() && (board->bootargs.data() < begin || board->bootargs.data() + board->bootargs.size() > end))
        std::abort();
    if (board->memoryCount == 0 || board->memoryCount > Board::MaxMemory || board->virtioCount > Board::MaxVirtio
        || board->reservedCount > Board::MaxReserved)
        std::abort();
    return 0;
}
