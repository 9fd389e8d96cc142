#include "store/store.h"

#include "store/crc32c.h"

#include <algorithm>
#include <cstring>

namespace hive::node {
namespace {

constexpr std::uint8_t SuperMagic[8] = {'H', 'I', 'V', 'E', 'S', 'T', 'O', 'R'};
constexpr std::size_t SuperCrcOffset = 112;
constexpr std::uint32_t RecordMagic = 0x43525648u; // "HVRC" little-endian
constexpr std::uint32_t ConfigMagic = 0x46435648u; // "HVCF" little-endian
constexpr std::size_t RecordHeaderSize = 44;
constexpr std::size_t ConfigHeaderSize = 32;
constexpr std::size_t MinSlotBytes = 4096;
constexpr std::uint64_t MinLogSectors = 64;
constexpr std::uint64_t MaxDeviceBytes = std::uint64_t {1} << 50;
constexpr std::uint32_t DefaultMaxObject = 16u << 20;
// Sequence numbers and generations only grow; far below 2^64 so they can never wrap.
constexpr std::uint64_t MaxCounter = std::uint64_t {1} << 62;
constexpr std::size_t RecoveryReadAhead = 256 * 1024;
// Room kept for delete records beyond what puts may use, so a full store can still be
// emptied (deletes then let compaction reclaim the space).
constexpr std::uint64_t RemoveSlackSectors = 16;

enum RecordType : std::uint8_t { Put = 1, Delete = 2, Pad = 3 };

void storeLe16(std::uint8_t* p, std::uint16_t v)
{
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
}
void storeLe32(std::uint8_t* p, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void storeLe64(std::uint8_t* p, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint16_t loadLe16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }
std::uint32_t loadLe32(const std::uint8_t* p)
{
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}
std::uint64_t loadLe64(const std::uint8_t* p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

std::uint64_t roundUp(std::uint64_t n, std::uint64_t multiple) { return (n + multiple - 1) / multiple * multiple; }

// Zeroes a buffer in a way the optimiser may not drop (config slots hold secrets).
void secureZero(std::span<std::uint8_t> bytes)
{
    volatile std::uint8_t* p = bytes.data();
    for (std::size_t i = 0; i < bytes.size(); ++i)
        p[i] = 0;
}

// splitmix64's finaliser: a bijection that scatters nearby ids.
std::uint64_t mix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

Status checkSectorSize(std::size_t s)
{
    if (s < 512 || s > 65536 || (s & (s - 1)) != 0)
        return Error(ErrorCode::Unsupported, "block device sector size must be a power of two from 512 to 65536, not ")
            .appendNumber(static_cast<std::int64_t>(s));
    return success();
}

struct Layout {
    std::uint64_t configStart = 2;
    std::uint32_t slotSectors = 0;
    std::uint64_t logStart = 0;
};

Layout layoutFor(std::size_t sectorSize)
{
    Layout l;
    l.slotSectors = static_cast<std::uint32_t>(std::max<std::size_t>(MinSlotBytes, sectorSize) / sectorSize);
    l.logStart = l.configStart + 2ull * Store::ConfigSlotCount * l.slotSectors;
    return l;
}

std::uint64_t maxRecordBytes(std::uint32_t maxObject, std::size_t sectorSize)
{
    return roundUp(RecordHeaderSize + Store::MaxKeySize + maxObject, sectorSize);
}

// Space compaction needs to always make progress: room to copy one maximum-size record
// plus the padding a wrap may cost.
std::uint64_t compactionReserveFor(std::uint32_t maxObject, std::size_t sectorSize)
{
    return 2 * maxRecordBytes(maxObject, sectorSize) + sectorSize;
}

std::uint64_t reserveFor(std::uint32_t maxObject, std::size_t sectorSize)
{
    return compactionReserveFor(maxObject, sectorSize) + RemoveSlackSectors * sectorSize;
}

// A decoded, checksum-verified record header.
struct Header {
    std::uint8_t type = 0;
    std::uint8_t keySize = 0;
    std::uint32_t payloadSize = 0;
    std::uint32_t payloadCrc = 0;
    std::uint64_t sequence = 0;
    std::uint64_t storeId = 0;
    std::uint64_t generation = 0;
    ByteView key;
};

// Decodes the header at the start of a record sector; false if it is not a well-formed one.
bool decodeHeader(ByteView sector, Header& h)
{
    const std::uint8_t* p = sector.data();
    if (sector.size() < RecordHeaderSize + Store::MaxKeySize || loadLe32(p) != RecordMagic)
        return false;
    h.type = p[4];
    h.keySize = p[5];
    if (loadLe16(p + 6) != 0 || h.keySize > Store::MaxKeySize)
        return false;
    h.payloadSize = loadLe32(p + 8);
    h.payloadCrc = loadLe32(p + 12);
    h.sequence = loadLe64(p + 16);
    h.storeId = loadLe64(p + 24);
    h.generation = loadLe64(p + 32);
    std::uint32_t crc = crc32c(sector.first(40));
    crc = crc32c(sector.subspan(RecordHeaderSize, h.keySize), crc);
    if (crc != loadLe32(p + 40))
        return false;
    switch (h.type) {
    case Put:
        if (h.keySize == 0)
            return false;
        break;
    case Delete:
        if (h.keySize == 0 || h.payloadSize != 0)
            return false;
        break;
    case Pad:
        if (h.keySize != 0 || h.payloadSize != 0)
            return false;
        break;
    default:
        return false;
    }
    h.key = sector.subspan(RecordHeaderSize, h.keySize);
    return true;
}

void encodeHeader(std::uint8_t* p, std::uint8_t type, ByteView key, ByteView payload, std::uint64_t sequence,
                  std::uint64_t storeId, std::uint64_t generation)
{
    storeLe32(p, RecordMagic);
    p[4] = type;
    p[5] = static_cast<std::uint8_t>(key.size());
    storeLe16(p + 6, 0);
    storeLe32(p + 8, static_cast<std::uint32_t>(payload.size()));
    storeLe32(p + 12, crc32c(payload));
    storeLe64(p + 16, sequence);
    storeLe64(p + 24, storeId);
    storeLe64(p + 32, generation);
    if (!key.empty())
        std::memcpy(p + RecordHeaderSize, key.data(), key.size());
    std::uint32_t crc = crc32c(ByteView(p, 40));
    crc = crc32c(ByteView(p + RecordHeaderSize, key.size()), crc);
    storeLe32(p + 40, crc);
    if (!payload.empty())
        std::memcpy(p + RecordHeaderSize + key.size(), payload.data(), payload.size());
}

bool startsWith(ByteView key, ByteView prefix)
{
    return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

} // namespace

struct Store::Superblock {
    std::uint32_t sectorSize = 0;
    std::uint64_t sectorCount = 0;
    std::uint64_t storeId = 0;
    std::uint64_t configStart = 0;
    std::uint32_t slotCount = 0;
    std::uint32_t slotSectors = 0;
    std::uint64_t logStart = 0;
    std::uint64_t logSectors = 0;
    std::uint32_t maxObjectSize = 0;
    std::uint64_t sequence = 0;
    std::uint64_t generation = 0;
    std::uint64_t head = 0;
    std::uint64_t headSeq = 0;
    std::uint64_t headGen = 0;

    void encode(std::uint8_t* p) const
    {
        std::memcpy(p, SuperMagic, sizeof SuperMagic);
        storeLe32(p + 8, FormatVersion);
        storeLe32(p + 12, sectorSize);
        storeLe64(p + 16, sectorCount);
        storeLe64(p + 24, storeId);
        storeLe64(p + 32, configStart);
        storeLe32(p + 40, slotCount);
        storeLe32(p + 44, slotSectors);
        storeLe64(p + 48, logStart);
        storeLe64(p + 56, logSectors);
        storeLe32(p + 64, maxObjectSize);
        storeLe32(p + 68, 0);
        storeLe64(p + 72, sequence);
        storeLe64(p + 80, generation);
        storeLe64(p + 88, head);
        storeLe64(p + 96, headSeq);
        storeLe64(p + 104, headGen);
        storeLe32(p + SuperCrcOffset, crc32c(ByteView(p, SuperCrcOffset)));
    }

    enum class Decoded { Ok, Blank, Damaged, Unsupported };

    // Decodes and checks one copy against the device it was read from.
    Decoded decode(const std::uint8_t* p, std::size_t deviceSectorSize, std::uint64_t deviceSectors)
    {
        if (std::memcmp(p, SuperMagic, sizeof SuperMagic) != 0)
            return Decoded::Blank;
        if (crc32c(ByteView(p, SuperCrcOffset)) != loadLe32(p + SuperCrcOffset))
            return Decoded::Damaged;
        if (loadLe32(p + 8) != FormatVersion || loadLe32(p + 68) != 0)
            return Decoded::Unsupported;
        sectorSize = loadLe32(p + 12);
        sectorCount = loadLe64(p + 16);
        storeId = loadLe64(p + 24);
        configStart = loadLe64(p + 32);
        slotCount = loadLe32(p + 40);
        slotSectors = loadLe32(p + 44);
        logStart = loadLe64(p + 48);
        logSectors = loadLe64(p + 56);
        maxObjectSize = loadLe32(p + 64);
        sequence = loadLe64(p + 72);
        generation = loadLe64(p + 80);
        head = loadLe64(p + 88);
        headSeq = loadLe64(p + 96);
        headGen = loadLe64(p + 104);

        // Everything below is checked so that a damaged or hostile image can only fail to
        // open, never steer reads outside the device or allocations beyond its size.
        Layout l = layoutFor(deviceSectorSize);
        if (sectorSize != deviceSectorSize || sectorCount > deviceSectors || configStart != l.configStart
            || slotCount != ConfigSlotCount || slotSectors != l.slotSectors || logStart != l.logStart)
            return Decoded::Damaged;
        if (logSectors < MinLogSectors || logSectors > sectorCount || logStart > sectorCount - logSectors
            || logSectors > MaxDeviceBytes / sectorSize)
            return Decoded::Damaged;
        std::uint64_t logBytes = logSectors * sectorSize;
        if (maxObjectSize == 0 || maxObjectSize > (1u << 30) || reserveFor(maxObjectSize, sectorSize) > logBytes / 2)
            return Decoded::Damaged;
        if (head >= logBytes || head % sectorSize != 0 || headSeq == 0 || headSeq > MaxCounter || generation > MaxCounter
            || headGen > generation || storeId == 0)
            return Decoded::Damaged;
        return Decoded::Ok;
    }
};

// ---------------------------------------------------------------------------------------
// Batch

void StoreBatch::put(ByteView key, ByteView value) { m_ops.push_back(Op {false, toBytes(key), toBytes(value)}); }

void StoreBatch::remove(ByteView key) { m_ops.push_back(Op {true, toBytes(key), {}}); }

// ---------------------------------------------------------------------------------------
// Format and open

Store::Store(BlockRef block) : m_block(block) {}

Store::~Store() = default;

Status Store::formatDevice(BlockRef block, FormatOptions options)
{
    const std::size_t s = block.sectorSize();
    HIVE_CHECK(checkSectorSize(s));
    const std::uint64_t sectors = block.sectorCount();
    Layout l = layoutFor(s);
    if (sectors > MaxDeviceBytes / s)
        return Error(ErrorCode::Unsupported, "block device is larger than the store supports (1 PiB)");
    if (sectors < l.logStart + MinLogSectors)
        return Error(ErrorCode::InvalidArgument, "block device too small for a store: ")
            .appendNumber(static_cast<std::int64_t>(sectors))
            .append(" sectors, at least ")
            .appendNumber(static_cast<std::int64_t>(l.logStart + MinLogSectors))
            .append(" needed");
    const std::uint64_t logSectors = sectors - l.logStart;
    const std::uint64_t logBytes = logSectors * s;
    std::uint32_t maxObject = options.maxObjectSize;
    if (maxObject == 0)
        maxObject = static_cast<std::uint32_t>(std::min<std::uint64_t>(DefaultMaxObject, logBytes / 16));
    if (maxObject > (1u << 30) || reserveFor(maxObject, s) > logBytes / 2)
        return Error(ErrorCode::InvalidArgument, "maximum object size ")
            .appendNumber(maxObject)
            .append(" is too large for a log of ")
            .appendNumber(static_cast<std::int64_t>(logBytes))
            .append(" bytes (compaction needs room for two)");

    // A new store id that differs from the previous store's keeps its records out of ours.
    Bytes buffer(2 * s);
    std::uint64_t oldId = 0;
    if (block.read(0, buffer).ok()) {
        for (int copy = 0; copy < 2; ++copy) {
            Superblock old;
            if (old.decode(buffer.data() + static_cast<std::size_t>(copy) * s, s, sectors) == Superblock::Decoded::Ok)
                oldId = old.storeId;
        }
    }
    std::uint64_t id = options.storeId != 0 ? options.storeId : mix64(oldId + sectors);
    if (id == oldId)
        id = mix64(id);
    if (id == 0)
        id = 1;

    // Invalidate the old superblocks first, so a crash mid-format leaves no store rather than
    // a mix of old and new.
    std::fill(buffer.begin(), buffer.end(), std::uint8_t {0});
    HIVE_CHECK(block.write(0, buffer));
    HIVE_CHECK(block.flush());

    // Blank the config partition and the first log sector.
    const std::uint64_t blankSectors = l.logStart + 1 - l.configStart;
    const std::uint64_t chunkSectors = std::max<std::uint64_t>(1, 65536 / s);
    Bytes zeros(static_cast<std::size_t>(chunkSectors * s));
    for (std::uint64_t done = 0; done < blankSectors;) {
        std::uint64_t n = std::min(chunkSectors, blankSectors - done);
        HIVE_CHECK(block.write(l.configStart + done, ByteView(zeros).first(static_cast<std::size_t>(n * s))));
        done += n;
    }
    HIVE_CHECK(block.flush());

    Superblock sb;
    sb.sectorSize = static_cast<std::uint32_t>(s);
    sb.sectorCount = sectors;
    sb.storeId = id;
    sb.configStart = l.configStart;
    sb.slotCount = ConfigSlotCount;
    sb.slotSectors = l.slotSectors;
    sb.logStart = l.logStart;
    sb.logSectors = logSectors;
    sb.maxObjectSize = maxObject;
    sb.generation = 0;
    sb.head = 0;
    sb.headSeq = 1;
    sb.headGen = 0;
    sb.sequence = 1;
    sb.encode(buffer.data());
    sb.sequence = 2;
    sb.encode(buffer.data() + s);
    HIVE_CHECK(block.write(0, buffer));
    return block.flush();
}

Result<std::unique_ptr<Store>> Store::openDevice(BlockRef block)
{
    const std::size_t s = block.sectorSize();
    HIVE_CHECK(checkSectorSize(s));
    if (block.sectorCount() < 2)
        return Error(ErrorCode::NotFound, "block device holds no store (it is too small to hold one)");
    Bytes buffer(2 * s);
    if (auto r = block.read(0, buffer); !r.ok())
        return r.error().withContext("reading the store superblock");

    Superblock best;
    int winner = -1;
    bool damaged = false;
    bool unsupported = false;
    for (int copy = 0; copy < 2; ++copy) {
        Superblock sb;
        switch (sb.decode(buffer.data() + static_cast<std::size_t>(copy) * s, s, block.sectorCount())) {
        case Superblock::Decoded::Ok:
            if (winner < 0 || sb.sequence > best.sequence) {
                best = sb;
                winner = copy;
            }
            break;
        case Superblock::Decoded::Blank:
            break;
        case Superblock::Decoded::Damaged:
            damaged = true;
            break;
        case Superblock::Decoded::Unsupported:
            unsupported = true;
            break;
        }
    }
    if (winner < 0) {
        if (unsupported)
            return Error(ErrorCode::Unsupported, "the store was written by a newer format version");
        if (damaged)
            return Error(ErrorCode::Corrupt, "both store superblock copies are damaged");
        return Error(ErrorCode::NotFound, "block device holds no store (format it first)");
    }

    std::unique_ptr<Store> store(new Store(block));
    store->m_sectorSize = s;
    store->m_storeId = best.storeId;
    store->m_configStart = best.configStart;
    store->m_configSlotSectors = best.slotSectors;
    store->m_logStart = best.logStart;
    store->m_logBytes = best.logSectors * s;
    store->m_maxObjectSize = best.maxObjectSize;
    store->m_deviceSectors = best.sectorCount;
    store->m_sbSequence = best.sequence;
    store->m_sbWinner = winner;
    // With a copy damaged, its (unknown, newer) generation may have been used for records
    // that were never acknowledged; jumping far ahead keeps them from ever looking current.
    store->m_generation = damaged ? best.generation + (std::uint64_t {1} << 32) : best.generation;
    // Persisted lazily before the first write, so opening alone never writes.
    store->m_needGeneration = true;
    store->m_head = best.head;
    store->m_headSeq = best.headSeq;
    store->m_headGen = best.headGen;

    // Which copy of each config slot is current.
    const std::size_t slotBytes = static_cast<std::size_t>(best.slotSectors) * s;
    Bytes slot(slotBytes);
    for (std::size_t i = 0; i < ConfigSlotCount; ++i) {
        for (int copy = 0; copy < 2; ++copy) {
            std::uint64_t sector = best.configStart + (2 * i + static_cast<std::size_t>(copy)) * best.slotSectors;
            if (auto r = block.read(sector, slot); !r.ok()) {
                secureZero(slot);
                return r.error().withContext("reading the store config partition");
            }
            const std::uint8_t* p = slot.data();
            std::uint32_t length = loadLe32(p + 24);
            if (loadLe32(p) != ConfigMagic || loadLe32(p + 4) != i || loadLe64(p + 8) != best.storeId
                || length > slotBytes - ConfigHeaderSize)
                continue;
            std::uint32_t crc = crc32c(ByteView(p, 28));
            crc = crc32c(ByteView(p + ConfigHeaderSize, length), crc);
            if (crc != loadLe32(p + 28))
                continue;
            std::uint64_t seq = loadLe64(p + 16);
            ConfigState& state = store->m_config[i];
            if (state.winner < 0 || seq > state.sequence) {
                state.winner = copy;
                state.sequence = seq;
            }
        }
    }
    secureZero(slot);

    HIVE_CHECK(store->recover());
    return store;
}

// Rebuilds the index from the log; see the header for the acceptance rules.
Status Store::recover()
{
    const std::size_t s = m_sectorSize;
    Bytes window;
    std::uint64_t windowStart = 0;
    // Returns the log bytes [offset, offset + length), reading ahead to keep the scan fast.
    auto fetch = [&](std::uint64_t offset, std::uint64_t length) -> Result<ByteView> {
        if (offset < windowStart || offset + length > windowStart + window.size()) {
            std::uint64_t n = std::max<std::uint64_t>(length, RecoveryReadAhead);
            n = std::min(n, m_logBytes - offset);
            window.resize(static_cast<std::size_t>(n));
            windowStart = offset;
            HIVE_CHECK(readLog(offset, window));
        }
        return ByteView(window).subspan(static_cast<std::size_t>(offset - windowStart), static_cast<std::size_t>(length));
    };

    std::uint64_t pos = m_head;
    std::uint64_t expected = m_headSeq;
    std::uint64_t lastGen = m_headGen;
    std::uint64_t used = 0;
    m_index.clear();
    m_liveBytes = 0;
    for (;;) {
        auto sector = fetch(pos, s);
        if (!sector.ok())
            return sector.error().withContext("store recovery");
        Header h;
        if (!decodeHeader(*sector, h) || h.storeId != m_storeId || h.sequence != expected || h.generation < lastGen
            || h.generation > MaxCounter || h.sequence >= MaxCounter)
            break;
        std::uint64_t size = h.type == Pad ? m_logBytes - pos : recordBytesFor(h.keySize, h.payloadSize);
        if (h.payloadSize > m_maxObjectSize || size > m_logBytes - pos || used + size > m_logBytes - s)
            break;
        if (h.type == Put) {
            Bytes key = toBytes(h.key); // the window may move while reading the payload
            auto record = fetch(pos, size);
            if (!record.ok())
                return record.error().withContext("store recovery");
            ByteView payload = record->subspan(RecordHeaderSize + key.size(), h.payloadSize);
            if (crc32c(payload) != h.payloadCrc)
                break;
            auto [item, inserted] = m_index.insert(key);
            if (!inserted)
                m_liveBytes -= item->value.recordBytes;
            item->value = Entry {pos, static_cast<std::uint32_t>(size), h.payloadSize};
            m_liveBytes += size;
        } else if (h.type == Delete) {
            if (const auto* item = m_index.find(h.key)) {
                m_liveBytes -= item->value.recordBytes;
                m_index.erase(h.key);
            }
        }
        used += size;
        pos = pos + size == m_logBytes ? 0 : pos + size;
        ++expected;
        lastGen = h.generation;
    }
    m_tail = pos;
    m_nextSeq = expected;
    // Normally no record is newer than the superblock's generation; after falling back to
    // an older superblock copy some are, and the next generation must exceed theirs.
    m_generation = std::max(m_generation, lastGen);
    return success();
}

// ---------------------------------------------------------------------------------------
// Low-level helpers

Status Store::readLog(std::uint64_t offset, std::span<std::uint8_t> out) const
{
    return m_block.read(m_logStart + offset / m_sectorSize, out);
}

std::uint64_t Store::recordBytesFor(std::size_t keySize, std::size_t payloadSize) const
{
    return roundUp(RecordHeaderSize + keySize + payloadSize, m_sectorSize);
}

std::uint64_t Store::used() const { return m_tail >= m_head ? m_tail - m_head : m_logBytes - m_head + m_tail; }

std::uint64_t Store::reserve() const { return reserveFor(m_maxObjectSize, m_sectorSize); }

std::uint64_t Store::freeFor(SpaceUse use) const
{
    // One sector always stays free so the tail never runs into the head.
    std::uint64_t held = 0;
    if (use == SpaceUse::Normal)
        held = reserve();
    else if (use == SpaceUse::Removal)
        held = compactionReserveFor(m_maxObjectSize, m_sectorSize);
    std::uint64_t limit = m_logBytes - m_sectorSize - held;
    std::uint64_t u = used();
    return u >= limit ? 0 : limit - u;
}

std::uint64_t Store::bytesNeeded(std::span<const std::uint64_t> sizes) const
{
    std::uint64_t tail = m_tail;
    std::uint64_t total = 0;
    for (std::uint64_t size : sizes) {
        if (tail + size > m_logBytes) {
            total += m_logBytes - tail;
            tail = 0;
        }
        total += size;
        tail += size;
        if (tail == m_logBytes)
            tail = 0;
    }
    return total;
}

Error Store::noSpace(std::uint64_t needed) const
{
    return Error(ErrorCode::NoSpace, "node store is full: ")
        .appendNumber(static_cast<std::int64_t>(freeFor(SpaceUse::Normal)))
        .append(" bytes free, ")
        .appendNumber(static_cast<std::int64_t>(needed))
        .append(" needed");
}

Status Store::writeSuperblock(std::uint64_t generation, std::uint64_t head, std::uint64_t headSeq, std::uint64_t headGen)
{
    Superblock sb;
    sb.sectorSize = static_cast<std::uint32_t>(m_sectorSize);
    sb.sectorCount = m_deviceSectors;
    sb.storeId = m_storeId;
    sb.configStart = m_configStart;
    sb.slotCount = ConfigSlotCount;
    sb.slotSectors = m_configSlotSectors;
    sb.logStart = m_logStart;
    sb.logSectors = m_logBytes / m_sectorSize;
    sb.maxObjectSize = m_maxObjectSize;
    sb.sequence = m_sbSequence + 1;
    sb.generation = generation;
    sb.head = head;
    sb.headSeq = headSeq;
    sb.headGen = headGen;
    Bytes sector(m_sectorSize);
    sb.encode(sector.data());
    // Always overwrite the older copy, so the current one survives a torn write.
    const int target = 1 - m_sbWinner;
    if (auto r = m_block.write(static_cast<std::uint64_t>(target), sector); !r.ok())
        return r.error().withContext("writing the store superblock");
    if (auto r = m_block.flush(); !r.ok())
        return r.error().withContext("flushing the store superblock");
    m_sbSequence = sb.sequence;
    m_sbWinner = target;
    return success();
}

Status Store::ensureGeneration()
{
    if (!m_needGeneration)
        return success();
    HIVE_CHECK(writeSuperblock(m_generation + 1, m_head, m_headSeq, m_headGen));
    ++m_generation;
    m_needGeneration = false;
    return success();
}

void Store::appendRecord(std::vector<Segment>& segments, std::uint64_t& tail, std::uint8_t type, ByteView key,
                         ByteView payload)
{
    auto place = [&](std::uint64_t size) -> std::uint8_t* {
        if (segments.empty() || segments.back().offset + segments.back().bytes.size() != tail)
            segments.push_back(Segment {tail, {}});
        Bytes& b = segments.back().bytes;
        std::size_t at = b.size();
        b.resize(at + static_cast<std::size_t>(size), 0);
        return b.data() + at;
    };
    const std::uint64_t size = recordBytesFor(key.size(), payload.size());
    if (tail + size > m_logBytes) {
        // The record does not fit before the end of the ring: a pad sends readers to the start.
        encodeHeader(place(m_sectorSize), Pad, {}, {}, m_nextSeq++, m_storeId, m_generation);
        tail = 0;
    }
    encodeHeader(place(size), type, key, payload, m_nextSeq++, m_storeId, m_generation);
    tail += size;
    if (tail == m_logBytes)
        tail = 0;
}

Status Store::writeSegments(const std::vector<Segment>& segments)
{
    for (const Segment& segment : segments) {
        if (auto r = m_block.write(m_logStart + segment.offset / m_sectorSize, segment.bytes); !r.ok()) {
            m_needGeneration = true;
            return r.error().withContext("node store write failed");
        }
    }
    return success();
}

Result<Bytes> Store::readRecord(std::uint64_t offset, std::uint32_t recordBytes, ByteView key) const
{
    Bytes record(recordBytes);
    if (auto r = readLog(offset, record); !r.ok())
        return r.error().withContext("reading a stored object");
    Header h;
    if (!decodeHeader(record, h) || h.type != Put || h.storeId != m_storeId || !std::equal(key.begin(), key.end(), h.key.begin(), h.key.end())
        || recordBytesFor(h.keySize, h.payloadSize) != recordBytes)
        return Error(ErrorCode::Corrupt, "stored object's header failed its checksum (log offset ")
            .appendNumber(static_cast<std::int64_t>(offset))
            .append(")");
    ByteView payload = ByteView(record).subspan(RecordHeaderSize + h.keySize, h.payloadSize);
    if (crc32c(payload) != h.payloadCrc)
        return Error(ErrorCode::Corrupt, "stored object failed its checksum (log offset ")
            .appendNumber(static_cast<std::int64_t>(offset))
            .append(")");
    return toBytes(payload);
}

// ---------------------------------------------------------------------------------------
// Objects

Status Store::put(ByteView key, ByteView value)
{
    StoreBatch batch;
    batch.put(key, value);
    return commit(batch);
}

Status Store::remove(ByteView key)
{
    if (!has(key))
        return Error(ErrorCode::NotFound, "no such object in the node store");
    StoreBatch batch;
    batch.remove(key);
    return commit(batch);
}

Status Store::commit(const StoreBatch& batch) { return commitOps(batch, true); }

Status Store::commitOps(const StoreBatch& batch, bool mayCompact)
{
    // Validate everything first so a rejected batch writes nothing.
    for (const auto& op : batch.m_ops) {
        if (op.key.empty() || op.key.size() > MaxKeySize)
            return Error(ErrorCode::InvalidArgument, "node store keys are 1 to 128 bytes, not ")
                .appendNumber(static_cast<std::int64_t>(op.key.size()));
        if (op.value.size() > m_maxObjectSize)
            return Error(ErrorCode::TooLarge, "object of ")
                .appendNumber(static_cast<std::int64_t>(op.value.size()))
                .append(" bytes exceeds the node store's limit of ")
                .appendNumber(m_maxObjectSize)
                .append(" bytes");
    }
    // Removes of keys that will not exist at that point are dropped.
    KeyIndex<bool> present;
    std::vector<const StoreBatch::Op*> ops;
    std::vector<std::uint64_t> sizes;
    bool removalsOnly = true;
    for (const auto& op : batch.m_ops) {
        removalsOnly = removalsOnly && op.remove;
        auto [seen, first] = present.insert(op.key);
        if (first)
            seen->value = m_index.contains(op.key);
        if (op.remove && !seen->value)
            continue;
        seen->value = !op.remove;
        ops.push_back(&op);
        sizes.push_back(recordBytesFor(op.key.size(), op.remove ? 0 : op.value.size()));
    }
    if (ops.empty())
        return success();

    std::uint64_t needed = bytesNeeded(sizes);
    if (needed > freeFor(removalsOnly ? SpaceUse::Removal : SpaceUse::Normal)) {
        std::uint64_t dead = used() - m_liveBytes;
        if (mayCompact && freeFor(SpaceUse::Normal) + dead >= needed) {
            auto compacted = compact();
            if (!compacted.ok())
                return compacted.error();
            return commitOps(batch, false);
        }
        return noSpace(needed);
    }
    HIVE_CHECK(ensureGeneration());
    if (m_group && m_groupError)
        return *m_groupError; // an earlier write of this group failed; nothing more is taken

    std::vector<Segment> segments;
    std::vector<std::uint64_t> offsets;
    std::uint64_t tail = m_tail;
    const std::uint64_t firstSeq = m_nextSeq;
    for (const auto* op : ops) {
        std::uint64_t before = tail;
        appendRecord(segments, tail, op->remove ? Delete : Put, op->key, op->value);
        std::uint64_t size = recordBytesFor(op->key.size(), op->remove ? 0 : op->value.size());
        offsets.push_back(before + size > m_logBytes ? 0 : before);
    }
    auto written = writeSegments(segments);
    // In a group the flush is endGroup()'s, once for every write of the group.
    if (written.ok() && !m_group)
        written = flushDevice();
    if (!written.ok()) {
        m_nextSeq = firstSeq; // nothing was acknowledged; the next write starts a new generation
        return written;
    }
    m_tail = tail;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const auto* op = ops[i];
        if (m_group) {
            const auto* item = m_index.find(op->key);
            m_undo.push_back(Undo {op->key, item != nullptr, item ? item->value : Entry {}});
            m_groupKeys.insert(op->key);
            m_readUnflushed = true;
        }
        if (op->remove) {
            if (const auto* item = m_index.find(op->key)) {
                m_liveBytes -= item->value.recordBytes;
                m_index.erase(op->key);
            }
            continue;
        }
        auto [item, inserted] = m_index.insert(op->key);
        if (!inserted)
            m_liveBytes -= item->value.recordBytes;
        item->value = Entry {offsets[i], static_cast<std::uint32_t>(sizes[i]), static_cast<std::uint32_t>(op->value.size())};
        m_liveBytes += sizes[i];
    }
    return success();
}

Status Store::flushDevice()
{
    ++m_flushCount;
    if (auto r = m_block.flush(); !r.ok()) {
        m_needGeneration = true;
        return r.error().withContext("node store flush failed");
    }
    return success();
}

void Store::markGroupDurable()
{
    m_undo.clear();
    m_groupKeys.clear();
    m_durableTail = m_tail;
    m_durableNextSeq = m_nextSeq;
    m_durableLiveBytes = m_liveBytes;
}

void Store::undoGroup()
{
    for (auto it = m_undo.rbegin(); it != m_undo.rend(); ++it) {
        if (it->existed) {
            auto [item, inserted] = m_index.insert(it->key);
            (void)inserted;
            item->value = it->previous;
        } else {
            m_index.erase(it->key);
        }
    }
    m_undo.clear();
    m_groupKeys.clear();
    m_tail = m_durableTail;
    m_nextSeq = m_durableNextSeq;
    m_liveBytes = m_durableLiveBytes;
    // The undone records may be on the device: the next write starts a new generation, so
    // recovery can never take them for newer ones.
    m_needGeneration = true;
}

Status Store::syncGroup()
{
    if (m_groupError)
        return *m_groupError;
    if (m_undo.empty() && m_tail == m_durableTail && m_nextSeq == m_durableNextSeq) {
        markGroupDurable();
        return success();
    }
    if (auto s = flushDevice(); !s) {
        undoGroup();
        m_groupError = s.error();
        return s;
    }
    markGroupDurable();
    return success();
}

void Store::beginGroup()
{
    m_group = true;
    m_groupError.reset();
    markGroupDurable();
}

Status Store::endGroup()
{
    Status s = syncGroup();
    m_group = false;
    m_groupError.reset();
    m_undo.clear();
    m_groupKeys.clear();
    return s;
}

void Store::noteRead(ByteView key) const
{
    if (!m_groupKeys.empty() && m_groupKeys.contains(toBytes(key)))
        m_readUnflushed = true;
}

void Store::noteList(ByteView prefix) const
{
    if (m_groupKeys.empty())
        return;
    auto it = m_groupKeys.lower_bound(toBytes(prefix));
    if (it != m_groupKeys.end() && startsWith(*it, prefix))
        m_readUnflushed = true;
}

Result<Bytes> Store::get(ByteView key) const
{
    noteRead(key);
    const auto* item = m_index.find(key);
    if (!item)
        return Error(ErrorCode::NotFound, "no such object in the node store");
    return readRecord(item->value.offset, item->value.recordBytes, key);
}

bool Store::has(ByteView key) const
{
    noteRead(key);
    return m_index.contains(key);
}

Result<std::uint32_t> Store::objectSize(ByteView key) const
{
    noteRead(key);
    const auto* item = m_index.find(key);
    if (!item)
        return Error(ErrorCode::NotFound, "no such object in the node store");
    return item->value.size;
}

std::vector<ObjectInfo> Store::list(ByteView prefix, ByteView after, std::size_t limit) const
{
    std::vector<ObjectInfo> out;
    if (limit == 0)
        return out;
    noteList(prefix);
    // `after` is exclusive; it only matters when it sorts at or past the prefix.
    const bool fromAfter = !after.empty() && !KeyIndex<Entry>::less(after, prefix);
    m_index.forEachFrom(fromAfter ? after : prefix, fromAfter, [&](const KeyIndex<Entry>::Item& item) {
        if (!startsWith(item.key, prefix))
            return false;
        out.push_back(ObjectInfo {item.key, item.value.size});
        return out.size() < limit;
    });
    return out;
}

StoreUsage Store::usage() const
{
    StoreUsage u;
    u.liveBytes = m_liveBytes;
    u.deadBytes = used() - m_liveBytes;
    u.freeBytes = freeFor(SpaceUse::Normal);
    u.capacityBytes = m_logBytes - m_sectorSize - reserve();
    u.objectCount = m_index.size();
    return u;
}

// ---------------------------------------------------------------------------------------
// Compaction

Status Store::checkpoint(std::uint64_t head, std::uint64_t headSeq, std::uint64_t headGen)
{
    // The copies must be durable before the head moves past their originals.
    HIVE_CHECK(flushDevice());
    HIVE_CHECK(writeSuperblock(m_generation, head, headSeq, headGen));
    m_head = head;
    m_headSeq = headSeq;
    m_headGen = headGen;
    return success();
}

Result<CompactStats> Store::compact()
{
    // Compaction moves records and checkpoints; the group's writes must be durable first so
    // that nothing it moved can be undone.
    if (m_group)
        HIVE_CHECK(syncGroup());
    auto stats = compactLog();
    if (m_group)
        markGroupDurable();
    return stats;
}

Result<CompactStats> Store::compactLog()
{
    HIVE_CHECK(ensureGeneration());
    CompactStats stats;
    const std::uint64_t usedBefore = used();
    const std::uint64_t stopAt = m_tail;
    std::uint64_t pos = m_head;
    std::uint64_t seq = m_headSeq;
    std::uint64_t lastGen = m_headGen;
    Bytes sector(m_sectorSize);
    while (pos != stopAt) {
        HIVE_CHECK(readLog(pos, sector));
        Header h;
        if (!decodeHeader(sector, h) || h.storeId != m_storeId || h.sequence != seq) {
            HIVE_CHECK(checkpoint(pos, seq, lastGen));
            return Error(ErrorCode::Corrupt, "node store record at log offset ")
                .appendNumber(static_cast<std::int64_t>(pos))
                .append(" no longer passes its checksum; compaction stopped there");
        }
        const std::uint64_t size = h.type == Pad ? m_logBytes - pos : recordBytesFor(h.keySize, h.payloadSize);
        auto* item = h.type == Put ? m_index.find(h.key) : nullptr;
        if (item && item->value.offset == pos) {
            auto payload = readRecord(pos, item->value.recordBytes, item->key);
            if (!payload.ok() && payload.error().code() != ErrorCode::Corrupt)
                return payload.error();
            if (!payload.ok()) {
                // Keeping a record that fails its checksum would only carry the damage forward.
                m_liveBytes -= item->value.recordBytes;
                m_index.erase(Bytes(item->key));
                ++stats.droppedCorrupt;
            } else {
                const std::uint64_t need = bytesNeeded(std::span<const std::uint64_t>(&size, 1));
                if (need > freeFor(SpaceUse::Compaction))
                    HIVE_CHECK(checkpoint(pos, seq, h.generation));
                if (need > freeFor(SpaceUse::Compaction))
                    return noSpace(need);
                std::vector<Segment> segments;
                std::uint64_t tail = m_tail;
                const std::uint64_t firstSeq = m_nextSeq;
                appendRecord(segments, tail, Put, item->key, *payload);
                if (auto r = writeSegments(segments); !r.ok()) {
                    m_nextSeq = firstSeq;
                    return r.error();
                }
                item->value.offset = m_tail + size > m_logBytes ? 0 : m_tail;
                m_tail = tail;
                stats.copiedBytes += size;
            }
        }
        pos = pos + size == m_logBytes ? 0 : pos + size;
        seq = h.sequence + 1;
        lastGen = h.generation;
    }
    if (pos != m_head)
        HIVE_CHECK(checkpoint(pos, seq, lastGen));
    const std::uint64_t usedAfter = used();
    stats.reclaimedBytes = usedBefore + stats.copiedBytes > usedAfter ? usedBefore + stats.copiedBytes - usedAfter : 0;
    return stats;
}

// ---------------------------------------------------------------------------------------
// Config partition

std::size_t Store::maxConfigSize() const { return static_cast<std::size_t>(m_configSlotSectors) * m_sectorSize - ConfigHeaderSize; }

Result<Bytes> Store::config(std::size_t slot) const
{
    if (slot >= ConfigSlotCount)
        return Error(ErrorCode::InvalidArgument, "no such config slot");
    const ConfigState& state = m_config[slot];
    if (state.winner < 0)
        return Error(ErrorCode::NotFound, "config slot ").appendNumber(static_cast<std::int64_t>(slot)).append(" is empty");
    Bytes buffer(static_cast<std::size_t>(m_configSlotSectors) * m_sectorSize);
    std::uint64_t sector = m_configStart + (2 * slot + static_cast<std::size_t>(state.winner)) * m_configSlotSectors;
    if (auto r = m_block.read(sector, buffer); !r.ok())
        return r.error().withContext("reading a config slot");
    const std::uint8_t* p = buffer.data();
    std::uint32_t length = loadLe32(p + 24);
    bool valid = loadLe32(p) == ConfigMagic && loadLe32(p + 4) == slot && loadLe64(p + 8) == m_storeId
        && loadLe64(p + 16) == state.sequence && length <= maxConfigSize();
    if (valid) {
        std::uint32_t crc = crc32c(ByteView(p, 28));
        valid = crc32c(ByteView(p + ConfigHeaderSize, length), crc) == loadLe32(p + 28);
    }
    if (!valid) {
        secureZero(buffer);
        return Error(ErrorCode::Corrupt, "config slot ").appendNumber(static_cast<std::int64_t>(slot)).append(" failed its checksum");
    }
    Bytes value(buffer.begin() + ConfigHeaderSize, buffer.begin() + ConfigHeaderSize + length);
    secureZero(buffer);
    return value;
}

Status Store::setConfig(std::size_t slot, ByteView value)
{
    if (slot >= ConfigSlotCount)
        return Error(ErrorCode::InvalidArgument, "no such config slot");
    if (value.size() > maxConfigSize())
        return Error(ErrorCode::TooLarge, "config value of ")
            .appendNumber(static_cast<std::int64_t>(value.size()))
            .append(" bytes exceeds the slot size of ")
            .appendNumber(static_cast<std::int64_t>(maxConfigSize()));
    ConfigState& state = m_config[slot];
    const int target = state.winner == 0 ? 1 : 0;
    const std::uint64_t seq = state.sequence + 1;
    std::uint8_t header[ConfigHeaderSize] = {};
    storeLe32(header, ConfigMagic);
    storeLe32(header + 4, static_cast<std::uint32_t>(slot));
    storeLe64(header + 8, m_storeId);
    storeLe64(header + 16, seq);
    storeLe32(header + 24, static_cast<std::uint32_t>(value.size()));
    std::uint32_t crc = crc32c(ByteView(header, 28));
    storeLe32(header + 28, crc32c(value, crc));
    Bytes buffer(std::begin(header), std::end(header));
    buffer.insert(buffer.end(), value.begin(), value.end());
    buffer.resize(static_cast<std::size_t>(m_configSlotSectors) * m_sectorSize, 0);
    auto sectorOf = [&](int copy) { return m_configStart + (2 * slot + static_cast<std::size_t>(copy)) * m_configSlotSectors; };
    Status written = m_block.write(sectorOf(target), buffer);
    if (written.ok())
        written = m_block.flush();
    secureZero(buffer);
    if (!written.ok())
        return written.error().withContext("writing a config slot");
    const int previous = state.winner;
    state.winner = target;
    state.sequence = seq;
    // The new value is durable; wipe the old copy so a replaced secret does not linger on
    // disk. If this fails the old copy still loses by its lower sequence number.
    if (previous >= 0 && m_block.write(sectorOf(previous), buffer).ok())
        (void)m_block.flush();
    return success();
}

} // namespace hive::node
