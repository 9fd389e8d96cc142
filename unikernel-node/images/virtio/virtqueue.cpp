#include "virtio/virtqueue.h"

#include "runtime/heap.h"

#include <cstring>

namespace hive::image::virtio {

struct Virtqueue::Descriptor {
    std::uint64_t address;
    std::uint32_t length;
    std::uint16_t flags;
    std::uint16_t next;
};

namespace {
constexpr std::uint16_t DescNext = 1;
constexpr std::uint16_t DescWrite = 2;
constexpr std::size_t Page = 4096;

std::size_t alignUp(std::size_t v, std::size_t a) { return (v + a - 1) & ~(a - 1); }
std::size_t availOffset(std::uint16_t size) { return 16u * size; }
std::size_t usedOffset(std::uint16_t size) { return alignUp(availOffset(size) + 6u + 2u * size, Page); }
std::size_t totalBytes(std::uint16_t size) { return usedOffset(size) + alignUp(6u + 8u * size, Page); }

// The device sees memory written before an index update, and we see its writes before
// reading past its index: a full fence on both sides (dmb on arm, mfence on x86).
inline void fence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
} // namespace

Result<std::uint64_t> negotiate(Transport& transport, std::uint64_t wanted)
{
    transport.reset();
    transport.setStatus(status::Acknowledge);
    transport.setStatus(status::Acknowledge | status::Driver);
    std::uint64_t offered = transport.deviceFeatures();
    std::uint64_t accepted = offered & wanted;
    if (transport.modern()) {
        if ((offered & feature::Version1) == 0)
            return Error(ErrorCode::Unsupported, "virtio: modern device without VERSION_1");
        accepted |= feature::Version1;
    }
    transport.setDriverFeatures(accepted);
    if (transport.modern()) {
        transport.setStatus(status::Acknowledge | status::Driver | status::FeaturesOk);
        if ((transport.status() & status::FeaturesOk) == 0) {
            transport.setStatus(status::Failed);
            return Error(ErrorCode::Unsupported, "virtio: device rejected our feature set");
        }
    }
    return accepted;
}

Result<std::unique_ptr<Virtqueue>> Virtqueue::create(Transport& transport, std::uint16_t index,
                                                     std::uint16_t maxSize)
{
    std::uint16_t deviceMax = transport.queueMaxSize(index);
    if (deviceMax == 0)
        return Error(ErrorCode::NotFound, "virtio: device has no such queue");
    std::uint16_t size = deviceMax;
    if (transport.queueSizeSelectable() && maxSize < deviceMax) {
        // Sizes must be powers of two for split queues on legacy devices.
        size = 1;
        while (static_cast<std::uint32_t>(size) * 2 <= maxSize)
            size = static_cast<std::uint16_t>(size * 2);
    }
    auto bytes = totalBytes(size);
    auto* memory = static_cast<std::uint8_t*>(kernelHeap().allocateAligned(bytes, Page));
    if (memory == nullptr)
        return Error(ErrorCode::NoSpace, "virtio: no memory for a queue");
    std::memset(memory, 0, bytes);
    std::unique_ptr<Virtqueue> queue(new Virtqueue(transport, index, size, memory));
    auto base = reinterpret_cast<std::uintptr_t>(memory);
    if (!transport.enableQueue(index, size, base, base + availOffset(size), base + usedOffset(size)))
        return Error(ErrorCode::Unsupported, "virtio: device refused the queue");
    return queue;
}

Virtqueue::Virtqueue(Transport& transport, std::uint16_t index, std::uint16_t size, std::uint8_t* memory)
    : m_transport(transport)
    , m_index(index)
    , m_size(size)
    , m_memory(memory)
    , m_descriptors(reinterpret_cast<Descriptor*>(memory))
    , m_availFlags(reinterpret_cast<volatile std::uint16_t*>(memory + availOffset(size)))
    , m_availIndex(m_availFlags + 1)
    , m_availRing(m_availFlags + 2)
    , m_usedIndex(reinterpret_cast<volatile std::uint16_t*>(memory + usedOffset(size)) + 1)
    , m_usedRing(reinterpret_cast<volatile std::uint32_t*>(memory + usedOffset(size) + 4))
    , m_freeCount(size)
    , m_chainLength(new std::uint16_t[size]())
{
    for (std::uint16_t i = 0; i < size; ++i)
        m_descriptors[i].next = static_cast<std::uint16_t>(i + 1);
    // We poll; ask the device not to interrupt for used buffers.
    *m_availFlags = 1;
}

Virtqueue::~Virtqueue() { kernelHeap().free(m_memory); }

Result<std::uint16_t> Virtqueue::add(std::span<const Buffer> chain)
{
    if (chain.empty() || chain.size() > m_freeCount)
        return Error(ErrorCode::Unavailable, "virtio: queue full");
    std::uint16_t head = m_freeHead;
    std::uint16_t current = head;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        Descriptor& d = m_descriptors[current];
        d.address = reinterpret_cast<std::uintptr_t>(chain[i].data);
        d.length = chain[i].size;
        d.flags = static_cast<std::uint16_t>((chain[i].deviceWrites ? DescWrite : 0)
                                             | (i + 1 < chain.size() ? DescNext : 0));
        if (i + 1 < chain.size())
            current = d.next;
    }
    m_freeHead = m_descriptors[current].next;
    m_freeCount = static_cast<std::uint16_t>(m_freeCount - chain.size());
    m_chainLength[head] = static_cast<std::uint16_t>(chain.size());
    m_availRing[m_availShadow % m_size] = head;
    ++m_availShadow;
    return head;
}

void Virtqueue::kick()
{
    fence();
    *m_availIndex = m_availShadow;
    fence();
    m_transport.notify(m_index);
}

bool Virtqueue::hasUsed() const
{
    fence();
    return *m_usedIndex != m_lastUsed;
}

bool Virtqueue::popUsed(UsedEntry& entry)
{
    if (!hasUsed())
        return false;
    std::uint16_t slot = static_cast<std::uint16_t>(m_lastUsed % m_size);
    auto head = static_cast<std::uint16_t>(m_usedRing[2 * slot]);
    entry = {head, m_usedRing[2 * slot + 1]};
    ++m_lastUsed;
    if (head >= m_size || m_chainLength[head] == 0)
        return false; // a device bug; ignore the entry rather than corrupt the free list
    // Return the chain to the free list: walk to its tail and link it in front.
    std::uint16_t tail = head;
    for (std::uint16_t i = 1; i < m_chainLength[head]; ++i)
        tail = m_descriptors[tail].next;
    m_descriptors[tail].next = m_freeHead;
    m_freeHead = head;
    m_freeCount = static_cast<std::uint16_t>(m_freeCount + m_chainLength[head]);
    m_chainLength[head] = 0;
    return true;
}

} // namespace hive::image::virtio
