// virtio-blk driver satisfying hive::node::Block: synchronous, polled requests of at most
// 64 KiB each, flush via VIRTIO_BLK_T_FLUSH when the device offers it (otherwise the
// device is write-through and flush is a no-op).
#pragma once

#include "virtio/virtqueue.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace hive::image::virtio {

class VirtioBlock {
public:
    static Result<std::unique_ptr<VirtioBlock>> create(Transport& transport, DeviceWait& wait);
    VirtioBlock(const VirtioBlock&) = delete;
    VirtioBlock& operator=(const VirtioBlock&) = delete;

    std::size_t sectorSize() const { return 512; }
    std::uint64_t sectorCount() const { return m_sectors; }
    bool hasFlush() const { return m_flush; }
    bool readOnly() const { return m_readOnly; }
    // Reads whole sectors from `sector`; out.size() must be a multiple of sectorSize().
    Status read(std::uint64_t sector, std::span<std::uint8_t> out);
    Status write(std::uint64_t sector, ByteView in);
    Status flush();

private:
    VirtioBlock(Transport& transport, DeviceWait& wait) : m_transport(transport), m_wait(wait) {}
    Status request(std::uint32_t type, std::uint64_t sector, std::uint8_t* data, std::size_t size, bool deviceWrites);
    Status checkRange(std::uint64_t sector, std::size_t size) const;

    Transport& m_transport;
    DeviceWait& m_wait;
    std::unique_ptr<Virtqueue> m_queue;
    std::uint64_t m_sectors = 0;
    bool m_flush = false;
    bool m_readOnly = false;
};

} // namespace hive::image::virtio
