#include "virtio/mmio.h"

#include "runtime/format.h"

namespace hive::image::virtio {

namespace {
constexpr std::uint32_t MagicValue = 0x000;
constexpr std::uint32_t Version = 0x004;
constexpr std::uint32_t DeviceId = 0x008;
constexpr std::uint32_t DeviceFeatures = 0x010;
constexpr std::uint32_t DeviceFeaturesSel = 0x014;
constexpr std::uint32_t DriverFeatures = 0x020;
constexpr std::uint32_t DriverFeaturesSel = 0x024;
constexpr std::uint32_t GuestPageSize = 0x028; // v1 only
constexpr std::uint32_t QueueSel = 0x030;
constexpr std::uint32_t QueueNumMax = 0x034;
constexpr std::uint32_t QueueNum = 0x038;
constexpr std::uint32_t QueueAlign = 0x03c; // v1 only
constexpr std::uint32_t QueuePfn = 0x040;   // v1 only
constexpr std::uint32_t QueueReady = 0x044; // v2 only
constexpr std::uint32_t QueueNotify = 0x050;
constexpr std::uint32_t InterruptStatus = 0x060;
constexpr std::uint32_t InterruptAck = 0x064;
constexpr std::uint32_t Status = 0x070;
constexpr std::uint32_t QueueDescLow = 0x080;
constexpr std::uint32_t QueueDescHigh = 0x084;
constexpr std::uint32_t QueueDriverLow = 0x090;
constexpr std::uint32_t QueueDriverHigh = 0x094;
constexpr std::uint32_t QueueDeviceLow = 0x0a0;
constexpr std::uint32_t QueueDeviceHigh = 0x0a4;
constexpr std::uint32_t Config = 0x100;

inline void ioFence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

bool parseNumber(std::string_view& text, std::uint64_t& value)
{
    unsigned base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    std::size_t digits = 0;
    value = 0;
    while (!text.empty()) {
        char c = text.front();
        unsigned d;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = static_cast<unsigned>(c - 'A' + 10);
        else
            break;
        if (value > (~0ull - d) / base)
            return false;
        value = value * base + d;
        text.remove_prefix(1);
        ++digits;
    }
    return digits > 0;
}
} // namespace

bool parseMmioDeviceArgument(std::string_view value, std::uint64_t& size, std::uint64_t& base, std::uint32_t& irq)
{
    if (!parseNumber(value, size))
        return false;
    if (!value.empty() && (value.front() == 'K' || value.front() == 'k')) {
        size *= 1024;
        value.remove_prefix(1);
    } else if (!value.empty() && (value.front() == 'M' || value.front() == 'm')) {
        size *= 1024 * 1024;
        value.remove_prefix(1);
    }
    if (value.empty() || value.front() != '@')
        return false;
    value.remove_prefix(1);
    if (!parseNumber(value, base))
        return false;
    if (value.empty() || value.front() != ':')
        return false;
    value.remove_prefix(1);
    std::uint64_t number;
    if (!parseNumber(value, number) || number > 0xffffffffu)
        return false;
    // Linux accepts an optional ":<id>" after the irq; ignore it.
    if (!value.empty() && value.front() != ':')
        return false;
    irq = static_cast<std::uint32_t>(number);
    return size >= 0x100;
}

std::unique_ptr<MmioTransport> MmioTransport::probe(std::uintptr_t base, std::uint32_t irq)
{
    auto reg = [base](std::uint32_t offset) { return *reinterpret_cast<volatile std::uint32_t*>(base + offset); };
    if (reg(MagicValue) != 0x74726976) // "virt"
        return nullptr;
    std::uint32_t version = reg(Version);
    if (version != 1 && version != 2)
        return nullptr;
    std::uint32_t type = reg(DeviceId);
    if (type == 0)
        return nullptr; // an unused transport slot
    return std::unique_ptr<MmioTransport>(new MmioTransport(base, version, static_cast<DeviceType>(type), irq));
}

MmioTransport::MmioTransport(std::uintptr_t base, std::uint32_t version, DeviceType type, std::uint32_t irq)
    : m_base(base)
    , m_version(version)
    , m_type(type)
{
    formatTo(m_name, sizeof m_name, "mmio 0x%lx v%u irq %u", static_cast<unsigned long>(base), version, irq);
}

std::uint32_t MmioTransport::read(std::uint32_t offset) const
{
    std::uint32_t v = *reinterpret_cast<volatile std::uint32_t*>(m_base + offset);
    ioFence();
    return v;
}

void MmioTransport::write(std::uint32_t offset, std::uint32_t value)
{
    ioFence();
    *reinterpret_cast<volatile std::uint32_t*>(m_base + offset) = value;
}

void MmioTransport::reset()
{
    write(Status, 0);
    if (m_version == 1)
        write(GuestPageSize, 4096);
}

std::uint8_t MmioTransport::status() { return static_cast<std::uint8_t>(read(Status)); }
void MmioTransport::setStatus(std::uint8_t value) { write(Status, value); }

std::uint64_t MmioTransport::deviceFeatures()
{
    write(DeviceFeaturesSel, 0);
    std::uint64_t low = read(DeviceFeatures);
    write(DeviceFeaturesSel, 1);
    std::uint64_t high = read(DeviceFeatures);
    return low | (high << 32);
}

void MmioTransport::setDriverFeatures(std::uint64_t features)
{
    write(DriverFeaturesSel, 0);
    write(DriverFeatures, static_cast<std::uint32_t>(features));
    write(DriverFeaturesSel, 1);
    write(DriverFeatures, static_cast<std::uint32_t>(features >> 32));
}

std::uint8_t MmioTransport::readConfig8(std::uint32_t offset)
{
    return *reinterpret_cast<volatile std::uint8_t*>(m_base + Config + offset);
}

std::uint32_t MmioTransport::readConfig32(std::uint32_t offset) { return read(Config + offset); }

std::uint16_t MmioTransport::queueMaxSize(std::uint16_t queue)
{
    write(QueueSel, queue);
    std::uint32_t max = read(QueueNumMax);
    return static_cast<std::uint16_t>(max > 0x8000 ? 0x8000 : max);
}

bool MmioTransport::enableQueue(std::uint16_t queue, std::uint16_t size, std::uint64_t desc, std::uint64_t avail,
                                std::uint64_t used)
{
    write(QueueSel, queue);
    write(QueueNum, size);
    if (m_version == 1) {
        if ((desc & 0xfff) != 0 || (desc >> 12) > 0xffffffffu)
            return false;
        write(QueueAlign, 4096);
        write(QueuePfn, static_cast<std::uint32_t>(desc >> 12));
        return true;
    }
    write(QueueDescLow, static_cast<std::uint32_t>(desc));
    write(QueueDescHigh, static_cast<std::uint32_t>(desc >> 32));
    write(QueueDriverLow, static_cast<std::uint32_t>(avail));
    write(QueueDriverHigh, static_cast<std::uint32_t>(avail >> 32));
    write(QueueDeviceLow, static_cast<std::uint32_t>(used));
    write(QueueDeviceHigh, static_cast<std::uint32_t>(used >> 32));
    write(QueueReady, 1);
    return read(QueueReady) == 1;
}

void MmioTransport::notify(std::uint16_t queue) { write(QueueNotify, queue); }

std::uint32_t MmioTransport::acknowledgeInterrupt()
{
    std::uint32_t pending = read(InterruptStatus);
    if (pending != 0)
        write(InterruptAck, pending);
    return pending;
}

} // namespace hive::image::virtio
