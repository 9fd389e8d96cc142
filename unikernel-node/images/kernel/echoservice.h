// TCP echo (RFC 862) written against the node's Net concept (core/devices.h): every byte
// received on a connection is sent back; the connection is closed when the peer closes
// its side. The image runs it over net::StackNet; a hosted target could run it unchanged.
#pragma once

#include "core/devices.h"

#include <cstdint>
#include <vector>

namespace hive::image {

template <node::Net N>
class EchoService {
public:
    explicit EchoService(N& net) : m_net(net) {}

    // Starts listening on port.
    Status start(std::uint16_t port) { return m_net.listen(port); }

    // Handles one event of the Net device.
    void handle(node::NetEvent event, node::ConnId id)
    {
        switch (event) {
        case node::NetEvent::Accepted:
            m_connections.push_back({id, {}});
            pump(m_connections.back());
            return;
        case node::NetEvent::Readable:
        case node::NetEvent::Writable:
            if (auto* c = find(id))
                pump(*c);
            return;
        case node::NetEvent::Closed:
            if (find(id) != nullptr)
                finish(id);
            return;
        }
    }

    // Connections that ended (peer closed, reset or timed out) since start.
    std::uint64_t finishedConnections() const { return m_finished; }
    std::uint64_t bytesEchoed() const { return m_bytes; }

private:
    struct Connection {
        node::ConnId id;
        std::vector<std::uint8_t> unsent; // read but not yet accepted by write()
    };

    Connection* find(node::ConnId id)
    {
        for (auto& c : m_connections)
            if (c.id == id)
                return &c;
        return nullptr;
    }

    void pump(Connection& c)
    {
        // Send what is left over first and read more only once everything read went out,
        // so a slow reader on the other side throttles us instead of growing `unsent`.
        std::uint8_t buffer[2048];
        for (int round = 0; round < 64; ++round) {
            if (!c.unsent.empty()) {
                auto written = m_net.write(c.id, ByteView(c.unsent.data(), c.unsent.size()));
                if (!written.ok()) {
                    finish(c.id);
                    return;
                }
                m_bytes += written.value();
                c.unsent.erase(c.unsent.begin(), c.unsent.begin() + static_cast<std::ptrdiff_t>(written.value()));
                if (!c.unsent.empty())
                    return; // wait for Writable
            }
            auto got = m_net.read(c.id, std::span<std::uint8_t>(buffer, sizeof buffer));
            if (!got.ok()) {
                // End of stream, reset or timeout: either way the conversation is over.
                finish(c.id);
                return;
            }
            if (got.value() == 0)
                return;
            c.unsent.assign(buffer, buffer + got.value());
        }
    }

    void finish(node::ConnId id)
    {
        m_net.close(id);
        for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
            if (it->id == id) {
                m_connections.erase(it);
                break;
            }
        }
        ++m_finished;
    }

    N& m_net;
    std::vector<Connection> m_connections;
    std::uint64_t m_finished = 0;
    std::uint64_t m_bytes = 0;
};

} // namespace hive::image
