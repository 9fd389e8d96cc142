// virtio-net driver: one receive and one transmit queue, MAC from the device config,
// no offloads. It moves raw Ethernet frames (a FrameDevice); the TCP/IP stack in
// unikernel-node/net sits on top. Polled: receive() returns what has arrived.
#pragma once

#include "virtio/virtqueue.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace hive::image::virtio {

class VirtioNet {
public:
    static constexpr std::size_t MaxFrame = 1514; // Ethernet II without FCS or VLAN tag

    // Negotiates features and fills the receive queue.
    static Result<std::unique_ptr<VirtioNet>> create(Transport& transport);
    ~VirtioNet();
    VirtioNet(const VirtioNet&) = delete;
    VirtioNet& operator=(const VirtioNet&) = delete;

    std::array<std::uint8_t, 6> mac() const { return m_mac; }
    // Queues one frame for transmission; Unavailable while the transmit ring is full.
    Status send(ByteView frame);
    // Copies the next received frame into out (which should hold MaxFrame bytes) and
    // returns its size; 0 when nothing has arrived.
    std::size_t receive(std::span<std::uint8_t> out);
    // True when receive() would return a frame.
    bool hasFrame() const { return m_rx->hasUsed(); }

    std::uint64_t framesSent() const { return m_sent; }
    std::uint64_t framesReceived() const { return m_received; }

private:
    struct Slot {
        std::uint8_t header[16]; // virtio_net_hdr: 10 bytes legacy, 12 with VERSION_1
        std::uint8_t data[MaxFrame + 18];
    };

    VirtioNet(Transport& transport, std::size_t headerSize);
    void postReceive(std::uint16_t slot);
    void reclaimTransmitted();

    Transport& m_transport;
    std::size_t m_headerSize;
    std::array<std::uint8_t, 6> m_mac {};
    std::unique_ptr<Virtqueue> m_rx;
    std::unique_ptr<Virtqueue> m_tx;
    Slot* m_rxSlots = nullptr;
    Slot* m_txSlots = nullptr;
    std::uint16_t m_rxCount = 0;
    std::uint16_t m_txCount = 0;
    std::unique_ptr<std::uint16_t[]> m_rxSlotOfHead; // descriptor head -> slot
    std::unique_ptr<std::uint16_t[]> m_txSlotOfHead;
    std::unique_ptr<std::uint16_t[]> m_txFree; // stack of free transmit slots
    std::uint16_t m_txFreeCount = 0;
    std::uint64_t m_sent = 0;
    std::uint64_t m_received = 0;
};

} // namespace hive::image::virtio
