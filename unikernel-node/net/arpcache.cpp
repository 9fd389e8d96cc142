#include "net/arpcache.h"

#include <utility>

namespace hive::net {

ArpCache::Entry* ArpCache::find(Ipv4Addr ip)
{
    for (auto& e : m_entries)
        if (e.ip == ip)
            return &e;
    return nullptr;
}

const ArpCache::Entry* ArpCache::find(Ipv4Addr ip) const
{
    for (const auto& e : m_entries)
        if (e.ip == ip)
            return &e;
    return nullptr;
}

ArpCache::Entry& ArpCache::insert(Ipv4Addr ip)
{
    if (m_entries.size() >= m_config.maxEntries && !m_entries.empty()) {
        // Evict the entry closest to expiry; resolved entries go before pending ones.
        std::size_t victim = 0;
        for (std::size_t i = 1; i < m_entries.size(); ++i) {
            const auto& a = m_entries[i];
            const auto& b = m_entries[victim];
            if ((a.resolved && !b.resolved) || (a.resolved == b.resolved && a.deadline < b.deadline))
                victim = i;
        }
        m_entries.erase(m_entries.begin() + static_cast<std::ptrdiff_t>(victim));
    }
    m_entries.push_back(Entry {});
    m_entries.back().ip = ip;
    return m_entries.back();
}

std::optional<MacAddr> ArpCache::lookup(Ipv4Addr ip, Nanos now) const
{
    const Entry* e = find(ip);
    if (!e || !e->resolved || now >= e->deadline)
        return std::nullopt;
    return e->mac;
}

bool ArpCache::contains(Ipv4Addr ip) const { return find(ip) != nullptr; }

ArpCache::Queued ArpCache::enqueue(Ipv4Addr ip, std::vector<std::uint8_t> frame, Nanos now)
{
    Entry* e = find(ip);
    bool fresh = false;
    if (e && e->resolved) {
        // Expired entry: resolve again, keeping the slot.
        e->resolved = false;
        e->requests = 0;
    }
    if (!e) {
        e = &insert(ip);
        fresh = true;
    }
    if (e->requests == 0) {
        e->requests = 1;
        e->deadline = now + m_config.retryInterval;
        fresh = true;
    }
    if (e->pending.size() >= m_config.maxPendingPerEntry)
        return Queued::Dropped;
    e->pending.push_back(std::move(frame));
    return fresh ? Queued::SendRequest : Queued::Waiting;
}

std::vector<std::vector<std::uint8_t>> ArpCache::update(Ipv4Addr ip, MacAddr mac, bool create, Nanos now)
{
    std::vector<std::vector<std::uint8_t>> released;
    Entry* e = find(ip);
    if (!e) {
        if (!create)
            return released;
        e = &insert(ip);
    }
    e->mac = mac;
    e->resolved = true;
    e->requests = 0;
    e->deadline = now + m_config.entryLifetime;
    while (!e->pending.empty()) {
        released.push_back(std::move(e->pending.front()));
        e->pending.pop_front();
    }
    return released;
}

std::size_t ArpCache::poll(Nanos now, std::vector<Ipv4Addr>& resend)
{
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < m_entries.size();) {
        Entry& e = m_entries[i];
        if (now < e.deadline) {
            ++i;
            continue;
        }
        if (!e.resolved && e.requests < m_config.maxRequests) {
            ++e.requests;
            e.deadline = now + m_config.retryInterval;
            resend.push_back(e.ip);
            ++i;
            continue;
        }
        dropped += e.pending.size();
        m_entries.erase(m_entries.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return dropped;
}

Nanos ArpCache::nextDeadline() const
{
    Nanos next = Never;
    for (const auto& e : m_entries)
        if (e.deadline < next)
            next = e.deadline;
    return next;
}

} // namespace hive::net
