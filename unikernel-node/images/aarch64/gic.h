// Minimal GIC (v2 or v3) set-up for sleeping in WFI: selected interrupts are enabled and
// routed to this CPU, but PSTATE.I stays masked and no handler ever runs. A pending
// interrupt still ends WFI (the architecture wakes on it regardless of the PSTATE mask);
// the kernel then polls its devices and drains the GIC by acknowledging what is pending.
#pragma once

#include <cstdint>

namespace hive::image::aarch64 {

class Gic {
public:
    // version 2: distributor + CPU interface (memory-mapped); version 3: distributor +
    // redistributor region, CPU interface through system registers. False if the
    // hardware does not match (no redistributor for this CPU, no system registers).
    bool init(std::uint8_t version, std::uint64_t distributor, std::uint64_t cpuOrRedistributor);
    bool ready() const { return m_version != 0; }
    std::uint8_t version() const { return m_version; }
    // Enables one interrupt (GIC id), level-sensitive, at a priority the CPU accepts.
    void enable(std::uint32_t irq);
    // Acknowledges and completes every pending interrupt; returns how many there were.
    // Sources must be quiet first (timer disabled, device status acknowledged), or a
    // level-sensitive line becomes pending again at once.
    int drain();

private:
    bool initV3(std::uint64_t redistributors);
    std::uint32_t acknowledge();
    void endOfInterrupt(std::uint32_t ack);

    std::uint8_t m_version = 0;
    std::uint64_t m_distributor = 0;
    std::uint64_t m_cpu = 0;          // v2 CPU interface
    std::uint64_t m_redistributor = 0; // v3: this CPU's RD_base (SGI_base is 64 KiB above)
    std::uint32_t m_lines = 0;
};

} // namespace hive::image::aarch64
