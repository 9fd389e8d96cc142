// Durable put throughput of the node store on a file: 4 KiB objects, one fdatasync per
// put, then group commits of 64. Usage: store_bench <directory> [puts]
#include "hosted/fileblock.h"
#include "storetesting.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>

using namespace hive;
using namespace hive::node;
using namespace hive::node::testing;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: store_bench <directory> [puts]\n");
        return 2;
    }
    const int puts = argc > 2 ? std::stoi(argv[2]) : 1000;
    const std::string path = std::string(argv[1]) + "/store_bench." + std::to_string(::getpid());
    auto block = hosted::FileBlock::create(path, 256u << 20);
    if (!block.ok()) {
        std::fprintf(stderr, "store_bench: %s\n", block.error().message());
        return 1;
    }
    int rc = 0;
    if (Store::format(**block).ok()) {
        auto store = Store::open(**block);
        const Bytes value = pattern(1, 4096);
        auto run = [&](const char* name, int batchSize) {
            using Clock = std::chrono::steady_clock;
            const auto start = Clock::now();
            int done = 0;
            while (done < puts) {
                StoreBatch batch;
                for (int i = 0; i < batchSize && done < puts; ++i, ++done)
                    batch.put(key(std::string(name) + std::to_string(done)), value);
                if (!(*store)->commit(batch).ok()) {
                    rc = 1;
                    return;
                }
            }
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            std::printf("%-28s %6d puts  %8.3f s  %10.0f puts/s\n", name, puts, seconds, puts / seconds);
        };
        if (store.ok()) {
            run("4 KiB, fdatasync per put", 1);
            run("4 KiB, group commit of 64", 64);
        } else {
            rc = 1;
        }
    } else {
        rc = 1;
    }
    ::unlink(path.c_str());
    return rc;
}
