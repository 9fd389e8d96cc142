// Block device self-check run at boot: write a fresh random pattern to one sector, flush,
// read it back and compare. Written against the Block concept, so the hosted target can
// run the same check on its file-backed device.
#pragma once

#include "core/devices.h"

#include <cstring>

namespace hive::image {

template <node::Block B, node::Entropy E>
Status blockSelfCheck(B& block, E& entropy, std::uint64_t sector)
{
    constexpr std::size_t Size = 512;
    if (block.sectorSize() != Size)
        return Error(ErrorCode::Unsupported, "block self-check: sector size is not 512");
    if (sector >= block.sectorCount())
        return Error(ErrorCode::InvalidArgument, "block self-check: disk too small");
    std::uint8_t pattern[Size];
    std::uint8_t readBack[Size];
    // Random bytes, so stale data from an earlier boot can never pass for a good write.
    HIVE_CHECK(entropy.fill({pattern, 32}));
    for (std::size_t i = 32; i < Size; ++i)
        pattern[i] = static_cast<std::uint8_t>(pattern[i % 32] ^ i);
    HIVE_CHECK(block.write(sector, ByteView(pattern, Size)));
    HIVE_CHECK(block.flush());
    std::memset(readBack, 0, Size);
    HIVE_CHECK(block.read(sector, std::span<std::uint8_t>(readBack, Size)));
    if (std::memcmp(pattern, readBack, Size) != 0)
        return Error(ErrorCode::Corrupt, "block self-check: read-back differs from what was written");
    return success();
}

} // namespace hive::image
