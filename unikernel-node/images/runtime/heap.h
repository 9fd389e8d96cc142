// The kernel heap: one address-ordered free list with first fit, splitting and coalescing
// of neighbours on free. Small and obviously correct beats fast here: the node allocates
// mostly at start-up and for connection buffers. Corruption (bad magic, double free)
// panics instead of being silently ignored.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hive::image {

class Heap {
public:
    static constexpr std::size_t Alignment = 16;

    // Takes ownership of [start, start + size) as free memory.
    void init(void* start, std::size_t size);
    // Returns Alignment-aligned memory or nullptr when nothing fits.
    void* allocate(std::size_t size);
    // Returns memory aligned to align (a power of two) or nullptr.
    void* allocateAligned(std::size_t size, std::size_t align);
    // Returns memory from allocate/allocateAligned; nullptr is ignored.
    void free(void* pointer);

    std::size_t totalBytes() const { return m_total; }
    std::size_t usedBytes() const { return m_used; }
    std::size_t peakBytes() const { return m_peak; }

private:
    struct Block;
    Block* m_free = nullptr; // address-ordered
    std::size_t m_total = 0;
    std::size_t m_used = 0;
    std::size_t m_peak = 0;
};

// The heap operator new/delete use. The architecture's entry sets it once, before any
// allocation; it is the one global in the runtime because operator new cannot take one.
Heap& kernelHeap();

} // namespace hive::image
