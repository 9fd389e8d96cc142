// Helpers shared by the store's tests: deterministic keys and values, and a reference
// model of what the store must contain.
#pragma once

#include "store/memblock.h"
#include "store/store.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace hive::node::testing {

inline Bytes key(std::string_view text) { return toBytes(asBytes(text)); }

// xorshift64*: small, fast and the same everywhere, so failures replay by seed.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull) {}
    std::uint64_t next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }
    // Uniform in [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }

private:
    std::uint64_t m_state;
};

// size bytes derived from seed; different seeds give different contents.
inline Bytes pattern(std::uint64_t seed, std::size_t size)
{
    Rng rng(seed + 1);
    Bytes out(size);
    for (auto& b : out)
        b = static_cast<std::uint8_t>(rng.next() >> 56);
    return out;
}

inline const char* message(const Status& s) { return s.ok() ? "" : s.error().message(); }
template <typename T>
const char* message(const Result<T>& r)
{
    return r.ok() ? "" : r.error().message();
}

// Every key the store lists, with its value (empty map if a read fails; see readAllOk).
inline std::map<Bytes, Bytes> readAll(const Store& store, bool* readAllOk = nullptr)
{
    std::map<Bytes, Bytes> out;
    bool ok = true;
    Bytes after;
    for (;;) {
        auto page = store.list({}, after, 50);
        if (page.empty())
            break;
        for (const auto& info : page) {
            auto value = store.get(info.key);
            if (!value.ok() || value->size() != info.size) {
                ok = false;
                continue;
            }
            out[info.key] = *value;
        }
        after = page.back().key;
    }
    if (readAllOk)
        *readAllOk = ok;
    return out;
}

} // namespace hive::node::testing

namespace hive::node::testing {

// The value the kill test's writer stores under key: derived from the key alone, so a
// verifier can tell a complete object from a partial or foreign one.
inline Bytes valueForKey(ByteView key)
{
    std::uint64_t h = 0xCBF29CE484222325ull; // FNV-1a
    for (std::uint8_t b : key)
        h = (h ^ b) * 0x100000001B3ull;
    return pattern(h, static_cast<std::size_t>(h % 6000));
}

} // namespace hive::node::testing
