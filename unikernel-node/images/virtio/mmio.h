// virtio-mmio transport, version 1 (legacy) and 2 (virtio 1.x), shared by x86_64
// (-M microvm: devices from `virtio_mmio.device=` on the command line) and aarch64
// (-M virt: devices from the device tree).
#pragma once

#include "virtio/transport.h"

#include <cstdint>
#include <memory>
#include <string_view>

namespace hive::image::virtio {

class MmioTransport final : public Transport {
public:
    // Returns a transport when a virtio-mmio device answers at base (magic "virt",
    // version 1 or 2, device id != 0); nullptr for an empty slot. irq is for logs only.
    static std::unique_ptr<MmioTransport> probe(std::uintptr_t base, std::uint32_t irq);

    DeviceType deviceType() const override { return m_type; }
    bool modern() const override { return m_version >= 2; }
    const char* name() const override { return m_name; }
    void reset() override;
    std::uint8_t status() override;
    void setStatus(std::uint8_t value) override;
    std::uint64_t deviceFeatures() override;
    void setDriverFeatures(std::uint64_t features) override;
    std::uint8_t readConfig8(std::uint32_t offset) override;
    std::uint32_t readConfig32(std::uint32_t offset) override;
    std::uint16_t queueMaxSize(std::uint16_t queue) override;
    bool queueSizeSelectable() const override { return true; }
    bool enableQueue(std::uint16_t queue, std::uint16_t size, std::uint64_t desc, std::uint64_t avail,
                     std::uint64_t used) override;
    void notify(std::uint16_t queue) override;
    std::uint32_t acknowledgeInterrupt() override;

private:
    MmioTransport(std::uintptr_t base, std::uint32_t version, DeviceType type, std::uint32_t irq);
    std::uint32_t read(std::uint32_t offset) const;
    void write(std::uint32_t offset, std::uint32_t value);

    std::uintptr_t m_base;
    std::uint32_t m_version;
    DeviceType m_type;
    char m_name[40];
};

// Parses one `virtio_mmio.device=<size>@<base>:<irq>` value (size with optional K/M
// suffix, base in hex or decimal). Returns false when it does not parse.
bool parseMmioDeviceArgument(std::string_view value, std::uint64_t& size, std::uint64_t& base, std::uint32_t& irq);

} // namespace hive::image::virtio
