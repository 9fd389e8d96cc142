// Functional tests of the node store on the in-memory block device.
#include "storetesting.h"

#include <QtTest>

#include <algorithm>

using namespace hive;
using namespace hive::node;
using namespace hive::node::testing;

namespace {

constexpr std::size_t Sector = 512;
constexpr std::uint64_t Sectors = 1024; // 512 KiB device, about 450 KiB of log

MemBlock formatted(std::size_t sectorSize = Sector, std::uint64_t sectors = Sectors, FormatOptions options = {})
{
    MemBlock block(sectorSize, sectors);
    auto formattedOk = Store::format(block, options);
    if (!formattedOk.ok())
        qFatal("format failed: %s", formattedOk.error().message());
    return block;
}

std::unique_ptr<Store> openOrDie(MemBlock& block)
{
    auto store = Store::open(block);
    if (!store.ok())
        qFatal("open failed: %s", store.error().message());
    return std::move(store).release();
}

QString keyText(const Bytes& k) { return QString::fromLatin1(reinterpret_cast<const char*>(k.data()), static_cast<qsizetype>(k.size())); }

} // namespace

class TestStore : public QObject {
    Q_OBJECT
private slots:
    void emptyStoreOpens()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QCOMPARE(store->usage().objectCount, 0u);
        QCOMPARE(store->usage().liveBytes, 0u);
        QCOMPARE(store->usage().deadBytes, 0u);
        QVERIFY(store->usage().capacityBytes > 300'000);
        QCOMPARE(store->usage().freeBytes, store->usage().capacityBytes);
        QVERIFY(store->list({}, {}, 10).empty());
        QCOMPARE(store->get(key("x")).error().code(), ErrorCode::NotFound);
    }

    void openingWritesNothing()
    {
        MemBlock block = formatted();
        const std::uint64_t before = block.events();
        auto store = openOrDie(block);
        QVERIFY(store->has(key("x")) == false);
        QCOMPARE(block.events(), before);
    }

