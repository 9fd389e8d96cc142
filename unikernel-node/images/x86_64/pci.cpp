#include "x86_64/pci.h"

#include "runtime/format.h"
#include "x86_64/cpu.h"

namespace hive::image::x86 {

namespace {

std::uint32_t configAddress(unsigned bus, unsigned device, unsigned function, unsigned offset)
{
    return 0x80000000u | (bus << 16) | (device << 11) | (function << 8) | (offset & 0xfcu);
}

std::uint32_t configRead32(unsigned bus, unsigned device, unsigned function, unsigned offset)
{
    outl(0xcf8, configAddress(bus, device, function, offset));
    return inl(0xcfc);
}

void configWrite16(unsigned bus, unsigned device, unsigned function, unsigned offset, std::uint16_t value)
{
    outl(0xcf8, configAddress(bus, device, function, offset));
    outw(static_cast<std::uint16_t>(0xcfc + (offset & 2)), value);
}

// Register offsets in the legacy I/O BAR (without MSI-X, which we never enable).
constexpr std::uint16_t DeviceFeatures = 0x00;
constexpr std::uint16_t GuestFeatures = 0x04;
constexpr std::uint16_t QueuePfn = 0x08;
constexpr std::uint16_t QueueSize = 0x0c;
constexpr std::uint16_t QueueSelect = 0x0e;
constexpr std::uint16_t QueueNotify = 0x10;
constexpr std::uint16_t DeviceStatus = 0x12;
constexpr std::uint16_t IsrStatus = 0x13;
constexpr std::uint16_t Config = 0x14;

class LegacyPciTransport final : public virtio::Transport {
public:
    LegacyPciTransport(virtio::DeviceType type, std::uint16_t ioBase, unsigned device)
        : m_type(type)
        , m_io(ioBase)
    {
        formatTo(m_name, sizeof m_name, "pci 00:%02x.0 io 0x%x", device, ioBase);
    }

    virtio::DeviceType deviceType() const override { return m_type; }
    bool modern() const override { return false; }
    const char* name() const override { return m_name; }
    void reset() override { outb(port(DeviceStatus), 0); }
    std::uint8_t status() override { return inb(port(DeviceStatus)); }
    void setStatus(std::uint8_t value) override { outb(port(DeviceStatus), value); }
    std::uint64_t deviceFeatures() override { return inl(port(DeviceFeatures)); }
    void setDriverFeatures(std::uint64_t features) override
    {
        outl(port(GuestFeatures), static_cast<std::uint32_t>(features));
    }
    std::uint8_t readConfig8(std::uint32_t offset) override { return inb(port(Config + offset)); }
    std::uint32_t readConfig32(std::uint32_t offset) override { return inl(port(Config + offset)); }
    std::uint16_t queueMaxSize(std::uint16_t queue) override
    {
        outw(port(QueueSelect), queue);
        return inw(port(QueueSize));
    }
    bool queueSizeSelectable() const override { return false; }
    bool enableQueue(std::uint16_t queue, std::uint16_t size, std::uint64_t desc, std::uint64_t, std::uint64_t) override
    {
        outw(port(QueueSelect), queue);
        if (inw(port(QueueSize)) != size || (desc & 0xfff) != 0 || (desc >> 12) > 0xffffffffu)
            return false;
        outl(port(QueuePfn), static_cast<std::uint32_t>(desc >> 12));
        return true;
    }
    void notify(std::uint16_t queue) override { outw(port(QueueNotify), queue); }
    std::uint32_t acknowledgeInterrupt() override { return inb(port(IsrStatus)); }

private:
    std::uint16_t port(std::uint32_t offset) const { return static_cast<std::uint16_t>(m_io + offset); }

    virtio::DeviceType m_type;
    std::uint16_t m_io;
    char m_name[32];
};

} // namespace

bool pciPresent() { return (configRead32(0, 0, 0, 0x00) & 0xffff) != 0xffff; }

std::size_t scanPciVirtio(virtio::Transport** out, std::size_t capacity)
{
    std::size_t found = 0;
    // Bus 0 only: QEMU puts -device virtio-*-pci on the root bus unless told otherwise.
    for (unsigned device = 0; device < 32 && found < capacity; ++device) {
        std::uint32_t id = configRead32(0, device, 0, 0x00);
        if ((id & 0xffff) != 0x1af4)
            continue;
        auto deviceId = id >> 16;
        if (deviceId < 0x1000 || deviceId > 0x103f)
            continue; // modern-only devices have no legacy I/O BAR
        auto subsystem = configRead32(0, device, 0, 0x2c) >> 16;
        auto bar0 = configRead32(0, device, 0, 0x10);
        if ((bar0 & 1) == 0) {
            kprint("pci 00:%02x.0: virtio device without an I/O BAR, skipped", device);
            continue;
        }
        // Enable I/O decoding and bus mastering (DMA); leave INTx as firmware set it.
        auto command = static_cast<std::uint16_t>(configRead32(0, device, 0, 0x04) & 0xffff);
        configWrite16(0, device, 0, 0x04, static_cast<std::uint16_t>(command | 0x1 | 0x4));
        out[found++] = new LegacyPciTransport(static_cast<virtio::DeviceType>(subsystem),
                                              static_cast<std::uint16_t>(bar0 & 0xfffc), device);
    }
    return found;
}

} // namespace hive::image::x86
