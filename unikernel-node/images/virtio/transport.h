// How the virtio device drivers talk to a device, independent of the bus it sits on.
// Implementations: legacy PCI (x86_64 -M pc/q35, I/O BAR) and virtio-mmio v1/v2
// (x86_64 -M microvm, aarch64 -M virt). The drivers in this folder only use this
// interface, so every architecture shares them.
//
// DMA addresses: images identity-map memory, so a pointer's value is its physical address.
#pragma once

#include <cstdint>

namespace hive::image::virtio {

enum class DeviceType : std::uint32_t { None = 0, Net = 1, Block = 2, Entropy = 4 };

// Device status bits (virtio 1.x section 2.1).
namespace status {
constexpr std::uint8_t Acknowledge = 1;
constexpr std::uint8_t Driver = 2;
constexpr std::uint8_t DriverOk = 4;
constexpr std::uint8_t FeaturesOk = 8;
constexpr std::uint8_t Failed = 128;
} // namespace status

// Feature bits shared by all device types.
namespace feature {
constexpr std::uint64_t AnyLayout = 1ull << 27;
constexpr std::uint64_t Version1 = 1ull << 32;
} // namespace feature

// How a driver waits for a request to complete. Spinning would take the host CPU that
// QEMU's device thread needs to answer (badly so on a loaded host), so drivers sleep
// briefly instead (HLT / WFI with a short timer), which the Platform provides.
class DeviceWait {
public:
    virtual ~DeviceWait() = default;
    // Sleeps a short while (tens of microseconds) or until an interrupt.
    virtual void waitForDevice() = 0;
};

class Transport {
public:
    virtual ~Transport() = default;

    virtual DeviceType deviceType() const = 0;
    // True for a virtio 1.x ("modern") interface: VERSION_1 must then be negotiated,
    // FEATURES_OK is used, and queue parts may live at separate addresses.
    virtual bool modern() const = 0;
    // Short description for logs, e.g. "pci 00:03.0" or "mmio 0xfeb00e00".
    virtual const char* name() const = 0;

    virtual void reset() = 0;
    virtual std::uint8_t status() = 0;
    virtual void setStatus(std::uint8_t value) = 0;
    virtual std::uint64_t deviceFeatures() = 0;
    virtual void setDriverFeatures(std::uint64_t features) = 0;
    // Device-specific configuration space (offset 0 = the device's config struct).
    virtual std::uint8_t readConfig8(std::uint32_t offset) = 0;
    virtual std::uint32_t readConfig32(std::uint32_t offset) = 0;

    // Largest size the device allows for a queue; 0 when the queue does not exist.
    virtual std::uint16_t queueMaxSize(std::uint16_t queue) = 0;
    // Whether the driver may pick a smaller size than queueMaxSize (legacy PCI cannot).
    virtual bool queueSizeSelectable() const = 0;
    // Hands the device a queue laid out as the legacy contiguous format: descriptors at
    // desc (4096-aligned), then the available ring, the used ring at the next 4096
    // boundary. Modern transports use the three addresses; legacy ones only desc.
    virtual bool enableQueue(std::uint16_t queue, std::uint16_t size, std::uint64_t desc, std::uint64_t avail,
                             std::uint64_t used) = 0;
    virtual void notify(std::uint16_t queue) = 0;
    // Reads and acknowledges the interrupt status bits (used-ring / config change).
    virtual std::uint32_t acknowledgeInterrupt() = 0;
};

} // namespace hive::image::virtio
