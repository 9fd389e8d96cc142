// DHCP client (RFC 2131/2132): DISCOVER -> OFFER -> REQUEST -> ACK, renewal at T1 (unicast
// to the server), rebinding at T2 (broadcast), and loss of the address at lease expiry.
// Pure state: the stack feeds it parsed messages and time and sends what it emits.
#pragma once

#include "net/packet.h"
#include "net/siphash.h"

#include <optional>
#include <vector>

namespace hive::net {

constexpr std::uint16_t DhcpServerPort = 67;
constexpr std::uint16_t DhcpClientPort = 68;
constexpr std::size_t DhcpFixedSize = 240; // BOOTP header + magic cookie

enum class DhcpType : std::uint8_t {
    None = 0, Discover = 1, Offer = 2, Request = 3, Decline = 4, Ack = 5, Nak = 6, Release = 7, Inform = 8
};

struct DhcpMessage {
    std::uint8_t op = 1; // 1 = BOOTREQUEST, 2 = BOOTREPLY
    std::uint32_t xid = 0;
    std::uint16_t secs = 0;
    std::uint16_t flags = 0;
    Ipv4Addr ciaddr, yiaddr, siaddr, giaddr;
    MacAddr chaddr;
    DhcpType type = DhcpType::None;
    std::optional<Ipv4Addr> subnetMask;     // option 1
    std::optional<Ipv4Addr> router;         // option 3 (first)
    std::optional<Ipv4Addr> dns;            // option 6 (first)
    std::optional<Ipv4Addr> requestedIp;    // option 50
    std::optional<std::uint32_t> leaseTime; // option 51, seconds
    std::optional<Ipv4Addr> serverId;       // option 54
    std::optional<std::uint32_t> renewalTime;   // option 58 (T1)
    std::optional<std::uint32_t> rebindingTime; // option 59 (T2)
};

// Parses a BOOTP/DHCP message with its options; nullopt when malformed.
std::optional<DhcpMessage> parseDhcp(ByteSpan payload, ParseError* error = nullptr);
// Encodes a message (fixed part + the options that are set + parameter request list).
std::vector<std::uint8_t> encodeDhcp(const DhcpMessage& message);

class DhcpClient {
public:
    enum class State : std::uint8_t { Stopped, Selecting, Requesting, Bound, Renewing, Rebinding };
    enum class Change : std::uint8_t { None, Acquired, Lost };

    struct Outgoing {
        std::vector<std::uint8_t> payload; // UDP payload for port 67
        Ipv4Addr src;                      // any() before we have an address
        Ipv4Addr dst;                      // broadcast, or the server when renewing
    };

    DhcpClient(MacAddr mac, SipRandom& random) : m_mac(mac), m_random(random) {}

    // Starts (or restarts) address acquisition with a DISCOVER now.
    void start(Nanos now);
    void input(const DhcpMessage& message, Nanos now);
    void poll(Nanos now);
    Nanos nextDeadline() const { return m_deadline; }

    // The next message to send, if any.
    std::optional<Outgoing> takeOutgoing();
    // What changed since the last call (the stack applies it to the interface).
    Change takeChange();

    State state() const { return m_state; }
    // The leased configuration while Bound/Renewing/Rebinding.
    std::optional<Ipv4Config> lease() const;
    std::uint32_t xid() const { return m_xid; }
    Ipv4Addr server() const { return m_server; }

private:
    void sendDiscover(Nanos now);
    void sendRequest(Nanos now);
    void scheduleRetry(Nanos now);
    void becomeLost(Nanos now);

    MacAddr m_mac;
    SipRandom& m_random;
    State m_state = State::Stopped;
    Change m_change = Change::None;
    std::uint32_t m_xid = 0;
    Nanos m_deadline = Never;
    Nanos m_retryDelay = 0;
    unsigned m_attempts = 0;
    Ipv4Addr m_offered, m_server;
    Ipv4Config m_config;
    bool m_haveLease = false;
    Nanos m_leaseStart = 0, m_t1 = 0, m_t2 = 0, m_expiry = 0;
    std::vector<Outgoing> m_outgoing;
};

} // namespace hive::net
