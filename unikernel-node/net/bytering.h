// A fixed-capacity byte FIFO (ring buffer) for TCP send and receive buffers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hive::net {

class ByteRing {
public:
    explicit ByteRing(std::size_t capacity) : m_data(capacity) {}

    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_data.size(); }
    std::size_t space() const { return m_data.size() - m_size; }
    bool empty() const { return m_size == 0; }

    // Appends as much of in as fits; returns the number of bytes taken.
    std::size_t write(std::span<const std::uint8_t> in)
    {
        std::size_t n = in.size() < space() ? in.size() : space();
        if (n == 0)
            return 0;
        std::size_t tail = (m_head + m_size) % m_data.size();
        // At most two contiguous runs: up to the end of storage, then from its start.
        std::size_t first = n < m_data.size() - tail ? n : m_data.size() - tail;
        std::copy_n(in.data(), first, m_data.data() + tail);
        std::copy_n(in.data() + first, n - first, m_data.data());
        m_size += n;
        return n;
    }
    // Copies bytes starting offset bytes after the head into out, without consuming.
    std::size_t peek(std::size_t offset, std::span<std::uint8_t> out) const
    {
        if (offset >= m_size)
            return 0;
        std::size_t n = out.size() < m_size - offset ? out.size() : m_size - offset;
        std::size_t pos = (m_head + offset) % m_data.size();
        std::size_t first = n < m_data.size() - pos ? n : m_data.size() - pos;
        std::copy_n(m_data.data() + pos, first, out.data());
        std::copy_n(m_data.data(), n - first, out.data() + first);
        return n;
    }
    // Drops up to n bytes from the head.
    void consume(std::size_t n)
    {
        if (n > m_size)
            n = m_size;
        m_head = (m_head + n) % capacityOrOne();
        m_size -= n;
    }
    // Copies and consumes up to out.size() bytes.
    std::size_t read(std::span<std::uint8_t> out)
    {
        std::size_t n = peek(0, out);
        consume(n);
        return n;
    }

private:
    std::size_t capacityOrOne() const { return m_data.empty() ? 1 : m_data.size(); }

    std::vector<std::uint8_t> m_data;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

} // namespace hive::net
