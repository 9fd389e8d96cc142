#include "virtio/net.h"

#include "runtime/heap.h"

#include <cstring>

namespace hive::image::virtio {

namespace {
constexpr std::uint64_t FeatureMac = 1ull << 5;
// Buffers per direction: plenty for a node behind QEMU's user network, small enough for
// -m 32 (2 x 64 x ~1.5 KiB).
constexpr std::uint16_t SlotCount = 64;
} // namespace

Result<std::unique_ptr<VirtioNet>> VirtioNet::create(Transport& transport)
{
    auto accepted = HIVE_TRY(negotiate(transport, FeatureMac | feature::AnyLayout));
    // Modern devices always carry num_buffers; legacy ones only with MRG_RXBUF (not asked).
    std::size_t headerSize = transport.modern() ? 12 : 10;
    std::unique_ptr<VirtioNet> net(new VirtioNet(transport, headerSize));
    if ((accepted & FeatureMac) != 0) {
        for (std::uint32_t i = 0; i < 6; ++i)
            net->m_mac[i] = transport.readConfig8(i);
    } else {
        // No MAC from the device: a fixed locally administered one.
        net->m_mac = {0x02, 0x48, 0x49, 0x56, 0x45, 0x01};
    }
    net->m_rx = HIVE_TRY(Virtqueue::create(transport, 0, 2 * SlotCount));
    net->m_tx = HIVE_TRY(Virtqueue::create(transport, 1, 2 * SlotCount));
    // Each frame is a two-descriptor chain (header, data), so a ring holds size/2 frames.
    net->m_rxCount = static_cast<std::uint16_t>(net->m_rx->size() / 2 < SlotCount ? net->m_rx->size() / 2 : SlotCount);
    net->m_txCount = static_cast<std::uint16_t>(net->m_tx->size() / 2 < SlotCount ? net->m_tx->size() / 2 : SlotCount);
    net->m_rxSlots = static_cast<Slot*>(kernelHeap().allocateAligned(sizeof(Slot) * net->m_rxCount, 64));
    net->m_txSlots = static_cast<Slot*>(kernelHeap().allocateAligned(sizeof(Slot) * net->m_txCount, 64));
    if (net->m_rxSlots == nullptr || net->m_txSlots == nullptr)
        return Error(ErrorCode::NoSpace, "virtio-net: no memory for buffers");
    std::memset(net->m_txSlots, 0, sizeof(Slot) * net->m_txCount);
    net->m_rxSlotOfHead.reset(new std::uint16_t[net->m_rx->size()]());
    net->m_txSlotOfHead.reset(new std::uint16_t[net->m_tx->size()]());
    net->m_txFree.reset(new std::uint16_t[net->m_txCount]);
    for (std::uint16_t i = 0; i < net->m_txCount; ++i)
        net->m_txFree[net->m_txFreeCount++] = i;
    for (std::uint16_t i = 0; i < net->m_rxCount; ++i)
        net->postReceive(i);
    transport.setStatus(static_cast<std::uint8_t>(transport.status() | status::DriverOk));
    net->m_rx->kick();
    return net;
}

VirtioNet::VirtioNet(Transport& transport, std::size_t headerSize)
    : m_transport(transport)
    , m_headerSize(headerSize)
{
}

VirtioNet::~VirtioNet()
{
    m_transport.reset();
    kernelHeap().free(m_rxSlots);
    kernelHeap().free(m_txSlots);
}

void VirtioNet::postReceive(std::uint16_t slot)
{
    Slot& s = m_rxSlots[slot];
    const Buffer chain[2] = {{s.header, static_cast<std::uint32_t>(m_headerSize), true},
                             {s.data, static_cast<std::uint32_t>(sizeof s.data), true}};
    auto head = m_rx->add(chain);
    if (head.ok())
        m_rxSlotOfHead[head.value()] = slot;
}

void VirtioNet::reclaimTransmitted()
{
    UsedEntry used;
    while (m_tx->popUsed(used))
        m_txFree[m_txFreeCount++] = m_txSlotOfHead[used.head];
}

Status VirtioNet::send(ByteView frame)
{
    if (frame.size() > MaxFrame || frame.size() < 14)
        return Error(ErrorCode::InvalidArgument, "virtio-net: frame size out of range");
    reclaimTransmitted();
    if (m_txFreeCount == 0)
        return Error(ErrorCode::Unavailable, "virtio-net: transmit ring full");
    std::uint16_t slot = m_txFree[--m_txFreeCount];
    Slot& s = m_txSlots[slot];
    std::memset(s.header, 0, sizeof s.header); // no checksum offload, no GSO
    std::memcpy(s.data, frame.data(), frame.size());
    const Buffer chain[2] = {{s.header, static_cast<std::uint32_t>(m_headerSize), false},
                             {s.data, static_cast<std::uint32_t>(frame.size()), false}};
    auto head = m_tx->add(chain);
    if (!head.ok()) {
        m_txFree[m_txFreeCount++] = slot;
        return head.error();
    }
    m_txSlotOfHead[head.value()] = slot;
    m_tx->kick();
    ++m_sent;
    return success();
}

std::size_t VirtioNet::receive(std::span<std::uint8_t> out)
{
    UsedEntry used;
    while (m_rx->popUsed(used)) {
        std::uint16_t slot = m_rxSlotOfHead[used.head];
        std::size_t size = used.length > m_headerSize ? used.length - m_headerSize : 0;
        if (size > sizeof(Slot::data))
            size = sizeof(Slot::data);
        bool deliver = size >= 14 && size <= out.size();
        if (deliver)
            std::memcpy(out.data(), m_rxSlots[slot].data, size);
        postReceive(slot);
        m_rx->kick();
        if (deliver) {
            ++m_received;
            return size;
        }
        // Runt or oversized frame: dropped, buffer recycled, try the next one.
    }
    return 0;
}

} // namespace hive::image::virtio
