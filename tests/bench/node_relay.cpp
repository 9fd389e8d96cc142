// Benchmark node_relay: one hive-node relaying 1 KiB envelopes for 1, 10, 100 and 1000
// concurrent clients on loopback, against mosquitto (QoS 1) doing the same in the same run.
//
// One message = the sender hands 1 KiB to the relay and gets it back out of it:
//   hive:      mailbox.post (acknowledged once durable) -> mailbox.fetch returns it -> the
//              client acks it (pipelined with its next post)
//   mosquitto: PUBLISH QoS 1 to the client's own topic -> PUBACK and the delivered PUBLISH
//              (which the client PUBACKs)
// Each client keeps one message in flight; latency is from the send of the post/publish to
// the arrival of the fetched/delivered copy. Hive clients are the owner's devices (friends'
// posts are rate limited per sender by design). Also printed: the resident memory of each
// server with 1000 idle connections, minus its memory with none.
//
// The clients are one epoll loop in this process using wire/noise.h and wire/frame.h
// directly (and a minimal MQTT 3.1.1 codec). Not a pass/fail test (label bench).
//
// Usage: node_relay --node PATH [--mosquitto PATH] [--seconds S] [--clients 1,10,100,1000] [--mosquitto-only]
#include "wire/base32.h"
#include "wire/bytes.h"
#include "wire/frame.h"
#include "wire/grant.h"
#include "wire/nodeaddress.h"
#include "wire/nodeprotocol.h"
#include "wire/noise.h"

#include <sodium.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <spawn.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace hive;
using namespace hive::wire;
using Clock = std::chrono::steady_clock;
namespace proto = hive::wire::proto;

