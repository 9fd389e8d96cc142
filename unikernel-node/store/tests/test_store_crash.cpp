// Crash safety of the node store on the in-memory device: a power cut at every point of
// each kind of write (exhaustively, for small records), and a random property test.
// Recovery must always open the store, keep every acknowledged write, and show nothing
// half-written.
#include "storetesting.h"

#include <QtTest>

#include <functional>
#include <optional>
#include <set>

using namespace hive;
using namespace hive::node;
using namespace hive::node::testing;

namespace {

constexpr std::size_t Sector = 512;

struct CrashKind {
    MemBlock::CrashMode mode;
    std::uint64_t seed;
};
constexpr CrashKind CrashKinds[] = {
    {MemBlock::CrashMode::DropUnflushed, 0},
    {MemBlock::CrashMode::KeepUnflushed, 0},
    {MemBlock::CrashMode::RandomUnflushed, 1},
    {MemBlock::CrashMode::RandomUnflushed, 2},
    {MemBlock::CrashMode::RandomUnflushed, 3},
};

using State = std::map<Bytes, Bytes>;
using Op = std::function<Status(Store&)>;
// Checks the recovered store given whether the interrupted operation was acknowledged.
using Check = std::function<void(Store&, bool acknowledged)>;

std::unique_ptr<Store> openOrFail(MemBlock& block)
{
    auto store = Store::open(block);
    if (!store.ok()) {
        QTest::qFail(store.error().message(), __FILE__, __LINE__);
        return nullptr;
    }
    return std::move(store).release();
}

// Runs op on a store over a copy of base, with the power cut after k events for every k
// from 0 to the number of events op takes without a cut, crashes the copy in every crash
// mode, reopens it and runs check. Returns the number of crash cases tried.
int crashEverywhere(const MemBlock& base, const Op& op, const Check& check)
{
    std::uint64_t total = 0;
    {
        MemBlock probe = base;
        auto store = openOrFail(probe);
        if (!store)
            return 0;
        const std::uint64_t before = probe.events();
        Status uncut = op(*store);
        if (!uncut.ok()) {
            QTest::qFail(uncut.error().message(), __FILE__, __LINE__);
            return 0;
        }
        total = probe.events() - before;
    }
    int cases = 0;
    for (std::uint64_t k = 0; k <= total; ++k) {
        for (const CrashKind& kind : CrashKinds) {
            MemBlock device = base;
            bool acknowledged = false;
            {
                auto store = openOrFail(device);
                if (!store)
                    return cases;
                device.powerCutAfter(k);
                acknowledged = op(*store).ok();
            }
            device.crash(kind.mode, kind.seed * 1000 + k);
            auto recovered = openOrFail(device);
            if (!recovered)
                return cases;
            check(*recovered, acknowledged);
            if (QTest::currentTestFailed()) {
                qWarning("failed with the power cut after %llu of %llu events, crash mode %d/%llu",
                         static_cast<unsigned long long>(k), static_cast<unsigned long long>(total),
                         static_cast<int>(kind.mode), static_cast<unsigned long long>(kind.seed));
                return cases;
            }
            // The recovered store takes new writes that survive the next open.
            auto after = recovered->put(key("after-crash"), pattern(77, 700));
            if (!after.ok()) {
                QTest::qFail(after.error().message(), __FILE__, __LINE__);
                return cases;
            }
            recovered.reset();
            auto again = openOrFail(device);
            if (!again)
                return cases;
            auto value = again->get(key("after-crash"));
            if (!value.ok() || *value != pattern(77, 700)) {
                QTest::qFail("a write after recovery was lost", __FILE__, __LINE__);
                return cases;
            }
            ++cases;
        }
    }
    return cases;
}

// Every object of `expected` except `skip` is present and byte-identical, and the store
// holds no key outside expected.
void expectObjects(Store& store, const State& expected, const std::set<Bytes>& uncertain = {})
{
    bool ok = false;
    State actual = readAll(store, &ok);
    QVERIFY2(ok, "a listed object could not be read");
    for (const auto& [k, v] : expected) {
        if (uncertain.contains(k))
            continue;
        auto it = actual.find(k);
        QVERIFY2(it != actual.end(), "an acknowledged object is missing");
        QVERIFY2(it->second == v, "an acknowledged object changed");
    }
    for (const auto& [k, v] : actual)
        QVERIFY2(expected.contains(k) || uncertain.contains(k), "an object appeared that was never written");
}

// A store with some objects, on a device of `sectors` sectors.
MemBlock baseStore(std::uint64_t sectors, State& objects)
{
    MemBlock block(Sector, sectors);
    if (!Store::format(block).ok())
        qFatal("format failed");
    auto store = Store::open(block);
    if (!store.ok())
        qFatal("open failed");
    for (int i = 0; i < 5; ++i) {
        Bytes k = key("keep-" + std::to_string(i));
        Bytes v = pattern(static_cast<std::uint64_t>(100 + i), static_cast<std::size_t>(i * 700));
        if (!(*store)->put(k, v).ok())
            qFatal("put failed");
        objects[k] = v;
    }
    if (!(*store)->put(key("target"), pattern(1, 1200)).ok())
        qFatal("put failed");
    objects[key("target")] = pattern(1, 1200);
    return block;
}

} // namespace

