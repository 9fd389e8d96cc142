// aarch64 kernel entry, called by boot.S at EL1 with the MMU off: maps the image and the
// device tree, turns the MMU and caches on, reads the board from the device tree, sets up
// console, heap, stack-protector guard, GIC and virtio-mmio devices, and runs the shared
// kernel main. Also the exception handler (a readable panic) and the runtime's two hooks.
#include "aarch64/aarch64platform.h"
#include "aarch64/cpu.h"
#include "aarch64/devicetree.h"
#include "aarch64/gic.h"
#include "aarch64/mmu.h"
#include "aarch64/pl011.h"
#include "aarch64/power.h"
#include "kernel/platform.h"
#include "runtime/arch.h"
#include "runtime/format.h"
#include "runtime/heap.h"
#include "virtio/mmio.h"

#include <cstddef>
#include <cstdint>

extern "C" {
extern std::uint8_t __image_start[];
extern std::uint8_t __image_end[];
extern std::uint8_t __text_end[];
extern std::uint8_t __rodata_end[];
extern std::uint8_t hive_aarch64_stack_guard[];
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
extern std::uintptr_t __stack_chk_guard;
[[noreturn]] void hive_aarch64_main(std::uint64_t dtbAddress, std::uint64_t bootTicks, std::uint64_t entryLevel);
}

