// virtio-rng driver satisfying hive::node::Entropy: asks the host for bytes, polled.
#pragma once

#include "virtio/virtqueue.h"

#include <cstdint>
#include <memory>
#include <span>

namespace hive::image::virtio {

class VirtioEntropy {
public:
    static Result<std::unique_ptr<VirtioEntropy>> create(Transport& transport, DeviceWait& wait);
    // Fills out with bytes from the host's generator.
    Status fill(std::span<std::uint8_t> out);

private:
    explicit VirtioEntropy(DeviceWait& wait) : m_wait(wait) {}
    DeviceWait& m_wait;
    std::unique_ptr<Virtqueue> m_queue;
};

} // namespace hive::image::virtio
