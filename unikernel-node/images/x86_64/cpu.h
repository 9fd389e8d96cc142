// Thin wrappers around the x86 instructions the kernel needs (port I/O, MSRs, CPUID, TSC).
#pragma once

#include <cstdint>

namespace hive::image::x86 {

inline void outb(std::uint16_t port, std::uint8_t value) { asm volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }
inline void outw(std::uint16_t port, std::uint16_t value) { asm volatile("outw %0, %1" : : "a"(value), "Nd"(port)); }
inline void outl(std::uint16_t port, std::uint32_t value) { asm volatile("outl %0, %1" : : "a"(value), "Nd"(port)); }
inline std::uint8_t inb(std::uint16_t port)
{
    std::uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline std::uint16_t inw(std::uint16_t port)
{
    std::uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline std::uint32_t inl(std::uint16_t port)
{
    std::uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

inline std::uint64_t rdtsc()
{
    std::uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

inline std::uint64_t rdmsr(std::uint32_t msr)
{
    std::uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

inline void wrmsr(std::uint32_t msr, std::uint64_t value)
{
    asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<std::uint32_t>(value)),
                 "d"(static_cast<std::uint32_t>(value >> 32)));
}

struct CpuidResult {
    std::uint32_t eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(std::uint32_t leaf, std::uint32_t subleaf = 0)
{
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline void pause() { asm volatile("pause"); }

inline std::uint32_t mmioRead32(std::uintptr_t address) { return *reinterpret_cast<volatile std::uint32_t*>(address); }
inline void mmioWrite32(std::uintptr_t address, std::uint32_t value)
{
    *reinterpret_cast<volatile std::uint32_t*>(address) = value;
}

} // namespace hive::image::x86
