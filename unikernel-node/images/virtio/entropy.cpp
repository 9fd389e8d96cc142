#include "virtio/entropy.h"

namespace hive::image::virtio {

Result<std::unique_ptr<VirtioEntropy>> VirtioEntropy::create(Transport& transport, DeviceWait& wait)
{
    HIVE_TRY(negotiate(transport, 0));
    std::unique_ptr<VirtioEntropy> rng(new VirtioEntropy(wait));
    rng->m_queue = HIVE_TRY(Virtqueue::create(transport, 0, 4));
    transport.setStatus(static_cast<std::uint8_t>(transport.status() | status::DriverOk));
    return rng;
}

Status VirtioEntropy::fill(std::span<std::uint8_t> out)
{
    std::size_t done = 0;
    // Bounded: the device may return fewer bytes than asked, but never nothing forever.
    for (unsigned attempt = 0; done < out.size() && attempt < 1000; ++attempt) {
        const Buffer buffer{out.data() + done, static_cast<std::uint32_t>(out.size() - done), true};
        HIVE_TRY(m_queue->add({&buffer, 1}));
        m_queue->kick();
        UsedEntry used;
        std::uint64_t waits = 0;
        while (!m_queue->popUsed(used)) {
            if (++waits == 1'000'000)
                return Error(ErrorCode::Timeout, "virtio-rng: device did not answer");
            m_wait.waitForDevice();
        }
        done += used.length < out.size() - done ? used.length : out.size() - done;
    }
    if (done < out.size())
        return Error(ErrorCode::Unavailable, "virtio-rng: device returned too little entropy");
    return success();
}

} // namespace hive::image::virtio
