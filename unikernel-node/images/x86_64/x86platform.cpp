#include "x86_64/x86platform.h"

#include "runtime/format.h"
#include "x86_64/cpu.h"

namespace hive::image::x86 {

namespace {
constexpr std::uint16_t Com1 = 0x3f8;
constexpr std::uintptr_t LapicBase = 0xfee00000;
constexpr std::uint32_t LapicEoi = 0xb0;
constexpr std::uint32_t LapicSpurious = 0xf0;
constexpr std::uint32_t LapicLvtTimer = 0x320;
constexpr std::uint32_t LapicInitialCount = 0x380;
constexpr std::uint32_t LapicCurrentCount = 0x390;
constexpr std::uint32_t LapicDivide = 0x3e0;
constexpr std::uint8_t TimerVector = 0x40;
constexpr std::uint32_t PitHz = 1193182;

std::uint32_t lapicRead(std::uint32_t reg) { return mmioRead32(LapicBase + reg); }
void lapicWrite(std::uint32_t reg, std::uint32_t value) { mmioWrite32(LapicBase + reg, value); }

std::uint16_t pitRead()
{
    outb(0x43, 0x00); // latch channel 0
    std::uint8_t lo = inb(0x40);
    std::uint8_t hi = inb(0x40);
    return static_cast<std::uint16_t>(lo | (hi << 8));
}

std::uint8_t cmos(std::uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads the CMOS RTC as Unix seconds; 0 when there is no RTC.
std::uint64_t readRtc()
{
    // Wait (bounded) until no update is in progress, then read twice until stable.
    for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80) != 0; ++i)
        pause();
    std::uint8_t regs[7] = {};
    std::uint8_t again[7] = {};
    const std::uint8_t index[7] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32};
    for (int attempt = 0; attempt < 5; ++attempt) {
        for (int i = 0; i < 7; ++i)
            regs[i] = cmos(index[i]);
        for (int i = 0; i < 7; ++i)
            again[i] = cmos(index[i]);
        bool same = true;
        for (int i = 0; i < 7; ++i)
            same = same && regs[i] == again[i];
        if (same)
            break;
    }
    if (regs[4] == 0xff && regs[3] == 0xff)
        return 0;
    std::uint8_t statusB = cmos(0x0b);
    auto bin = [&](std::uint8_t v) -> unsigned {
        return (statusB & 0x04) != 0 ? v : static_cast<unsigned>((v & 0x0f) + (v >> 4) * 10);
    };
    unsigned second = bin(regs[0]);
    unsigned minute = bin(regs[1]);
    unsigned hour = bin(static_cast<std::uint8_t>(regs[2] & 0x7f));
    if ((statusB & 0x02) == 0 && (regs[2] & 0x80) != 0)
        hour = (hour % 12) + 12; // 12-hour mode, PM
    unsigned day = bin(regs[3]);
    unsigned month = bin(regs[4]);
    unsigned year = bin(regs[5]);
    unsigned century = bin(regs[6]);
    if (century < 19 || century > 30)
        century = 20;
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return 0;
    std::int64_t days = daysFromCivil(century * 100 + year, month, day);
    return static_cast<std::uint64_t>(days * 86400 + hour * 3600 + minute * 60 + second);
}
} // namespace

void serialInit()
{
    outb(Com1 + 1, 0x00); // no interrupts: we poll
    outb(Com1 + 3, 0x80); // DLAB
    outb(Com1 + 0, 0x01); // divisor 1 = 115200 baud
    outb(Com1 + 1, 0x00);
    outb(Com1 + 3, 0x03); // 8N1
    outb(Com1 + 2, 0xc7); // FIFO on, cleared
    outb(Com1 + 4, 0x03); // DTR + RTS
}

void serialWrite(const char* data, std::size_t size)
{
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == '\n')
            serialWrite("\r", 1);
        // Bounded wait for the transmit holding register: a missing UART must not hang us.
        for (int spin = 0; spin < 100000 && (inb(Com1 + 5) & 0x20) == 0; ++spin)
            pause();
        outb(Com1, static_cast<std::uint8_t>(data[i]));
    }
}

void powerOff(int code)
{
    outl(0xf4, static_cast<std::uint32_t>(code));
    // No isa-debug-exit: ACPI S5 (SLP_TYP 0 on QEMU's pc/q35 DSDT, SLP_EN bit 13).
    outw(0x604, 0x2000);
    for (;;)
        asm volatile("cli; hlt");
}

