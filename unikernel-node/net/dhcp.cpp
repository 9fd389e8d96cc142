#include "net/dhcp.h"

#include <utility>

namespace hive::net {

namespace {

constexpr std::uint8_t MagicCookie[4] = {99, 130, 83, 99};
constexpr Nanos InitialRetry = 2 * Second; // doubled per attempt up to MaxRetry (RFC 2131 4.1)
constexpr Nanos MaxRetry = 64 * Second;
constexpr Nanos MinRenewRetry = 60 * Second;
constexpr std::uint32_t DefaultLeaseSeconds = 24 * 3600;

std::optional<Ipv4Addr> addressOption(ByteSpan value)
{
    if (value.size() < 4)
        return std::nullopt;
    return Ipv4Addr {load32(value.data())};
}

std::optional<std::uint32_t> secondsOption(ByteSpan value)
{
    if (value.size() != 4)
        return std::nullopt;
    return load32(value.data());
}

void putAddress(std::vector<std::uint8_t>& out, std::uint8_t code, Ipv4Addr a)
{
    out.push_back(code);
    out.push_back(4);
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(a.value >> shift));
}

void putSeconds(std::vector<std::uint8_t>& out, std::uint8_t code, std::uint32_t s)
{
    putAddress(out, code, Ipv4Addr {s});
}

} // namespace

std::optional<DhcpMessage> parseDhcp(ByteSpan p, ParseError* error)
{
    auto reject = [&](ParseError why) -> std::optional<DhcpMessage> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (p.size() < DhcpFixedSize)
        return reject(ParseError::Truncated);
    if (p[1] != 1 || p[2] != 6)
        return reject(ParseError::Unsupported);
    for (std::size_t i = 0; i < 4; ++i)
        if (p[236 + i] != MagicCookie[i])
            return reject(ParseError::Unsupported);
    DhcpMessage m;
    m.op = p[0];
    m.xid = load32(&p[4]);
    m.secs = load16(&p[8]);
    m.flags = load16(&p[10]);
    m.ciaddr = {load32(&p[12])};
    m.yiaddr = {load32(&p[16])};
    m.siaddr = {load32(&p[20])};
    m.giaddr = {load32(&p[24])};
    for (std::size_t i = 0; i < 6; ++i)
        m.chaddr.bytes[i] = p[28 + i];
    std::size_t i = DhcpFixedSize;
    bool ended = false;
    while (i < p.size()) {
        std::uint8_t code = p[i];
        if (code == 0) {
            ++i;
            continue;
        }
        if (code == 255) {
            ended = true;
            break;
        }
        if (i + 1 >= p.size() || i + 2 + p[i + 1] > p.size())
            return reject(ParseError::Malformed);
        ByteSpan value = p.subspan(i + 2, p[i + 1]);
        switch (code) {
        case 1: m.subnetMask = addressOption(value); break;
        case 3: m.router = addressOption(value); break;
        case 6: m.dns = addressOption(value); break;
        case 50: m.requestedIp = addressOption(value); break;
        case 51: m.leaseTime = secondsOption(value); break;
        case 53:
            if (value.size() != 1)
                return reject(ParseError::Malformed);
            m.type = static_cast<DhcpType>(value[0]);
            break;
        case 54: m.serverId = addressOption(value); break;
        case 58: m.renewalTime = secondsOption(value); break;
        case 59: m.rebindingTime = secondsOption(value); break;
        default: break;
        }
        i += 2 + value.size();
    }
    // Some servers omit the end option when the options fill the packet exactly.
    (void)ended;
    if (error)
        *error = ParseError::None;
    return m;
}

