#include "store/memblock.h"

#include <algorithm>
#include <cstring>

namespace hive::node {

MemBlock::MemBlock(std::size_t sectorSize, std::uint64_t sectorCount)
    : m_sectorSize(sectorSize)
    , m_sectorCount(sectorCount)
    , m_durable(static_cast<std::size_t>(sectorCount) * sectorSize, 0)
    , m_current(m_durable)
{
}

MemBlock MemBlock::fromImage(ByteView image, std::size_t sectorSize)
{
    MemBlock block(sectorSize, (image.size() + sectorSize - 1) / sectorSize);
    std::copy(image.begin(), image.end(), block.m_durable.begin());
    block.m_current = block.m_durable;
    return block;
}

Status MemBlock::checkRange(std::uint64_t sector, std::size_t bytes) const
{
    if (bytes % m_sectorSize != 0)
        return Error(ErrorCode::InvalidArgument, "block transfer is not a whole number of sectors");
    if (sector > m_sectorCount || bytes / m_sectorSize > m_sectorCount - sector)
        return Error(ErrorCode::InvalidArgument, "block transfer beyond the end of the device");
    return success();
}

bool MemBlock::spendEvent()
{
    if (m_poweredOff)
        return false;
    if (m_budget) {
        if (*m_budget == 0) {
            m_poweredOff = true;
            return false;
        }
        --*m_budget;
    }
    ++m_events;
    return true;
}

Status MemBlock::read(std::uint64_t sector, std::span<std::uint8_t> out)
{
    HIVE_CHECK(checkRange(sector, out.size()));
    std::memcpy(out.data(), m_current.data() + sector * m_sectorSize, out.size());
    return success();
}

Status MemBlock::write(std::uint64_t sector, ByteView in)
{
    HIVE_CHECK(checkRange(sector, in.size()));
    if (m_poweredOff)
        return Error(ErrorCode::Io, "device powered off");
    if (m_failWrites)
        return Error(*m_failWrites, "injected write failure");
    const std::size_t count = in.size() / m_sectorSize;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t target = sector + i;
        if (m_writableLimit && target >= *m_writableLimit)
            return Error(ErrorCode::NoSpace, "no space left on device");
        if (!spendEvent())
            return Error(ErrorCode::Io, "device lost power during a write");
        ByteView piece = in.subspan(i * m_sectorSize, m_sectorSize);
        std::copy(piece.begin(), piece.end(), m_current.begin() + static_cast<std::ptrdiff_t>(target * m_sectorSize));
        m_pending.emplace_back(target, toBytes(piece));
    }
    return success();
}

Status MemBlock::flush()
{
    if (m_failFlushes)
        return Error(*m_failFlushes, "injected flush failure");
    if (!spendEvent())
        return Error(ErrorCode::Io, "device powered off");
    // Only the sectors written since the last flush differ between the two images.
    for (const auto& [sector, bytes] : m_pending)
        std::copy(bytes.begin(), bytes.end(), m_durable.begin() + static_cast<std::ptrdiff_t>(sector * m_sectorSize));
    m_pending.clear();
    ++m_flushes;
    return success();
}

void MemBlock::crash(CrashMode mode, std::uint64_t seed)
{
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    auto coin = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return (state & 1u) != 0;
    };
    for (const auto& [sector, bytes] : m_pending) {
        bool keep = mode == CrashMode::KeepUnflushed || (mode == CrashMode::RandomUnflushed && coin());
        if (keep)
            std::copy(bytes.begin(), bytes.end(), m_durable.begin() + static_cast<std::ptrdiff_t>(sector * m_sectorSize));
    }
    m_pending.clear();
    m_current = m_durable;
    m_poweredOff = false;
    m_budget.reset();
}

void MemBlock::crash(const std::vector<bool>& keep)
{
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
        if (i < keep.size() && keep[i]) {
            const auto& [sector, bytes] = m_pending[i];
            std::copy(bytes.begin(), bytes.end(), m_durable.begin() + static_cast<std::ptrdiff_t>(sector * m_sectorSize));
        }
    }
    m_pending.clear();
    m_current = m_durable;
    m_poweredOff = false;
    m_budget.reset();
}

void MemBlock::flipBit(std::uint64_t byteOffset, unsigned bit)
{
    const auto mask = static_cast<std::uint8_t>(1u << (bit & 7u));
    m_durable[static_cast<std::size_t>(byteOffset)] ^= mask;
    m_current[static_cast<std::size_t>(byteOffset)] ^= mask;
    for (auto& [sector, bytes] : m_pending)
        if (byteOffset / m_sectorSize == sector)
            bytes[static_cast<std::size_t>(byteOffset % m_sectorSize)] ^= mask;
}

} // namespace hive::node