namespace {

constexpr std::size_t EnvelopeSize = 1024;

// Servers this process started: die() ends them (by pid) and shows what they logged.
std::vector<std::pair<pid_t, int>> g_children;

[[noreturn]] void die(const std::string& message)
{
    std::fprintf(stderr, "node_relay: %s\n", message.c_str());
    for (auto [pid, output] : g_children) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            std::fprintf(stderr, "pid %d had ended: %s %d\n", static_cast<int>(pid),
                         WIFSIGNALED(status) ? "signal" : "exit code", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        char buffer[4096];
        ssize_t n;
        std::string tail;
        while ((n = ::read(output, buffer, sizeof buffer)) > 0)
            tail.append(buffer, static_cast<std::size_t>(n));
        if (tail.size() > 2000)
            tail = tail.substr(tail.size() - 2000);
        std::fprintf(stderr, "--- log of pid %d (last lines):\n%s\n", static_cast<int>(pid), tail.c_str());
    }
    std::exit(1);
}

// ---- processes ----

struct Child {
    pid_t pid = 0;
    int output = -1; // read end of its stderr+stdout
};

Child spawn(const std::vector<std::string>& argv)
{
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        die("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
    posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    Child child;
    if (posix_spawn(&child.pid, args[0], &actions, nullptr, args.data(), environ) != 0)
        die("cannot start " + argv[0]);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    child.output = pipeFds[0];
    ::fcntl(child.output, F_SETFL, O_NONBLOCK);
    g_children.emplace_back(child.pid, child.output);
    return child;
}

int waitExit(pid_t pid)
{
    int status = 0;
    for (int i = 0; i < 100; ++i) {
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        ::usleep(50000);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
}

// Reads the child's output until `marker` shows up (10 s at most); returns what was read.
std::string readUntil(int fd, const std::string& marker)
{
    std::string text;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    while (Clock::now() < deadline && text.find(marker) == std::string::npos) {
        char buffer[4096];
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0)
            text.append(buffer, static_cast<std::size_t>(n));
        else
            ::usleep(10000);
    }
    return text;
}

// Keeps a child's pipe from filling up.
void drain(int fd)
{
    char buffer[4096];
    while (::read(fd, buffer, sizeof buffer) > 0) {
    }
}

long rssKiB(pid_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

std::uint16_t freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// ---- connections ----

enum class Kind { Hive, Mqtt };

struct Stats {
    std::vector<double> latenciesMs;
    std::uint64_t messages = 0;
    std::uint64_t errors = 0;
};

struct Conn {
    int fd = -1;
    bool connected = false;
    bool ready = false; // handshake/subscription done
    bool inFlight = false;
    Bytes out;
    std::size_t outOffset = 0;
    Clock::time_point sentAt;
    // hive
    std::optional<noise::HandshakeState> handshake;
    std::unique_ptr<noise::Transport> transport;
    RecordReader records;
    std::unique_ptr<FrameDecoder> decoder;
    std::unique_ptr<FrameEncoder> encoder;
    proto::MailboxId mailbox {};
    std::uint64_t lastId = 0;
    std::uint64_t nextRequest = 1;
    // mqtt
    Bytes in;
    std::uint16_t packetId = 0;
    bool pubAcked = false;
    bool delivered = false;
    std::string topic;
};

class Bench {
public:
    Bench(Kind kind, std::uint16_t port) : m_kind(kind), m_port(port)
    {
        m_epoll = ::epoll_create1(0);
        m_envelope.resize(EnvelopeSize);
        randombytes_buf(m_envelope.data(), m_envelope.size());
    }
    ~Bench()
    {
        closeAll();
        ::close(m_epoll);
    }

    // For hive: the node's key and an owner key to certify each client's Noise key.
    void setHive(const NodeAddress& address, const SigningKey& owner)
    {
        m_nodeKey = address.key;
        m_owner = owner;
    }

    // Opens n connections and completes their handshakes (30 s at most).
    bool open(std::size_t n)
    {
        m_conns.resize(n);
        std::size_t started = 0;
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while (Clock::now() < deadline) {
            // Start connections in batches so the listen backlog never overflows.
            std::size_t pending = 0;
            for (std::size_t i = 0; i < started; ++i)
                pending += m_conns[i].ready ? 0u : 1u;
            while (started < n && pending < 64) {
                startConnection(started++);
                ++pending;
            }
            if (started == n && pending == 0)
                return true;
            poll(10);
        }
        std::size_t ready = 0;
        for (const Conn& c : m_conns)
            ready += c.ready ? 1u : 0u;
        std::fprintf(stderr, "node_relay: %zu of %zu connections ready after 30 s\n", ready, n);
        return false;
    }

    // Runs the message loop for `seconds`, then lets in-flight messages finish.
    Stats run(double seconds)
    {
        m_stats = {};
        m_running = true;
        for (std::size_t i = 0; i < m_conns.size(); ++i)
            sendMessage(i);
        const auto start = Clock::now();
        const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
        while (Clock::now() < end)
            poll(5);
        m_running = false;
        m_elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const auto drainEnd = Clock::now() + std::chrono::seconds(5);
        while (Clock::now() < drainEnd && std::any_of(m_conns.begin(), m_conns.end(), [](const Conn& c) { return c.inFlight; }))
            poll(5);
        return m_stats;
    }
    double elapsed() const { return m_elapsed; }

    void closeAll()
    {
        for (Conn& c : m_conns) {
            if (c.fd >= 0)
                ::close(c.fd);
        }
        m_conns.clear();
    }

private:
    void startConnection(std::size_t i)
    {
        Conn& c = m_conns[i];
        c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c.fd < 0)
            die(std::string("socket: ") + std::strerror(errno));
        const int one = 1;
        ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_port = htons(m_port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::connect(c.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        epoll_event ev {};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.u64 = i;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &ev);
    }

    void poll(int timeoutMs)
    {
        // The servers log to pipes this process reads: a full pipe would block a server in
        // write(2) (at 1000 clients hive-node's "connected" lines fill 64 KiB mid-handshakes).
        for (const auto& [pid, output] : g_children)
            drain(output);
        epoll_event events[256];
        const int n = ::epoll_wait(m_epoll, events, 256, timeoutMs);
        for (int k = 0; k < n; ++k) {
            const std::size_t i = events[k].data.u64;
            Conn& c = m_conns[i];
            if (events[k].events & (EPOLLERR | EPOLLHUP))
                die("a connection failed (is the server still running?)");
            if (events[k].events & EPOLLOUT) {
                if (!c.connected) {
                    c.connected = true;
                    onConnected(i);
                }
                flush(i);
            }
            if (events[k].events & EPOLLIN)
                onReadable(i);
        }
    }

    void send(std::size_t i, ByteView bytes)
    {
        Conn& c = m_conns[i];
        c.out.insert(c.out.end(), bytes.begin(), bytes.end());
        flush(i);
    }

    void flush(std::size_t i)
    {
        Conn& c = m_conns[i];
        while (c.outOffset < c.out.size()) {
            const ssize_t n = ::send(c.fd, c.out.data() + c.outOffset, c.out.size() - c.outOffset, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            c.outOffset += static_cast<std::size_t>(n);
        }
        if (c.outOffset == c.out.size()) {
            c.out.clear();
            c.outOffset = 0;
        }
        epoll_event ev {};
        ev.events = EPOLLIN | (c.out.empty() && c.connected ? 0u : static_cast<std::uint32_t>(EPOLLOUT));
        ev.data.u64 = i;
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
    }

    void onConnected(std::size_t i)
    {
        Conn& c = m_conns[i];
        if (m_kind == Kind::Hive) {
            noise::KeyPair key = noise::KeyPair::generate();
            auto hs = noise::HandshakeState::create(noise::Role::Initiator, {}, key, m_nodeKey);
            if (!hs)
                die("handshake setup failed");
            c.handshake.emplace(std::move(hs).value());
            proto::ClientHello hello;
            const auto now = static_cast<std::uint64_t>(std::time(nullptr));
            hello.certificate = proto::DeviceCertificate::issue(m_owner, key.publicKey, now - 3600, now + 3600);
            auto message = c.handshake->writeMessage(hello.encode());
            if (!message)
                die("handshake write failed");
            Bytes record;
            appendRecord(record, *message);
            randombytes_buf(c.mailbox.data(), c.mailbox.size());
            send(i, record);
        } else {
            c.topic = "bench/" + std::to_string(i) + "/" + std::to_string(m_round);
            Bytes body;
            const std::string id = "nr" + std::to_string(i) + "-" + std::to_string(m_round);
            appendString(body, "MQTT");
            body.push_back(4);    // protocol level 3.1.1
            body.push_back(0x02); // clean session
            body.push_back(0);
            body.push_back(60);
            appendString(body, id);
            sendMqtt(i, 0x10, body);
        }
    }

    void onReadable(std::size_t i)
    {
        Conn& c = m_conns[i];
        std::uint8_t buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
            if (n == 0)
                die("the server closed a connection");
            if (n < 0)
                break;
            const ByteView data(buffer, static_cast<std::size_t>(n));
            if (m_kind == Kind::Hive)
                onHiveBytes(i, data);
            else
                onMqttBytes(i, data);
        }
    }

    // ---- hive ----

    void onHiveBytes(std::size_t i, ByteView data)
    {
        Conn& c = m_conns[i];
        c.records.append(data);
        for (;;) {
            auto record = c.records.next();
            if (!record)
                die(std::string("bad record: ") + record.error().message());
            if (!*record)
                break;
            if (c.handshake) {
                auto payload = c.handshake->readMessage(**record);
                if (!payload)
                    die(std::string("handshake failed: ") + payload.error().message());
                auto hello = proto::NodeHello::decode(*payload);
                if (!hello || hello->status != ErrorCode::Ok)
                    die("the node refused a client");
                auto transport = c.handshake->split();
                if (!transport)
                    die("split failed");
                c.handshake.reset();
                c.transport = std::make_unique<noise::Transport>(std::move(transport).value());
                c.decoder = std::make_unique<FrameDecoder>(c.transport->receive);
                c.encoder = std::make_unique<FrameEncoder>(c.transport->send);
                sendFrame(i, helloFrame());
                continue;
            }
            if (!c.decoder->feedRecord(**record))
                die("bad frame");
            while (auto frame = c.decoder->next())
                onHiveFrame(i, *frame);
        }
    }

    void sendFrame(std::size_t i, const Frame& frame)
    {
        auto bytes = m_conns[i].encoder->encode(frame);
        if (!bytes)
            die("encode failed");
        send(i, *bytes);
    }

    void hiveRequest(std::size_t i, proto::MailboxMethod method, Bytes payload)
    {
        Conn& c = m_conns[i];
        sendFrame(i, proto::requestFrame(1, c.nextRequest++, proto::Service::Mailbox, static_cast<std::uint16_t>(method),
                                         std::move(payload)));
    }

    void onHiveFrame(std::size_t i, const Frame& frame)
    {
        Conn& c = m_conns[i];
        if (frame.kind == FrameKind::Hello) {
            c.ready = true;
            return;
        }
        if (frame.kind == FrameKind::Error) {
            ++m_stats.errors;
            const Error e = decodeErrorPayload(frame.payload);
            die(std::string("the node answered with an error: ") + e.message());
        }
        switch (static_cast<proto::MailboxMethod>(frame.method)) {
        case proto::MailboxMethod::Post: {
            proto::MailboxFetch fetch;
            fetch.mailbox = c.mailbox;
            fetch.after = c.lastId;
            fetch.limit = 16;
            hiveRequest(i, proto::MailboxMethod::Fetch, fetch.encode());
            break;
        }
        case proto::MailboxMethod::Fetch: {
            auto result = proto::MailboxFetchResult::decode(frame.payload);
            if (!result || result->envelopes.empty())
                die("fetch did not return the posted envelope");
            proto::MailboxAck ack;
            ack.mailbox = c.mailbox;
            for (const auto& e : result->envelopes) {
                ack.ids.push_back(e.id);
                c.lastId = std::max(c.lastId, e.id);
            }
            record(i, result->envelopes.size());
            hiveRequest(i, proto::MailboxMethod::Ack, ack.encode());
            sendMessage(i);
            break;
        }
        default: // acks; the bench sends no other request
            break;
        }
    }

    // ---- mqtt ----

    static void appendString(Bytes& out, const std::string& s)
    {
        out.push_back(static_cast<std::uint8_t>(s.size() >> 8));
        out.push_back(static_cast<std::uint8_t>(s.size() & 0xff));
        out.insert(out.end(), s.begin(), s.end());
    }

    void sendMqtt(std::size_t i, std::uint8_t header, const Bytes& body)
    {
        Bytes packet;
        packet.reserve(body.size() + 5);
        packet.push_back(header);
        std::size_t length = body.size();
        do {
            std::uint8_t b = static_cast<std::uint8_t>(length % 128);
            length /= 128;
            if (length > 0)
                b |= 0x80;
            packet.push_back(b);
        } while (length > 0);
        packet.insert(packet.end(), body.begin(), body.end());
        send(i, packet);
    }

    void onMqttBytes(std::size_t i, ByteView data)
    {
        Conn& c = m_conns[i];
        c.in.insert(c.in.end(), data.begin(), data.end());
        std::size_t offset = 0;
        for (;;) {
            // Fixed header: type byte + 1..4 byte remaining length.
            if (c.in.size() - offset < 2)
                break;
            std::size_t length = 0;
            std::size_t shift = 0;
            std::size_t pos = offset + 1;
            bool complete = false;
            while (pos < c.in.size() && pos < offset + 5) {
                const std::uint8_t b = c.in[pos++];
                length |= static_cast<std::size_t>(b & 0x7f) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete || c.in.size() - pos < length)
                break;
            onMqttPacket(i, c.in[offset], ByteView(c.in.data() + pos, length));
            offset = pos + length;
        }
        c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(offset));
    }

    void onMqttPacket(std::size_t i, std::uint8_t header, ByteView body)
    {
        Conn& c = m_conns[i];
        switch (header >> 4) {
        case 2: { // CONNACK
            if (body.size() < 2 || body[1] != 0)
                die("mosquitto refused a connection");
            Bytes sub;
            sub.push_back(0);
            sub.push_back(1);
            appendString(sub, c.topic);
            sub.push_back(1); // QoS 1
            sendMqtt(i, 0x82, sub);
            break;
        }
        case 9: // SUBACK
            if (body.size() < 3 || body[2] != 1)
                die("mosquitto refused a subscription");
            c.ready = true;
            break;
        case 4: // PUBACK of our publish
            c.pubAcked = true;
            maybeNextMqtt(i);
            break;
        case 3: { // a delivered PUBLISH
            const std::size_t topicLength = body.size() >= 2 ? (std::size_t(body[0]) << 8 | body[1]) : 0;
            const unsigned qos = (header >> 1) & 3;
            if (qos > 0 && body.size() >= 4 + topicLength) {
                Bytes ack {body[2 + topicLength], body[3 + topicLength]};
                sendMqtt(i, 0x40, ack);
            }
            c.delivered = true;
            record(i, 1);
            maybeNextMqtt(i);
            break;
        }
        default:
            break;
        }
    }

    void maybeNextMqtt(std::size_t i)
    {
        Conn& c = m_conns[i];
        if (c.pubAcked && c.delivered)
            sendMessage(i);
    }

    // ---- both ----

    void record(std::size_t i, std::size_t count)
    {
        Conn& c = m_conns[i];
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - c.sentAt).count();
        c.inFlight = false;
        if (m_running) {
            m_stats.messages += count;
            m_stats.latenciesMs.push_back(ms);
        }
    }

    void sendMessage(std::size_t i)
    {
        Conn& c = m_conns[i];
        if (!m_running || c.inFlight)
            return;
        c.inFlight = true;
        c.sentAt = Clock::now();
        // Distinct bytes per message, so nothing can be deduplicated.
        m_envelope[0]++;
        if (m_kind == Kind::Hive) {
            proto::MailboxPost post;
            post.mailbox = c.mailbox;
            post.envelope = m_envelope;
            hiveRequest(i, proto::MailboxMethod::Post, post.encode());
        } else {
            c.pubAcked = false;
            c.delivered = false;
            c.packetId = static_cast<std::uint16_t>(c.packetId % 65535 + 1);
            Bytes body;
            appendString(body, c.topic);
            body.push_back(static_cast<std::uint8_t>(c.packetId >> 8));
            body.push_back(static_cast<std::uint8_t>(c.packetId & 0xff));
            body.insert(body.end(), m_envelope.begin(), m_envelope.end());
            sendMqtt(i, 0x32, body);
        }
    }

public:
    int m_round = 0;

private:
    Kind m_kind;
    std::uint16_t m_port;
    int m_epoll = -1;
    std::vector<Conn> m_conns;
    Bytes m_envelope;
    noise::PublicKey m_nodeKey {};
    SigningKey m_owner;
    Stats m_stats;
    bool m_running = false;
    double m_elapsed = 0;
};

struct Row {
    double rate = 0;
    double p50 = 0;
    double p99 = 0;
    std::uint64_t messages = 0;
};

Row summarize(Stats stats, double seconds)
{
    Row row;
    row.messages = stats.messages;
    row.rate = static_cast<double>(stats.messages) / seconds;
    auto& l = stats.latenciesMs;
    if (!l.empty()) {
        std::sort(l.begin(), l.end());
        row.p50 = l[l.size() / 2];
        row.p99 = l[std::min(l.size() - 1, l.size() * 99 / 100)];
    }
    return row;
}

struct Server {
    Child child;
    std::uint16_t port = 0;
    long idleRss = 0; // KiB with no connections
};

std::vector<std::size_t> parseCounts(const std::string& text)
{
    std::vector<std::size_t> counts;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t comma = text.find(',', start);
        counts.push_back(std::strtoul(text.substr(start, comma - start).c_str(), nullptr, 10));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return counts;
}

} // namespace