    void blankDeviceIsNotAStore()
    {
        MemBlock block(Sector, Sectors);
        auto store = Store::open(block);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code(), ErrorCode::NotFound);
    }

    void putGetHasRemove()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        const Bytes value = pattern(1, 3000);
        QVERIFY2(store->put(key("alpha"), value).ok(), "put");
        QVERIFY(store->has(key("alpha")));
        QCOMPARE(*store->get(key("alpha")), value);
        QCOMPARE(*store->objectSize(key("alpha")), 3000u);
        QVERIFY(store->put(key("empty"), {}).ok());
        QVERIFY(store->get(key("empty"))->empty());
        QCOMPARE(store->usage().objectCount, 2u);

        QVERIFY(store->remove(key("alpha")).ok());
        QVERIFY(!store->has(key("alpha")));
        QCOMPARE(store->get(key("alpha")).error().code(), ErrorCode::NotFound);
        QCOMPARE(store->remove(key("alpha")).error().code(), ErrorCode::NotFound);
        QCOMPARE(store->usage().objectCount, 1u);
    }

    void overwriteKeepsLatestAndCountsDeadBytes()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("k"), pattern(1, 2000)).ok());
        const auto firstLive = store->usage().liveBytes;
        QVERIFY(store->put(key("k"), pattern(2, 100)).ok());
        QCOMPARE(*store->get(key("k")), pattern(2, 100));
        QCOMPARE(store->usage().deadBytes, firstLive);
        QCOMPARE(store->usage().liveBytes, 512u);
    }

    void listHonoursPrefixCursorAndLimit()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        for (const char* k : {"a/3", "a/1", "b/1", "a/2", "a/5", "a/4", "a", "ab"})
            QVERIFY(store->put(key(k), asBytes(k)).ok());
        auto names = [](const std::vector<ObjectInfo>& infos) {
            QStringList out;
            for (const auto& i : infos)
                out << keyText(i.key);
            return out;
        };
        QCOMPARE(names(store->list(key("a/"), {}, 2)), QStringList({"a/1", "a/2"}));
        QCOMPARE(names(store->list(key("a/"), key("a/2"), 10)), QStringList({"a/3", "a/4", "a/5"}));
        QCOMPARE(names(store->list(key("a/"), key("a"), 2)), QStringList({"a/1", "a/2"}));
        QCOMPARE(names(store->list(key("a/"), key("a/5"), 10)), QStringList());
        QCOMPARE(names(store->list(key("a/"), key("zz"), 10)), QStringList());
        QCOMPARE(names(store->list({}, {}, 100)), QStringList({"a", "a/1", "a/2", "a/3", "a/4", "a/5", "ab", "b/1"}));
        QCOMPARE(names(store->list(key("b"), {}, 100)), QStringList({"b/1"}));
        QCOMPARE(store->list(key("a/"), {}, 10).front().size, 3u);
    }

    void reopenKeepsEverything()
    {
        MemBlock block = formatted();
        std::map<Bytes, Bytes> expected;
        {
            auto store = openOrDie(block);
            for (int i = 0; i < 40; ++i) {
                Bytes k = key("obj-" + std::to_string(i));
                Bytes v = pattern(static_cast<std::uint64_t>(i), static_cast<std::size_t>(i * 97 % 2500));
                QVERIFY(store->put(k, v).ok());
                expected[k] = v;
            }
            for (int i = 0; i < 40; i += 3) {
                Bytes k = key("obj-" + std::to_string(i));
                QVERIFY(store->remove(k).ok());
                expected.erase(k);
            }
            QVERIFY(store->put(key("obj-1"), pattern(99, 10)).ok());
            expected[key("obj-1")] = pattern(99, 10);
        }
        auto store = openOrDie(block);
        bool ok = false;
        QCOMPARE(readAll(*store, &ok), expected);
        QVERIFY(ok);
        QCOMPARE(store->usage().objectCount, expected.size());
        QVERIFY(store->usage().deadBytes > 0);
    }

    void eachOpenStartsANewGeneration()
    {
        MemBlock block = formatted();
        std::uint64_t last = 0;
        for (int i = 0; i < 3; ++i) {
            auto store = openOrDie(block);
            QVERIFY(store->put(key("k"), pattern(static_cast<std::uint64_t>(i), 10)).ok());
            QVERIFY(store->generation() > last);
            last = store->generation();
        }
    }

    void rejectsBadKeysAndOversizedValuesWithoutWriting()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        const std::uint64_t before = block.events();
        QCOMPARE(store->put({}, pattern(1, 10)).error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(store->put(Bytes(Store::MaxKeySize + 1, 'k'), pattern(1, 10)).error().code(), ErrorCode::InvalidArgument);
        auto tooLarge = store->put(key("big"), Bytes(store->maxObjectSize() + 1, 1));
        QCOMPARE(tooLarge.error().code(), ErrorCode::TooLarge);
        QVERIFY(tooLarge.error().messageView().find("exceeds") != std::string_view::npos);
        StoreBatch batch;
        batch.put(key("fine"), pattern(1, 10));
        batch.put({}, pattern(1, 10));
        QCOMPARE(store->commit(batch).error().code(), ErrorCode::InvalidArgument);
        QVERIFY(!store->has(key("fine")));
        QCOMPARE(block.events(), before);
        QVERIFY(store->put(Bytes(Store::MaxKeySize, 'k'), Bytes(store->maxObjectSize(), 7)).ok());
    }

    void batchCommitsWithOneFlush()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("warm"), pattern(0, 1)).ok()); // the first write also persists a generation
        StoreBatch batch;
        for (int i = 0; i < 64; ++i)
            batch.put(key("b" + std::to_string(i)), pattern(static_cast<std::uint64_t>(i), 4096));
        batch.remove(key("warm"));
        batch.remove(key("never-existed"));
        const std::uint64_t flushes = block.flushes();
        QVERIFY2(store->commit(batch).ok(), "commit");
        QCOMPARE(block.flushes(), flushes + 1);
        QCOMPARE(store->usage().objectCount, 64u);
        QVERIFY(!store->has(key("warm")));
        auto reopened = (store.reset(), openOrDie(block));
        QCOMPARE(*reopened->get(key("b63")), pattern(63, 4096));
        QCOMPARE(reopened->usage().objectCount, 64u);
    }

    void groupSharesOneFlushAcrossCommits()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("warm"), pattern(0, 1)).ok());
        const std::uint64_t flushes = block.flushes();
        store->beginGroup();
        for (int i = 0; i < 20; ++i)
            QVERIFY(store->put(key("g" + std::to_string(i)), pattern(static_cast<std::uint64_t>(i), 700)).ok());
        QVERIFY(store->remove(key("warm")).ok());
        // Readable at once, durable only after endGroup().
        QCOMPARE(*store->get(key("g7")), pattern(7, 700));
        QCOMPARE(block.flushes(), flushes);
        QVERIFY(block.pendingSectors() > 0);
        QVERIFY(store->endGroup().ok());
        QCOMPARE(block.flushes(), flushes + 1);
        QVERIFY(!store->inGroup());
        block.crash(MemBlock::CrashMode::DropUnflushed);
        auto reopened = (store.reset(), openOrDie(block));
        QCOMPARE(reopened->usage().objectCount, 20u);
        QCOMPARE(*reopened->get(key("g19")), pattern(19, 700));
        QVERIFY(!reopened->has(key("warm")));
    }

    void groupWithoutEndLosesOnlyUnacknowledgedWrites()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("before"), pattern(1, 100)).ok());
        store->beginGroup();
        QVERIFY(store->put(key("in-group"), pattern(2, 100)).ok());
        QVERIFY(store->put(key("before"), pattern(3, 100)).ok());
        block.crash(MemBlock::CrashMode::DropUnflushed);
        auto reopened = (store.reset(), openOrDie(block));
        QVERIFY(!reopened->has(key("in-group")));
        QCOMPARE(*reopened->get(key("before")), pattern(1, 100));
    }

    void failedGroupFlushUndoesTheGroup()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("keep"), pattern(1, 300)).ok());
        QVERIFY(store->put(key("gone"), pattern(2, 300)).ok());
        const StoreUsage before = store->usage();
        store->beginGroup();
        QVERIFY(store->put(key("keep"), pattern(3, 300)).ok());
        QVERIFY(store->put(key("new"), pattern(4, 300)).ok());
        QVERIFY(store->remove(key("gone")).ok());
        block.failFlushes(ErrorCode::Io);
        const Status ended = store->endGroup();
        QVERIFY(!ended.ok());
        QCOMPARE(ended.error().code(), ErrorCode::Io);
        // Back to the last durable state in memory.
        QCOMPARE(*store->get(key("keep")), pattern(1, 300));
        QCOMPARE(*store->get(key("gone")), pattern(2, 300));
        QVERIFY(!store->has(key("new")));
        QCOMPARE(store->usage().liveBytes, before.liveBytes);
        QCOMPARE(store->usage().objectCount, before.objectCount);
        // The store keeps working once the device does, and what it says survives a crash.
        block.failFlushes(std::nullopt);
        QVERIFY(store->put(key("after"), pattern(5, 300)).ok());
        block.crash(MemBlock::CrashMode::KeepUnflushed);
        auto reopened = (store.reset(), openOrDie(block));
        QCOMPARE(*reopened->get(key("keep")), pattern(1, 300));
        QCOMPARE(*reopened->get(key("gone")), pattern(2, 300));
        QCOMPARE(*reopened->get(key("after")), pattern(5, 300));
        QVERIFY(!reopened->has(key("new")));
    }

    void compactionInsideAGroupKeepsEverything()
    {
        MemBlock block = formatted(Sector, 400);
        auto store = openOrDie(block);
        const auto capacity = store->usage().capacityBytes;
        store->beginGroup();
        for (std::uint64_t i = 0; i < 3 * capacity / 2000; ++i) {
            auto put = store->put(key(i % 2 ? "odd" : "even"), pattern(i, 2000));
            QVERIFY2(put.ok(), message(put));
        }
        QVERIFY(store->endGroup().ok());
        const std::uint64_t last = 3 * capacity / 2000 - 1;
        block.crash(MemBlock::CrashMode::DropUnflushed);
        auto reopened = (store.reset(), openOrDie(block));
        QCOMPARE(reopened->usage().objectCount, 2u);
        QCOMPARE(*reopened->get(key(last % 2 ? "odd" : "even")), pattern(last, 2000));
        QCOMPARE(*reopened->get(key(last % 2 ? "even" : "odd")), pattern(last - 1, 2000));
    }

    void compactionReclaimsSpaceAndKeepsData()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        std::map<Bytes, Bytes> expected;
        for (int i = 0; i < 60; ++i) {
            Bytes k = key("c" + std::to_string(i));
            Bytes v = pattern(static_cast<std::uint64_t>(i), 3000);
            QVERIFY(store->put(k, v).ok());
            expected[k] = v;
        }
        for (int i = 0; i < 60; i += 2) {
            Bytes k = key("c" + std::to_string(i));
            QVERIFY(store->remove(k).ok());
            expected.erase(k);
        }
        const StoreUsage before = store->usage();
        QVERIFY(before.deadBytes > 30 * 3000);
        auto stats = store->compact();
        QVERIFY2(stats.ok(), message(stats));
        const StoreUsage after = store->usage();
        QVERIFY(stats->reclaimedBytes >= 30 * 3000);
        QCOMPARE(after.liveBytes, before.liveBytes);
        QVERIFY(after.deadBytes < 4096); // at most a pad at the end of the ring
        QVERIFY(after.freeBytes >= before.freeBytes + 30 * 3000);
        QCOMPARE(readAll(*store), expected);
        store.reset();
        auto reopened = openOrDie(block);
        QCOMPARE(readAll(*reopened), expected);
        QCOMPARE(reopened->usage().liveBytes, after.liveBytes);
        QCOMPARE(reopened->usage().deadBytes, after.deadBytes);
    }

    // Many laps around the ring with compaction and reopening, against a model.
    void ringSurvivesManyLapsOfChurn()
    {
        MemBlock block = formatted(Sector, 400);
        auto store = openOrDie(block);
        std::map<Bytes, Bytes> expected;
        Rng rng(7);
        std::uint64_t written = 0;
        for (int step = 0; step < 3000; ++step) {
            Bytes k = key("r" + std::to_string(rng.below(20)));
            const auto choice = rng.below(10);
            if (choice < 7) {
                Bytes v = pattern(rng.next(), static_cast<std::size_t>(rng.below(2500)));
                auto put = store->put(k, v);
                QVERIFY2(put.ok(), message(put));
                expected[k] = v;
                written += v.size();
            } else if (choice < 9) {
                auto removed = store->remove(k);
                QCOMPARE(removed.ok(), expected.erase(k) == 1);
            } else if (rng.below(4) == 0) {
                store.reset();
                store = openOrDie(block);
                QCOMPARE(readAll(*store), expected);
            } else {
                QVERIFY(store->compact().ok());
            }
        }
        QVERIFY(written > 10 * 270 * Sector); // more than ten laps of the 135 KiB log
        QCOMPARE(readAll(*store), expected);
        store.reset();
        QCOMPARE(readAll(*openOrDie(block)), expected);
    }

    void putCompactsByItselfWhenDeadDataFillsTheLog()
    {
        MemBlock block = formatted(Sector, 400);
        auto store = openOrDie(block);
        const auto capacity = store->usage().capacityBytes;
        for (std::uint64_t i = 0; i < 3 * capacity / 2000; ++i) {
            auto put = store->put(key("same"), pattern(i, 2000));
            QVERIFY2(put.ok(), message(put));
        }
        QCOMPARE(store->usage().objectCount, 1u);
    }

    void fullStoreRefusesWithClearErrorAndKeepsData()
    {
        MemBlock block = formatted(Sector, 400);
        auto store = openOrDie(block);
        std::map<Bytes, Bytes> expected;
        Status last;
        for (int i = 0; i < 1000 && last.ok(); ++i) {
            Bytes k = key("f" + std::to_string(i));
            Bytes v = pattern(static_cast<std::uint64_t>(i), 1500);
            last = store->put(k, v);
            if (last.ok())
                expected[k] = v;
        }
        QVERIFY(!last.ok());
        QCOMPARE(last.error().code(), ErrorCode::NoSpace);
        const std::string_view text = last.error().messageView();
        QVERIFY2(text.starts_with("node store is full: ") && text.find(" bytes free, ") != std::string_view::npos
                     && text.ends_with(" needed"),
                 last.error().message());
        QVERIFY(expected.size() > 50);
        QCOMPARE(readAll(*store), expected);
        QVERIFY(store->usage().freeBytes < 2048);

        store.reset();
        store = openOrDie(block);
        QCOMPARE(readAll(*store), expected);
        // Deleting makes room again (the put compacts the dead space away).
        for (int i = 0; i < 10; ++i) {
            QVERIFY(store->remove(key("f" + std::to_string(i))).ok());
            expected.erase(key("f" + std::to_string(i)));
        }
        QVERIFY2(store->put(key("after"), pattern(5, 1500)).ok(), "put after delete");
        expected[key("after")] = pattern(5, 1500);
        store.reset();
        QCOMPARE(readAll(*openOrDie(block)), expected);
    }

    void fullDeviceReportsNoSpaceAndKeepsData()
    {
        MemBlock block = formatted();
        // The device refuses writes past sector 300 (the log starts at 130), like a sparse
        // file on a full disk; the store itself still believes it has room.
        block.setWritableLimit(300);
        auto store = openOrDie(block);
        std::map<Bytes, Bytes> expected;
        Status last;
        for (int i = 0; i < 200 && last.ok(); ++i) {
            Bytes k = key("d" + std::to_string(i));
            Bytes v = pattern(static_cast<std::uint64_t>(i), 2000);
            last = store->put(k, v);
            if (last.ok())
                expected[k] = v;
        }
        QVERIFY(!last.ok());
        QCOMPARE(last.error().code(), ErrorCode::NoSpace);
        QVERIFY2(last.error().messageView().find("no space left") != std::string_view::npos, last.error().message());
        QVERIFY(expected.size() > 10);
        QCOMPARE(readAll(*store), expected);
        // Small writes still fail cleanly, reads keep working, and after a reopen with the
        // space back, everything acknowledged is there and writing resumes.
        QCOMPARE(store->put(key("more"), pattern(1, 3000)).error().code(), ErrorCode::NoSpace);
        store.reset();
        block.setWritableLimit(std::nullopt);
        store = openOrDie(block);
        QCOMPARE(readAll(*store), expected);
        QVERIFY(store->put(key("more"), pattern(1, 3000)).ok());
        expected[key("more")] = pattern(1, 3000);
        store.reset();
        QCOMPARE(readAll(*openOrDie(block)), expected);
    }

    void configSlotsAreIndependentAndPersist()
    {
        MemBlock block = formatted();
        {
            auto store = openOrDie(block);
            QCOMPARE(store->config(0).error().code(), ErrorCode::NotFound);
            QVERIFY(store->setConfig(0, asBytes("node key v1")).ok());
            QVERIFY(store->setConfig(1, asBytes("owner")).ok());
            QVERIFY(store->setConfig(0, asBytes("node key v2")).ok());
            QVERIFY(store->setConfig(2, {}).ok());
            QCOMPARE(asText(*store->config(0)), "node key v2");
            QCOMPARE(store->config(Store::ConfigSlotCount).error().code(), ErrorCode::InvalidArgument);
            QCOMPARE(store->setConfig(3, Bytes(store->maxConfigSize() + 1, 1)).error().code(), ErrorCode::TooLarge);
            QVERIFY(store->setConfig(3, Bytes(store->maxConfigSize(), 9)).ok());
        }
        auto store = openOrDie(block);
        QCOMPARE(asText(*store->config(0)), "node key v2");
        QCOMPARE(asText(*store->config(1)), "owner");
        QVERIFY(store->config(2)->empty());
        QCOMPARE(*store->config(3), Bytes(store->maxConfigSize(), 9));
        QCOMPARE(store->config(4).error().code(), ErrorCode::NotFound);
    }

    void replacedConfigValueDoesNotLingerOnDisk()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        const Bytes secret = pattern(42, 64);
        QVERIFY(store->setConfig(0, secret).ok());
        QVERIFY(store->setConfig(0, pattern(43, 64)).ok());
        const Bytes& disk = block.contents();
        QVERIFY(std::search(disk.begin(), disk.end(), secret.begin(), secret.end()) == disk.end());
    }

    void bitFlipInARecordIsCorruptThenDropsTheTail()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("a"), pattern(1, 2000)).ok());
        QVERIFY(store->put(key("b"), pattern(2, 2000)).ok());
        QVERIFY(store->put(key("c"), pattern(3, 2000)).ok());
        // Find b's record on the medium by its payload and flip a bit in the middle of it.
        const Bytes needle = pattern(2, 2000);
        const Bytes& disk = block.contents();
        auto at = std::search(disk.begin(), disk.end(), needle.begin(), needle.end());
        QVERIFY(at != disk.end());
        block.flipBit(static_cast<std::uint64_t>(at - disk.begin()) + 1000, 3);

        // Read while open: reported, not returned.
        QCOMPARE(store->get(key("b")).error().code(), ErrorCode::Corrupt);
        QCOMPARE(*store->get(key("a")), pattern(1, 2000));
        QCOMPARE(*store->get(key("c")), pattern(3, 2000));

        // Recovery ends the log at the damaged record: it and everything after are dropped.
        store.reset();
        store = openOrDie(block);
        QCOMPARE(*store->get(key("a")), pattern(1, 2000));
        QVERIFY(!store->has(key("b")));
        QVERIFY(!store->has(key("c")));
        QVERIFY(store->put(key("d"), pattern(4, 100)).ok());
        store.reset();
        store = openOrDie(block);
        QCOMPARE(*store->get(key("d")), pattern(4, 100));
        QCOMPARE(store->usage().objectCount, 2u);
    }

    void bitFlipInARecordHeaderDropsTheTail()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("a"), pattern(1, 100)).ok());
        QVERIFY(store->put(key("bbbbbbbb"), pattern(2, 100)).ok());
        QVERIFY(store->put(key("c"), pattern(3, 100)).ok());
        const Bytes& disk = block.contents();
        const Bytes needle = key("bbbbbbbb");
        auto at = std::search(disk.begin(), disk.end(), needle.begin(), needle.end());
        QVERIFY(at != disk.end());
        block.flipBit(static_cast<std::uint64_t>(at - disk.begin()) - 20, 0); // the store id field
        store.reset();
        store = openOrDie(block);
        QVERIFY(store->has(key("a")));
        QVERIFY(!store->has(key("bbbbbbbb")));
        QVERIFY(!store->has(key("c")));
    }

    void compactionDropsObjectsThatDecayed()
    {
        MemBlock block = formatted();
        auto store = openOrDie(block);
        QVERIFY(store->put(key("a"), pattern(1, 2000)).ok());
        QVERIFY(store->put(key("b"), pattern(2, 2000)).ok());
        const Bytes needle = pattern(1, 2000);
        const Bytes& disk = block.contents();
        auto at = std::search(disk.begin(), disk.end(), needle.begin(), needle.end());
        block.flipBit(static_cast<std::uint64_t>(at - disk.begin()) + 5, 1);
        auto stats = store->compact();
        QVERIFY2(stats.ok(), message(stats));
        QCOMPARE(stats->droppedCorrupt, 1u);
        QVERIFY(!store->has(key("a")));
        store.reset();
        store = openOrDie(block);
        QVERIFY(!store->has(key("a")));
        QCOMPARE(*store->get(key("b")), pattern(2, 2000));
    }

    void damagedSuperblockCopyFallsBackToTheOther()
    {
        MemBlock block = formatted();
        {
            auto store = openOrDie(block);
            QVERIFY(store->put(key("a"), pattern(1, 100)).ok());
        }
        // Break one copy, then the other: either alone still opens.
        for (std::uint64_t copy : {0u, 1u}) {
            MemBlock damaged = block;
            damaged.flipBit(copy * Sector + 20, 2);
            auto store = Store::open(damaged);
            QVERIFY2(store.ok(), message(store));
            QCOMPARE(*(*store)->get(key("a")), pattern(1, 100));
        }
        block.flipBit(20, 2);
        block.flipBit(Sector + 20, 2);
        auto store = Store::open(block);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code(), ErrorCode::Corrupt);
    }

    void reformattingHidesTheOldStore()
    {
        MemBlock block = formatted();
        {
            auto store = openOrDie(block);
            QVERIFY(store->put(key("old"), pattern(1, 100)).ok());
            QVERIFY(store->setConfig(0, asBytes("old key")).ok());
        }
        QVERIFY(Store::format(block).ok());
        auto store = openOrDie(block);
        QVERIFY(!store->has(key("old")));
        QCOMPARE(store->config(0).error().code(), ErrorCode::NotFound);
        QCOMPARE(store->usage().objectCount, 0u);
    }

    void formatRejectsUnusableDevices()
    {
        MemBlock tiny(Sector, 150);
        QCOMPARE(Store::format(tiny).error().code(), ErrorCode::InvalidArgument);
        MemBlock odd(1000, 1000);
        QCOMPARE(Store::format(odd).error().code(), ErrorCode::Unsupported);
        MemBlock small(Sector, 400);
        QCOMPARE(Store::format(small, FormatOptions {.storeId = 0, .maxObjectSize = 100'000}).error().code(),
                 ErrorCode::InvalidArgument);
    }

    // The chunked index against std::map: same contents, same order, through many splits.
    void indexMatchesAnOrderedMap()
    {
        KeyIndex<int> index;
        std::map<Bytes, int> model;
        Rng rng(3);
        for (int step = 0; step < 20000; ++step) {
            Bytes k = key(std::to_string(rng.below(3000)));
            if (rng.below(3) == 0) {
                QCOMPARE(index.erase(k), model.erase(k) == 1);
            } else {
                auto [item, inserted] = index.insert(k);
                QCOMPARE(inserted, !model.contains(k));
                item->value = step;
                model[k] = step;
            }
        }
        QCOMPARE(index.size(), model.size());
        QVERIFY(model.size() > 1000);
        std::vector<std::pair<Bytes, int>> walked;
        index.forEachFrom({}, false, [&](const KeyIndex<int>::Item& item) {
            walked.emplace_back(item.key, item.value);
            return true;
        });
        QVERIFY(walked == (std::vector<std::pair<Bytes, int>>(model.begin(), model.end())));
        for (const auto& [k, v] : model)
            QCOMPARE(index.find(k)->value, v);
        // Starting points, inclusive and exclusive, land where std::map's bounds do.
        for (int i = 0; i < 200; ++i) {
            Bytes from = key(std::to_string(rng.below(3100)));
            for (bool exclusive : {false, true}) {
                const KeyIndex<int>::Item* first = nullptr;
                index.forEachFrom(from, exclusive, [&](const KeyIndex<int>::Item& item) {
                    first = &item;
                    return false;
                });
                auto expected = exclusive ? model.upper_bound(from) : model.lower_bound(from);
                QCOMPARE(first == nullptr, expected == model.end());
                if (first)
                    QCOMPARE(first->key, expected->first);
            }
        }
    }

    void worksWith4KiBSectors()
    {
        MemBlock block = formatted(4096, 256);
        auto store = openOrDie(block);
        QVERIFY(store->put(key("a"), pattern(1, 10000)).ok());
        QVERIFY(store->put(key("b"), pattern(2, 1)).ok());
        QVERIFY(store->setConfig(0, asBytes("cfg")).ok());
        QCOMPARE(store->usage().liveBytes, 4u * 4096);
        store.reset();
        store = openOrDie(block);
        QCOMPARE(*store->get(key("a")), pattern(1, 10000));
        QCOMPARE(asText(*store->config(0)), "cfg");
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
