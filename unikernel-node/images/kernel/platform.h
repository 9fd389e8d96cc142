// What an architecture's boot code hands to the shared kernel main (kernel/main.cpp).
// Each kernel (x86_64/, aarch64/) implements Platform once; the main program and the node
// reach hardware only through it and through the virtio transports it discovered.
#pragma once

#include "virtio/transport.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hive::image {

// Exit codes for Platform::powerOff. Under QEMU with isa-debug-exit (x86_64) the process
// exits with (code << 1) | 1, so success shows as status 1 and a panic as 127.
constexpr int SuccessExitCode = 0;
constexpr int PanicExitCode = 63;

class Platform : public virtio::DeviceWait {
public:
    virtual ~Platform() = default;

    // Boot console (serial): raw bytes.
    virtual void consoleWrite(const char* data, std::size_t size) = 0;
    // Nanoseconds since boot, never going backwards.
    virtual std::uint64_t monotonicNanos() = 0;
    // Nanoseconds since the Unix epoch (RTC at boot plus the monotonic clock).
    virtual std::uint64_t wallNanos() = 0;
    // Monotonic nanoseconds at the first instruction of the kernel, for init-time reports.
    virtual std::uint64_t bootStartNanos() = 0;
    // One 64-bit value from the CPU's random instruction (RDRAND / RNDR); false when the
    // CPU has none or it failed repeatedly.
    virtual bool hardwareRandom(std::uint64_t& out) = 0;
    // Sleeps (HLT / WFI) until an interrupt or the deadline (monotonic ns). May return
    // early; callers loop.
    virtual void sleepUntil(std::uint64_t deadline) = 0;
    // Powers the machine off; the exit code reaches the host where the platform allows.
    [[noreturn]] virtual void powerOff(int code) = 0;
    // The kernel command line (may be empty).
    virtual std::string_view commandLine() = 0;
    // Every virtio device found (PCI scan, command line, device tree).
    virtual std::span<virtio::Transport* const> virtioDevices() = 0;
    // Drivers waiting for a request: sleep about 20 us (or until an interrupt).
    void waitForDevice() override { sleepUntil(monotonicNanos() + 20'000); }
    // Provokes a CPU exception on purpose, to prove the panic handler (hive.crash=...).
    virtual void crash(std::string_view kind) = 0;
};

// The shared main program: brings up devices and networking, then serves forever or
// until the command line asks for power-off. Called by each architecture's entry code.
[[noreturn]] void kernelMain(Platform& platform);

} // namespace hive::image
