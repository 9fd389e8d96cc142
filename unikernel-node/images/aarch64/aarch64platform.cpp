#include "aarch64/aarch64platform.h"

#include "aarch64/cpu.h"
#include "runtime/format.h"

extern "C" std::uint8_t hive_aarch64_vectors[];

namespace hive::image::aarch64 {

namespace {
// Recursion that the compiler cannot turn into a loop, to exhaust the kernel stack (the
// bound is far beyond what any stack holds; it only keeps the recursion finite on paper).
[[gnu::noinline]] std::uint64_t recurseForever(std::uint64_t depth)
{
    if (depth > (1ull << 40))
        return depth;
    volatile std::uint8_t frame[512];
    frame[depth % sizeof frame] = static_cast<std::uint8_t>(depth);
    return recurseForever(depth + 1) + frame[0];
}

constexpr std::uint64_t NanosPerSecond = 1'000'000'000;
constexpr std::uint64_t Pl031Data = 0x000; // seconds since the epoch (QEMU: host time at start)
constexpr std::uint64_t TimerEnable = 1;   // CNTV_CTL_EL0.ENABLE, IMASK clear
} // namespace

Aarch64Platform::Aarch64Platform(const Board& board, std::uint64_t bootTicks, Pl011& console, Gic& gic,
                                 const PowerControl& power)
    : m_console(console), m_gic(gic), m_power(power), m_bootTicks(bootTicks), m_hz(counterFrequency()),
      m_hasRndr(aarch64::hasRndr())
{
    if (m_hz == 0)
        panic("generic timer reports a frequency of 0");
    if (board.rtc.size != 0) {
        std::uint64_t seconds = mmioRead32(board.rtc.base + Pl031Data);
        std::uint64_t now = monotonicNanos();
        std::uint64_t wall = seconds * NanosPerSecond;
        m_wallAtBoot = wall > now ? wall - now : 0;
    }
    if (m_gic.ready() && board.virtualTimerIrq != 0) {
        m_timerIrq = board.virtualTimerIrq;
        HIVE_WRITE_SYSREG(cntv_ctl_el0, 0);
        m_gic.enable(m_timerIrq);
    }
}

void Aarch64Platform::setDevices(std::string_view commandLine, std::span<virtio::Transport* const> devices,
                                 std::span<const std::uint32_t> irqs)
{
    m_commandLine = commandLine;
    m_devices = devices;
    for (std::uint32_t irq : irqs) {
        if (irq != 0)
            m_gic.enable(irq);
    }
}

std::uint64_t Aarch64Platform::ticksToNanos(std::uint64_t ticks) const
{
    // Split to avoid overflow: (ticks % hz) * 1e9 < hz * 1e9, far below 2^64 for any real hz.
    return ticks / m_hz * NanosPerSecond + (ticks % m_hz) * NanosPerSecond / m_hz;
}

std::uint64_t Aarch64Platform::nanosToTicks(std::uint64_t nanos) const
{
    // Rounded up, so a sleep never ends before its deadline.
    return nanos / NanosPerSecond * m_hz + ((nanos % NanosPerSecond) * m_hz + NanosPerSecond - 1) / NanosPerSecond;
}

std::uint64_t Aarch64Platform::wallNanos() { return m_wallAtBoot + monotonicNanos(); }

bool Aarch64Platform::hardwareRandom(std::uint64_t& out)
{
    if (!m_hasRndr)
        return false;
    // RNDR may fail transiently (reseeding); a few retries, then report failure.
    for (int attempt = 0; attempt < 10; ++attempt) {
        if (readRndr(out))
            return true;
    }
    return false;
}

void Aarch64Platform::sleepUntil(std::uint64_t deadline)
{
    std::uint64_t target = nanosToTicks(deadline);
    if (target <= counterTicks())
        return;
    if (m_timerIrq == 0) {
        // No interrupt controller we drive: return at once and let the caller poll.
        return;
    }
    HIVE_WRITE_SYSREG(cntv_cval_el0, target);
    HIVE_WRITE_SYSREG(cntv_ctl_el0, TimerEnable);
    isb();
    // A device interrupt that arrived since the caller last polled is still pending in
    // the GIC, so this returns at once instead of missing the wake-up.
    waitForInterrupt();
    // Quiet every source before draining the GIC: the timer stops asserting once
    // disabled, and a virtio device once its interrupt status is acknowledged. The
    // drivers poll their used rings after every sleep, so nothing is lost by acking here.
    HIVE_WRITE_SYSREG(cntv_ctl_el0, 0);
    isb();
    for (virtio::Transport* device : m_devices)
        device->acknowledgeInterrupt();
    m_gic.drain();
}

void Aarch64Platform::powerOff(int code)
{
    kprint("power off, exit code %d", code);
    aarch64::powerOff(m_power, code);
}

void Aarch64Platform::crash(std::string_view kind)
{
    // Kinds named as on x86_64 (ud, pagefault) so tests can use one command line.
    if (kind == "ud" || kind == "undefined") {
        asm volatile("udf #0");
    } else if (kind == "breakpoint") {
        asm volatile("brk #0x4856");
    } else if (kind == "textwrite") {
        // Kernel code is mapped read-only (W^X): a write is a permission fault.
        auto address = reinterpret_cast<std::uint64_t>(&hive_aarch64_vectors);
        asm volatile("" : "+r"(address));
        *reinterpret_cast<volatile std::uint32_t*>(address) = 0;
    } else if (kind == "stackoverflow") {
        recurseForever(0);
    } else {
        // Below the first device window: nothing is mapped there, so this is a
        // translation fault (data abort) with FAR = the address.
        std::uint64_t address = 0x10;
        asm volatile("" : "+r"(address)); // hide the constant from the bounds checker
        *reinterpret_cast<volatile std::uint64_t*>(address) = 0x48495645;
    }
}

} // namespace hive::image::aarch64