int main(int argc, char** argv)
{
    std::string nodePath;
    std::string mosquittoPath = "/usr/sbin/mosquitto";
    double seconds = 3;
    std::vector<std::size_t> counts {1, 10, 100, 1000};
    bool mosquittoOnly = false; // to check the peer's half on its own
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--node" && hasValue)
            nodePath = argv[++i];
        else if (a == "--mosquitto" && hasValue)
            mosquittoPath = argv[++i];
        else if (a == "--seconds" && hasValue)
            seconds = std::strtod(argv[++i], nullptr);
        else if (a == "--mosquitto-only")
            mosquittoOnly = true;
        else if (a == "--clients" && hasValue)
            counts = parseCounts(argv[++i]);
        else {
            std::fprintf(stderr, "usage: node_relay --node PATH [--mosquitto PATH] [--seconds S] [--clients 1,10,100,1000] [--mosquitto-only]\n");
            return 2;
        }
    }
    if (nodePath.empty() || sodium_init() < 0)
        die("--node PATH is required");
    if (::access(mosquittoPath.c_str(), X_OK) != 0)
        die("mosquitto not found at " + mosquittoPath + " (scripts/setup installs it)");
    std::signal(SIGPIPE, SIG_IGN);
    // 1000 clients, and the servers (which inherit it) 1000 connections each.
    rlimit limit {};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    const std::size_t maxClients = *std::max_element(counts.begin(), counts.end());
    if (limit.rlim_cur < maxClients + 64)
        die("the open-file limit is too low for " + std::to_string(maxClients) + " clients");

    char dirTemplate[] = "/tmp/node_relay-XXXXXX";
    const std::string dir = ::mkdtemp(dirTemplate);

    // hive-node, sandboxed as deployed.
    const SigningKey owner = SigningKey::generate();
    const std::string ownerText = base32::encode(owner.publicKey);
    Child init = spawn({nodePath, "init", "--data", dir + "/node", "--owner", ownerText, "--size", "256M"});
    if (waitExit(init.pid) != 0)
        die("hive-node init failed: " + readUntil(init.output, "\n"));
    Server hive;
    hive.child = spawn({nodePath, "run", "--data", dir + "/node", "--listen", "127.0.0.1:0"});
    const std::string log = readUntil(hive.child.output, "sandbox on");
    const std::size_t at = log.find("listening on ");
    if (at == std::string::npos)
        die("hive-node did not start: " + log);
    auto address = NodeAddress::parse(log.substr(at + 13, log.find('\n', at) - at - 13));
    if (!address)
        die("cannot parse the node's address");
    hive.port = address->port;

    Server mqtt;
    mqtt.port = freePort();
    {
        std::ofstream config(dir + "/mosquitto.conf");
        config << "listener " << mqtt.port << " 127.0.0.1\nallow_anonymous true\npersistence false\n"
               << "max_queued_messages 10000\nlog_dest stderr\nlog_type error\nlog_type warning\n";
    }
    mqtt.child = spawn({mosquittoPath, "-c", dir + "/mosquitto.conf"});
    ::usleep(500000); // mosquitto up, both idle
    hive.idleRss = rssKiB(hive.child.pid);
    mqtt.idleRss = rssKiB(mqtt.child.pid);

    std::printf("node_relay: 1 KiB envelopes through one server on loopback; one message in flight per client,\n"
                "%.0f s per row. hive: mailbox post (durable) + fetch + ack over Noise; mosquitto: QoS 1 publish\n"
                "to the client's own topic + delivery, plaintext, no persistence.\n\n",
                seconds);
    std::printf("%8s | %12s %9s %9s | %12s %9s %9s | %8s\n", "clients", "hive msg/s", "p50 ms", "p99 ms", "mqtt msg/s",
                "p50 ms", "p99 ms", "hive/mqtt");
    std::printf("---------+----------------------------------+----------------------------------+---------\n");
    long hiveRssLoaded = -1, mqttRssLoaded = -1;
    std::size_t rssClients = 0;
    int round = 0;
    for (std::size_t n : counts) {
        Row rows[2];
        for (int k = mosquittoOnly ? 1 : 0; k < 2; ++k) {
            const Kind kind = k == 0 ? Kind::Hive : Kind::Mqtt;
            Bench bench(kind, k == 0 ? hive.port : mqtt.port);
            bench.m_round = ++round;
            bench.setHive(*address, owner);
            if (!bench.open(n))
                die("could not open " + std::to_string(n) + " connections");
            if (n == maxClients) {
                ::usleep(300000);
                const Server& server = k == 0 ? hive : mqtt;
                const long loaded = rssKiB(server.child.pid);
                (k == 0 ? hiveRssLoaded : mqttRssLoaded) = loaded;
                rssClients = n;
                // Printed right away so the figure survives a failure under load.
                std::fprintf(stderr, "%s with %zu idle connections: VmRSS %ld -> %ld KiB (%.1f KiB per connection)\n",
                             k == 0 ? "hive-node" : "mosquitto", n, server.idleRss, loaded,
                             static_cast<double>(loaded - server.idleRss) / static_cast<double>(n));
            }
            Stats stats = bench.run(seconds);
            rows[k] = summarize(std::move(stats), bench.elapsed());
            drain(hive.child.output);
            drain(mqtt.child.output);
        }
        std::printf("%8zu | %12.0f %9.2f %9.2f | %12.0f %9.2f %9.2f | %8.2f\n", n, rows[0].rate, rows[0].p50, rows[0].p99,
                    rows[1].rate, rows[1].p50, rows[1].p99, rows[1].rate > 0 ? rows[0].rate / rows[1].rate : 0.0);
        std::fflush(stdout);
    }
    if (rssClients > 0) {
        const auto perConn = [&](long loaded, long idle) {
            return static_cast<double>(loaded - idle) / static_cast<double>(rssClients);
        };
        std::printf("\nresident memory with %zu idle connections (VmRSS, KiB): hive-node %ld -> %ld (%.1f KiB per "
                    "connection), mosquitto %ld -> %ld (%.1f KiB per connection)\n",
                    rssClients, hive.idleRss, hiveRssLoaded, perConn(hiveRssLoaded, hive.idleRss), mqtt.idleRss,
                    mqttRssLoaded, perConn(mqttRssLoaded, mqtt.idleRss));
    }

    ::kill(hive.child.pid, SIGTERM);
    ::kill(mqtt.child.pid, SIGTERM);
    const int hiveExit = waitExit(hive.child.pid);
    waitExit(mqtt.child.pid);
    std::string cleanup = "rm -rf '" + dir + "'";
    if (std::system(cleanup.c_str()) != 0)
        std::fprintf(stderr, "node_relay: could not remove %s\n", dir.c_str());
    if (hiveExit != 0)
        die("hive-node did not exit cleanly on SIGTERM");
    return 0;
}
