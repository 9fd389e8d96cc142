#include "runtime/heap.h"

#include "runtime/format.h"

namespace hive::image {

namespace {
constexpr std::uint64_t UsedMagic = 0x48495645'55534544ull;    // "HIVEUSED"
constexpr std::uint64_t AlignedMagic = 0x48495645'414c4e44ull; // "HIVEALND"
constexpr std::uint64_t FreeMagic = 0x48495645'46524545ull;    // "HIVEFREE"

std::size_t alignUp(std::size_t value, std::size_t align) { return (value + align - 1) & ~(align - 1); }
} // namespace

// Every block, free or used, starts with this 16-byte header; a free block additionally
// keeps the next-free pointer in its first payload word.
struct Heap::Block {
    std::size_t size; // whole block including header, multiple of Alignment
    std::uint64_t magic;
    Block* next; // valid only while free

    static constexpr std::size_t HeaderSize = 16;
    static constexpr std::size_t MinSize = 32;
    std::uint8_t* payload() { return reinterpret_cast<std::uint8_t*>(this) + HeaderSize; }
    std::uint8_t* end() { return reinterpret_cast<std::uint8_t*>(this) + size; }
};

void Heap::init(void* start, std::size_t size)
{
    auto begin = alignUp(reinterpret_cast<std::uintptr_t>(start), Alignment);
    auto end = (reinterpret_cast<std::uintptr_t>(start) + size) & ~(Alignment - 1);
    if (end <= begin + Block::MinSize)
        panic("heap: region of %zu bytes is too small", size);
    auto* block = reinterpret_cast<Block*>(begin);
    block->size = end - begin;
    block->magic = FreeMagic;
    block->next = nullptr;
    m_free = block;
    m_total = block->size;
    m_used = 0;
    m_peak = 0;
}

void* Heap::allocate(std::size_t size)
{
    if (size > m_total)
        return nullptr;
    std::size_t need = alignUp(size + Block::HeaderSize, Alignment);
    if (need < Block::MinSize)
        need = Block::MinSize;
    Block** link = &m_free;
    for (Block* block = m_free; block != nullptr; link = &block->next, block = block->next) {
        if (block->magic != FreeMagic)
            panic("heap: free list corrupted at %p", static_cast<void*>(block));
        if (block->size < need)
            continue;
        if (block->size - need >= Block::MinSize) {
            // Split: the tail stays free in the same list position.
            auto* rest = reinterpret_cast<Block*>(reinterpret_cast<std::uint8_t*>(block) + need);
            rest->size = block->size - need;
            rest->magic = FreeMagic;
            rest->next = block->next;
            *link = rest;
            block->size = need;
        } else {
            *link = block->next;
        }
        block->magic = UsedMagic;
        m_used += block->size;
        if (m_used > m_peak)
            m_peak = m_used;
        return block->payload();
    }
    return nullptr;
}

void* Heap::allocateAligned(std::size_t size, std::size_t align)
{
    if (align <= Alignment)
        return allocate(size);
    // Over-allocate and leave a small forwarding header in front of the aligned pointer.
    // raw is 16-aligned, so the gap to the next align boundary is 0 or >= 16 bytes.
    auto* raw = static_cast<std::uint8_t*>(allocate(size + align));
    if (raw == nullptr)
        return nullptr;
    auto address = alignUp(reinterpret_cast<std::uintptr_t>(raw), align);
    if (address == reinterpret_cast<std::uintptr_t>(raw))
        address += align;
    auto* header = reinterpret_cast<std::uint64_t*>(address - 16);
    header[0] = reinterpret_cast<std::uintptr_t>(raw);
    header[1] = AlignedMagic;
    return reinterpret_cast<void*>(address);
}

void Heap::free(void* pointer)
{
    if (pointer == nullptr)
        return;
    auto* header = reinterpret_cast<std::uint64_t*>(static_cast<std::uint8_t*>(pointer) - 16);
    if (header[1] == AlignedMagic) {
        header[1] = 0;
        free(reinterpret_cast<void*>(header[0]));
        return;
    }
    auto* block = reinterpret_cast<Block*>(header);
    if (block->magic != UsedMagic)
        panic("heap: free of %p that is not allocated (double free or corruption)", pointer);
    block->magic = FreeMagic;
    m_used -= block->size;

    // Insert in address order, then merge with the following and the preceding block.
    Block* previous = nullptr;
    Block* next = m_free;
    while (next != nullptr && next < block) {
        previous = next;
        next = next->next;
    }
    block->next = next;
    if (previous != nullptr)
        previous->next = block;
    else
        m_free = block;
    if (next != nullptr && block->end() == reinterpret_cast<std::uint8_t*>(next)) {
        block->size += next->size;
        block->next = next->next;
        next->magic = 0;
    }
    if (previous != nullptr && previous->end() == reinterpret_cast<std::uint8_t*>(block)) {
        previous->size += block->size;
        previous->next = block->next;
        block->magic = 0;
    }
}

Heap& kernelHeap()
{
    static Heap heap;
    return heap;
}

} // namespace hive::image