std::vector<std::uint8_t> encodeDhcp(const DhcpMessage& m)
{
    std::vector<std::uint8_t> out(DhcpFixedSize, 0);
    out[0] = m.op;
    out[1] = 1;
    out[2] = 6;
    store32(&out[4], m.xid);
    store16(&out[8], m.secs);
    store16(&out[10], m.flags);
    store32(&out[12], m.ciaddr.value);
    store32(&out[16], m.yiaddr.value);
    store32(&out[20], m.siaddr.value);
    store32(&out[24], m.giaddr.value);
    for (std::size_t i = 0; i < 6; ++i)
        out[28 + i] = m.chaddr.bytes[i];
    for (std::size_t i = 0; i < 4; ++i)
        out[236 + i] = MagicCookie[i];
    out.push_back(53);
    out.push_back(1);
    out.push_back(static_cast<std::uint8_t>(m.type));
    if (m.subnetMask)
        putAddress(out, 1, *m.subnetMask);
    if (m.router)
        putAddress(out, 3, *m.router);
    if (m.dns)
        putAddress(out, 6, *m.dns);
    if (m.requestedIp)
        putAddress(out, 50, *m.requestedIp);
    if (m.leaseTime)
        putSeconds(out, 51, *m.leaseTime);
    if (m.serverId)
        putAddress(out, 54, *m.serverId);
    if (m.renewalTime)
        putSeconds(out, 58, *m.renewalTime);
    if (m.rebindingTime)
        putSeconds(out, 59, *m.rebindingTime);
    if (m.op == 1) {
        // Parameter request list: subnet mask, router, DNS, lease, T1, T2.
        for (std::uint8_t b : {std::uint8_t {55}, std::uint8_t {6}, std::uint8_t {1}, std::uint8_t {3},
                               std::uint8_t {6}, std::uint8_t {51}, std::uint8_t {58}, std::uint8_t {59}})
            out.push_back(b);
    }
    out.push_back(255);
    // Pad to the BOOTP minimum of 300 bytes; some relays and servers insist on it.
    if (out.size() < 300)
        out.resize(300, 0);
    return out;
}

void DhcpClient::start(Nanos now)
{
    if (m_haveLease)
        becomeLost(now);
    m_attempts = 0;
    m_retryDelay = InitialRetry;
    sendDiscover(now);
}

void DhcpClient::sendDiscover(Nanos now)
{
    m_state = State::Selecting;
    if (m_attempts == 0)
        m_xid = static_cast<std::uint32_t>(m_random.next());
    DhcpMessage m;
    m.xid = m_xid;
    m.chaddr = m_mac;
    m.type = DhcpType::Discover;
    m_outgoing.push_back({encodeDhcp(m), Ipv4Addr::any(), Ipv4Addr::broadcast()});
    scheduleRetry(now);
}

void DhcpClient::sendRequest(Nanos now)
{
    DhcpMessage m;
    m.xid = m_xid;
    m.chaddr = m_mac;
    m.type = DhcpType::Request;
    Outgoing out;
    out.dst = Ipv4Addr::broadcast();
    if (m_state == State::Requesting) {
        m.requestedIp = m_offered;
        m.serverId = m_server;
    } else {
        // Renewing and rebinding identify the lease by ciaddr only (RFC 2131 4.3.2).
        m.ciaddr = m_config.address;
        out.src = m_config.address;
        if (m_state == State::Renewing)
            out.dst = m_server;
    }
    out.payload = encodeDhcp(m);
    m_outgoing.push_back(std::move(out));
    if (m_state == State::Requesting) {
        scheduleRetry(now);
    } else {
        // Retry at half the time left to the next transition, but not more often than a minute.
        Nanos limit = m_state == State::Renewing ? m_t2 : m_expiry;
        Nanos half = limit > now ? (limit - now) / 2 : 0;
        m_deadline = half < MinRenewRetry ? now + MinRenewRetry : now + half;
        if (m_deadline > limit)
            m_deadline = limit;
    }
}

void DhcpClient::scheduleRetry(Nanos now)
{
    // +/- up to 1 s of jitter as RFC 2131 asks, from the injected generator.
    Nanos jitter = m_random.next() % (2 * Second);
    m_deadline = now + m_retryDelay + jitter - Second;
    m_retryDelay = m_retryDelay * 2 > MaxRetry ? MaxRetry : m_retryDelay * 2;
    ++m_attempts;
}

