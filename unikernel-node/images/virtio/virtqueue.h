// A split virtqueue (virtio 1.x section 2.6) in the legacy contiguous layout, which every
// transport accepts. The driver side only: add buffer chains, publish them, collect used
// entries. Polling-friendly: nothing here sleeps or takes interrupts.
#pragma once

#include "virtio/transport.h"
#include "wire/bytes.h"
#include "wire/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace hive::image::virtio {

// One buffer of a chain: guest memory the device reads (DeviceWrites::No) or fills.
struct Buffer {
    const void* data;
    std::uint32_t size;
    bool deviceWrites;
};

struct UsedEntry {
    std::uint16_t head; // id returned by add()
    std::uint32_t length; // bytes the device wrote
};

class Virtqueue {
public:
    // Sets up queue `index` with at most maxSize entries (the device's maximum when the
    // transport cannot pick a size). Fails when the device has no such queue.
    static Result<std::unique_ptr<Virtqueue>> create(Transport& transport, std::uint16_t index,
                                                     std::uint16_t maxSize);
    ~Virtqueue();
    Virtqueue(const Virtqueue&) = delete;
    Virtqueue& operator=(const Virtqueue&) = delete;

    std::uint16_t size() const { return m_size; }
    std::uint16_t freeDescriptors() const { return m_freeCount; }
    // Queues one chain; returns its head id, or an error when too few descriptors are free.
    Result<std::uint16_t> add(std::span<const Buffer> chain);
    // Makes added chains visible to the device and notifies it.
    void kick();
    // True when the device returned at least one chain not yet collected.
    bool hasUsed() const;
    // Collects one used chain and frees its descriptors; false when none is pending.
    bool popUsed(UsedEntry& entry);

private:
    Virtqueue(Transport& transport, std::uint16_t index, std::uint16_t size, std::uint8_t* memory);

    struct Descriptor;
    Transport& m_transport;
    std::uint16_t m_index;
    std::uint16_t m_size;
    std::uint8_t* m_memory;
    Descriptor* m_descriptors;
    volatile std::uint16_t* m_availFlags; // flags, idx, ring[size]
    volatile std::uint16_t* m_availIndex;
    volatile std::uint16_t* m_availRing;
    volatile std::uint16_t* m_usedIndex;
    volatile std::uint32_t* m_usedRing; // pairs (id, len)
    std::uint16_t m_freeHead = 0;
    std::uint16_t m_freeCount;
    std::uint16_t m_availShadow = 0;
    std::uint16_t m_lastUsed = 0;
    std::unique_ptr<std::uint16_t[]> m_chainLength; // descriptors per head, for freeing
};

// Offers and negotiates features: accepts `wanted` & offered (plus VERSION_1 on modern
// transports), walks the status handshake up to FEATURES_OK. Returns the accepted set.
Result<std::uint64_t> negotiate(Transport& transport, std::uint64_t wanted);

} // namespace hive::image::virtio
