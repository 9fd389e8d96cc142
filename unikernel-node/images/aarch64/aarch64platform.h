// The aarch64 Platform: PL011 console, generic-timer clock, PL031 wall clock, RNDR,
// WFI sleeps woken by the virtual timer or a virtio interrupt through a minimal GICv2,
// PSCI / semihosting power-off.
#pragma once

#include "aarch64/devicetree.h"
#include "aarch64/gic.h"
#include "aarch64/pl011.h"
#include "aarch64/power.h"
#include "kernel/platform.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hive::image::aarch64 {

class Aarch64Platform final : public Platform {
public:
    // board and the devices must outlive the platform; bootTicks is CNTVCT at entry.
    Aarch64Platform(const Board& board, std::uint64_t bootTicks, Pl011& console, Gic& gic, const PowerControl& power);
    // Hands over the probed virtio devices and their interrupts (GIC ids, 0 = none).
    void setDevices(std::string_view commandLine, std::span<virtio::Transport* const> devices,
                    std::span<const std::uint32_t> irqs);

    void consoleWrite(const char* data, std::size_t size) override { m_console.write(data, size); }
    std::uint64_t monotonicNanos() override { return ticksToNanos(counterTicks()); }
    std::uint64_t wallNanos() override;
    std::uint64_t bootStartNanos() override { return ticksToNanos(m_bootTicks); }
    bool hardwareRandom(std::uint64_t& out) override;
    void sleepUntil(std::uint64_t deadline) override;
    [[noreturn]] void powerOff(int code) override;
    std::string_view commandLine() override { return m_commandLine; }
    std::span<virtio::Transport* const> virtioDevices() override { return m_devices; }
    void crash(std::string_view kind) override;

    std::uint64_t counterHz() const { return m_hz; }
    bool hasRndr() const { return m_hasRndr; }
    bool canSleep() const { return m_timerIrq != 0; }

private:
    std::uint64_t ticksToNanos(std::uint64_t ticks) const;
    std::uint64_t nanosToTicks(std::uint64_t nanos) const;

    Pl011& m_console;
    Gic& m_gic;
    PowerControl m_power;
    std::uint64_t m_bootTicks;
    std::uint64_t m_hz;
    std::uint64_t m_wallAtBoot = 0; // ns since the epoch at monotonic 0
    std::uint32_t m_timerIrq = 0;
    bool m_hasRndr;
    std::string_view m_commandLine;
    std::span<virtio::Transport* const> m_devices;
};

} // namespace hive::image::aarch64