X86Platform::X86Platform(std::uint64_t bootTsc)
    : m_bootTsc(bootTsc)
{
    m_hasRdrand = (cpuid(1).ecx & (1u << 30)) != 0;

    // Mask the legacy PICs: we use the LAPIC timer only (a missing PIC ignores this).
    outb(0x21, 0xff);
    outb(0xa1, 0xff);

    // LAPIC on (software enable + spurious vector), timer one-shot, divide by 16.
    wrmsr(0x1b, rdmsr(0x1b) | (1u << 11));
    lapicWrite(LapicSpurious, 0x1ff);
    lapicWrite(LapicDivide, 0x3);
    lapicWrite(LapicLvtTimer, TimerVector | (1u << 16)); // masked during calibration

    // TSC frequency: CPUID leaf 0x15 when the CPU states it (exact, costs nothing);
    // otherwise measure against PIT channel 0 for 2 ms (QEMU's TCG and most hypervisors
    // do not report 0x15). The LAPIC timer is measured over the same window.
    auto maxLeaf = cpuid(0).eax;
    if (maxLeaf >= 0x15) {
        auto leaf = cpuid(0x15);
        if (leaf.eax != 0 && leaf.ebx != 0 && leaf.ecx != 0) {
            m_tscHz = static_cast<std::uint64_t>(leaf.ecx) * leaf.ebx / leaf.eax;
            m_clockSource = "cpuid 0x15";
        }
    }
    outb(0x43, 0x30); // channel 0, lo/hi, mode 0 (interrupt on terminal count, masked)
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    std::uint16_t start = pitRead();
    lapicWrite(LapicInitialCount, 0xffffffffu);
    std::uint64_t tscStart = rdtsc();
    constexpr std::uint32_t window = PitHz / 500; // 2 ms
    std::uint32_t elapsed = 0;
    bool pitAlive = false;
    for (std::uint32_t spins = 0; spins < 50'000'000u; ++spins) {
        std::uint16_t now = pitRead();
        elapsed = static_cast<std::uint16_t>(start - now);
        if (elapsed != 0)
            pitAlive = true;
        if (elapsed >= window)
            break;
        if (!pitAlive && spins > 100000)
            break; // no PIT (e.g. Xen PVH, microvm pit=off)
    }
    std::uint64_t tscTicks = rdtsc() - tscStart;
    std::uint32_t lapicTicks = 0xffffffffu - lapicRead(LapicCurrentCount);
    if (pitAlive && elapsed >= window) {
        if (m_tscHz == 0) {
            m_tscHz = tscTicks * PitHz / elapsed;
            m_clockSource = "pit";
        }
        m_lapicTicksPerMs = static_cast<std::uint64_t>(lapicTicks) * PitHz / elapsed / 1000;
    }
    if (m_tscHz == 0) {
        // FIXME: read the Xen/KVM pvclock instead of guessing when there is no PIT.
        m_tscHz = 1'000'000'000;
        m_clockSource = "assumed 1 GHz";
    }
    if (m_lapicTicksPerMs == 0)
        m_lapicTicksPerMs = 62500; // QEMU's LAPIC: 1 GHz / 16
    m_nanosPerTickQ32 = (1'000'000'000ull << 32) / m_tscHz;
    lapicWrite(LapicInitialCount, 0);
    lapicWrite(LapicLvtTimer, TimerVector); // unmasked one-shot

    m_wallAtBoot = readRtc() * 1'000'000'000ull;
    // The RTC read happened "now"; subtract the time since boot so wall = base + mono.
    std::uint64_t mono = monotonicNanos();
    m_wallAtBoot = m_wallAtBoot > mono ? m_wallAtBoot - mono : 0;
}

std::uint64_t X86Platform::ticksToNanos(std::uint64_t ticks) const
{
    // 64x64->128 multiply (one instruction on x86_64, no libgcc helper).
    __extension__ using U128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<U128>(ticks) * m_nanosPerTickQ32) >> 32);
}

std::uint64_t X86Platform::monotonicNanos() { return ticksToNanos(rdtsc() - m_bootTsc); }

bool X86Platform::hardwareRandom(std::uint64_t& out)
{
    if (!m_hasRdrand)
        return false;
    // Intel recommends 10 retries before declaring the generator broken.
    for (int i = 0; i < 10; ++i) {
        unsigned char ok;
        asm volatile("rdrand %0; setc %1" : "=r"(out), "=qm"(ok));
        if (ok != 0)
            return true;
    }
    return false;
}

void X86Platform::sleepUntil(std::uint64_t deadline)
{
    std::uint64_t now = monotonicNanos();
    if (deadline <= now)
        return;
    std::uint64_t delta = deadline - now;
    if (delta > 10'000'000'000ull)
        delta = 10'000'000'000ull; // keeps the product below in 64 bits; callers loop
    std::uint64_t ticks = delta * m_lapicTicksPerMs / 1'000'000u;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    lapicWrite(LapicInitialCount, static_cast<std::uint32_t>(ticks));
    // sti takes effect after the next instruction, so no wake-up is lost between them.
    asm volatile("sti; hlt; cli" ::: "memory");
    lapicWrite(LapicInitialCount, 0);
}

void X86Platform::crash(std::string_view kind)
{
    if (kind == "pagefault") {
        // Beyond the 4 GiB identity map: not present.
        volatile auto* p = reinterpret_cast<volatile std::uint64_t*>(0x123456789000ull);
        *p = 1;
    } else {
        asm volatile("ud2");
    }
}

} // namespace hive::image::x86
