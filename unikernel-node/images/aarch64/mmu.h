// The aarch64 image's identity map: 4 KiB granule, 39-bit addresses (one level-1 table of
// 1 GiB entries, level-2 tables of 2 MiB blocks where a gigabyte is only partly used).
// RAM is Normal write-back cacheable, device windows are Device-nGnRnE and never
// executable, everything else is unmapped so a stray pointer faults with a panic.
#pragma once

#include <cstdint>

namespace hive::image::aarch64 {

enum class MemoryKind : std::uint8_t { Normal, Device };

// Where the kernel's own sections are, page-aligned (linker.ld).
struct ImageLayout {
    std::uint64_t textStart;  // code: read-only, executable
    std::uint64_t textEnd;    // then read-only data
    std::uint64_t rodataEnd;  // then data and BSS: read-write, never executable
    std::uint64_t end;
    std::uint64_t guardStart; // one unmapped page below the kernel stack
    std::uint64_t guardEnd;
};

class PageTables {
public:
    // Maps [base, base + size), widened to 2 MiB boundaries, with the given attributes.
    // A 2 MiB block already mapped keeps its first mapping. Adding entries to live tables
    // is safe without TLB maintenance (invalid entries are never cached). False when the
    // range lies beyond the 39-bit address space or the table pool is exhausted.
    bool map(std::uint64_t base, std::uint64_t size, MemoryKind kind);
    // Maps the 2 MiB blocks holding the image with 4 KiB pages: code RX, read-only data R,
    // data RW (W^X), the stack guard page absent, and the rest of those blocks RW data.
    // Call before map() touches those blocks.
    bool mapImage(const ImageLayout& layout);
    // Loads MAIR/TCR/TTBR0 and turns on the MMU and both caches.
    void enable();
    // Makes entries added after enable() visible to the table walker.
    void publish();

    static constexpr std::uint64_t BlockSize = 2ull << 20;

private:
    static constexpr int Level2Tables = 8;
    static constexpr int Level3Tables = 2; // the image is far below 2 MiB, but may straddle a block edge
    std::uint64_t* level2For(unsigned index);

    alignas(4096) std::uint64_t m_level1[512] = {};
    alignas(4096) std::uint64_t m_level2[Level2Tables][512] = {};
    alignas(4096) std::uint64_t m_level3[Level3Tables][512] = {};
    int m_level2Used = 0;
    int m_level3Used = 0;
};

} // namespace hive::image::aarch64
