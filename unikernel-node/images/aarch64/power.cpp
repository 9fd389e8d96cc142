#include "power.h"

#include "cpu.h"

#include <cstdint>

namespace hive::image::aarch64 {

namespace {

constexpr std::uint64_t PsciSystemOff = 0x84000008;
constexpr std::uint64_t SemihostingExit = 0x18;
constexpr std::uint64_t ApplicationExit = 0x20026; // ADP_Stopped_ApplicationExit

std::uint64_t psciCall(PsciConduit conduit, std::uint64_t function)
{
    register std::uint64_t x0 asm("x0") = function;
    register std::uint64_t x1 asm("x1") = 0;
    register std::uint64_t x2 asm("x2") = 0;
    register std::uint64_t x3 asm("x3") = 0;
    // SMCCC: x0-x17 may be clobbered by the callee; x4-x17 listed below.
    if (conduit == PsciConduit::Hvc)
        asm volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
                       "x17", "memory");
    else
        asm volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
                       "x17", "memory");
    return x0;
}

void semihostingExit(int code)
{
    // On AArch64 SYS_EXIT takes a two-word block: reason and exit status.
    volatile std::uint64_t block[2] = {ApplicationExit, static_cast<std::uint64_t>(static_cast<std::uint32_t>(code))};
    register std::uint64_t x0 asm("x0") = SemihostingExit;
    register std::uint64_t x1 asm("x1") = reinterpret_cast<std::uint64_t>(&block[0]);
    asm volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

} // namespace

void powerOff(const PowerControl& control, int code)
{
    if (control.semihosting)
        semihostingExit(code);
    if (control.psci != PsciConduit::None)
        psciCall(control.psci, PsciSystemOff);
    for (;;)
        waitForInterrupt();
}

} // namespace hive::image::aarch64
