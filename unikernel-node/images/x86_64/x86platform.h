// The x86_64 Platform: 16550 serial (COM1), TSC clock, LAPIC one-shot timer for HLT
// wake-ups, CMOS RTC wall clock, RDRAND, isa-debug-exit / ACPI power-off.
#pragma once

#include "kernel/platform.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hive::image::x86 {

// Serial console on COM1 (0x3f8), 115200 8N1, polled.
void serialInit();
void serialWrite(const char* data, std::size_t size);

// Powers off: isa-debug-exit (QEMU exits with (code << 1) | 1), then ACPI S5 through the
// PM1a control port firmware sets up on pc/q35 (0x604), then halts.
[[noreturn]] void powerOff(int code);

class X86Platform final : public Platform {
public:
    struct Config {
        std::string_view commandLine;
        std::span<virtio::Transport* const> devices;
    };
    // Calibrates the TSC and the LAPIC timer and reads the RTC.
    explicit X86Platform(std::uint64_t bootTsc);
    void setDevices(std::string_view commandLine, std::span<virtio::Transport* const> devices)
    {
        m_commandLine = commandLine;
        m_devices = devices;
    }
    // Which source calibrated the TSC, for the boot log.
    const char* clockSource() const { return m_clockSource; }
    std::uint64_t tscHz() const { return m_tscHz; }

    void consoleWrite(const char* data, std::size_t size) override { serialWrite(data, size); }
    std::uint64_t monotonicNanos() override;
    std::uint64_t wallNanos() override { return m_wallAtBoot + monotonicNanos(); }
    std::uint64_t bootStartNanos() override { return 0; }
    bool hardwareRandom(std::uint64_t& out) override;
    void sleepUntil(std::uint64_t deadline) override;
    [[noreturn]] void powerOff(int code) override { x86::powerOff(code); }
    std::string_view commandLine() override { return m_commandLine; }
    std::span<virtio::Transport* const> virtioDevices() override { return m_devices; }
    void crash(std::string_view kind) override;

private:
    std::uint64_t ticksToNanos(std::uint64_t ticks) const;

    std::uint64_t m_bootTsc;
    std::uint64_t m_tscHz = 0;
    std::uint64_t m_nanosPerTickQ32 = 0;
    std::uint64_t m_lapicTicksPerMs = 0;
    std::uint64_t m_wallAtBoot = 0;
    bool m_hasRdrand = false;
    const char* m_clockSource = "";
    std::string_view m_commandLine;
    std::span<virtio::Transport* const> m_devices;
};

} // namespace hive::image::x86
