#include "platform.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

namespace hive::node::hosted {

namespace {
Nanos readClock(clockid_t id)
{
    timespec ts {};
    clock_gettime(id, &ts);
    return static_cast<Nanos>(ts.tv_sec) * 1000000000ULL + static_cast<Nanos>(ts.tv_nsec);
}

Error systemError(ErrorCode code, std::string_view what, int err)
{
    Error e(code, what);
    e.append(": ").append(std::strerror(err));
    return e;
}

// Tags in epoll data: the low 32 bits carry a connection id, these mark the others.
constexpr std::uint64_t ListenTag = 1ULL << 40;
constexpr std::uint64_t SignalTag = 2ULL << 40;
} // namespace

Nanos SystemClock::monotonicNanos() { return readClock(CLOCK_MONOTONIC); }
Nanos SystemClock::wallNanos() { return readClock(CLOCK_REALTIME); }

Status SystemEntropy::fill(std::span<std::uint8_t> out)
{
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return systemError(ErrorCode::Unavailable, "getrandom failed", errno);
        }
        done += static_cast<std::size_t>(n);
    }
    return success();
}

SystemConsole::SystemConsole(LogSink sink) : m_sink(sink)
{
    if (m_sink == LogSink::Syslog)
        openlog("hive-node", LOG_PID, LOG_DAEMON);
}

void SystemConsole::log(std::string_view line)
{
    if (m_sink == LogSink::Syslog) {
        syslog(LOG_INFO, "%.*s", static_cast<int>(line.size()), line.data());
        return;
    }
    timespec ts {};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm utc {};
    gmtime_r(&ts.tv_sec, &utc);
    char stamp[40];
    std::size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string out(stamp, n);
    auto ms = static_cast<int>(ts.tv_nsec / 1000000) % 1000;
    out += '.';
    out += static_cast<char>('0' + ms / 100);
    out += static_cast<char>('0' + ms / 10 % 10);
    out += static_cast<char>('0' + ms % 10);
    out += "Z ";
    out.append(line);
    out.push_back('\n');
    // One write per line so lines from a crash are never interleaved mid-line.
    ssize_t ignored = ::write(STDERR_FILENO, out.data(), out.size());
    (void)ignored;
}

Result<std::unique_ptr<SocketNet>> SocketNet::create()
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        return systemError(ErrorCode::Io, "cannot create epoll instance", errno);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    // Blocking the signals turns them into readable events on the signalfd, so a stop
    // request is handled between events instead of interrupting a write half-way.
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sfd < 0) {
        int err = errno;
        ::close(ep);
        return systemError(ErrorCode::Io, "cannot create signalfd", err);
    }
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.u64 = SignalTag;
    epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
    return std::unique_ptr<SocketNet>(new SocketNet(ep, sfd));
}

SocketNet::SocketNet(int epollFd, int signalFd) : m_epoll(epollFd), m_signal(signalFd) {}

SocketNet::~SocketNet()
{
    for (auto& [id, socket] : m_conns)
        ::close(socket.fd);
    if (m_listen >= 0)
        ::close(m_listen);
    ::close(m_signal);
    ::close(m_epoll);
}

Status SocketNet::listen(std::uint16_t port)
{
    sockaddr_storage addr {};
    socklen_t addrLen = 0;
    int family = AF_INET;
    if (m_bindHost.find(':') != std::string::npos) {
        family = AF_INET6;
        auto* a6 = reinterpret_cast<sockaddr_in6*>(&addr);
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(port);
        if (inet_pton(AF_INET6, m_bindHost.c_str(), &a6->sin6_addr) != 1)
            return Error(ErrorCode::InvalidArgument, "listen address is not an IPv6 literal: ").append(m_bindHost);
        addrLen = sizeof(sockaddr_in6);
    } else {
        auto* a4 = reinterpret_cast<sockaddr_in*>(&addr);
        a4->sin_family = AF_INET;
        a4->sin_port = htons(port);
        if (inet_pton(AF_INET, m_bindHost.c_str(), &a4->sin_addr) != 1)
            return Error(ErrorCode::InvalidArgument, "listen address is not an IPv4 literal: ").append(m_bindHost);
        addrLen = sizeof(sockaddr_in);
    }
    int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return systemError(ErrorCode::Io, "cannot create socket", errno);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), addrLen) < 0) {
        int err = errno;
        ::close(fd);
        Error e = systemError(err == EADDRINUSE ? ErrorCode::AlreadyExists : ErrorCode::Io, "cannot listen on ", err);
        return Error(e.code(), "cannot listen on ").append(m_bindHost).append(":").appendNumber(port).append(" (").append(std::strerror(err)).append(")");
    }
    if (::listen(fd, 1024) < 0) {
        int err = errno;
        ::close(fd);
        return systemError(ErrorCode::Io, "listen failed", err);
    }
    sockaddr_storage bound {};
    socklen_t boundLen = sizeof bound;
    getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLen);
    m_boundPort = ntohs(family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                           : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.u64 = ListenTag;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    m_listen = fd;
    return success();
}

