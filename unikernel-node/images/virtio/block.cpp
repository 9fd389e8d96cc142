#include "virtio/block.h"

namespace hive::image::virtio {

namespace {
constexpr std::uint64_t FeatureReadOnly = 1ull << 5;
constexpr std::uint64_t FeatureFlush = 1ull << 9;
constexpr std::uint32_t TypeIn = 0;
constexpr std::uint32_t TypeOut = 1;
constexpr std::uint32_t TypeFlush = 4;
constexpr std::size_t MaxRequest = 64 * 1024;
// Bound on waits for one request (each ~20 us or more): far beyond any sane completion
// time under emulation, but a dead device still ends in an error instead of a hang.
constexpr std::uint64_t MaxWaits = 2'000'000;

struct RequestHeader {
    std::uint32_t type;
    std::uint32_t reserved;
    std::uint64_t sector;
};

} // namespace

Result<std::unique_ptr<VirtioBlock>> VirtioBlock::create(Transport& transport, DeviceWait& wait)
{
    auto accepted = HIVE_TRY(negotiate(transport, FeatureFlush | FeatureReadOnly));
    std::unique_ptr<VirtioBlock> block(new VirtioBlock(transport, wait));
    block->m_flush = (accepted & FeatureFlush) != 0;
    block->m_readOnly = (accepted & FeatureReadOnly) != 0;
    // capacity: le64 at offset 0, in 512-byte sectors. Read until two reads agree, as the
    // legacy interface has no config generation counter.
    for (int i = 0; i < 4; ++i) {
        std::uint64_t a = transport.readConfig32(0) | (static_cast<std::uint64_t>(transport.readConfig32(4)) << 32);
        std::uint64_t b = transport.readConfig32(0) | (static_cast<std::uint64_t>(transport.readConfig32(4)) << 32);
        block->m_sectors = a;
        if (a == b)
            break;
    }
    block->m_queue = HIVE_TRY(Virtqueue::create(transport, 0, 16));
    transport.setStatus(static_cast<std::uint8_t>(transport.status() | status::DriverOk));
    return block;
}

Status VirtioBlock::checkRange(std::uint64_t sector, std::size_t size) const
{
    if (size % 512 != 0)
        return Error(ErrorCode::InvalidArgument, "virtio-blk: size is not a multiple of 512");
    std::uint64_t count = size / 512;
    if (sector > m_sectors || count > m_sectors - sector)
        return Error(ErrorCode::InvalidArgument, "virtio-blk: request beyond the end of the disk");
    return success();
}

Status VirtioBlock::request(std::uint32_t type, std::uint64_t sector, std::uint8_t* data, std::size_t size,
                            bool deviceWrites)
{
    RequestHeader header{type, 0, sector};
    volatile std::uint8_t statusByte = 0xff;
    Buffer chain[3];
    std::size_t n = 0;
    chain[n++] = {&header, sizeof header, false};
    if (size > 0)
        chain[n++] = {data, static_cast<std::uint32_t>(size), deviceWrites};
    chain[n++] = {const_cast<std::uint8_t*>(&statusByte), 1, true};
    HIVE_TRY(m_queue->add({chain, n}));
    m_queue->kick();
    UsedEntry used;
    for (std::uint64_t waits = 0; !m_queue->popUsed(used); ++waits) {
        if (waits == MaxWaits)
            return Error(ErrorCode::Timeout, "virtio-blk: device did not complete a request");
        m_wait.waitForDevice();
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (statusByte == 0)
        return success();
    if (statusByte == 2)
        return Error(ErrorCode::Unsupported, "virtio-blk: request type not supported");
    return Error(ErrorCode::Io, "virtio-blk: device reported an I/O error");
}

Status VirtioBlock::read(std::uint64_t sector, std::span<std::uint8_t> out)
{
    HIVE_CHECK(checkRange(sector, out.size()));
    for (std::size_t done = 0; done < out.size();) {
        std::size_t chunk = out.size() - done < MaxRequest ? out.size() - done : MaxRequest;
        HIVE_CHECK(request(TypeIn, sector + done / 512, out.data() + done, chunk, true));
        done += chunk;
    }
    return success();
}

Status VirtioBlock::write(std::uint64_t sector, ByteView in)
{
    if (m_readOnly)
        return Error(ErrorCode::PermissionDenied, "virtio-blk: device is read-only");
    HIVE_CHECK(checkRange(sector, in.size()));
    for (std::size_t done = 0; done < in.size();) {
        std::size_t chunk = in.size() - done < MaxRequest ? in.size() - done : MaxRequest;
        // The device only reads this buffer; the chain type needs a non-const pointer.
        HIVE_CHECK(request(TypeOut, sector + done / 512, const_cast<std::uint8_t*>(in.data() + done), chunk, false));
        done += chunk;
    }
    return success();
}

Status VirtioBlock::flush()
{
    if (!m_flush)
        return success(); // without VIRTIO_BLK_F_FLUSH the device promises write-through
    return request(TypeFlush, 0, nullptr, 0, false);
}

} // namespace hive::image::virtio
