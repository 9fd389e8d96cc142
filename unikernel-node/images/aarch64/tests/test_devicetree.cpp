// Host-side tests of the aarch64 image's device-tree reader: a real QEMU virt DTB, trees
// built here property by property, and malformed blobs (truncated, bad magic, bad offsets,
// unterminated strings, deep nesting) that must fail cleanly.
//
// tests/data/aarch64/qemu-virt.dtb was produced by
//   qemu-system-aarch64 -M virt,dumpdtb=virt.dtb -cpu cortex-a57 -m 32 -kernel <any file>
//       -append "hive.test=1 console=pl011"
// and cut to the size of its blocks (QEMU pads the blob to 1 MiB; totalsize rewritten).
#include "devicetree.h"

#include <QtTest>
#include <cstdint>
#include <string>
#include <vector>

using namespace hive;
using namespace hive::image::aarch64;

namespace {

using Blob = std::vector<std::uint8_t>;

// Not inlined: after inlining into freshly sized vectors GCC -O2 reports a (false)
// possible null dereference of the vector's storage.
[[gnu::noinline]] void putBe32(Blob& b, std::size_t at, std::uint32_t v)
{
    b[at] = static_cast<std::uint8_t>(v >> 24);
    b[at + 1] = static_cast<std::uint8_t>(v >> 16);
    b[at + 2] = static_cast<std::uint8_t>(v >> 8);
    b[at + 3] = static_cast<std::uint8_t>(v);
}

std::uint32_t getBe32(const Blob& b, std::size_t at)
{
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8)
        | std::uint32_t{b[at + 3]};
}

// Builds a version-17 DTB token by token, so tests can shape valid and broken trees.
class TreeBuilder {
public:
    TreeBuilder& begin(const std::string& name)
    {
        word(1);
        for (char c : name)
            m_struct.push_back(static_cast<std::uint8_t>(c));
        m_struct.push_back(0);
        pad();
        return *this;
    }
    TreeBuilder& end()
    {
        word(2);
        return *this;
    }
    TreeBuilder& prop(const std::string& name, const Blob& value)
    {
        word(3);
        word(static_cast<std::uint32_t>(value.size()));
        word(nameOffset(name));
        m_struct.insert(m_struct.end(), value.begin(), value.end());
        pad();
        return *this;
    }
    TreeBuilder& propString(const std::string& name, const std::string& value)
    {
        Blob v(value.begin(), value.end());
        v.push_back(0);
        return prop(name, v);
    }
    TreeBuilder& propCells(const std::string& name, std::initializer_list<std::uint32_t> cells)
    {
        Blob v(cells.size() * 4);
        std::size_t i = 0;
        for (std::uint32_t c : cells)
            putBe32(v, 4 * i++, c);
        return prop(name, v);
    }
    TreeBuilder& reserve(std::uint64_t base, std::uint64_t size)
    {
        m_reservations.push_back({base, size});
        return *this;
    }
    TreeBuilder& raw(std::uint32_t token)
    {
        word(token);
        return *this;
    }
    Blob finish()
    {
        word(9);
        Blob out(40 + 16 * (m_reservations.size() + 1)); // reservation pairs, then a zero pair
        for (std::size_t i = 0; i < m_reservations.size(); ++i) {
            putBe32(out, 40 + 16 * i, static_cast<std::uint32_t>(m_reservations[i].first >> 32));
            putBe32(out, 44 + 16 * i, static_cast<std::uint32_t>(m_reservations[i].first));
            putBe32(out, 48 + 16 * i, static_cast<std::uint32_t>(m_reservations[i].second >> 32));
            putBe32(out, 52 + 16 * i, static_cast<std::uint32_t>(m_reservations[i].second));
        }
        std::size_t offStruct = out.size();
        out.insert(out.end(), m_struct.begin(), m_struct.end());
        std::size_t offStrings = out.size();
        out.insert(out.end(), m_strings.begin(), m_strings.end());
        putBe32(out, 0, 0xd00dfeed);
        putBe32(out, 4, static_cast<std::uint32_t>(out.size()));
        putBe32(out, 8, static_cast<std::uint32_t>(offStruct));
        putBe32(out, 12, static_cast<std::uint32_t>(offStrings));
        putBe32(out, 16, 40); // reservation block right after the header
        putBe32(out, 20, 17);
        putBe32(out, 24, 16);
        putBe32(out, 28, 0);
        putBe32(out, 32, static_cast<std::uint32_t>(m_strings.size()));
        putBe32(out, 36, static_cast<std::uint32_t>(m_struct.size()));
        return out;
    }

private:
    void word(std::uint32_t v)
    {
        std::size_t at = m_struct.size();
        m_struct.resize(at + 4);
        putBe32(m_struct, at, v);
    }
    void pad()
    {
        while (m_struct.size() % 4 != 0)
            m_struct.push_back(0);
    }
    std::uint32_t nameOffset(const std::string& name)
    {
        auto at = static_cast<std::uint32_t>(m_strings.size());
        m_strings.insert(m_strings.end(), name.begin(), name.end());
        m_strings.push_back(0);
        return at;
    }
    Blob m_struct;
    Blob m_strings;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> m_reservations;
};