void SocketNet::acceptAll(const std::function<void(NetEvent, ConnId)>& handler)
{
    for (;;) {
        int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return; // EAGAIN, or a transient error (EMFILE): try again on the next event
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ConnId id = m_nextId++;
        if (m_nextId == 0)
            m_nextId = 1;
        epoll_event ev {};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u64 = id;
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        m_conns.emplace(id, Socket {fd, false});
        handler(NetEvent::Accepted, id);
    }
}

Result<SocketNet::WaitResult> SocketNet::wait(int timeoutMs, const std::function<void(NetEvent, ConnId)>& handler)
{
    // Many events per wait: the node makes all writes of one wait durable with one flush.
    constexpr int MaxEvents = 512;
    epoll_event events[MaxEvents];
    int n = epoll_wait(m_epoll, events, MaxEvents, timeoutMs);
    if (n < 0) {
        if (errno == EINTR)
            return WaitResult::Events;
        return systemError(ErrorCode::Io, "epoll_wait failed", errno);
    }
    if (n == 0)
        return WaitResult::Timeout;
    bool stop = false;
    for (int i = 0; i < n; ++i) {
        std::uint64_t tag = events[i].data.u64;
        if (tag == SignalTag) {
            signalfd_siginfo info {};
            while (::read(m_signal, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
                stop = true;
            continue;
        }
        if (tag == ListenTag) {
            acceptAll(handler);
            continue;
        }
        auto id = static_cast<ConnId>(tag);
        if (!m_conns.contains(id))
            continue;
        if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            handler(NetEvent::Readable, id);
        if (m_conns.contains(id) && (events[i].events & EPOLLOUT))
            handler(NetEvent::Writable, id);
    }
    return stop ? WaitResult::StopRequested : WaitResult::Events;
}

Result<std::size_t> SocketNet::read(ConnId id, std::span<std::uint8_t> out)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
        return Error(ErrorCode::NotFound, "no such connection");
    for (;;) {
        ssize_t n = ::recv(it->second.fd, out.data(), out.size(), 0);
        if (n > 0)
            return static_cast<std::size_t>(n);
        if (n == 0)
            return Error(ErrorCode::Unavailable, "peer closed the connection");
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return std::size_t {0};
        return systemError(ErrorCode::Io, "read failed", errno);
    }
}

Result<std::size_t> SocketNet::write(ConnId id, ByteView in)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
        return Error(ErrorCode::NotFound, "no such connection");
    for (;;) {
        ssize_t n = ::send(it->second.fd, in.data(), in.size(), MSG_NOSIGNAL);
        if (n >= 0)
            return static_cast<std::size_t>(n);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return std::size_t {0};
        return systemError(ErrorCode::Io, "write failed", errno);
    }
}

void SocketNet::wantWritable(ConnId id, bool want)
{
    auto it = m_conns.find(id);
    // Only changes cost a system call; the node asks after every flush.
    if (it == m_conns.end() || it->second.wantWritable == want)
        return;
    it->second.wantWritable = want;
    epoll_event ev {};
    ev.events = EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0u);
    ev.data.u64 = id;
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, it->second.fd, &ev);
}

void SocketNet::close(ConnId id)
{
    auto it = m_conns.find(id);
    if (it == m_conns.end())
        return;
    ::close(it->second.fd); // also removes it from the epoll set
    m_conns.erase(it);
}

} // namespace hive::node::hosted
