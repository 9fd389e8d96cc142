// Interoperability with an independent TCP (Linux's): our stack runs on a TAP device whose
// other end sits in a network namespace created for the test; Linux sockets in that
// namespace talk to our echo service and serve our client. Skipped (QSKIP, reported as
// skipped) when the machine gives no root, /dev/net/tun or `ip netns`.
#include "nettestutil.h"

#include <QProcess>
#include <QtTest>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace hive::net;
using namespace hive::net::test;

namespace {

const Ipv4Addr LinuxIp = Ipv4Addr::of(10, 213, 0, 1);
const Ipv4Addr OurIp = Ipv4Addr::of(10, 213, 0, 2);
constexpr std::uint16_t EchoPort = 7;
constexpr std::uint16_t LinuxPort = 5555;

Nanos monotonic()
{
    return static_cast<Nanos>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

bool run(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("ip"), args);
    return p.waitForFinished(5000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed)
{
    std::vector<std::uint8_t> v(n);
    std::uint32_t x = seed * 2654435761u + 1;
    for (auto& b : v) {
        x = x * 1103515245u + 12345u;
        b = static_cast<std::uint8_t>(x >> 16);
    }
    return v;
}

// Moves the calling thread into the namespace (only this thread: setns is per thread).
bool enterNamespace(const QString& ns)
{
    QByteArray path = QByteArrayLiteral("/var/run/netns/") + ns.toLatin1();
    int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = ::setns(fd, CLONE_NEWNET) == 0;
    ::close(fd);
    return ok;
}

sockaddr_in address(Ipv4Addr ip, std::uint16_t port)
{
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(ip.value);
    return a;
}

void setTimeouts(int fd)
{
    timeval tv {10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

} // namespace

class TestNetTap : public QObject {
    Q_OBJECT
private:
    QString m_ns;
    QByteArray m_tapName;
    int m_tap = -1;
    std::unique_ptr<Stack> m_stack;

    // Moves frames between the TAP device and the stack until done() or the wall deadline.
    template <typename Done, typename App>
    bool pump(Done done, App app, std::chrono::seconds limit)
    {
        auto end = std::chrono::steady_clock::now() + limit;
        std::vector<std::uint8_t> frame(2048);
        while (!done()) {
            if (std::chrono::steady_clock::now() > end)
                return false;
            Nanos now = monotonic();
            Nanos deadline = m_stack->nextDeadline();
            int timeout = 20;
            if (deadline != Never)
                timeout = deadline <= now ? 0 : static_cast<int>(std::min<Nanos>((deadline - now) / Millisecond + 1, 20));
            pollfd p {m_tap, POLLIN, 0};
            ::poll(&p, 1, timeout);
            for (;;) {
                ssize_t n = ::read(m_tap, frame.data(), frame.size());
                if (n <= 0)
                    break;
                m_stack->input(ByteSpan(frame.data(), static_cast<std::size_t>(n)), monotonic());
            }
            now = monotonic();
            if (m_stack->nextDeadline() <= now)
                m_stack->poll(now);
            app();
            while (auto f = m_stack->takeFrame())
                if (::write(m_tap, f->data(), f->size()) < 0)
                    qWarning("tap write failed");
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root for a TAP device and a network namespace");
        m_tap = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (m_tap < 0)
            QSKIP("/dev/net/tun is not available");
        m_ns = QStringLiteral("hivenet%1").arg(::getpid());
        if (!run({"netns", "add", m_ns}))
            QSKIP("`ip netns add` is not permitted here");
        ifreq ifr {};
        m_tapName = QByteArrayLiteral("hvtap") + QByteArray::number(::getpid() % 100000);
        std::memcpy(ifr.ifr_name, m_tapName.constData(), static_cast<std::size_t>(m_tapName.size()));
        ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
        QVERIFY2(::ioctl(m_tap, TUNSETIFF, &ifr) == 0, "TUNSETIFF failed");
        // Linux's end of the wire lives in the namespace; our stack keeps the file descriptor.
        QVERIFY(run({"link", "set", QString::fromLatin1(m_tapName), "netns", m_ns}));
        QVERIFY(run({"-n", m_ns, "addr", "add", "10.213.0.1/24", "dev", QString::fromLatin1(m_tapName)}));
        QVERIFY(run({"-n", m_ns, "link", "set", QString::fromLatin1(m_tapName), "up"}));
        QVERIFY(run({"-n", m_ns, "link", "set", "lo", "up"}));

        auto config = stackConfig(MacAddr {{0x02, 0x48, 0x49, 0x56, 0x45, 0x01}}, 7);
        config.tcp.minRto = 200 * Millisecond; // a LAN; keeps a lost frame from stalling the test
        m_stack = std::make_unique<Stack>(config);
        m_stack->configureStatic({OurIp, Ipv4Addr::of(255, 255, 255, 0), LinuxIp, Ipv4Addr::any()}, monotonic());
    }

    void cleanupTestCase()
    {
        m_stack.reset();
        if (m_tap >= 0)
            ::close(m_tap);
        if (!m_ns.isEmpty())
            run({"netns", "del", m_ns});
    }

    void linuxClientTalksToOurEchoService()
    {
        auto listener = m_stack->listen(EchoPort);
        QVERIFY(listener.ok());
        const auto sent = pattern(200 * 1024, 1);
        std::atomic<bool> finished {false};
        std::atomic<int> stage {0};
        std::vector<std::uint8_t> echoed;
        std::thread client([&] {
            if (!enterNamespace(m_ns)) {
                finished = true;
                return;
            }
            int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            setTimeouts(fd);
            auto to = address(OurIp, EchoPort);
            if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
                stage = 1;
                // Write and read concurrently enough: our echo buffers at most one window.
                std::size_t off = 0;
                std::vector<std::uint8_t> buf(65536);
                while (echoed.size() < sent.size()) {
                    if (off < sent.size()) {
                        ssize_t w = ::send(fd, sent.data() + off, std::min<std::size_t>(16384, sent.size() - off), MSG_DONTWAIT);
                        if (w > 0)
                            off += static_cast<std::size_t>(w);
                    }
                    ssize_t r = ::recv(fd, buf.data(), buf.size(), off < sent.size() ? MSG_DONTWAIT : 0);
                    if (r > 0)
                        echoed.insert(echoed.end(), buf.begin(), buf.begin() + r);
                    else if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                        break;
                    else
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                stage = 2;
                ::shutdown(fd, SHUT_WR);
                char c;
                if (::recv(fd, &c, 1, 0) == 0)
                    stage = 3; // clean end of stream after our close
            }
            ::close(fd);
            finished = true;
        });
        std::vector<SocketId> conns;
        std::uint8_t buf[4096];
        std::vector<std::uint8_t> pending;
        bool ok = pump([&] { return finished.load(); },
                       [&] {
                           while (auto e = m_stack->nextEvent())
                               if (e->kind == EventKind::Acceptable)
                                   while (auto c = m_stack->accept(*listener))
                                       conns.push_back(*c);
                           for (SocketId c : conns) {
                               auto n = m_stack->read(c, buf);
                               if (n.ok() && *n > 0)
                                   pending.insert(pending.end(), buf, buf + *n);
                               if (!pending.empty()) {
                                   auto w = m_stack->write(c, pending);
                                   if (w.ok())
                                       pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(*w));
                               }
                               if (!n.ok() && pending.empty() && m_stack->state(c) == TcpState::CloseWait)
                                   m_stack->close(c);
                           }
                       },
                       std::chrono::seconds(30));
        client.join();
        QVERIFY2(ok, "timed out");
        QCOMPARE(stage.load(), 3);
        QCOMPARE(echoed.size(), sent.size());
        QVERIFY(echoed == sent);
        m_stack->close(*listener);
    }

    void ourClientTalksToLinuxServer()
    {
        const auto body = pattern(300 * 1024, 2);
        std::atomic<bool> listening {false}, finished {false};
        std::atomic<std::size_t> received {0};
        std::thread server([&] {
            if (!enterNamespace(m_ns)) {
                finished = true;
                return;
            }
            int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            int one = 1;
            ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            auto at = address(LinuxIp, LinuxPort);
            if (::bind(l, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0 && ::listen(l, 1) == 0) {
                listening = true;
                pollfd p {l, POLLIN, 0};
                if (::poll(&p, 1, 15000) == 1) {
                    int c = ::accept(l, nullptr, nullptr);
                    setTimeouts(c);
                    // Read what the client says first (its length), then send the body and close.
                    std::uint8_t hello[5];
                    std::size_t got = 0;
                    while (got < sizeof hello) {
                        ssize_t r = ::recv(c, hello + got, sizeof hello - got, 0);
                        if (r <= 0)
                            break;
                        got += static_cast<std::size_t>(r);
                    }
                    received = got;
                    std::size_t off = 0;
                    while (off < body.size()) {
                        ssize_t w = ::send(c, body.data() + off, body.size() - off, 0);
                        if (w <= 0)
                            break;
                        off += static_cast<std::size_t>(w);
                    }
                    ::close(c);
                }
            }
            ::close(l);
            finished = true;
        });
        auto start = std::chrono::steady_clock::now();
        while (!listening && !finished && std::chrono::steady_clock::now() - start < std::chrono::seconds(5))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QVERIFY(listening.load());
        auto id = m_stack->connect(LinuxIp, LinuxPort);
        QVERIFY(id.ok());
        std::vector<std::uint8_t> got;
        bool sentHello = false, eof = false;
        std::uint8_t buf[8192];
        bool ok = pump([&] { return eof && finished.load(); },
                       [&] {
                           while (m_stack->nextEvent()) {
                           }
                           if (!sentHello && m_stack->state(*id) == TcpState::Established)
                               sentHello = m_stack->write(*id, hive::asBytes("hello")).valueOr(0) == 5;
                           for (;;) {
                               auto n = m_stack->read(*id, buf);
                               if (!n.ok()) {
                                   eof = n.error().code() == hive::ErrorCode::Unavailable;
                                   if (eof && m_stack->state(*id) == TcpState::CloseWait)
                                       m_stack->close(*id);
                                   break;
                               }
                               if (*n == 0)
                                   break;
                               got.insert(got.end(), buf, buf + *n);
                           }
                       },
                       std::chrono::seconds(30));
        server.join();
        QVERIFY2(ok, "timed out");
        QCOMPARE(received.load(), std::size_t {5});
        QCOMPARE(got.size(), body.size());
        QVERIFY(got == body);
    }
};

QTEST_GUILESS_MAIN(TestNetTap)
#include "test_tap.moc"
