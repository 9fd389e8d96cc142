// x86_64 kernel entry: called from boot.S in long mode with the PVH start info. Sets up
// the IDT, the heap (from the start info's memory map), the clock, finds virtio devices
// (PCI bus 0 and virtio-mmio from the command line) and runs the shared kernel main.
#include "kernel/platform.h"
#include "runtime/arch.h"
#include "runtime/format.h"
#include "runtime/heap.h"
#include "virtio/mmio.h"
#include "x86_64/cpu.h"
#include "x86_64/pci.h"
#include "x86_64/x86platform.h"

#include <cstddef>
#include <cstdint>
#include <new>

extern "C" {
extern std::uint8_t __kernel_start[];
extern std::uint8_t __kernel_end[];
extern const std::uint64_t x86_exception_stubs[32];
void x86_timer_interrupt();
void x86_spurious_interrupt();
extern std::uint64_t boot_tsc;
void x86Entry(std::uint32_t startInfoAddress);
}

namespace hive::image {

void archConsoleWrite(const char* data, std::size_t size) { x86::serialWrite(data, size); }

void archPanicHalt() { x86::powerOff(PanicExitCode); }

} // namespace hive::image

namespace hive::image::x86 {
namespace {

// struct hvm_start_info (Xen public/arch-x86/hvm/start_info.h), version 0 and 1 fields.
struct [[gnu::packed]] HvmStartInfo {
    std::uint32_t magic;
    std::uint32_t version;
    std::uint32_t flags;
    std::uint32_t moduleCount;
    std::uint64_t moduleList;
    std::uint64_t commandLine;
    std::uint64_t rsdp;
    std::uint64_t memoryMap; // version >= 1
    std::uint32_t memoryMapEntries;
    std::uint32_t reserved;
};
struct [[gnu::packed]] HvmMemoryMapEntry {
    std::uint64_t address;
    std::uint64_t size;
    std::uint32_t type; // 1 = RAM (e820)
    std::uint32_t reserved;
};
constexpr std::uint32_t HvmStartMagic = 0x336ec578;

struct [[gnu::packed]] IdtEntry {
    std::uint16_t offsetLow;
    std::uint16_t selector;
    std::uint8_t ist;
    std::uint8_t typeAttributes;
    std::uint16_t offsetMiddle;
    std::uint32_t offsetHigh;
    std::uint32_t zero;
};
struct [[gnu::packed]] IdtPointer {
    std::uint16_t limit;
    std::uint64_t base;
};

IdtEntry idt[256];

void setGate(unsigned vector, std::uint64_t handler)
{
    idt[vector] = {static_cast<std::uint16_t>(handler), 0x08, 0, 0x8e, static_cast<std::uint16_t>(handler >> 16),
                   static_cast<std::uint32_t>(handler >> 32), 0};
}

void installIdt()
{
    for (unsigned v = 0; v < 32; ++v)
        setGate(v, x86_exception_stubs[v]);
    setGate(0x40, reinterpret_cast<std::uintptr_t>(&x86_timer_interrupt));
    setGate(0xff, reinterpret_cast<std::uintptr_t>(&x86_spurious_interrupt));
    IdtPointer pointer{sizeof idt - 1, reinterpret_cast<std::uintptr_t>(idt)};
    asm volatile("lidt %0" : : "m"(pointer));
}

// Chooses the heap: the largest RAM region below 4 GiB (our identity map), minus the
// kernel image and the first MiB (firmware, start info, boot structures).
void setUpHeap(const HvmStartInfo* info)
{
    const auto kernelEnd = reinterpret_cast<std::uintptr_t>(__kernel_end);
    std::uint64_t bestBase = 0;
    std::uint64_t bestSize = 0;
    auto consider = [&](std::uint64_t base, std::uint64_t size) {
        std::uint64_t end = base + size;
        if (end > 0x100000000ull)
            end = 0x100000000ull;
        if (base < kernelEnd && end > reinterpret_cast<std::uintptr_t>(__kernel_start))
            base = kernelEnd;
        if (base < 0x100000)
            base = 0x100000;
        if (end > base && end - base > bestSize) {
            bestBase = base;
            bestSize = end - base;
        }
    };
    if (info != nullptr && info->version >= 1 && info->memoryMap != 0) {
        const auto* map = reinterpret_cast<const HvmMemoryMapEntry*>(info->memoryMap);
        for (std::uint32_t i = 0; i < info->memoryMapEntries; ++i)
            if (map[i].type == 1)
                consider(map[i].address, map[i].size);
    }
    if (bestSize == 0) {
        // No memory map: CMOS 0x30/0x31 hold KiB above 1 MiB (capped at 64 MiB).
        outb(0x70, 0x30);
        std::uint64_t low = inb(0x71);
        outb(0x70, 0x31);
        std::uint64_t kib = low | (static_cast<std::uint64_t>(inb(0x71)) << 8);
        consider(0x100000, kib * 1024);
    }
    // Keep the area where the start info, command line and memory map live: they are
    // below 1 MiB on QEMU and Xen, which consider() already excludes.
    if (bestSize < (1u << 20))
        panic("less than 1 MiB of usable memory");
    kernelHeap().init(reinterpret_cast<void*>(bestBase), bestSize);
}

// Finds `virtio_mmio.device=` entries on the command line and probes each.
std::size_t commandLineVirtio(std::string_view commandLine, virtio::Transport** out, std::size_t capacity)
{
    constexpr std::string_view key = "virtio_mmio.device=";
    std::size_t found = 0;
    while (!commandLine.empty() && found < capacity) {
        auto space = commandLine.find(' ');
        auto word = commandLine.substr(0, space);
        commandLine = space == std::string_view::npos ? std::string_view{} : commandLine.substr(space + 1);
        if (!word.starts_with(key))
            continue;
        std::uint64_t size, base;
        std::uint32_t irq;
        if (!virtio::parseMmioDeviceArgument(word.substr(key.size()), size, base, irq) || base >= 0x100000000ull) {
            kprint("ignoring malformed %.*s", static_cast<int>(word.size()), word.data());
            continue;
        }
        auto transport = virtio::MmioTransport::probe(static_cast<std::uintptr_t>(base), irq);
        if (transport)
            out[found++] = transport.release();
    }
    return found;
}

// QEMU's microvm lists its virtio-mmio devices on the command line only when ACPI is off;
// with ACPI on they are only in the DSDT. Without a PCI bus we are not on pc/q35, so the
// fixed microvm window (24 slots of 512 bytes from 0xfeb00000) is safe to probe instead.
std::size_t probeMicrovmVirtio(virtio::Transport** out, std::size_t capacity)
{
    constexpr std::uintptr_t Base = 0xfeb00000;
    std::size_t found = 0;
    for (std::uint32_t slot = 0; slot < 24 && found < capacity; ++slot) {
        auto transport = virtio::MmioTransport::probe(Base + slot * 512u, 0);
        if (transport)
            out[found++] = transport.release();
    }
    return found;
}

} // namespace

// The frame boot.S builds for an exception (lowest address first).
struct ExceptionFrame {
    std::uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    std::uint64_t vector, errorCode, rip, cs, rflags, rsp, ss;
};

} // namespace hive::image::x86