void DhcpClient::becomeLost(Nanos)
{
    if (m_haveLease)
        m_change = Change::Lost;
    m_haveLease = false;
}

void DhcpClient::input(const DhcpMessage& m, Nanos now)
{
    if (m.op != 2 || m.xid != m_xid || m.chaddr != m_mac)
        return;
    switch (m_state) {
    case State::Selecting:
        if (m.type != DhcpType::Offer || !m.serverId || m.yiaddr.isAny())
            return;
        m_offered = m.yiaddr;
        m_server = *m.serverId;
        m_state = State::Requesting;
        m_attempts = 0;
        m_retryDelay = InitialRetry;
        sendRequest(now);
        return;
    case State::Requesting:
    case State::Renewing:
    case State::Rebinding:
        if (m.type == DhcpType::Nak) {
            becomeLost(now);
            m_attempts = 0;
            m_retryDelay = InitialRetry;
            sendDiscover(now);
            return;
        }
        if (m.type != DhcpType::Ack || m.yiaddr.isAny())
            return;
        break;
    case State::Stopped:
    case State::Bound:
        return;
    }
    bool wasBound = m_haveLease;
    Ipv4Addr previous = m_config.address;
    m_config.address = m.yiaddr;
    m_config.netmask = m.subnetMask.value_or(Ipv4Addr::of(255, 255, 255, 0));
    m_config.gateway = m.router.value_or(Ipv4Addr::any());
    m_config.dns = m.dns.value_or(Ipv4Addr::any());
    if (m.serverId)
        m_server = *m.serverId;
    std::uint32_t lease = m.leaseTime.value_or(DefaultLeaseSeconds);
    std::uint32_t t1 = m.renewalTime.value_or(lease / 2);
    std::uint32_t t2 = m.rebindingTime.value_or(static_cast<std::uint32_t>(std::uint64_t {lease} * 7 / 8));
    m_leaseStart = now;
    m_t1 = now + Nanos {t1} * Second;
    m_t2 = now + Nanos {t2} * Second;
    m_expiry = now + Nanos {lease} * Second;
    m_haveLease = true;
    m_state = State::Bound;
    m_deadline = m_t1;
    if (!wasBound || previous != m_config.address)
        m_change = Change::Acquired;
}

void DhcpClient::poll(Nanos now)
{
    if (now < m_deadline)
        return;
    switch (m_state) {
    case State::Stopped:
        m_deadline = Never;
        return;
    case State::Selecting:
        sendDiscover(now);
        return;
    case State::Requesting:
        if (m_attempts >= 4) {
            m_attempts = 0;
            m_retryDelay = InitialRetry;
            sendDiscover(now);
        } else {
            sendRequest(now);
        }
        return;
    case State::Bound:
    case State::Renewing:
    case State::Rebinding:
        if (now >= m_expiry) {
            becomeLost(now);
            m_attempts = 0;
            m_retryDelay = InitialRetry;
            sendDiscover(now);
            return;
        }
        if (now >= m_t2) {
            if (m_state != State::Rebinding)
                m_xid = static_cast<std::uint32_t>(m_random.next());
            m_state = State::Rebinding;
        } else if (m_state == State::Bound) {
            m_xid = static_cast<std::uint32_t>(m_random.next());
            m_state = State::Renewing;
        }
        sendRequest(now);
        return;
    }
}

std::optional<DhcpClient::Outgoing> DhcpClient::takeOutgoing()
{
    if (m_outgoing.empty())
        return std::nullopt;
    Outgoing out = std::move(m_outgoing.front());
    m_outgoing.erase(m_outgoing.begin());
    return out;
}

DhcpClient::Change DhcpClient::takeChange()
{
    Change c = m_change;
    m_change = Change::None;
    return c;
}

std::optional<Ipv4Config> DhcpClient::lease() const
{
    if (!m_haveLease)
        return std::nullopt;
    return m_config;
}

} // namespace hive::net
