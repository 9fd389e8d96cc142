// Minimal GICv2 set-up for sleeping in WFI: selected interrupts are enabled and routed to
// CPU 0, but PSTATE.I stays masked and no handler ever runs. A pending interrupt still
// ends WFI (the architecture wakes on it regardless of the PSTATE mask); the kernel then
// polls its devices and drains the GIC by acknowledging what is pending.
#pragma once

#include <cstdint>

namespace hive::image::aarch64 {

class Gic2 {
public:
    // Takes the distributor and CPU-interface bases from the device tree.
    void init(std::uint64_t distributor, std::uint64_t cpuInterface);
    bool ready() const { return m_distributor != 0; }
    // Enables one interrupt (GIC id), level-sensitive, at a priority the CPU accepts.
    void enable(std::uint32_t irq);
    // Acknowledges and completes every pending interrupt; returns how many there were.
    // Sources must be quiet first (timer disabled, device status acknowledged), or a
    // level-sensitive line becomes pending again at once.
    int drain();

private:
    std::uint64_t m_distributor = 0;
    std::uint64_t m_cpu = 0;
    std::uint32_t m_lines = 0;
};

} // namespace hive::image::aarch64
