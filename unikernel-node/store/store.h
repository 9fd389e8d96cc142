// The node's store: a crash-safe key/object store on one block device.
//
// On-disk layout (all offsets in sectors of the device's sector size S):
//   0, 1     two superblock copies: format (magic, version, sizes, store id), the mount
//            generation and the log checkpoint (head offset, sequence, generation); each
//            write goes to the older copy and the valid copy with the higher sequence wins.
//   2 ...    config partition: ConfigSlotCount slots, each two fixed-size copies; a set
//            writes the non-winning copy, flushes, and wins by its sequence number.
//   rest     the object log, a ring of sector-aligned records
//            {magic, type (put/delete/pad), key length, payload length, payload CRC-32C,
//             sequence, store id, generation, header CRC-32C, key} + payload.
//
// Recovery (open) scans the ring from the checkpointed head and accepts records while the
// header and payload checksums hold, the store id matches, sequence numbers are
// consecutive and generations never decrease; the first record that fails ends the log
// and everything after it is free space. Every open (and every write after a failed
// write) first persists a new mount generation, so a stale but well-formed record left
// behind by an unacknowledged write can never be mistaken for a newer one.
//
// A write is acknowledged only after the record is written and flush() succeeded. A crash
// at any point therefore keeps every acknowledged write and shows no half-written record.
//
// Compaction walks the ring from the head: live puts are re-appended at the tail (new
// sequence numbers), deletes, overwritten puts and pads are skipped. Copies are flushed
// before the superblock checkpoint moves the head past the originals, and the space behind
// the head is reused only after that checkpoint is durable; a crash before it merely leaves
// both copies, which recovery resolves to the later one. Puts leave a reserve free: room
// for compaction to copy two maximum-size records (so it always makes progress) plus a
// little for delete records (so a full store can still be emptied). A put that does not
// fit but would after reclaiming dead space compacts first; otherwise it fails with
// NoSpace and changes nothing.
//
// Damage policy: a record that fails its checksum during recovery ends the log there: it
// and every later record are dropped (this is what makes torn tails harmless). A record
// that decays after open is reported as ErrorCode::Corrupt by get() and dropped by the
// next compaction. If one superblock copy decays the other is used; if that copy's
// checkpoint is older than a compaction, the log may then appear shorter (but the store
// still opens).
//
// Freestanding-safe: no OS headers, no exceptions; the device is reached only through the
// Block concept (core/devices.h).
#pragma once

#include "core/devices.h"
#include "store/keyindex.h"
#include "wire/bytes.h"
#include "wire/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <type_traits>
#include <vector>

namespace hive::node {

// A type-erased reference to a Block device, so the store is compiled once.
class BlockRef {
public:
    // Not for BlockRef itself: copying one must copy the reference, not wrap it.
    template <Block B>
        requires(!std::is_same_v<B, BlockRef>)
    explicit BlockRef(B& block)
        : m_self(&block)
        , m_sectorSize(block.sectorSize())
        , m_sectorCount(block.sectorCount())
        , m_read([](void* self, std::uint64_t sector, std::span<std::uint8_t> out) { return static_cast<B*>(self)->read(sector, out); })
        , m_write([](void* self, std::uint64_t sector, ByteView in) { return static_cast<B*>(self)->write(sector, in); })
        , m_flush([](void* self) { return static_cast<B*>(self)->flush(); })
    {
    }

