// Thin wrappers around the aarch64 system registers and barriers the kernel uses.
// Only this header and boot.S contain inline assembly for the aarch64 image.
#pragma once

#include <cstdint>

namespace hive::image::aarch64 {

#define HIVE_READ_SYSREG(name)                                                                    \
    __extension__({                                                                               \
        std::uint64_t _hive_v;                                                                    \
        asm volatile("mrs %0, " #name : "=r"(_hive_v));                                           \
        _hive_v;                                                                                  \
    })
#define HIVE_WRITE_SYSREG(name, value) asm volatile("msr " #name ", %0" ::"r"(std::uint64_t{value}) : "memory")

inline void isb() { asm volatile("isb" ::: "memory"); }
inline void dsbSy() { asm volatile("dsb sy" ::: "memory"); }
inline void dsbIsh() { asm volatile("dsb ish" ::: "memory"); }
inline void waitForInterrupt() { asm volatile("wfi" ::: "memory"); }

// Counter ticks of the generic timer's virtual count (monotonic, never wraps in practice).
inline std::uint64_t counterTicks()
{
    // The isb keeps the read from being hoisted above earlier instructions.
    isb();
    return HIVE_READ_SYSREG(cntvct_el0);
}
inline std::uint64_t counterFrequency() { return HIVE_READ_SYSREG(cntfrq_el0); }

// Device register access. Volatile pointer casts keep the compiler from merging or
// reordering accesses; the MMU maps these pages Device-nGnRnE, so the CPU does not either.
inline std::uint32_t mmioRead32(std::uint64_t address)
{
    return *reinterpret_cast<volatile std::uint32_t*>(address);
}
inline void mmioWrite32(std::uint64_t address, std::uint32_t value)
{
    *reinterpret_cast<volatile std::uint32_t*>(address) = value;
}
inline std::uint8_t mmioRead8(std::uint64_t address) { return *reinterpret_cast<volatile std::uint8_t*>(address); }
inline void mmioWrite8(std::uint64_t address, std::uint8_t value)
{
    *reinterpret_cast<volatile std::uint8_t*>(address) = value;
}

// One value from RNDR (ARMv8.5-RNG). False if the CPU lacks it or the source failed
// (the instruction sets NZCV.Z on failure); the caller checks ID_AA64ISAR0_EL1 first.
inline bool readRndr(std::uint64_t& out)
{
    std::uint64_t value;
    std::uint64_t ok;
    // s3_3_c2_c4_0 is RNDR; spelled as an encoding so an armv8.0 assembler accepts it.
    asm volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(value), "=r"(ok)::"cc");
    out = value;
    return ok != 0;
}

// True when ID_AA64ISAR0_EL1.RNDR (bits 63:60) reports the instruction.
inline bool hasRndr() { return (HIVE_READ_SYSREG(id_aa64isar0_el1) >> 60) != 0; }

} // namespace hive::image::aarch64
