// ARP cache (RFC 826) with entry lifetimes, bounded resolution retries and a bounded queue
// of frames waiting for each unresolved address. Pure state: time is passed in.
#pragma once

#include "net/types.h"

#include <deque>
#include <optional>
#include <vector>

namespace hive::net {

struct ArpConfig {
    Nanos entryLifetime = 60 * Second; // a resolved entry is forgotten after this long
    Nanos retryInterval = 1 * Second;  // between requests for an unresolved address
    unsigned maxRequests = 3;          // requests before giving up and dropping the queue
    std::size_t maxEntries = 64;
    std::size_t maxPendingPerEntry = 8; // frames queued per unresolved address
};

class ArpCache {
public:
    explicit ArpCache(const ArpConfig& config) : m_config(config) {}

    // The MAC of a resolved, unexpired entry.
    std::optional<MacAddr> lookup(Ipv4Addr ip, Nanos now) const;
    bool contains(Ipv4Addr ip) const;

    enum class Queued : std::uint8_t { SendRequest, Waiting, Dropped };
    // Queues a frame (Ethernet header written later) until ip resolves. SendRequest means
    // a new entry was created and the caller must send the first request now.
    Queued enqueue(Ipv4Addr ip, std::vector<std::uint8_t> frame, Nanos now);

    // Records ip -> mac. Creates the entry only when `create` (RFC 826: only when we are
    // the target); otherwise updates an existing one. Returns frames that were waiting.
    std::vector<std::vector<std::uint8_t>> update(Ipv4Addr ip, MacAddr mac, bool create, Nanos now);

    // Expires entries; fills `resend` with addresses whose request must be repeated and
    // returns the number of queued frames dropped because resolution failed.
    std::size_t poll(Nanos now, std::vector<Ipv4Addr>& resend);
    Nanos nextDeadline() const;
    std::size_t size() const { return m_entries.size(); }

private:
    struct Entry {
        Ipv4Addr ip;
        MacAddr mac;
        bool resolved = false;
        Nanos deadline = 0; // expiry when resolved, next retry when not
        unsigned requests = 0;
        std::deque<std::vector<std::uint8_t>> pending;
    };
    Entry* find(Ipv4Addr ip);
    const Entry* find(Ipv4Addr ip) const;
    Entry& insert(Ipv4Addr ip);

    ArpConfig m_config;
    std::vector<Entry> m_entries;
};

} // namespace hive::net