namespace hive::image::aarch64 {
namespace {

// The runtime's console and panic hooks (runtime/arch.h) are free functions, so the
// console and the power-off method live here rather than being passed down; nothing
// else reads them.
Pl011 g_console;
PowerControl g_power;
bool g_inException = false;

// Statically allocated because they are needed before the heap exists.
PageTables g_tables;
Gic g_gic;

constexpr std::size_t MaxDevices = Board::MaxVirtio;
virtio::Transport* g_devices[MaxDevices];
std::uint32_t g_deviceIrqs[MaxDevices];

// Parks the CPU when there is no console to report on (device tree unreadable).
[[noreturn]] void stop()
{
    for (;;)
        waitForInterrupt();
}

bool commandLineHas(std::string_view commandLine, std::string_view word)
{
    while (!commandLine.empty()) {
        auto space = commandLine.find(' ');
        if (commandLine.substr(0, space) == word)
            return true;
        if (space == std::string_view::npos)
            break;
        commandLine.remove_prefix(space + 1);
    }
    return false;
}

// The heap gets the largest piece of RAM not holding the image, the device tree (the
// command line keeps pointing into it) or anything the tree reserves.
void setUpHeap(const Board& board, std::uint64_t dtbStart, std::uint64_t dtbEnd)
{
    struct Range {
        std::uint64_t start, end;
    };
    Range reserved[Board::MaxReserved + 2];
    std::size_t count = 0;
    reserved[count++] = {reinterpret_cast<std::uint64_t>(__image_start), reinterpret_cast<std::uint64_t>(__image_end)};
    reserved[count++] = {dtbStart, dtbEnd};
    for (std::size_t i = 0; i < board.reservedCount; ++i) {
        const DtDevice& r = board.reserved[i];
        std::uint64_t end = r.base + r.size < r.base ? ~std::uint64_t{0} : r.base + r.size;
        reserved[count++] = {r.base, end};
    }
    // Insertion sort by start: at most MaxReserved + 2 entries.
    for (std::size_t i = 1; i < count; ++i) {
        for (std::size_t j = i; j > 0 && reserved[j].start < reserved[j - 1].start; --j) {
            Range t = reserved[j];
            reserved[j] = reserved[j - 1];
            reserved[j - 1] = t;
        }
    }
    std::uint64_t bestBase = 0;
    std::uint64_t bestSize = 0;
    auto consider = [&](std::uint64_t start, std::uint64_t end) {
        if (end > start && end - start > bestSize) {
            bestBase = start;
            bestSize = end - start;
        }
    };
    for (std::size_t i = 0; i < board.memoryCount; ++i) {
        std::uint64_t cursor = board.memory[i].base;
        std::uint64_t end = cursor + board.memory[i].size;
        for (std::size_t k = 0; k < count; ++k) {
            const Range& r = reserved[k];
            if (r.end <= cursor || r.start >= end)
                continue;
            consider(cursor, r.start < end ? r.start : end);
            if (r.end > cursor)
                cursor = r.end;
        }
        consider(cursor, end);
    }
    if (bestSize < (1u << 20))
        panic("less than 1 MiB of RAM left for the heap");
    kernelHeap().init(reinterpret_cast<void*>(bestBase), bestSize);
}

// Folds the device tree's rng-seed, RNDR (when present) and the counter into the
// stack-protector guard. Runs in the never-returning entry, which is not protected.
std::uintptr_t guardFrom(const Board& board, std::uint64_t counter)
{
    std::uint64_t g = 0x9e3779b97f4a7c15ull ^ counter;
    for (std::uint8_t b : board.rngSeed)
        g = (g ^ b) * 0x100000001b3ull;
    std::uint64_t r;
    if (hasRndr() && readRndr(r))
        g ^= r;
    // Keep a zero byte at the bottom so string overflows cannot reproduce the guard.
    return static_cast<std::uintptr_t>(g & ~std::uint64_t{0xff});
}

std::size_t probeVirtio(const Board& board)
{
    std::size_t found = 0;
    for (std::size_t i = 0; i < board.virtioCount && found < MaxDevices; ++i) {
        auto transport = virtio::MmioTransport::probe(static_cast<std::uintptr_t>(board.virtio[i].base), board.virtio[i].irq);
        if (!transport)
            continue;
        g_deviceIrqs[found] = board.virtio[i].irq;
        g_devices[found++] = transport.release();
    }
    return found;
}

const char* exceptionClassName(std::uint64_t ec)
{
    switch (ec) {
    case 0x00: return "unknown reason (undefined instruction)";
    case 0x01: return "trapped WFI/WFE";
    case 0x07: return "FP/SIMD access trapped";
    case 0x0e: return "illegal execution state";
    case 0x15: return "SVC";
    case 0x16: return "HVC";
    case 0x17: return "SMC";
    case 0x18: return "trapped system register access";
    case 0x20: return "instruction abort from a lower EL";
    case 0x21: return "instruction abort";
    case 0x22: return "PC alignment fault";
    case 0x24: return "data abort from a lower EL";
    case 0x25: return "data abort";
    case 0x26: return "SP alignment fault";
    case 0x2c: return "floating-point exception";
    case 0x2f: return "SError";
    case 0x30:
    case 0x31: return "breakpoint";
    case 0x32:
    case 0x33: return "software step";
    case 0x34:
    case 0x35: return "watchpoint";
    case 0x3c: return "BRK instruction";
    default: return "other";
    }
}

// For instruction and data aborts: what the fault status code in ESR.ISS says.
void describeAbort(std::uint64_t ec, std::uint64_t esr, char* out, std::size_t capacity)
{
    out[0] = '\0';
    if (ec != 0x20 && ec != 0x21 && ec != 0x24 && ec != 0x25)
        return;
    std::uint64_t status = esr & 0x3f;
    std::uint64_t level = status & 3;
    const char* access = ec >= 0x24 ? ((esr >> 6) & 1) != 0 ? ", write" : ", read" : ", fetch";
    const char* kind = "other fault";
    switch (status >> 2) {
    case 0: kind = "address size fault"; break;
    case 1: kind = "translation fault"; break;
    case 2: kind = "access flag fault"; break;
    case 3: kind = "permission fault"; break;
    default:
        level = 4; // no level for the rest
        kind = status == 0x10 ? "synchronous external abort" : status == 0x21 ? "alignment fault"
            : status == 0x30                                 ? "TLB conflict abort"
                                                             : "other fault";
        break;
    }
    if (level < 4)
        formatTo(out, capacity, ": %s, level %lu%s", kind, static_cast<unsigned long>(level), access);
    else
        formatTo(out, capacity, ": %s%s", kind, access);
}

} // namespace

// The frame boot.S builds on the exception stack.
struct ExceptionFrame {
    std::uint64_t x[31];
    std::uint64_t elr, spsr, esr, far, sp;
};
static_assert(sizeof(ExceptionFrame) == 36 * 8);

} // namespace hive::image::aarch64

