// The store's in-memory index: an ordered map from byte-string keys to values, built on
// std::vector alone (a list of sorted chunks) so the store links into the freestanding
// images, whose runtime has no libstdc++ tree code. Lookups are two binary searches;
// inserts and erases move at most one chunk's entries.
#pragma once

#include "wire/bytes.h"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace hive::node {

template <typename V>
class KeyIndex {
public:
    struct Item {
        Bytes key;
        V value {};
    };

    static bool less(ByteView a, ByteView b)
    {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    void clear()
    {
        m_chunks.clear();
        m_size = 0;
    }

    // The item under key, or null. Valid until the next insert or erase.
    Item* find(ByteView key)
    {
        if (m_chunks.empty())
            return nullptr;
        auto& chunk = m_chunks[chunkFor(key)];
        auto it = lowerBound(chunk, key);
        return it != chunk.end() && !less(key, it->key) ? &*it : nullptr;
    }
    const Item* find(ByteView key) const { return const_cast<KeyIndex*>(this)->find(key); }
    bool contains(ByteView key) const { return find(key) != nullptr; }

    // The item under key, inserted with a default value if absent; second = inserted.
    std::pair<Item*, bool> insert(ByteView key)
    {
        if (m_chunks.empty()) {
            m_chunks.emplace_back();
            m_chunks.back().push_back(Item {toBytes(key), V {}});
            m_size = 1;
            return {&m_chunks.back().back(), true};
        }
        std::size_t c = chunkFor(key);
        auto& chunk = m_chunks[c];
        auto it = lowerBound(chunk, key);
        if (it != chunk.end() && !less(key, it->key))
            return {&*it, false};
        auto pos = static_cast<std::size_t>(it - chunk.begin());
        chunk.insert(it, Item {toBytes(key), V {}});
        ++m_size;
        if (chunk.size() > MaxChunk) {
            // Split in half; the new item lands in one of the halves.
            const std::size_t half = chunk.size() / 2;
            std::vector<Item> upper(std::make_move_iterator(chunk.begin() + static_cast<std::ptrdiff_t>(half)),
                                    std::make_move_iterator(chunk.end()));
            chunk.erase(chunk.begin() + static_cast<std::ptrdiff_t>(half), chunk.end());
            m_chunks.insert(m_chunks.begin() + static_cast<std::ptrdiff_t>(c + 1), std::move(upper));
            if (pos >= half)
                return {&m_chunks[c + 1][pos - half], true};
            return {&m_chunks[c][pos], true};
        }
        return {&chunk[pos], true};
    }

    // Removes key; false if it was absent.
    bool erase(ByteView key)
    {
        if (m_chunks.empty())
            return false;
        std::size_t c = chunkFor(key);
        auto& chunk = m_chunks[c];
        auto it = lowerBound(chunk, key);
        if (it == chunk.end() || less(key, it->key))
            return false;
        chunk.erase(it);
        --m_size;
        if (chunk.empty())
            m_chunks.erase(m_chunks.begin() + static_cast<std::ptrdiff_t>(c));
        return true;
    }

    // Calls visit(item) in key order for keys at or after `from` (strictly after when
    // exclusive) until visit returns false.
    template <typename F>
    void forEachFrom(ByteView from, bool exclusive, F&& visit) const
    {
        if (m_chunks.empty())
            return;
        std::size_t c = chunkFor(from);
        const auto& first = m_chunks[c];
        auto it = exclusive ? std::upper_bound(first.begin(), first.end(), from,
                                               [](ByteView k, const Item& item) { return less(k, item.key); })
                            : lowerBound(first, from);
        std::size_t i = static_cast<std::size_t>(it - first.begin());
        for (; c < m_chunks.size(); ++c, i = 0)
            for (; i < m_chunks[c].size(); ++i)
                if (!visit(m_chunks[c][i]))
                    return;
    }

private:
    static constexpr std::size_t MaxChunk = 256;

    template <typename Chunk>
    static auto lowerBound(Chunk& chunk, ByteView key)
    {
        return std::lower_bound(chunk.begin(), chunk.end(), key,
                                [](const Item& item, ByteView k) { return less(item.key, k); });
    }

    // The chunk that holds key if present: the last one whose first key is <= key.
    std::size_t chunkFor(ByteView key) const
    {
        auto it = std::upper_bound(m_chunks.begin(), m_chunks.end(), key,
                                   [](ByteView k, const std::vector<Item>& chunk) { return less(k, chunk.front().key); });
        return it == m_chunks.begin() ? 0 : static_cast<std::size_t>(it - m_chunks.begin()) - 1;
    }

    std::vector<std::vector<Item>> m_chunks; // sorted, none empty
    std::size_t m_size = 0;
};

} // namespace hive::node