class TestStoreCrash : public QObject {
    Q_OBJECT
private slots:
    void crashAtEveryPointOfAPut_data()
    {
        QTest::addColumn<int>("size");
        // "target" is 6 bytes, so 462 bytes fill exactly one sector with the 44-byte header.
        for (int size : {0, 1, 462, 463, 1500, 5000})
            QTest::newRow(std::to_string(size).c_str()) << size;
    }
    void crashAtEveryPointOfAPut()
    {
        QFETCH(int, size);
        State before;
        MemBlock base = baseStore(400, before);
        const Bytes newValue = pattern(2, static_cast<std::size_t>(size));
        int cases = crashEverywhere(
            base, [&](Store& s) { return s.put(key("target"), newValue); },
            [&](Store& s, bool acknowledged) {
                expectObjects(s, before, {key("target")});
                auto value = s.get(key("target"));
                QVERIFY2(value.ok(), "the overwritten object vanished");
                if (acknowledged)
                    QVERIFY2(*value == newValue, "an acknowledged put was lost");
                else
                    QVERIFY2(*value == newValue || *value == before[key("target")], "a half-written value is visible");
            });
        QVERIFY(cases >= 5 * 4);
    }

    void crashAtEveryPointOfANewPut()
    {
        State before;
        MemBlock base = baseStore(400, before);
        const Bytes value = pattern(3, 2500);
        crashEverywhere(
            base, [&](Store& s) { return s.put(key("fresh"), value); },
            [&](Store& s, bool acknowledged) {
                expectObjects(s, before, {key("fresh")});
                if (acknowledged || s.has(key("fresh")))
                    QVERIFY2(s.get(key("fresh")).valueOr({}) == value, "a new object is missing or partial");
            });
    }

    void crashAtEveryPointOfARemove()
    {
        State before;
        MemBlock base = baseStore(400, before);
        crashEverywhere(
            base, [&](Store& s) { return s.remove(key("keep-3")); },
            [&](Store& s, bool acknowledged) {
                expectObjects(s, before, {key("keep-3")});
                if (acknowledged)
                    QVERIFY2(!s.has(key("keep-3")), "an acknowledged remove was undone");
                else if (s.has(key("keep-3")))
                    QVERIFY(*s.get(key("keep-3")) == before[key("keep-3")]);
            });
    }

    void crashAtEveryPointOfABatch()
    {
        State before;
        MemBlock base = baseStore(400, before);
        StoreBatch batch;
        batch.put(key("b1"), pattern(11, 900));
        batch.remove(key("keep-1"));
        batch.put(key("target"), pattern(12, 300));
        batch.put(key("b2"), pattern(13, 2000));
        batch.put(key("b1"), pattern(14, 10));
        // The states the batch passes through, in order: recovery must show one of them.
        std::vector<State> prefixes {before};
        for (const auto& step : std::vector<std::function<void(State&)>> {
                 [](State& st) { st[key("b1")] = pattern(11, 900); },
                 [](State& st) { st.erase(key("keep-1")); },
                 [](State& st) { st[key("target")] = pattern(12, 300); },
                 [](State& st) { st[key("b2")] = pattern(13, 2000); },
                 [](State& st) { st[key("b1")] = pattern(14, 10); },
             }) {
            State next = prefixes.back();
            step(next);
            prefixes.push_back(next);
        }
        crashEverywhere(
            base, [&](Store& s) { return s.commit(batch); },
            [&](Store& s, bool acknowledged) {
                State actual = readAll(s);
                actual.erase(key("after-crash"));
                if (acknowledged)
                    QVERIFY2(actual == prefixes.back(), "an acknowledged batch is incomplete");
                else
                    QVERIFY2(std::find(prefixes.begin(), prefixes.end(), actual) != prefixes.end(),
                             "recovery shows something other than a prefix of the batch");
            });
    }