// A minimal virt-like tree: root cells 2/2, memory, a UART, one virtio-mmio device.
TreeBuilder minimalTree()
{
    TreeBuilder t;
    t.begin("").propCells("#address-cells", {2}).propCells("#size-cells", {2});
    t.begin("memory@40000000").propString("device_type", "memory").propCells("reg", {0, 0x40000000, 0, 0x2000000}).end();
    t.begin("pl011@9000000").propString("compatible", "arm,pl011").propCells("reg", {0, 0x09000000, 0, 0x1000}).end();
    t.begin("virtio_mmio@a000000")
        .propString("compatible", "virtio,mmio")
        .propCells("reg", {0, 0x0a000000, 0, 0x200})
        .propCells("interrupts", {0, 16, 1})
        .end();
    return t;
}

Blob loadVirtDtb()
{
    QFile f(QString::fromLocal8Bit(qgetenv("HIVE_TEST_DATA")) + QStringLiteral("/aarch64/qemu-virt.dtb"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray all = f.readAll();
    return Blob(all.begin(), all.end());
}

Result<Board> parse(const Blob& blob)
{
    auto tree = HIVE_TRY(DeviceTree::create(blob));
    return describeBoard(tree);
}

} // namespace

class TestDeviceTree : public QObject {
    Q_OBJECT
private slots:
    void readsQemuVirtMachine()
    {
        Blob blob = loadVirtDtb();
        QVERIFY2(!blob.empty(), "tests/data/aarch64/qemu-virt.dtb missing");
        auto p = parse(blob);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
        QCOMPARE(p->memoryCount, std::size_t{1});
        QCOMPARE(p->memory[0].base, std::uint64_t{0x40000000});
        QCOMPARE(p->memory[0].size, std::uint64_t{32} << 20);
        QCOMPARE(p->uart.base, std::uint64_t{0x09000000});
        QCOMPARE(p->uart.size, std::uint64_t{0x1000});
        QCOMPARE(p->uart.irq, std::uint32_t{32 + 1});
        QCOMPARE(p->rtc.base, std::uint64_t{0x09010000});
        QCOMPARE(p->gicVersion, std::uint8_t{2});
        QCOMPARE(p->gicDistributor.base, std::uint64_t{0x08000000});
        QCOMPARE(p->gicCpu.base, std::uint64_t{0x08010000});
        QCOMPARE(p->virtualTimerIrq, std::uint32_t{27});
        QCOMPARE(p->virtioCount, std::size_t{32});
        QCOMPARE(p->virtioIgnored, std::size_t{0});
        QCOMPARE(p->virtio[0].base, std::uint64_t{0x0a000000});
        QCOMPARE(p->virtio[0].size, std::uint64_t{0x200});
        QCOMPARE(p->virtio[0].irq, std::uint32_t{32 + 16});
        QCOMPARE(p->virtio[31].base, std::uint64_t{0x0a003e00});
        QCOMPARE(p->virtio[31].irq, std::uint32_t{32 + 47});
        QCOMPARE(std::string(p->bootargs), std::string("hive.test=1 console=pl011"));
        QCOMPARE(p->psci, PsciConduit::Hvc);
        QCOMPARE(p->rngSeed.size(), std::size_t{32});
    }

    void totalSizeReadsOnlyTheHeader()
    {
        Blob blob = loadVirtDtb();
        QVERIFY(blob.size() > 8);
        auto size = DeviceTree::totalSize(std::span<const std::uint8_t>(blob.data(), 8));
        QVERIFY(size.ok());
        QCOMPARE(*size, blob.size());
        Blob huge = blob;
        putBe32(huge, 4, 0x7fffffff);
        QCOMPARE(DeviceTree::totalSize(huge).error().code(), ErrorCode::TooLarge);
    }

    void walksEveryTokenInOrder()
    {
        Blob blob = minimalTree().end().finish();
        auto tree = DeviceTree::create(blob);
        QVERIFY(tree.ok());
        auto c = tree->cursor();
        std::vector<std::string> seen;
        for (int guard = 0; guard < 100; ++guard) {
            auto t = c.next();
            QVERIFY(t.ok());
            if (t->kind == DtToken::Kind::End)
                break;
            seen.push_back(std::to_string(static_cast<int>(t->kind)) + ":" + std::string(t->name));
        }
        QCOMPARE(seen.size(), std::size_t{17});
        QCOMPARE(seen[0], std::string("0:"));
        QCOMPARE(seen[3], std::string("0:memory@40000000"));
        QCOMPARE(seen[4], std::string("2:device_type"));
        QCOMPARE(seen.back(), std::string("1:"));
        // After End the cursor refuses to continue instead of reading past the block.
        QVERIFY(!c.next().ok());
    }

    void readsMinimalTreeAndSkipsNops()
    {
        TreeBuilder t = minimalTree();
        t.raw(4); // FDT_NOP between nodes is legal
        t.begin("chosen").propString("bootargs", "fault=1").end();
        t.begin("psci").propString("compatible", "arm,psci-0.2").propString("method", "smc").end();
        Blob blob = t.end().finish(); // bootargs views the blob, so it must outlive p
        auto p = parse(blob);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
        QCOMPARE(p->memory[0].size, std::uint64_t{0x2000000});
        QCOMPARE(p->virtioCount, std::size_t{1});
        QCOMPARE(p->virtio[0].irq, std::uint32_t{48});
        QCOMPARE(std::string(p->bootargs), std::string("fault=1"));
        QCOMPARE(p->psci, PsciConduit::Smc);
        QCOMPARE(p->rtc.size, std::uint64_t{0});
        QCOMPARE(p->gicVersion, std::uint8_t{0});
    }

    void honoursOneCellAddresses()
    {
        TreeBuilder t;
        t.begin("").propCells("#address-cells", {1}).propCells("#size-cells", {1});
        t.begin("memory@80000000").propString("device_type", "memory").propCells("reg", {0x80000000, 0x1000000, 0x90000000, 0x1000000}).end();
        auto p = parse(t.end().finish());
        QVERIFY(p.ok());
        QCOMPARE(p->memoryCount, std::size_t{2});
        QCOMPARE(p->memory[1].base, std::uint64_t{0x90000000});
    }

    void ignoresDevicesBehindBuses()
    {
        TreeBuilder t = minimalTree();
        t.begin("bus").propCells("#address-cells", {1}).propCells("#size-cells", {1});
        t.begin("virtio_mmio@100").propString("compatible", "virtio,mmio").propCells("reg", {0x100, 0x200}).end();
        t.end();
        auto p = parse(t.end().finish());
        QVERIFY(p.ok());
        QCOMPARE(p->virtioCount, std::size_t{1});
    }

    void capsVirtioDevices()
    {
        TreeBuilder t = minimalTree();
        for (std::uint32_t i = 0; i < Board::MaxVirtio + 3; ++i)
            t.begin("virtio_mmio").propString("compatible", "virtio,mmio").propCells("reg", {0, 0x0b000000 + i * 0x200, 0, 0x200}).end();
        auto p = parse(t.end().finish());
        QVERIFY(p.ok());
        QCOMPARE(p->virtioCount, Board::MaxVirtio);
        QCOMPARE(p->virtioIgnored, std::size_t{4});
    }

    void collectsReservedMemory()
    {
        TreeBuilder t;
        t.reserve(0x48000000, 0x10000).reserve(0x49000000, 0x2000);
        t.begin("").propCells("#address-cells", {2}).propCells("#size-cells", {2});
        t.begin("memory@40000000").propString("device_type", "memory").propCells("reg", {0, 0x40000000, 0, 0x10000000}).end();
        t.begin("reserved-memory").propCells("#address-cells", {1}).propCells("#size-cells", {1});
        t.begin("firmware@4a000000").propCells("reg", {0x4a000000, 0x100000}).end();
        t.begin("dynamic").propCells("size", {0x1000}).end(); // no reg: placed by the OS, nothing to avoid
        t.end();
        Blob blob = t.end().finish();
        auto tree = DeviceTree::create(blob);
        QVERIFY(tree.ok());
        QCOMPARE(tree->reservationCount(), std::size_t{2});
        auto p = describeBoard(*tree);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message());
        QCOMPARE(p->reservedCount, std::size_t{3});
        QCOMPARE(p->reserved[0].base, std::uint64_t{0x48000000});
        QCOMPARE(p->reserved[1].size, std::uint64_t{0x2000});
        QCOMPARE(p->reserved[2].base, std::uint64_t{0x4a000000});
        QCOMPARE(p->reserved[2].size, std::uint64_t{0x100000});
        // The QEMU virt tree reserves nothing.
        Blob virt = loadVirtDtb();
        auto v = parse(virt);
        QVERIFY(v.ok());
        QCOMPARE(v->reservedCount, std::size_t{0});
    }

    void rejectsBadReservationBlocks()
    {
        Blob blob = minimalTree().end().finish();
        Blob misaligned = blob;
        putBe32(misaligned, 16, 44);
        QVERIFY(!DeviceTree::create(misaligned).ok());
        Blob outside = blob;
        putBe32(outside, 16, 0xfffffff8);
        QVERIFY(!DeviceTree::create(outside).ok());
        // No zero pair before the end of the blob: point the block at the non-zero strings.
        Blob unterminated = blob;
        putBe32(unterminated, 16, static_cast<std::uint32_t>((blob.size() - 16) & ~std::size_t{7}));
        for (std::size_t i = (blob.size() - 16) & ~std::size_t{7}; i < blob.size(); ++i)
            unterminated[i] = 0xff;
        QVERIFY(!DeviceTree::create(unterminated).ok());
        // More reserved ranges than the board can hold is an error, not a silent drop.
        TreeBuilder many = minimalTree();
        for (std::uint64_t i = 0; i <= Board::MaxReserved; ++i)
            many.reserve(0x50000000 + i * 0x1000, 0x1000);
        auto p = parse(many.end().finish());
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code(), ErrorCode::TooLarge);
    }

    void rejectsTreeWithoutMemory()
    {
        TreeBuilder t;
        t.begin("").propCells("#address-cells", {2}).propCells("#size-cells", {2}).end();
        auto p = parse(t.finish());
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code(), ErrorCode::NotFound);
    }

    void rejectsEveryTruncation()
    {
        // Every prefix of a valid blob must fail cleanly; ASan checks for stray reads.
        Blob blob = loadVirtDtb();
        QVERIFY(!blob.empty());
        for (std::size_t n = 0; n < blob.size(); n += (n < 64 ? 1 : 97)) {
            Blob cut(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(n));
            QVERIFY2(!DeviceTree::create(cut).ok(), qPrintable(QStringLiteral("prefix %1 accepted").arg(n)));
        }
        // A blob whose header claims less than its blocks need is also rejected.
        Blob shrunk = blob;
        putBe32(shrunk, 4, static_cast<std::uint32_t>(blob.size() - 4));
        QVERIFY(!DeviceTree::create(shrunk).ok());
    }

    void rejectsBadMagicAndVersion()
    {
        Blob blob = minimalTree().end().finish();
        Blob badMagic = blob;
        badMagic[0] ^= 0xff;
        QCOMPARE(DeviceTree::create(badMagic).error().code(), ErrorCode::Malformed);
        Blob oldVersion = blob;
        putBe32(oldVersion, 20, 16);
        QCOMPARE(DeviceTree::create(oldVersion).error().code(), ErrorCode::Unsupported);
        Blob future = blob;
        putBe32(future, 24, 18);
        QCOMPARE(DeviceTree::create(future).error().code(), ErrorCode::Unsupported);
    }

    void rejectsBadOffsets()
    {
        Blob blob = minimalTree().end().finish();
        struct Case {
            std::size_t field;
            std::uint32_t value;
        };
        const Case cases[] = {
            {8, 0xfffffff0},  // structure block far outside
            {8, 2},           // structure block inside the header
            {8, 58},          // misaligned structure block
            {12, 0xffffffff}, // strings block outside
            {36, 0xfffffffc}, // structure size wraps past the end
            {32, 0xffffffff}, // strings size wraps past the end
            {36, 6},          // structure size not a multiple of 4
        };
        for (const Case& c : cases) {
            Blob bad = blob;
            putBe32(bad, c.field, c.value);
            QVERIFY2(!DeviceTree::create(bad).ok(), qPrintable(QStringLiteral("field %1 = %2").arg(c.field).arg(c.value)));
        }
        // A structure block cut short of its end token is caught while walking.
        Blob shortStruct = blob;
        putBe32(shortStruct, 36, getBe32(blob, 36) - 4);
        auto tree = DeviceTree::create(shortStruct);
        QVERIFY(tree.ok());
        QVERIFY(!describeBoard(*tree).ok());
    }

    void rejectsBadPropertyReferences()
    {
        // Property name offset beyond the strings block.
        Blob blob = minimalTree().end().finish();
        Blob badName = blob;
        std::size_t offStruct = getBe32(blob, 8);
        // The root's first property starts after BEGIN_NODE + empty name (8 bytes): token, len, nameoff.
        QCOMPARE(getBe32(blob, offStruct + 8), std::uint32_t{3});
        putBe32(badName, offStruct + 16, 0x10000);
        QVERIFY(!parse(badName).ok());
        // Property length running off the structure block.
        Blob badLength = blob;
        putBe32(badLength, offStruct + 12, 0x7fffffff);
        QVERIFY(!parse(badLength).ok());
        // A name offset pointing at the last byte of a strings block that lacks its NUL.
        Blob noNul = blob;
        std::size_t offStrings = getBe32(blob, 12);
        std::size_t sizeStrings = getBe32(blob, 32);
        noNul[offStrings + sizeStrings - 1] = 'x';
        putBe32(noNul, offStruct + 16, static_cast<std::uint32_t>(sizeStrings - 1));
        QVERIFY(!parse(noNul).ok());
    }

    void rejectsStructuralErrors()
    {
        // Unbalanced END_NODE.
        TreeBuilder unbalanced;
        unbalanced.begin("").end().end();
        QVERIFY(!parse(unbalanced.finish()).ok());
        // END inside an open node.
        TreeBuilder open;
        open.begin("").begin("memory");
        QVERIFY(!parse(open.finish()).ok());
        // Unknown token.
        TreeBuilder unknown = minimalTree();
        unknown.raw(0x77);
        QVERIFY(!parse(unknown.end().finish()).ok());
        // Property before any node.
        TreeBuilder orphan;
        orphan.prop("x", {});
        QVERIFY(!parse(orphan.finish()).ok());
        // Nesting beyond the bound.
        TreeBuilder deep;
        for (std::size_t i = 0; i <= DeviceTree::MaxDepth; ++i)
            deep.begin("n");
        for (std::size_t i = 0; i <= DeviceTree::MaxDepth; ++i)
            deep.end();
        QVERIFY(!parse(deep.finish()).ok());
    }

    void rejectsBadCellsAndInterrupts()
    {
        TreeBuilder threeCells;
        threeCells.begin("").propCells("#address-cells", {3}).propCells("#size-cells", {2});
        threeCells.begin("memory").propString("device_type", "memory").propCells("reg", {0, 0, 1, 0, 1}).end();
        QVERIFY(!parse(threeCells.end().finish()).ok());

        TreeBuilder shortReg = minimalTree();
        shortReg.begin("pl031").propString("compatible", "arm,pl031").propCells("reg", {0, 0x09010000}).end();
        QVERIFY(!parse(shortReg.end().finish()).ok());

        TreeBuilder badCellProp;
        badCellProp.begin("").prop("#address-cells", {0, 0});
        QVERIFY(!parse(badCellProp.end().finish()).ok());

        TreeBuilder badIrq = minimalTree();
        badIrq.begin("virtio_mmio").propString("compatible", "virtio,mmio").propCells("reg", {0, 0x0a000200, 0, 0x200}).propCells("interrupts", {1, 16, 4}).end();
        QVERIFY(!parse(badIrq.end().finish()).ok());

        TreeBuilder badMethod = minimalTree();
        badMethod.begin("psci").propString("compatible", "arm,psci-1.0").propString("method", "svc").end();
        QVERIFY(!parse(badMethod.end().finish()).ok());

        TreeBuilder unterminated = minimalTree();
        unterminated.begin("chosen").prop("bootargs", {'a', 'b'}).end();
        QVERIFY(!parse(unterminated.end().finish()).ok());
    }

    void matchesStringListEntriesExactly()
    {
        Blob list = {'a', 'r', 'm', ',', 'x', 0, 'v', 'i', 'r', 't', 'i', 'o', 0};
        QVERIFY(stringListContains(list, "virtio"));
        QVERIFY(stringListContains(list, "arm,x"));
        QVERIFY(!stringListContains(list, "arm"));
        QVERIFY(!stringListContains(list, "virt"));
        Blob unterminated = {'a', 'b'};
        QVERIFY(!stringListContains(unterminated, "ab"));
    }
};

QTEST_GUILESS_MAIN(TestDeviceTree)
#include "test_devicetree.moc"