extern "C" [[noreturn]] void x86Exception(const hive::image::x86::ExceptionFrame* f)
{
    using hive::image::kprint;
    static const char* const names[32] = {
        "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
        "device not available", "double fault", "coprocessor overrun", "invalid TSS", "segment not present",
        "stack fault", "general protection", "page fault", "reserved", "x87 floating point", "alignment check",
        "machine check", "SIMD floating point", "virtualization", "control protection", "reserved", "reserved",
        "reserved", "reserved", "reserved", "reserved", "hypervisor injection", "VMM communication",
        "security", "reserved"};
    std::uint64_t cr2;
    asm volatile("mov %%cr2, %0" : "=r"(cr2));
    kprint("panic: CPU exception %lu (%s), error code 0x%lx", static_cast<unsigned long>(f->vector),
           names[f->vector & 31], static_cast<unsigned long>(f->errorCode));
    kprint("  rip %016lx  rsp %016lx  rflags %016lx  cr2 %016lx", static_cast<unsigned long>(f->rip),
           static_cast<unsigned long>(f->rsp), static_cast<unsigned long>(f->rflags), static_cast<unsigned long>(cr2));
    kprint("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx", static_cast<unsigned long>(f->rax),
           static_cast<unsigned long>(f->rbx), static_cast<unsigned long>(f->rcx), static_cast<unsigned long>(f->rdx));
    kprint("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx", static_cast<unsigned long>(f->rsi),
           static_cast<unsigned long>(f->rdi), static_cast<unsigned long>(f->rbp), static_cast<unsigned long>(f->r8));
    kprint("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx", static_cast<unsigned long>(f->r9),
           static_cast<unsigned long>(f->r10), static_cast<unsigned long>(f->r11), static_cast<unsigned long>(f->r12));
    kprint("  r13 %016lx  r14 %016lx  r15 %016lx  cs %lx ss %lx", static_cast<unsigned long>(f->r13),
           static_cast<unsigned long>(f->r14), static_cast<unsigned long>(f->r15), static_cast<unsigned long>(f->cs),
           static_cast<unsigned long>(f->ss));
    hive::image::x86::powerOff(hive::image::PanicExitCode);
}

extern "C" void x86Entry(std::uint32_t startInfoAddress)
{
    using namespace hive::image;
    using namespace hive::image::x86;
    serialInit();
    installIdt();

    const auto* info = reinterpret_cast<const HvmStartInfo*>(static_cast<std::uintptr_t>(startInfoAddress));
    if (info == nullptr || info->magic != HvmStartMagic)
        panic("not started through PVH: no hvm_start_info (magic mismatch)");
    setUpHeap(info);

    // Static constructors, if any, run once the heap exists.
    extern void (*__init_array_start[])();
    extern void (*__init_array_end[])();
    for (auto* fn = __init_array_start; fn != __init_array_end; ++fn)
        (*fn)();

    std::string_view commandLine;
    if (info->commandLine != 0)
        commandLine = reinterpret_cast<const char*>(static_cast<std::uintptr_t>(info->commandLine));

    static X86Platform* platform = new X86Platform(boot_tsc);

    constexpr std::size_t MaxDevices = 16;
    static virtio::Transport* devices[MaxDevices];
    std::size_t count = scanPciVirtio(devices, MaxDevices);
    count += commandLineVirtio(commandLine, devices + count, MaxDevices - count);
    if (count == 0 && !pciPresent())
        count = probeMicrovmVirtio(devices, MaxDevices);
    platform->setDevices(commandLine, {devices, count});

    kprint("command line: %.*s", static_cast<int>(commandLine.size()), commandLine.data());
    kprint("hive-node x86_64: %s, tsc %lu kHz (%s), heap %zu KiB", "pvh",
           static_cast<unsigned long>(platform->tscHz() / 1000), platform->clockSource(), kernelHeap().totalBytes() / 1024);
    kernelMain(*platform);
}
