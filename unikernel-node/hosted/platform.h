// The hosted target's devices: Linux supplies the clock, the entropy, the console and the
// sockets that the node core receives as arguments (see core/devices.h).
#pragma once

#include "core/devices.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace hive::node::hosted {

class SystemClock {
public:
    Nanos monotonicNanos();
    Nanos wallNanos();
};

class SystemEntropy {
public:
    // Fills out from getrandom(2); never returns fewer bytes than asked.
    Status fill(std::span<std::uint8_t> out);
};

enum class LogSink { Stderr, Syslog };

// One line per event, with a UTC timestamp on stderr (syslog adds its own).
class SystemConsole {
public:
    explicit SystemConsole(LogSink sink = LogSink::Stderr);
    void log(std::string_view line);

private:
    LogSink m_sink;
};

// Non-blocking TCP on one epoll instance. Connections are small integer ids; the
// listening socket and a signalfd for SIGTERM/SIGINT live in the same loop.
class SocketNet {
public:
    static Result<std::unique_ptr<SocketNet>> create();
    ~SocketNet();
    SocketNet(const SocketNet&) = delete;
    SocketNet& operator=(const SocketNet&) = delete;

    // Address listen() binds to (IPv4 or IPv6 literal); default 127.0.0.1.
    void setBindAddress(std::string host) { m_bindHost = std::move(host); }
    Status listen(std::uint16_t port);
    // The port actually bound (useful with port 0).
    std::uint16_t boundPort() const { return m_boundPort; }

    Result<std::size_t> read(ConnId id, std::span<std::uint8_t> out);
    Result<std::size_t> write(ConnId id, ByteView in);
    void close(ConnId id);
    std::size_t connectionCount() const { return m_conns.size(); }

    enum class WaitResult { Events, Timeout, StopRequested };
    // Waits until something happens or timeoutMs passes, then reports each event to
    // handler. Accepted connections are reported as NetEvent::Accepted.
    Result<WaitResult> wait(int timeoutMs, const std::function<void(NetEvent, ConnId)>& handler);
    // Ask to be told when id becomes writable again (after a short write).
    void wantWritable(ConnId id, bool want);

private:
    SocketNet(int epollFd, int signalFd);
    void acceptAll(const std::function<void(NetEvent, ConnId)>& handler);

    int m_epoll = -1;
    int m_signal = -1;
    int m_listen = -1;
    std::uint16_t m_boundPort = 0;
    std::string m_bindHost = "127.0.0.1";
    ConnId m_nextId = 1;
    struct Socket {
        int fd = -1;
        bool wantWritable = false; // EPOLLOUT is in its epoll interest set
    };
    std::unordered_map<ConnId, Socket> m_conns;
};

static_assert(Clock<SystemClock>);
static_assert(Entropy<SystemEntropy>);
static_assert(Console<SystemConsole>);
static_assert(Net<SocketNet>);

} // namespace hive::node::hosted
