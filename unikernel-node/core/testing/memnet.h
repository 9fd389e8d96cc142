// An in-memory Net (core/devices.h) for the node's tests and fuzzers: the test plays the
// clients, moving bytes in and out by hand, and tells the node about events itself.
// Also a manual clock, deterministic entropy and a console that keeps its lines.
#pragma once

#include "core/devices.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace hive::node::testing {

class MemNet {
public:
    struct Conn {
        Bytes toNode;
        Bytes toClient;
        bool closedByNode = false;
        bool closedByClient = false;
        std::size_t window = SIZE_MAX; // bytes the client side will buffer (slow readers)
    };

    // Net concept.
    Status listen(std::uint16_t port)
    {
        m_port = port;
        return success();
    }
    Result<std::size_t> read(ConnId id, std::span<std::uint8_t> out)
    {
        auto it = m_conns.find(id);
        if (it == m_conns.end() || it->second.closedByNode)
            return Error(ErrorCode::NotFound, "no such connection");
        Conn& c = it->second;
        if (c.toNode.empty())
            return c.closedByClient ? Result<std::size_t>(Error(ErrorCode::Unavailable, "peer closed the connection"))
                                    : Result<std::size_t>(std::size_t {0});
        const std::size_t n = std::min(out.size(), c.toNode.size());
        std::copy_n(c.toNode.begin(), n, out.begin());
        c.toNode.erase(c.toNode.begin(), c.toNode.begin() + static_cast<std::ptrdiff_t>(n));
        return n;
    }
    Result<std::size_t> write(ConnId id, ByteView in)
    {
        auto it = m_conns.find(id);
        if (it == m_conns.end() || it->second.closedByNode)
            return Error(ErrorCode::NotFound, "no such connection");
        Conn& c = it->second;
        if (c.closedByClient)
            return Error(ErrorCode::Io, "broken pipe");
        const std::size_t room = c.window > c.toClient.size() ? c.window - c.toClient.size() : 0;
        const std::size_t n = std::min(room, in.size());
        c.toClient.insert(c.toClient.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
        return n;
    }
    void close(ConnId id)
    {
        if (auto it = m_conns.find(id); it != m_conns.end())
            it->second.closedByNode = true;
    }

    // Test side: a new connection (then tell the node NetEvent::Accepted).
    ConnId connect()
    {
        const ConnId id = m_next++;
        m_conns[id] = Conn {};
        return id;
    }
    void clientSend(ConnId id, ByteView bytes)
    {
        auto& c = m_conns[id];
        c.toNode.insert(c.toNode.end(), bytes.begin(), bytes.end());
    }
    Bytes clientReceive(ConnId id)
    {
        Bytes out;
        out.swap(m_conns[id].toClient);
        return out;
    }
    void clientClose(ConnId id) { m_conns[id].closedByClient = true; }
    bool closedByNode(ConnId id) const
    {
        auto it = m_conns.find(id);
        return it != m_conns.end() && it->second.closedByNode;
    }
    void setWindow(ConnId id, std::size_t window) { m_conns[id].window = window; }
    std::size_t unread(ConnId id) const
    {
        auto it = m_conns.find(id);
        return it == m_conns.end() ? 0 : it->second.toClient.size();
    }
    std::uint16_t port() const { return m_port; }

private:
    std::map<ConnId, Conn> m_conns;
    ConnId m_next = 1;
    std::uint16_t m_port = 0;
};

class ManualClock {
public:
    Nanos monotonicNanos() { return m_mono; }
    Nanos wallNanos() { return m_wall; }
    void advance(Nanos n)
    {
        m_mono += n;
        m_wall += n;
    }
    Nanos m_mono = 1000000000ull;
    Nanos m_wall = 1700000000ull * 1000000000ull;
};

// Deterministic bytes (a counter); fine for tests, never for a real node.
class CountingEntropy {
public:
    Status fill(std::span<std::uint8_t> out)
    {
        for (auto& b : out)
            b = static_cast<std::uint8_t>(m_next++ * 131 + 7);
        return success();
    }

private:
    std::uint32_t m_next = 1;
};

class LineConsole {
public:
    void log(std::string_view line) { lines.emplace_back(line); }
    bool contains(std::string_view text) const
    {
        return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
    }
    std::vector<std::string> lines;
};

static_assert(Net<MemNet>);
static_assert(Clock<ManualClock>);
static_assert(Entropy<CountingEntropy>);
static_assert(Console<LineConsole>);

} // namespace hive::node::testing