namespace hive::image {

void archConsoleWrite(const char* data, std::size_t size) { aarch64::g_console.write(data, size); }

void archPanicHalt() { aarch64::powerOff(aarch64::g_power, PanicExitCode); }

} // namespace hive::image

extern "C" [[noreturn]] void hive_aarch64_exception(const hive::image::aarch64::ExceptionFrame* f, std::uint64_t vector)
{
    using namespace hive::image;
    using namespace hive::image::aarch64;
    if (g_inException) {
        // A fault while reporting a fault: say so once and stop.
        archConsoleWrite("panic: nested exception\n", 24);
        archPanicHalt();
    }
    g_inException = true;
    static const char* const origins[4] = {"EL1 with SP_EL0 (kernel)", "EL1 with SP_EL1 (exception handler)",
                                           "lower EL, AArch64", "lower EL, AArch32"};
    static const char* const kinds[4] = {"synchronous exception", "IRQ", "FIQ", "SError"};
    std::uint64_t ec = f->esr >> 26;
    char detail[80];
    describeAbort((vector & 3) == 0 ? ec : 0, f->esr, detail, sizeof detail);
    kprint("panic: %s from %s: %s (EC 0x%02lx)%s", kinds[vector & 3], origins[(vector >> 2) & 3],
           (vector & 3) == 0 ? exceptionClassName(ec) : "unexpected interrupt", static_cast<unsigned long>(ec), detail);
    const auto guard = reinterpret_cast<std::uint64_t>(hive_aarch64_stack_guard);
    if ((ec == 0x24 || ec == 0x25) && f->far >= guard && f->far < guard + 4096)
        kprint("  kernel stack overflow: the access hit the guard page below the stack");
    kprint("  ESR %016lx  FAR %016lx  ELR %016lx", static_cast<unsigned long>(f->esr),
           static_cast<unsigned long>(f->far), static_cast<unsigned long>(f->elr));
    kprint("  SPSR %016lx  SP %016lx", static_cast<unsigned long>(f->spsr), static_cast<unsigned long>(f->sp));
    for (int i = 0; i < 31; i += 4) {
        char line[160];
        std::size_t n = 0;
        for (int j = i; j < i + 4 && j < 31; ++j)
            n += formatTo(line + n, sizeof line - n, " x%-2d %016lx", j, static_cast<unsigned long>(f->x[j]));
        kprint(" %s", line);
    }
    archPanicHalt();
}

