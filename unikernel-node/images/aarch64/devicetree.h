// A small, total reader for flattened device trees (the DTB QEMU and firmware hand an
// arm64 kernel in x0), and the platform description the aarch64 image needs from it.
// Every offset and length in the blob is checked before use, so a truncated or hostile
// blob yields an Error, never an out-of-bounds read. Compiles freestanding and hosted
// (the parser is unit-tested on the host): no allocation, no exceptions, no OS headers.
#pragma once

#include "wire/result.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace hive::image::aarch64 {

// One token of the structure block.
struct DtToken {
    enum class Kind : std::uint8_t { BeginNode, EndNode, Property, End };
    Kind kind = Kind::End;
    std::string_view name;               // node name (unit address included) or property name
    std::span<const std::uint8_t> value; // property value (empty for nodes)
};

// A validated device-tree blob. Holds a view of the caller's memory, which must outlive it.
class DeviceTree {
public:
    // Largest blob accepted (QEMU pads its DTB to 1 MiB; real ones are a few KiB).
    static constexpr std::size_t MaxSize = 2u << 20;
    // Deepest node nesting accepted while walking.
    static constexpr std::size_t MaxDepth = 16;

    // Checks the header (magic, version, block offsets and sizes) of the blob.
    static Result<DeviceTree> create(std::span<const std::uint8_t> blob);
    // Reads just the header's total size from a blob of unknown length (boot code only
    // knows the DTB's address), or fails on a bad magic or an absurd size.
    static Result<std::size_t> totalSize(std::span<const std::uint8_t> header);

    // Walks the structure block token by token.
    class Cursor {
    public:
        // The next token; after End or an error, every further call returns the same.
        Result<DtToken> next();

    private:
        friend class DeviceTree;
        Cursor(const DeviceTree& tree) : m_tree(&tree) {}
        const DeviceTree* m_tree;
        std::size_t m_offset = 0; // into the structure block
        std::size_t m_depth = 0;
        bool m_done = false;
    };
    Cursor cursor() const { return Cursor(*this); }

    // Entries of the memory reservation block (validated by create(), terminator excluded).
    std::size_t reservationCount() const { return m_reservations.size() / 16; }
    // The index-th reserved range as (base, size); index < reservationCount().
    void reservation(std::size_t index, std::uint64_t& base, std::uint64_t& size) const;

private:
    DeviceTree(std::span<const std::uint8_t> structure, std::span<const std::uint8_t> strings,
               std::span<const std::uint8_t> reservations)
        : m_structure(structure), m_strings(strings), m_reservations(reservations)
    {
    }
    Result<std::string_view> stringAt(std::uint32_t offset) const;

    std::span<const std::uint8_t> m_structure;
    std::span<const std::uint8_t> m_strings;
    std::span<const std::uint8_t> m_reservations;
};

// A device register window plus its interrupt as a GIC interrupt id (SPI n = 32 + n,
// PPI n = 16 + n); irq is 0 when the node names none.
struct DtDevice {
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    std::uint32_t irq = 0;
};

enum class PsciConduit : std::uint8_t { None, Hvc, Smc };

// What the image needs from the tree (the board it runs on). Only direct children of the root are considered
// for devices: QEMU virt puts everything there, and nodes behind a bus with address
// translation (`ranges`) would need a translation this image does not implement.
struct Board {
    static constexpr std::size_t MaxMemory = 8;
    static constexpr std::size_t MaxVirtio = 32;
    static constexpr std::size_t MaxReserved = 32;

    DtDevice memory[MaxMemory];
    std::size_t memoryCount = 0;
    // RAM the kernel must not use: the reservation block plus /reserved-memory children.
    DtDevice reserved[MaxReserved];
    std::size_t reservedCount = 0;
    DtDevice uart;                   // arm,pl011 (size 0 = absent)
    DtDevice rtc;                    // arm,pl031 (size 0 = absent)
    DtDevice gicDistributor;         // GICv2 distributor or GICv3 distributor
    DtDevice gicCpu;                 // GICv2 CPU interface (GICv3: redistributor)
    std::uint8_t gicVersion = 0;     // 0 = none found, 2 or 3
    std::uint32_t virtualTimerIrq = 0; // from arm,armv8-timer (third interrupt), GIC id
    DtDevice virtio[MaxVirtio];
    std::size_t virtioCount = 0;
    std::size_t virtioIgnored = 0;   // virtio,mmio nodes beyond MaxVirtio
    std::string_view bootargs;       // /chosen bootargs, without the NUL; views the blob
    std::span<const std::uint8_t> rngSeed; // /chosen rng-seed (random bytes from the host); views the blob
    PsciConduit psci = PsciConduit::None;
};

// Extracts the platform description; fails on a malformed tree, one without memory, or
// one with more reserved ranges than Board::MaxReserved (ignoring one could hand firmware
// memory to the heap).
Result<Board> describeBoard(const DeviceTree& tree);

// True if a NUL-separated string-list property (compatible) contains `name`.
bool stringListContains(std::span<const std::uint8_t> list, std::string_view name);

} // namespace hive::image::aarch64
