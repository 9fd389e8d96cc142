// The image's implementations of the node's device concepts (unikernel-node/core/
// devices.h), on top of the Platform and the virtio drivers. Node code written against
// the concepts runs unchanged here and in the hosted target.
#pragma once

#include "core/devices.h"
#include "kernel/platform.h"
#include "virtio/block.h"
#include "virtio/entropy.h"

#include <cstring>

namespace hive::image {

class ImageClock {
public:
    explicit ImageClock(Platform& platform) : m_platform(platform) {}
    node::Nanos monotonicNanos() { return m_platform.monotonicNanos(); }
    node::Nanos wallNanos() { return m_platform.wallNanos(); }

private:
    Platform& m_platform;
};

class ImageConsole {
public:
    explicit ImageConsole(Platform& platform) : m_platform(platform) {}
    void log(std::string_view line)
    {
        m_platform.consoleWrite(line.data(), line.size());
        m_platform.consoleWrite("\n", 1);
    }

private:
    Platform& m_platform;
};

// The CPU's generator (RDRAND / RNDR) when present, else virtio-rng, else an error: the
// node never runs on made-up randomness.
class ImageEntropy {
public:
    ImageEntropy(Platform& platform, virtio::VirtioEntropy* device) : m_platform(platform), m_device(device) {}
    Status fill(std::span<std::uint8_t> out)
    {
        std::uint64_t word;
        if (m_platform.hardwareRandom(word)) {
            for (std::size_t i = 0; i < out.size(); i += 8) {
                if (!m_platform.hardwareRandom(word))
                    return Error(ErrorCode::Unavailable, "entropy: hardware generator failed");
                std::size_t n = out.size() - i < 8 ? out.size() - i : 8;
                std::memcpy(out.data() + i, &word, n);
            }
            word = 0;
            return success();
        }
        if (m_device != nullptr)
            return m_device->fill(out);
        return Error(ErrorCode::Unavailable, "entropy: no RDRAND/RNDR and no virtio-rng device");
    }
    const char* source()
    {
        std::uint64_t word;
        if (m_platform.hardwareRandom(word))
            return "cpu";
        return m_device != nullptr ? "virtio-rng" : "none";
    }

private:
    Platform& m_platform;
    virtio::VirtioEntropy* m_device;
};

static_assert(node::Clock<ImageClock>);
static_assert(node::Console<ImageConsole>);
static_assert(node::Entropy<ImageEntropy>);
static_assert(node::Block<virtio::VirtioBlock>);

} // namespace hive::image