extern "C" __attribute__((no_stack_protector)) void hive_aarch64_main(std::uint64_t dtbAddress,
                                                                        std::uint64_t bootTicks,
                                                                        std::uint64_t entryLevel)
{
    using namespace hive;
    using namespace hive::image;
    using namespace hive::image::aarch64;

    // MMU off: every data access is Device-nGnRnE, so only aligned accesses until the
    // identity map is on. The header's size word is aligned (the DTB is 8-byte aligned).
    const auto* dtb = reinterpret_cast<const std::uint8_t*>(dtbAddress);
    if (dtbAddress == 0 || dtbAddress % 8 != 0)
        stop();
    auto dtbSize = DeviceTree::totalSize(std::span<const std::uint8_t>(dtb, 8));
    if (!dtbSize.ok())
        stop();
    const auto imageStart = reinterpret_cast<std::uint64_t>(__image_start);
    const auto imageEnd = reinterpret_cast<std::uint64_t>(__image_end);
    const auto guard = reinterpret_cast<std::uint64_t>(hive_aarch64_stack_guard);
    const ImageLayout layout{imageStart, reinterpret_cast<std::uint64_t>(__text_end),
                             reinterpret_cast<std::uint64_t>(__rodata_end), imageEnd, guard, guard + 4096};
    if (!g_tables.mapImage(layout) || !g_tables.map(dtbAddress, *dtbSize, MemoryKind::Normal))
        stop();
    g_tables.enable();

    auto tree = DeviceTree::create(std::span<const std::uint8_t>(dtb, *dtbSize));
    if (!tree.ok())
        stop();
    auto parsed = describeBoard(*tree);
    if (!parsed.ok())
        stop();
    const Board& board = *parsed;

    __stack_chk_guard = guardFrom(board, counterTicks());

    // Devices, then the rest of RAM. Failures only lose mappings beyond 512 GiB.
    bool mapped = true;
    const DtDevice* windows[] = {&board.uart, &board.rtc, &board.gicDistributor, &board.gicCpu};
    for (const DtDevice* w : windows)
        mapped &= g_tables.map(w->base, w->size, MemoryKind::Device);
    for (std::size_t i = 0; i < board.virtioCount; ++i)
        mapped &= g_tables.map(board.virtio[i].base, board.virtio[i].size, MemoryKind::Device);
    for (std::size_t i = 0; i < board.memoryCount; ++i)
        mapped &= g_tables.map(board.memory[i].base, board.memory[i].size, MemoryKind::Normal);
    g_tables.publish();

    if (board.uart.size == 0)
        stop();
    g_console.init(board.uart.base);
    g_power.psci = board.psci;
    g_power.semihosting = commandLineHas(board.bootargs, "hive.semihosting=1");

    kprint("hive: aarch64 kernel, entered at EL%lu, running at EL1; device tree at 0x%lx (%zu bytes)",
           static_cast<unsigned long>(entryLevel), static_cast<unsigned long>(dtbAddress), *dtbSize);
    if (!mapped)
        kprint("hive: some memory or devices lie beyond the 39-bit identity map and stay unmapped");
    if (board.virtioIgnored != 0)
        kprint("hive: ignoring %zu virtio-mmio nodes beyond the first %zu", board.virtioIgnored, Board::MaxVirtio);

    setUpHeap(board, dtbAddress, dtbAddress + *dtbSize);
    for (auto* init = __init_array_start; init != __init_array_end; ++init)
        (*init)();

    if (!g_gic.init(board.gicVersion, board.gicDistributor.base, board.gicCpu.base))
        kprint("hive: no usable GIC (device tree says v%u); sleeps become polls", board.gicVersion);

    Aarch64Platform platform(board, bootTicks, g_console, g_gic, g_power);
    std::size_t devices = probeVirtio(board);
    platform.setDevices(board.bootargs, std::span<virtio::Transport* const>(g_devices, devices),
                        std::span<const std::uint32_t>(g_deviceIrqs, devices));
    std::uint64_t setupNanos = platform.monotonicNanos() - platform.bootStartNanos();
    kprint("hive: platform up %lu us after entry; %lu MiB RAM, heap %zu KiB, counter %lu Hz, GICv%u, %s, %zu "
           "virtio device(s), psci %s%s",
           static_cast<unsigned long>(setupNanos / 1000), static_cast<unsigned long>(board.memory[0].size >> 20),
           kernelHeap().totalBytes() >> 10,
           static_cast<unsigned long>(platform.counterHz()), g_gic.version(), platform.hasRndr() ? "RNDR" : "no RNDR", devices,
           board.psci == PsciConduit::Hvc ? "hvc" : board.psci == PsciConduit::Smc ? "smc" : "none",
           g_power.semihosting ? ", semihosting exit" : "");
    kernelMain(platform);
}