    void crashAtEveryPointOfAPutThatWrapsTheRing()
    {
        // A 400-sector device has a 270-sector log. Fill and empty it so the tail sits near
        // the end of the ring, then put a record that does not fit before the end.
        MemBlock base(Sector, 400);
        QVERIFY(Store::format(base).ok());
        State before;
        {
            auto store = openOrFail(base);
            QVERIFY(store);
            for (int i = 0; i < 20; ++i)
                QVERIFY(store->put(key("x" + std::to_string(i)), pattern(static_cast<std::uint64_t>(i), 4000)).ok());
            for (int i = 0; i < 20; ++i)
                QVERIFY(store->remove(key("x" + std::to_string(i))).ok());
            QVERIFY(store->compact().ok()); // head = tail = sector 180 of the log
            for (int i = 0; i < 11; ++i) {
                Bytes k = key("y" + std::to_string(i));
                QVERIFY(store->put(k, pattern(static_cast<std::uint64_t>(50 + i), 2500)).ok()); // 5 sectors each
                before[k] = pattern(static_cast<std::uint64_t>(50 + i), 2500);
            }
        }
        // The log now ends at sector 235 of 270; four 8-sector puts bring it to 267, so the
        // next 8-sector put does not fit before the end and wraps to the start.
        {
            auto store = openOrFail(base);
            QVERIFY(store);
            for (int i = 0; i < 4; ++i) {
                Bytes k = key("z" + std::to_string(i));
                QVERIFY(store->put(k, pattern(static_cast<std::uint64_t>(70 + i), 4000)).ok());
                before[k] = pattern(static_cast<std::uint64_t>(70 + i), 4000);
            }
        }
        const Bytes value = pattern(9, 4000);
        crashEverywhere(
            base, [&](Store& s) { return s.put(key("wrap"), value); },
            [&](Store& s, bool acknowledged) {
                expectObjects(s, before, {key("wrap")});
                if (acknowledged || s.has(key("wrap")))
                    QVERIFY2(s.get(key("wrap")).valueOr({}) == value, "the wrapped object is missing or partial");
            });
        // The record really went to the start of the log (sector 130), after a pad.
        MemBlock check = base;
        auto store = openOrFail(check);
        QVERIFY(store->put(key("wrap"), value).ok());
        const Bytes& disk = check.contents();
        QCOMPARE(Bytes(disk.begin() + 130 * Sector + 44, disk.begin() + 130 * Sector + 48), key("wrap"));
    }

