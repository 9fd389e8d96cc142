#include "gic.h"

#include "cpu.h"

namespace hive::image::aarch64 {

namespace {
// Distributor registers, common to v2 and v3 (GIC architecture specification).
constexpr std::uint64_t DistControl = 0x000;
constexpr std::uint64_t DistType = 0x004;
constexpr std::uint64_t DistGroup = 0x080;
constexpr std::uint64_t DistSetEnable = 0x100;
constexpr std::uint64_t DistClearEnable = 0x180;
constexpr std::uint64_t DistClearPending = 0x280;
constexpr std::uint64_t DistPriority = 0x400;
constexpr std::uint64_t DistTargets = 0x800;  // v2
constexpr std::uint64_t DistConfig = 0xc00;
constexpr std::uint64_t DistRoute = 0x6000;   // v3, 64 bits per SPI
constexpr std::uint32_t DistControlRwp = 1u << 31;
// v2 CPU interface.
constexpr std::uint64_t CpuControl = 0x000;
constexpr std::uint64_t CpuPriorityMask = 0x004;
constexpr std::uint64_t CpuAcknowledge = 0x00c;
constexpr std::uint64_t CpuEndOfInterrupt = 0x010;
// v3 redistributor: RD_base frame, then the SGI_base frame 64 KiB above.
constexpr std::uint64_t RedistType = 0x008;
constexpr std::uint64_t RedistWaker = 0x014;
constexpr std::uint64_t SgiBase = 0x10000;
constexpr std::uint32_t WakerProcessorSleep = 1u << 1;
constexpr std::uint32_t WakerChildrenAsleep = 1u << 2;

constexpr std::uint32_t FirstSpecial = 1020;
constexpr std::uint8_t Priority = 0x80;
constexpr int SpinLimit = 1000000;

std::uint64_t mmioRead64(std::uint64_t address) { return *reinterpret_cast<volatile std::uint64_t*>(address); }
void mmioWrite64(std::uint64_t address, std::uint64_t value) { *reinterpret_cast<volatile std::uint64_t*>(address) = value; }

bool waitWhileSet(std::uint64_t address, std::uint32_t mask)
{
    for (int i = 0; i < SpinLimit; ++i) {
        if ((mmioRead32(address) & mask) == 0)
            return true;
    }
    return false;
}

// Level-sensitive: pending follows the device's line once it is acknowledged.
void configureLevel(std::uint64_t configBase, std::uint32_t irq)
{
    std::uint64_t reg = configBase + 4 * (irq / 16);
    mmioWrite32(reg, mmioRead32(reg) & ~(1u << (2 * (irq % 16) + 1)));
}
} // namespace

bool Gic::init(std::uint8_t version, std::uint64_t distributor, std::uint64_t cpuOrRedistributor)
{
    if (version != 2 && version != 3)
        return false;
    m_distributor = distributor;
    m_lines = ((mmioRead32(distributor + DistType) & 0x1f) + 1) * 32;
    if (m_lines > 1020)
        m_lines = 1020;
    mmioWrite32(distributor + DistControl, 0);
    if (version == 3)
        waitWhileSet(distributor + DistControl, DistControlRwp);
    // Start from a known state: shared interrupts disabled and not pending.
    for (std::uint32_t i = 1; i < m_lines / 32; ++i) {
        mmioWrite32(distributor + DistClearEnable + 4 * i, 0xffffffffu);
        mmioWrite32(distributor + DistClearPending + 4 * i, 0xffffffffu);
    }
    if (version == 2) {
        m_cpu = cpuOrRedistributor;
        mmioWrite32(distributor + DistClearEnable, 0xffffffffu);
        mmioWrite32(distributor + DistControl, 1);
        mmioWrite32(m_cpu + CpuPriorityMask, 0xf0);
        mmioWrite32(m_cpu + CpuControl, 1);
        m_version = 2;
        return true;
    }
    if (!initV3(cpuOrRedistributor))
        return false;
    m_version = 3;
    return true;
}

bool Gic::initV3(std::uint64_t redistributors)
{
    // The CPU interface is only reachable through system registers (boot.S lets EL1 use
    // them when entered at EL2); ID_AA64PFR0_EL1.GIC says whether they exist.
    if (((HIVE_READ_SYSREG(id_aa64pfr0_el1) >> 24) & 0xf) == 0)
        return false;
    // Find this CPU's redistributor: GICR_TYPER[63:32] holds its affinity.
    std::uint64_t mpidr = HIVE_READ_SYSREG(mpidr_el1);
    std::uint64_t affinity = (mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000);
    std::uint64_t frame = redistributors;
    for (int i = 0; i < 256; ++i) {
        std::uint64_t type = mmioRead64(frame + RedistType);
        if ((type >> 32) == affinity) {
            m_redistributor = frame;
            break;
        }
        if ((type & (1u << 4)) != 0) // Last
            break;
        frame += (type & (1u << 1)) != 0 ? 0x40000 : 0x20000; // VLPIS adds two frames
    }
    if (m_redistributor == 0)
        return false;
    // Wake the redistributor (it starts "asleep" and would not forward interrupts).
    mmioWrite32(m_redistributor + RedistWaker, mmioRead32(m_redistributor + RedistWaker) & ~WakerProcessorSleep);
    if (!waitWhileSet(m_redistributor + RedistWaker, WakerChildrenAsleep))
        return false;
    mmioWrite32(m_redistributor + SgiBase + DistClearEnable, 0xffffffffu);
    mmioWrite32(m_redistributor + SgiBase + DistClearPending, 0xffffffffu);
    // Affinity routing on, group 1 enabled (bits 0/1/4 cover both the single- and the
    // two-security-state layouts of GICD_CTLR).
    mmioWrite32(m_distributor + DistControl, (1u << 0) | (1u << 1) | (1u << 4));
    waitWhileSet(m_distributor + DistControl, DistControlRwp);
    // CPU interface: system registers on, accept priorities above 0xf0, group 1 on.
    HIVE_WRITE_SYSREG(s3_0_c12_c12_5, HIVE_READ_SYSREG(s3_0_c12_c12_5) | 1); // ICC_SRE_EL1.SRE
    isb();
    HIVE_WRITE_SYSREG(s3_0_c4_c6_0, 0xf0); // ICC_PMR_EL1
    HIVE_WRITE_SYSREG(s3_0_c12_c12_7, 1);  // ICC_IGRPEN1_EL1
    isb();
    return true;
}

void Gic::enable(std::uint32_t irq)
{
    if (m_version == 0 || irq >= m_lines)
        return;
    if (m_version == 2) {
        mmioWrite8(m_distributor + DistPriority + irq, Priority);
        if (irq >= 32) {
            mmioWrite8(m_distributor + DistTargets + irq, 1); // CPU 0
            configureLevel(m_distributor + DistConfig, irq);
        }
        mmioWrite32(m_distributor + DistSetEnable + 4 * (irq / 32), 1u << (irq % 32));
        return;
    }
    // v3: private interrupts live in this CPU's redistributor, shared ones in the
    // distributor; both are put in group 1, which the CPU interface signals as IRQ.
    std::uint64_t base = irq < 32 ? m_redistributor + SgiBase : m_distributor;
    std::uint64_t group = base + DistGroup + 4 * (irq / 32);
    mmioWrite32(group, mmioRead32(group) | (1u << (irq % 32)));
    mmioWrite8(base + DistPriority + irq, Priority);
    if (irq >= 32) {
        std::uint64_t mpidr = HIVE_READ_SYSREG(mpidr_el1);
        mmioWrite64(m_distributor + DistRoute + 8 * irq, mpidr & 0xff00ffffffull); // same layout as MPIDR
        configureLevel(m_distributor + DistConfig, irq);
    }
    mmioWrite32(base + DistSetEnable + 4 * (irq / 32), 1u << (irq % 32));
}

std::uint32_t Gic::acknowledge()
{
    if (m_version == 2)
        return mmioRead32(m_cpu + CpuAcknowledge);
    return static_cast<std::uint32_t>(HIVE_READ_SYSREG(s3_0_c12_c12_0)); // ICC_IAR1_EL1
}

void Gic::endOfInterrupt(std::uint32_t ack)
{
    if (m_version == 2)
        mmioWrite32(m_cpu + CpuEndOfInterrupt, ack);
    else
        HIVE_WRITE_SYSREG(s3_0_c12_c12_1, ack); // ICC_EOIR1_EL1
}

int Gic::drain()
{
    if (m_version == 0)
        return 0;
    int count = 0;
    // Bounded: at most one pass per implemented line.
    for (std::uint32_t i = 0; i < m_lines; ++i) {
        std::uint32_t ack = acknowledge();
        std::uint32_t id = m_version == 2 ? ack & 0x3ff : ack & 0xffffff;
        if (id >= FirstSpecial)
            break; // 1020-1023: nothing (more) pending for us
        endOfInterrupt(ack);
        ++count;
    }
    if (m_version == 3)
        isb();
    return count;
}

} // namespace hive::image::aarch64
