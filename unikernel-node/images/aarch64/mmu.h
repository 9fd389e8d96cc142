// The aarch64 image's identity map: 4 KiB granule, 39-bit addresses (one level-1 table of
// 1 GiB entries, level-2 tables of 2 MiB blocks where a gigabyte is only partly used).
// RAM is Normal write-back cacheable, device windows are Device-nGnRnE and never
// executable, everything else is unmapped so a stray pointer faults with a panic.
#pragma once

#include <cstdint>

namespace hive::image::aarch64 {

enum class MemoryKind : std::uint8_t { Normal, Device };

class PageTables {
public:
    // Maps [base, base + size), widened to 2 MiB boundaries, with the given attributes.
    // A 2 MiB block already mapped keeps its first mapping. Adding entries to live tables
    // is safe without TLB maintenance (invalid entries are never cached). False when the
    // range lies beyond the 39-bit address space or the table pool is exhausted.
    bool map(std::uint64_t base, std::uint64_t size, MemoryKind kind);
    // Loads MAIR/TCR/TTBR0 and turns on the MMU and both caches.
    void enable();
    // Makes entries added after enable() visible to the table walker.
    void publish();

    static constexpr std::uint64_t BlockSize = 2ull << 20;

private:
    static constexpr int Level2Tables = 8;
    std::uint64_t* level2For(unsigned index);

    alignas(4096) std::uint64_t m_level1[512] = {};
    alignas(4096) std::uint64_t m_level2[Level2Tables][512] = {};
    int m_level2Used = 0;
};

} // namespace hive::image::aarch64