    void crashAtEveryPointOfCompaction()
    {
        MemBlock base(Sector, 400);
        QVERIFY(Store::format(base).ok());
        State expected;
        {
            auto store = openOrFail(base);
            QVERIFY(store);
            Rng rng(5);
            // Churn until the ring has wrapped, leaving live and dead records interleaved.
            for (int i = 0; i < 120; ++i) {
                Bytes k = key("c" + std::to_string(rng.below(12)));
                if (rng.below(4) == 0 && expected.contains(k)) {
                    QVERIFY(store->remove(k).ok());
                    expected.erase(k);
                } else {
                    Bytes v = pattern(rng.next(), static_cast<std::size_t>(rng.below(3000)));
                    QVERIFY(store->put(k, v).ok());
                    expected[k] = v;
                }
            }
            QVERIFY(store->usage().deadBytes > 10'000);
        }
        int cases = crashEverywhere(
            base,
            [&](Store& s) {
                auto stats = s.compact();
                return stats.ok() ? success() : Status(stats.error());
            },
            [&](Store& s, bool) { expectObjects(s, expected); });
        QVERIFY(cases > 5 * 20);
    }

    void crashAtEveryPointOfSetConfig()
    {
        State objects;
        MemBlock base = baseStore(400, objects);
        {
            auto store = openOrFail(base);
            QVERIFY(store);
            QVERIFY(store->setConfig(0, asBytes("old node key")).ok());
            QVERIFY(store->setConfig(1, asBytes("owner")).ok());
        }
        const Bytes newValue = pattern(8, 3000);
        crashEverywhere(
            base, [&](Store& s) { return s.setConfig(0, newValue); },
            [&](Store& s, bool acknowledged) {
                auto value = s.config(0);
                QVERIFY2(value.ok(), message(value));
                if (acknowledged)
                    QVERIFY(*value == newValue);
                else
                    QVERIFY(*value == newValue || asText(*value) == "old node key");
                QCOMPARE(asText(*s.config(1)), "owner");
                expectObjects(s, objects);
            });
    }

    // A batch whose first record was lost but whose second reached the disk: after
    // recovery a new record lands where the first was, and the stale second one lies right
    // behind it with the next sequence number. It must not come back to life.
    void staleRecordOfAnInterruptedBatchStaysDead()
    {
        MemBlock block(Sector, 1024);
        QVERIFY(Store::format(block).ok());
        {
            auto store = openOrFail(block);
            QVERIFY(store);
            QVERIFY(store->put(key("k"), asBytes("acknowledged")).ok());
            StoreBatch batch;
            batch.put(key("x"), asBytes("lost"));
            batch.put(key("k"), asBytes("never acknowledged"));
            block.failFlushes(ErrorCode::Io);
            QVERIFY(!store->commit(batch).ok());
            block.failFlushes(std::nullopt);
        }
        QCOMPARE(block.pendingSectors(), std::size_t {2});
        block.crash(std::vector<bool> {false, true});
        {
            auto store = openOrFail(block);
            QVERIFY(store);
            QCOMPARE(asText(*store->get(key("k"))), "acknowledged");
            QVERIFY(!store->has(key("x")));
            QVERIFY(store->put(key("y"), asBytes("same size")).ok());
        }
        auto store = openOrFail(block);
        QVERIFY(store);
        QCOMPARE(asText(*store->get(key("y"))), "same size");
        QCOMPARE(asText(*store->get(key("k"))), "acknowledged");
    }

    // Random operations, power cuts at random points, random loss of unflushed sectors,
    // many seeds: after every crash the store opens, every acknowledged put is present and
    // byte-identical, every acknowledged remove stays removed, and the one interrupted
    // operation shows its old or its new state, nothing in between.
    void randomCrashesKeepAcknowledgedWrites()
    {
        int crashes = 0;
        for (std::uint64_t seed = 1; seed <= 150; ++seed) {
            Rng rng(seed);
            MemBlock device(Sector, 640);
            QVERIFY(Store::format(device).ok());
            State model;
            std::map<std::size_t, Bytes> config;
            for (int cycle = 0; cycle < 4; ++cycle) {
                auto store = openOrFail(device);
                QVERIFY(store);
                if (rng.below(5) != 0)
                    device.powerCutAfter(rng.below(250));
                std::map<Bytes, std::vector<std::optional<Bytes>>> uncertain;
                std::map<std::size_t, std::vector<std::optional<Bytes>>> uncertainConfig;
                auto current = [&](const Bytes& k) -> std::optional<Bytes> {
                    auto it = model.find(k);
                    return it == model.end() ? std::nullopt : std::optional<Bytes>(it->second);
                };
                for (int step = 0; step < 40 && !device.poweredOff(); ++step) {
                    const auto choice = rng.below(20);
                    Bytes k = key("k" + std::to_string(rng.below(16)));
                    if (choice < 11) {
                        Bytes v = pattern(rng.next(), static_cast<std::size_t>(rng.below(3000)));
                        Status st = store->put(k, v);
                        if (st.ok())
                            model[k] = v;
                        else if (device.poweredOff())
                            uncertain[k] = {current(k), v};
                        else
                            QCOMPARE(st.error().code(), ErrorCode::NoSpace);
                    } else if (choice < 14) {
                        Status st = store->remove(k);
                        if (st.ok())
                            model.erase(k);
                        else if (device.poweredOff())
                            uncertain[k] = {current(k), std::nullopt};
                        else
                            QCOMPARE(st.error().code(), model.contains(k) ? ErrorCode::NoSpace : ErrorCode::NotFound);
                    } else if (choice < 16) {
                        StoreBatch batch;
                        State after = model;
                        std::map<Bytes, std::vector<std::optional<Bytes>>> states;
                        const auto n = 2 + rng.below(5);
                        for (std::uint64_t i = 0; i < n; ++i) {
                            Bytes bk = key("k" + std::to_string(rng.below(16)));
                            auto& seen = states[bk];
                            if (seen.empty())
                                seen.push_back(current(bk));
                            if (rng.below(4) == 0) {
                                batch.remove(bk);
                                after.erase(bk);
                                seen.push_back(std::nullopt);
                            } else {
                                Bytes v = pattern(rng.next(), static_cast<std::size_t>(rng.below(1500)));
                                batch.put(bk, v);
                                after[bk] = v;
                                seen.push_back(v);
                            }
                        }
                        Status st = store->commit(batch);
                        if (st.ok())
                            model = after;
                        else if (device.poweredOff())
                            uncertain = states;
                        else
                            QCOMPARE(st.error().code(), ErrorCode::NoSpace);
                    } else if (choice < 17) {
                        auto stats = store->compact();
                        QVERIFY2(stats.ok() || device.poweredOff(), message(stats));
                    } else if (choice < 18) {
                        const std::size_t slot = static_cast<std::size_t>(rng.below(3));
                        Bytes v = pattern(rng.next(), static_cast<std::size_t>(rng.below(300)));
                        std::optional<Bytes> old;
                        if (config.contains(slot))
                            old = config[slot];
                        Status st = store->setConfig(slot, v);
                        if (st.ok())
                            config[slot] = v;
                        else
                            uncertainConfig[slot] = {old, v};
                    } else {
                        auto value = store->get(k);
                        if (model.contains(k))
                            QVERIFY2(value.ok() && *value == model[k], "a read disagrees with the model");
                        else
                            QCOMPARE(value.error().code(), ErrorCode::NotFound);
                    }
                    if (QTest::currentTestFailed())
                        return;
                }
                store.reset();
                const CrashKind& kind = CrashKinds[rng.below(std::size(CrashKinds))];
                device.crash(kind.mode, rng.next());
                ++crashes;

                auto recovered = openOrFail(device);
                QVERIFY(recovered);
                bool ok = false;
                State actual = readAll(*recovered, &ok);
                QVERIFY2(ok, "after recovery a listed object fails to read");
                std::set<Bytes> keys;
                for (const auto& [k, v] : model)
                    keys.insert(k);
                for (const auto& [k, v] : uncertain)
                    keys.insert(k);
                for (const auto& [k, v] : actual)
                    QVERIFY2(keys.contains(k), qPrintable(QStringLiteral("seed %1: unexpected object").arg(seed)));
                for (const Bytes& k : keys) {
                    std::optional<Bytes> got;
                    if (auto it = actual.find(k); it != actual.end())
                        got = it->second;
                    if (auto it = uncertain.find(k); it != uncertain.end()) {
                        QVERIFY2(std::find(it->second.begin(), it->second.end(), got) != it->second.end(),
                                 qPrintable(QStringLiteral("seed %1: interrupted write left a state it never had").arg(seed)));
                    } else {
                        QVERIFY2(got == current(k), qPrintable(QStringLiteral("seed %1 cycle %2: acknowledged state lost").arg(seed).arg(cycle)));
                    }
                }
                model = actual;
                for (std::size_t slot = 0; slot < 3; ++slot) {
                    auto value = recovered->config(slot);
                    std::optional<Bytes> got;
                    if (value.ok())
                        got = *value;
                    else
                        QCOMPARE(value.error().code(), ErrorCode::NotFound);
                    if (auto it = uncertainConfig.find(slot); it != uncertainConfig.end()) {
                        QVERIFY(std::find(it->second.begin(), it->second.end(), got) != it->second.end());
                        if (got)
                            config[slot] = *got;
                        else
                            config.erase(slot);
                    } else {
                        std::optional<Bytes> want;
                        if (config.contains(slot))
                            want = config[slot];
                        QVERIFY2(got == want, "an acknowledged config value was lost");
                    }
                }
            }
        }
        QVERIFY(crashes == 150 * 4);
    }
};

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "test_store_crash.moc"