    std::size_t sectorSize() const { return m_sectorSize; }
    std::uint64_t sectorCount() const { return m_sectorCount; }
    Status read(std::uint64_t sector, std::span<std::uint8_t> out) const { return m_read(m_self, sector, out); }
    Status write(std::uint64_t sector, ByteView in) const { return m_write(m_self, sector, in); }
    Status flush() const { return m_flush(m_self); }

private:
    void* m_self;
    std::size_t m_sectorSize;
    std::uint64_t m_sectorCount;
    Status (*m_read)(void*, std::uint64_t, std::span<std::uint8_t>);
    Status (*m_write)(void*, std::uint64_t, ByteView);
    Status (*m_flush)(void*);
};

struct FormatOptions {
    // Distinguishes this store's records from those of an earlier store on the same
    // device; pass random bytes when available (0 derives one from the old superblock).
    std::uint64_t storeId = 0;
    // Largest object put() accepts; 0 picks min(16 MiB, log size / 16).
    std::uint32_t maxObjectSize = 0;
};

struct StoreUsage {
    std::uint64_t liveBytes = 0;     // on-disk bytes of the records of current objects
    std::uint64_t deadBytes = 0;     // overwritten, deleted and padding records compact() can reclaim
    std::uint64_t freeBytes = 0;     // bytes new records may still use
    std::uint64_t capacityBytes = 0; // log size minus the compaction reserve
    std::uint64_t objectCount = 0;
};

struct ObjectInfo {
    Bytes key;
    std::uint32_t size = 0;
};

struct CompactStats {
    std::uint64_t reclaimedBytes = 0; // dead bytes freed
    std::uint64_t copiedBytes = 0;    // live record bytes rewritten
    std::uint64_t droppedCorrupt = 0; // objects whose records failed their checksum and were dropped
};

// Several puts and removes written together and made durable with one flush (group
// commit). After a crash a prefix of the batch (in order) may survive; commit() succeeding
// means all of it did.
class StoreBatch {
public:
    // Queues a put of value under key (copied).
    void put(ByteView key, ByteView value);
    // Queues a remove of key; removing a key that does not exist then is a no-op.
    void remove(ByteView key);
    std::size_t size() const { return m_ops.size(); }
    bool empty() const { return m_ops.empty(); }
    void clear() { m_ops.clear(); }

private:
    friend class Store;
    struct Op {
        bool remove = false;
        Bytes key;
        Bytes value;
    };
    std::vector<Op> m_ops;
};

class Store {
public:
    static constexpr std::size_t MaxKeySize = 128;
    static constexpr std::size_t ConfigSlotCount = 8;
    static constexpr std::uint32_t FormatVersion = 1;

    // Writes an empty store over the whole device, destroying what was there.
    template <Block B>
    static Status format(B& block, FormatOptions options = {})
    {
        return formatDevice(BlockRef(block), options);
    }
    // Opens the store on block: recovery scan, index rebuild, new mount generation.
    template <Block B>
    static Result<std::unique_ptr<Store>> open(B& block)
    {
        return openDevice(BlockRef(block));
    }

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Stores value under key (1..MaxKeySize bytes), replacing any earlier value; durable on success.
    Status put(ByteView key, ByteView value);
    // Applies every operation of batch in order with a single flush; durable on success.
    Status commit(const StoreBatch& batch);
    // The value stored under key: NotFound, Corrupt (checksum failed) or Io on failure.
    Result<Bytes> get(ByteView key) const;
    // Whether key currently has a value.
    bool has(ByteView key) const;
    // Size of the value under key, or NotFound.
    Result<std::uint32_t> objectSize(ByteView key) const;
    // Up to limit keys starting with prefix and sorted after `after` (exclusive; empty = from the start).
    std::vector<ObjectInfo> list(ByteView prefix, ByteView after, std::size_t limit) const;
    // Removes key durably; NotFound if it has no value.
    Status remove(ByteView key);
    // Live, dead and free bytes of the object log.
    StoreUsage usage() const;
    // Rewrites the log so deleted and overwritten data's space is free again; crash-safe.
    Result<CompactStats> compact();

    // The value of config slot (0..ConfigSlotCount-1), or NotFound if never set.
    Result<Bytes> config(std::size_t slot) const;
    // Replaces config slot atomically (a crash leaves the old or the new value); durable on success.
    Status setConfig(std::size_t slot, ByteView value);

    // Group commit across callers: between beginGroup() and endGroup(), put/remove/commit
    // write their records and update the index (later reads see them) but do not flush;
    // endGroup() makes all of them durable with one flush. Nothing written inside a group
    // may be acknowledged before endGroup() succeeded. If that flush (or one forced inside
    // the group, e.g. before a compaction) fails, every write of the group since the last
    // durable point is undone in memory and endGroup() returns the error. Not nested.
    void beginGroup();
    // Flushes the group's writes (if any) and ends the group; see beginGroup().
    Status endGroup();
    bool inGroup() const { return m_group; }
    // Whether the current group holds writes that are not durable yet.
    bool hasUnflushed() const { return m_group && !m_groupKeys.empty(); }
    // Whether a read (get/has/objectSize/list) or a write since clearReadMark() involved a
    // key the group wrote and has not made durable: an answer built from it must wait for
    // endGroup(); other answers need not.
    bool readUnflushed() const { return m_readUnflushed; }
    void clearReadMark() { m_readUnflushed = false; }
    // Flushes issued so far (for tests and benchmarks).
    std::uint64_t flushCount() const { return m_flushCount; }

