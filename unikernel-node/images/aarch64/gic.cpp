#include "gic.h"

#include "cpu.h"

namespace hive::image::aarch64 {

namespace {
// Distributor registers (GICv2 architecture specification, 4.3).
constexpr std::uint64_t DistControl = 0x000;
constexpr std::uint64_t DistType = 0x004;
constexpr std::uint64_t DistSetEnable = 0x100;
constexpr std::uint64_t DistClearEnable = 0x180;
constexpr std::uint64_t DistClearPending = 0x280;
constexpr std::uint64_t DistPriority = 0x400;
constexpr std::uint64_t DistTargets = 0x800;
constexpr std::uint64_t DistConfig = 0xc00;
// CPU interface registers (4.4).
constexpr std::uint64_t CpuControl = 0x000;
constexpr std::uint64_t CpuPriorityMask = 0x004;
constexpr std::uint64_t CpuAcknowledge = 0x00c;
constexpr std::uint64_t CpuEndOfInterrupt = 0x010;
constexpr std::uint32_t Spurious = 1023;
constexpr std::uint8_t Priority = 0x80;
} // namespace

void Gic2::init(std::uint64_t distributor, std::uint64_t cpuInterface)
{
    m_distributor = distributor;
    m_cpu = cpuInterface;
    m_lines = ((mmioRead32(distributor + DistType) & 0x1f) + 1) * 32;
    mmioWrite32(distributor + DistControl, 0);
    // Start from a known state: everything disabled and not pending.
    for (std::uint32_t i = 0; i < m_lines / 32; ++i) {
        mmioWrite32(distributor + DistClearEnable + 4 * i, 0xffffffffu);
        mmioWrite32(distributor + DistClearPending + 4 * i, 0xffffffffu);
    }
    mmioWrite32(distributor + DistControl, 1);
    mmioWrite32(m_cpu + CpuPriorityMask, 0xf0);
    mmioWrite32(m_cpu + CpuControl, 1);
}

void Gic2::enable(std::uint32_t irq)
{
    if (m_distributor == 0 || irq >= m_lines)
        return;
    mmioWrite8(m_distributor + DistPriority + irq, Priority);
    if (irq >= 32) {
        // Shared peripheral interrupts: route to CPU 0 and make them level-sensitive, so
        // the pending state follows the device's line once it is acknowledged.
        mmioWrite8(m_distributor + DistTargets + irq, 1);
        std::uint64_t config = m_distributor + DistConfig + 4 * (irq / 16);
        std::uint32_t shift = 2 * (irq % 16) + 1;
        mmioWrite32(config, mmioRead32(config) & ~(1u << shift));
    }
    mmioWrite32(m_distributor + DistSetEnable + 4 * (irq / 32), 1u << (irq % 32));
}

int Gic2::drain()
{
    if (m_distributor == 0)
        return 0;
    int count = 0;
    // Bounded: at most one pass per implemented line.
    for (std::uint32_t i = 0; i < m_lines; ++i) {
        std::uint32_t ack = mmioRead32(m_cpu + CpuAcknowledge);
        if ((ack & 0x3ff) == Spurious)
            break;
        mmioWrite32(m_cpu + CpuEndOfInterrupt, ack);
        ++count;
    }
    return count;
}

} // namespace hive::image::aarch64
