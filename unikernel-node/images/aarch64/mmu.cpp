#include "mmu.h"

#include "cpu.h"

namespace hive::image::aarch64 {

namespace {

constexpr std::uint64_t GiB = 1ull << 30;
constexpr std::uint64_t AddressLimit = 1ull << 39; // T0SZ = 25

// Descriptor bits (ARM ARM D8.3): block = 0b01, table = 0b11 at levels 1 and 2.
constexpr std::uint64_t Valid = 1;
constexpr std::uint64_t Table = 3;
constexpr std::uint64_t Block = 1;
constexpr std::uint64_t Page = 3; // level 3
constexpr std::uint64_t PageSize = 4096;
constexpr std::uint64_t ReadOnly = 2 << 6; // AP[2:1] = 0b10: EL1 read-only
constexpr std::uint64_t AttrDevice = 0 << 2; // MAIR index 0
constexpr std::uint64_t AttrNormal = 1 << 2; // MAIR index 1
constexpr std::uint64_t InnerShareable = 3 << 8;
constexpr std::uint64_t AccessFlag = 1 << 10;
constexpr std::uint64_t PrivilegedExecuteNever = 1ull << 53;
constexpr std::uint64_t UnprivilegedExecuteNever = 1ull << 54;

// MAIR_EL1: attr0 Device-nGnRnE (0x00), attr1 Normal inner/outer write-back
// read/write-allocate (0xff).
constexpr std::uint64_t Mair = 0xffull << 8;

std::uint64_t blockDescriptor(std::uint64_t address, MemoryKind kind)
{
    if (kind == MemoryKind::Device)
        return address | Block | AttrDevice | AccessFlag | PrivilegedExecuteNever | UnprivilegedExecuteNever;
    // Nothing runs at EL0, so EL0 may execute nothing; the kernel's own code is in RAM.
    return address | Block | AttrNormal | InnerShareable | AccessFlag | UnprivilegedExecuteNever;
}

// Writes back and invalidates the data cache lines of a table, so a walker that reads
// memory directly (caches off or not yet coherent) sees what was written.
void cleanRange(const void* start, std::uint64_t size)
{
    auto p = reinterpret_cast<std::uint64_t>(start);
    for (std::uint64_t a = p & ~std::uint64_t{63}; a < p + size; a += 64)
        asm volatile("dc civac, %0" ::"r"(a) : "memory");
    dsbIsh();
}

} // namespace

std::uint64_t* PageTables::level2For(unsigned index)
{
    std::uint64_t entry = m_level1[index];
    if ((entry & Table) == Table)
        return reinterpret_cast<std::uint64_t*>(entry & 0x0000fffffffff000ull);
    if ((entry & Valid) != 0)
        return nullptr; // already a 1 GiB block: every 2 MiB inside is mapped
    if (m_level2Used == Level2Tables)
        return nullptr;
    std::uint64_t* table = m_level2[m_level2Used++];
    m_level1[index] = reinterpret_cast<std::uint64_t>(table) | Table;
    return table;
}

bool PageTables::mapImage(const ImageLayout& layout)
{
    if (layout.end >= AddressLimit)
        return false;
    std::uint64_t first = layout.textStart & ~(BlockSize - 1);
    for (std::uint64_t block = first; block < layout.end; block += BlockSize) {
        std::uint64_t* l2 = level2For(static_cast<unsigned>(block / GiB));
        if (l2 == nullptr || m_level3Used == Level3Tables)
            return false;
        auto i = static_cast<unsigned>((block % GiB) / BlockSize);
        if (l2[i] != 0)
            return false; // mapImage must come first
        std::uint64_t* l3 = m_level3[m_level3Used++];
        for (unsigned p = 0; p < 512; ++p) {
            std::uint64_t a = block + p * PageSize;
            std::uint64_t attributes = AttrNormal | InnerShareable | AccessFlag | UnprivilegedExecuteNever;
            if (a >= layout.guardStart && a < layout.guardEnd)
                continue; // left invalid
            if (a >= layout.textStart && a < layout.textEnd)
                attributes |= ReadOnly;
            else if (a >= layout.textEnd && a < layout.rodataEnd)
                attributes |= ReadOnly | PrivilegedExecuteNever;
            else
                attributes |= PrivilegedExecuteNever;
            l3[p] = a | Page | attributes;
        }
        l2[i] = reinterpret_cast<std::uint64_t>(l3) | Table;
    }
    return true;
}

bool PageTables::map(std::uint64_t base, std::uint64_t size, MemoryKind kind)
{
    if (size == 0)
        return true;
    if (base >= AddressLimit || size > AddressLimit - base)
        return false;
    std::uint64_t start = base & ~(BlockSize - 1);
    std::uint64_t end = (base + size + BlockSize - 1) & ~(BlockSize - 1);
    std::uint64_t a = start;
    while (a < end) {
        auto l1 = static_cast<unsigned>(a / GiB);
        if (a % GiB == 0 && end - a >= GiB && m_level1[l1] == 0) {
            m_level1[l1] = blockDescriptor(a, kind);
            a += GiB;
            continue;
        }
        std::uint64_t* l2 = level2For(l1);
        if (l2 == nullptr) {
            if ((m_level1[l1] & Valid) == 0)
                return false; // pool exhausted
            a = (a / GiB + 1) * GiB; // covered by an existing 1 GiB block
            continue;
        }
        auto i = static_cast<unsigned>((a % GiB) / BlockSize);
        if (l2[i] == 0)
            l2[i] = blockDescriptor(a, kind);
        a += BlockSize;
    }
    return true;
}

void PageTables::publish()
{
    cleanRange(m_level1, sizeof m_level1);
    cleanRange(m_level2, sizeof m_level2);
    cleanRange(m_level3, sizeof m_level3);
    isb();
}

void PageTables::enable()
{
    publish();
    std::uint64_t parange = HIVE_READ_SYSREG(id_aa64mmfr0_el1) & 0xf;
    if (parange > 5)
        parange = 5; // 48 bits is the most a 4 KiB-granule, non-LPA2 walk can output
    std::uint64_t tcr = 25                // T0SZ: 39-bit addresses, walk starts at level 1
        | (1ull << 8) | (1ull << 10)      // IRGN0/ORGN0: write-back, write-allocate
        | (3ull << 12)                    // SH0: inner shareable
        | (0ull << 14)                    // TG0: 4 KiB
        | (1ull << 23)                    // EPD1: no walks through TTBR1 (no high half)
        | (2ull << 30)                    // TG1: 4 KiB (unused, but a valid encoding)
        | (parange << 32);                // IPS: the CPU's physical address size
    HIVE_WRITE_SYSREG(mair_el1, Mair);
    HIVE_WRITE_SYSREG(tcr_el1, tcr);
    HIVE_WRITE_SYSREG(ttbr0_el1, reinterpret_cast<std::uint64_t>(m_level1));
    isb();
    asm volatile("tlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    std::uint64_t sctlr = HIVE_READ_SYSREG(sctlr_el1);
    sctlr |= (1ull << 0) | (1ull << 2) | (1ull << 12); // M, C, I
    sctlr &= ~((1ull << 1) | (1ull << 19));            // no alignment checks, no WXN
    HIVE_WRITE_SYSREG(sctlr_el1, sctlr);
    isb();
}

} // namespace hive::image::aarch64
