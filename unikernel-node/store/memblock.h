// An in-memory Block device with fault injection, for tests and fuzzing: torn writes and
// power cuts, loss of unflushed writes (all, none or a random subset of their sectors),
// bit flips on the medium and a device that runs out of space.
#pragma once

#include "core/devices.h"
#include "wire/bytes.h"
#include "wire/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace hive::node {

class MemBlock {
public:
    // What survives crash(): flushed data always; unflushed sectors per mode.
    enum class CrashMode {
        DropUnflushed,   // nothing written since the last flush survives
        KeepUnflushed,   // everything that reached the device survives
        RandomUnflushed, // each unflushed sector survives or not, independently
    };

    MemBlock(std::size_t sectorSize, std::uint64_t sectorCount);
    // A device whose medium holds image (zero-padded to whole sectors), as if flushed.
    static MemBlock fromImage(ByteView image, std::size_t sectorSize);

    // The Block concept (core/devices.h).
    std::size_t sectorSize() const { return m_sectorSize; }
    std::uint64_t sectorCount() const { return m_sectorCount; }
    Status read(std::uint64_t sector, std::span<std::uint8_t> out);
    Status write(std::uint64_t sector, ByteView in);
    Status flush();

    // The device loses power after `events` more events (one per sector written, one per
    // flush): a write crossing the cut is torn (only its leading sectors arrive) and every
    // later write and flush fails with Io until crash().
    void powerCutAfter(std::uint64_t events) { m_budget = events; }
    bool poweredOff() const { return m_poweredOff; }
    // Simulates losing power and rebooting: the medium keeps flushed data plus unflushed
    // sectors chosen by mode (seeded), and the device works again.
    void crash(CrashMode mode, std::uint64_t seed = 0);
    // The same, keeping exactly the unflushed sector writes i (in write order) with keep[i].
    void crash(const std::vector<bool>& keep);
    // Sector writes since the last flush (what crash() may drop).
    std::size_t pendingSectors() const { return m_pending.size(); }
    // Writes reaching sector `limit` or beyond fail with NoSpace after writing the sectors
    // below it, like a sparse file on a full disk.
    void setWritableLimit(std::optional<std::uint64_t> limit) { m_writableLimit = limit; }
    // Makes every later write (or flush) fail with code until cleared, writing nothing.
    void failWrites(std::optional<ErrorCode> code) { m_failWrites = code; }
    void failFlushes(std::optional<ErrorCode> code) { m_failFlushes = code; }
    // Flips one bit of the medium (flushed and visible data alike).
    void flipBit(std::uint64_t byteOffset, unsigned bit);

    // Sectors written plus flushes so far; powerCutAfter() counts in the same unit.
    std::uint64_t events() const { return m_events; }
    std::uint64_t flushes() const { return m_flushes; }
    // What reads return now.
    const Bytes& contents() const { return m_current; }

private:
    Status checkRange(std::uint64_t sector, std::size_t bytes) const;
    // Consumes one event of the power-cut budget; false once the power is gone.
    bool spendEvent();

    std::size_t m_sectorSize;
    std::uint64_t m_sectorCount;
    Bytes m_durable;
    Bytes m_current;
    std::vector<std::pair<std::uint64_t, Bytes>> m_pending; // sector-sized writes since the last flush
    std::optional<std::uint64_t> m_budget;
    std::optional<std::uint64_t> m_writableLimit;
    std::optional<ErrorCode> m_failWrites;
    std::optional<ErrorCode> m_failFlushes;
    bool m_poweredOff = false;
    std::uint64_t m_events = 0;
    std::uint64_t m_flushes = 0;
};

static_assert(Block<MemBlock>);

} // namespace hive::node
