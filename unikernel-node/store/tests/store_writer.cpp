// Helper for the kill -9 test: writes a stream of objects to a file-backed store and
// reports each operation on stdout only after the store acknowledged it:
//   "P <key>"  put acknowledged          "d <key>"  remove started
//   "D <key>"  remove acknowledged       "C"        compaction finished
// Usage: store_writer <block file> <seed>. Runs until killed (or a bounded number of ops).
#include "hosted/fileblock.h"
#include "storetesting.h"

#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <unistd.h>

using namespace hive;
using namespace hive::node;
using namespace hive::node::testing;

namespace {

// One write(2) per line, so a kill can cut the stream only between lines or mid-line,
// never reorder it.
void report(char tag, const Bytes& k)
{
    std::string line(1, tag);
    if (!k.empty()) {
        line += ' ';
        line.append(k.begin(), k.end());
    }
    line += '\n';
    if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        std::_Exit(3);
}

int fail(const char* what, const Error& e)
{
    std::fprintf(stderr, "store_writer: %s: %s\n", what, e.message());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: store_writer <block file> <seed>\n");
        return 2;
    }
    const std::string seedText = argv[2];
    auto block = hosted::FileBlock::open(argv[1]);
    if (!block.ok())
        return fail("opening the block file", block.error());
    auto opened = Store::open(**block);
    if (!opened.ok())
        return fail("opening the store", opened.error());
    Store& store = **opened;

    Rng rng(std::stoull(seedText));
    // Keys this writer may remove: what earlier runs left, then its own acknowledged puts.
    std::deque<Bytes> mine;
    for (auto& info : store.list({}, {}, SIZE_MAX))
        mine.push_back(std::move(info.key));
    std::uint64_t counter = 0;
    auto nextKey = [&] { return key("w" + seedText + "-" + std::to_string(counter++)); };
    auto removeOldest = [&]() -> int {
        Bytes k = mine.front();
        mine.pop_front();
        report('d', k);
        auto removed = store.remove(k);
        if (!removed.ok())
            return fail("remove", removed.error());
        report('D', k);
        return 0;
    };

    for (int op = 0; op < 100000; ++op) {
        const auto choice = rng.below(20);
        if (choice < 14) {
            Bytes k = nextKey();
            auto put = store.put(k, valueForKey(k));
            if (!put.ok() && put.error().code() == ErrorCode::NoSpace && !mine.empty()) {
                for (int i = 0; i < 8 && !mine.empty(); ++i)
                    if (int rc = removeOldest())
                        return rc;
                continue;
            }
            if (!put.ok())
                return fail("put", put.error());
            report('P', k);
            mine.push_back(k);
        } else if (choice < 17) {
            StoreBatch batch;
            std::vector<Bytes> keys;
            for (std::uint64_t i = 0, n = 2 + rng.below(7); i < n; ++i) {
                keys.push_back(nextKey());
                batch.put(keys.back(), valueForKey(keys.back()));
            }
            auto committed = store.commit(batch);
            if (!committed.ok() && committed.error().code() == ErrorCode::NoSpace)
                continue;
            if (!committed.ok())
                return fail("commit", committed.error());
            for (const Bytes& k : keys) {
                report('P', k);
                mine.push_back(k);
            }
        } else if (choice < 19) {
            if (!mine.empty())
                if (int rc = removeOldest())
                    return rc;
        } else {
            auto compacted = store.compact();
            if (!compacted.ok())
                return fail("compact", compacted.error());
            report('C', {});
        }
    }
    return 0;
}
