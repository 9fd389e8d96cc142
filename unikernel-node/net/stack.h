// The node's TCP/IP stack: Ethernet II, ARP, IPv4, ICMP, UDP, DHCP client and TCP, as one
// pure state machine. The driver loop does:
//
//     stack.input(frame, now);            // for every received Ethernet frame
//     stack.poll(now);                    // when nextDeadline() has passed
//     while (auto f = stack.takeFrame())  // after either: transmit what the stack produced
//         nic.send(*f);
//     while (auto e = stack.nextEvent())  // and hand events to the application
//
// Time is always passed in (a monotonic clock in nanoseconds) and randomness is injected
// through Config::secret; nothing here reads a clock, allocates outside operator new,
// throws, or touches the OS. Calls without `now` (write, close, ...) use the time of the
// latest input()/poll().
#pragma once

#include "net/arpcache.h"
#include "net/dhcp.h"
#include "net/siphash.h"
#include "net/tcpconnection.h"
#include "wire/bytes.h"
#include "wire/result.h"

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace hive::net {

using SocketId = std::uint32_t; // 0 is never a valid socket

enum class EventKind : std::uint8_t {
    Acceptable,      // a listener has a connection ready for accept()
    Connected,       // an active open (connect) reached ESTABLISHED
    Readable,        // data or end of stream (read() then fails with Unavailable)
    Writable,        // send buffer space freed
    Closed,          // connection reached CLOSED; the id stays valid until close()
    UdpReadable,     // a datagram waits in udpReceive()
    AddressAcquired, // the interface has an address (static or DHCP); socket is 0
    AddressLost,     // the DHCP lease ended; socket is 0
};

struct Event {
    EventKind kind;
    SocketId socket;
};

struct Datagram {
    Ipv4Addr src;
    std::uint16_t srcPort = 0;
    std::vector<std::uint8_t> data;
};

// Why frames were dropped or what was done, for diagnostics and tests.
struct StackStats {
    std::uint64_t framesIn = 0;
    std::uint64_t framesOut = 0;
    std::uint64_t badChecksum = 0;  // IPv4 header, ICMP, UDP or TCP checksum failed
    std::uint64_t malformed = 0;    // truncated or inconsistent headers
    std::uint64_t fragments = 0;    // IPv4 fragments (never reassembled)
    std::uint64_t notForUs = 0;     // other MAC / other IP / unknown EtherType or protocol
    std::uint64_t noSocket = 0;     // answered with RST or ICMP port unreachable
    std::uint64_t txQueueFull = 0;
    std::uint64_t arpUnresolved = 0; // frames dropped because an address never resolved
    std::uint64_t noRoute = 0;
    std::uint64_t udpQueueFull = 0;
    std::uint64_t echoReplies = 0;  // ICMP echo replies received (answers to ping())
    TcpStats tcp;
};

class Stack final : private TcpSegmentSink {
public:
    struct Config {
        MacAddr mac;
        // 32 random bytes from the platform's entropy source: half keys the RFC 6528 ISN
        // hash, half seeds the generator for ports and DHCP transaction ids.
        std::array<std::uint8_t, 32> secret {};
        TcpConfig tcp;
        ArpConfig arp;
        std::uint8_t ttl = 64;
        std::size_t txQueueLimit = 1024;   // frames waiting for takeFrame()
        std::size_t udpQueueLimit = 64;    // datagrams per UDP socket
        std::size_t maxConnections = 256;
    };

    explicit Stack(const Config& config);
    ~Stack() override;
    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;

    // Interface configuration.
    void configureStatic(const Ipv4Config& config, Nanos now);
    void startDhcp(Nanos now);
    std::optional<Ipv4Config> address() const;
    MacAddr mac() const { return m_config.mac; }
    const DhcpClient& dhcp() const { return m_dhcp; }

    // Driving the state machine.
    void input(ByteSpan frame, Nanos now);
    void poll(Nanos now);
    Nanos nextDeadline() const;
    std::optional<std::vector<std::uint8_t>> takeFrame();
    // Puts a frame the device could not take (transmit ring full) back at the head of the
    // queue, so it goes out first next time instead of costing a retransmission timeout.
    void returnFrame(std::vector<std::uint8_t> frame);
    std::size_t queuedFrames() const { return m_tx.size(); }
    std::optional<Event> nextEvent();

    // TCP.
    Result<SocketId> listen(std::uint16_t port, std::uint32_t backlog = 16);
    // Next established connection of a listener, if any.
    std::optional<SocketId> accept(SocketId listener);
    Result<SocketId> connect(Ipv4Addr remote, std::uint16_t port);
    // Bytes read (0 = nothing now); Unavailable at end of stream, Io after a reset,
    // Timeout after the peer stopped answering.
    Result<std::size_t> read(SocketId id, std::span<std::uint8_t> out);
    // Bytes queued (may be fewer than data.size(), 0 when the buffer is full).
    Result<std::size_t> write(SocketId id, ByteView data);
    // Half close: FIN after queued data, the id stays readable until close().
    Status shutdown(SocketId id);
    // Graceful close (FIN after queued data); the id is invalid afterwards. Also closes listeners.
    void close(SocketId id);
    // Abortive close (RST); the id is invalid afterwards.
    void abort(SocketId id);
    std::optional<TcpState> state(SocketId id) const;
    // The connection itself, for tests and diagnostics (nullptr if unknown).
    const TcpConnection* connection(SocketId id) const;
    std::size_t connectionCount() const { return m_connections.size(); }

    // UDP.
    Result<SocketId> udpBind(std::uint16_t port);
    Status udpSend(SocketId id, Ipv4Addr dst, std::uint16_t dstPort, ByteView payload);
    std::optional<Datagram> udpReceive(SocketId id);

    // Sends an ICMP echo request (for tests and diagnostics).
    void ping(Ipv4Addr dst, std::uint16_t id, std::uint16_t sequence, ByteView payload);

    const StackStats& stats() const { return m_stats; }
    const ArpCache& arp() const { return m_arp; }

private:
    struct Connection {
        SocketId id;
        SocketId listener; // 0 for active opens
        bool accepted;
        std::uint8_t pendingEvents;
        std::unique_ptr<TcpConnection> tcp;
    };
    struct Listener {
        SocketId id;
        std::uint16_t port;
        std::uint32_t backlog;
        std::deque<SocketId> ready;
        bool pendingEvent;
    };
    struct UdpSocket {
        SocketId id;
        std::uint16_t port;
        std::deque<Datagram> queue;
        bool pendingEvent;
    };

    void sendTcp(Ipv4Addr src, Ipv4Addr dst, const TcpSegment& segment) override;
    TcpSegmentSink& sink() { return *this; }

    void inputArp(const EthernetFrame& eth, Nanos now);
    void inputIpv4(const EthernetFrame& eth, Nanos now);
    void inputIcmp(const Ipv4Packet& ip);
    void inputUdp(const Ipv4Packet& ip);
    void inputTcp(const Ipv4Packet& ip, Nanos now);
    void sendReset(const Ipv4Packet& ip, const TcpSegment& seg);
    void sendPortUnreachable(const Ipv4Packet& ip);

    // Allocates a frame with room for the Ethernet and IPv4 headers plus l4Size bytes.
    static std::vector<std::uint8_t> newFrame(std::size_t l4Size);
    // Writes the IPv4 header and routes the frame (ARP resolution or queueing).
    void sendIpv4(std::vector<std::uint8_t> frame, Ipv4Addr src, Ipv4Addr dst, std::uint8_t protocol);
    void sendArp(std::uint16_t operation, MacAddr targetMac, Ipv4Addr targetIp, MacAddr ethDst);
    void emit(std::vector<std::uint8_t> frame);
    void applyDhcp(Nanos now);
    void flushDhcp();
    void setAddress(const std::optional<Ipv4Config>& config);

    std::uint32_t initialSequence(const TcpEndpoints& e) const;
    std::uint16_t ephemeralPort();
    Connection* findConnection(SocketId id);
    const Connection* findConnection(SocketId id) const;
    Listener* findListener(SocketId id);
    UdpSocket* findUdp(SocketId id);
    void collectEvents(Connection& c);
    void pushEvent(Event e);
    void reap();

    Config m_config;
    SipKey m_isnKey {};
    SipRandom m_random;
    ArpCache m_arp;
    DhcpClient m_dhcp;
    bool m_dhcpEnabled = false;
    std::optional<Ipv4Config> m_address;
    std::uint8_t m_stackEvents = 0;
    Nanos m_now = 0;
    std::uint16_t m_ipId = 0;
    SocketId m_nextId = 1;
    std::vector<Connection> m_connections;
    std::vector<Listener> m_listeners;
    std::vector<UdpSocket> m_udp;
    std::deque<std::vector<std::uint8_t>> m_tx;
    std::deque<Event> m_events;
    StackStats m_stats;
};

} // namespace hive::net