    std::uint32_t maxObjectSize() const { return m_maxObjectSize; }
    std::size_t maxConfigSize() const;
    std::uint64_t storeId() const { return m_storeId; }
    // The mount generation this instance writes with (grows by one per open).
    std::uint64_t generation() const { return m_generation; }

private:
    struct Entry {
        std::uint64_t offset = 0;      // byte offset of the record in the log
        std::uint32_t recordBytes = 0; // sector-rounded record size
        std::uint32_t size = 0;        // payload size
    };
    struct ConfigState {
        int winner = -1; // copy holding the current value, -1 = never set
        std::uint64_t sequence = 0;
    };
    struct Superblock;
    struct RecordHeader;
    struct Segment {
        std::uint64_t offset = 0;
        Bytes bytes;
    };
    enum class SpaceUse { Normal, Removal, Compaction };

    explicit Store(BlockRef block);

    static Status formatDevice(BlockRef block, FormatOptions options);
    static Result<std::unique_ptr<Store>> openDevice(BlockRef block);

    Status recover();
    Status writeSuperblock(std::uint64_t generation, std::uint64_t head, std::uint64_t headSeq, std::uint64_t headGen);
    Status ensureGeneration();
    Status readLog(std::uint64_t offset, std::span<std::uint8_t> out) const;
    Result<Bytes> readRecord(std::uint64_t offset, std::uint32_t recordBytes, ByteView key) const;

    std::uint64_t recordBytesFor(std::size_t keySize, std::size_t payloadSize) const;
    std::uint64_t used() const;
    std::uint64_t reserve() const;
    std::uint64_t freeFor(SpaceUse use) const;
    // Bytes appending records of these sizes from the tail takes, padding included.
    std::uint64_t bytesNeeded(std::span<const std::uint64_t> sizes) const;
    Error noSpace(std::uint64_t needed) const;
    void appendRecord(std::vector<Segment>& segments, std::uint64_t& tail, std::uint8_t type, ByteView key, ByteView payload);
    Status writeSegments(const std::vector<Segment>& segments);
    Status commitOps(const StoreBatch& batch, bool mayCompact);
    Status checkpoint(std::uint64_t head, std::uint64_t headSeq, std::uint64_t headGen);
    Status flushDevice();
    // Inside a group: flushes what the group wrote so far and makes it the new durable point;
    // on failure undoes it and remembers the error for endGroup().
    Status syncGroup();
    void undoGroup();
    void markGroupDurable();
    void noteRead(ByteView key) const;
    void noteList(ByteView prefix) const;
    Result<CompactStats> compactLog();

    BlockRef m_block;
    std::size_t m_sectorSize = 0;
    std::uint64_t m_storeId = 0;
    std::uint64_t m_configStart = 0;
    std::uint32_t m_configSlotSectors = 0;
    std::uint64_t m_logStart = 0;
    std::uint64_t m_logBytes = 0;
    std::uint32_t m_maxObjectSize = 0;
    std::uint64_t m_deviceSectors = 0;

    std::uint64_t m_sbSequence = 0;
    int m_sbWinner = 0;
    std::uint64_t m_generation = 0;
    bool m_needGeneration = false; // a write failed: persist a new generation before the next one

    std::uint64_t m_head = 0;
    std::uint64_t m_headSeq = 1;
    std::uint64_t m_headGen = 0;
    std::uint64_t m_tail = 0;
    std::uint64_t m_nextSeq = 1;
    std::uint64_t m_liveBytes = 0;

    KeyIndex<Entry> m_index;
    ConfigState m_config[ConfigSlotCount];

    // Group commit state (see beginGroup()).
    struct Undo {
        Bytes key;
        bool existed = false;
        Entry previous;
    };
    bool m_group = false;
    std::vector<Undo> m_undo; // index changes since the group's last durable point, in order
    std::set<Bytes> m_groupKeys; // the keys of m_undo, for readUnflushed()
    mutable bool m_readUnflushed = false;
    std::uint64_t m_durableTail = 0;
    std::uint64_t m_durableNextSeq = 1;
    std::uint64_t m_durableLiveBytes = 0;
    std::optional<Error> m_groupError;
    std::uint64_t m_flushCount = 0;
};

} // namespace hive::node
