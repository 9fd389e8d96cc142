#include "devicetree.h"

namespace hive::image::aarch64 {

namespace {

constexpr std::uint32_t FdtMagic = 0xd00dfeed;
constexpr std::uint32_t TokenBeginNode = 1;
constexpr std::uint32_t TokenEndNode = 2;
constexpr std::uint32_t TokenProperty = 3;
constexpr std::uint32_t TokenNop = 4;
constexpr std::uint32_t TokenEnd = 9;
constexpr std::size_t HeaderSize = 40; // version 17 header: ten big-endian words

Error malformed(std::string_view what) { return Error(ErrorCode::Malformed, "device tree: ").append(what); }

// Reads a big-endian word at offset; the caller has checked offset + 4 <= bytes.size().
std::uint32_t be32(std::span<const std::uint8_t> bytes, std::size_t offset)
{
    return (std::uint32_t{bytes[offset]} << 24) | (std::uint32_t{bytes[offset + 1]} << 16)
        | (std::uint32_t{bytes[offset + 2]} << 8) | std::uint32_t{bytes[offset + 3]};
}

std::size_t alignUp4(std::size_t v) { return (v + 3) & ~std::size_t{3}; }

// True if [offset, offset + length) lies inside a region of `size` bytes, without overflow.
bool fits(std::size_t offset, std::size_t length, std::size_t size)
{
    return offset <= size && length <= size - offset;
}

// Reads a number of `cells` 32-bit cells (0..2) at *offset, advancing it.
Result<std::uint64_t> readCells(std::span<const std::uint8_t> value, std::size_t& offset, std::uint32_t cells)
{
    if (cells > 2)
        return malformed("more than two address or size cells");
    if (!fits(offset, std::size_t{cells} * 4, value.size()))
        return malformed("reg or interrupts property too short");
    std::uint64_t v = 0;
    for (std::uint32_t i = 0; i < cells; ++i) {
        v = (v << 32) | be32(value, offset);
        offset += 4;
    }
    return v;
}

// One node being read, with the properties the platform description uses.
struct Frame {
    std::string_view name;
    std::uint32_t addressCells = 2; // spec defaults, applying to this node's children
    std::uint32_t sizeCells = 1;
    std::span<const std::uint8_t> compatible;
    std::span<const std::uint8_t> reg;
    std::span<const std::uint8_t> interrupts;
    std::span<const std::uint8_t> deviceType;
    std::span<const std::uint8_t> method;
    std::span<const std::uint8_t> bootargs;
    std::span<const std::uint8_t> rngSeed;
};

bool equalsString(std::span<const std::uint8_t> value, std::string_view text)
{
    // A string property is the text plus its terminating NUL.
    if (value.size() != text.size() + 1 || value[text.size()] != 0)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (value[i] != static_cast<std::uint8_t>(text[i]))
            return false;
    }
    return true;
}

std::string_view nodeBaseName(std::string_view name)
{
    std::size_t at = name.find('@');
    return at == std::string_view::npos ? name : name.substr(0, at);
}

// Reads the index-th (address, size) pair of `reg` using the parent's cell counts.
Result<DtDevice> regEntry(const Frame& node, const Frame& parent, std::size_t index)
{
    std::size_t entry = (std::size_t{parent.addressCells} + parent.sizeCells) * 4;
    if (entry == 0 || node.reg.size() % entry != 0 || index >= node.reg.size() / entry)
        return malformed("reg property does not hold the expected entries");
    std::size_t offset = index * entry;
    DtDevice d;
    d.base = HIVE_TRY(readCells(node.reg, offset, parent.addressCells));
    d.size = HIVE_TRY(readCells(node.reg, offset, parent.sizeCells));
    return d;
}

// Converts the index-th GIC interrupt specifier (type, number, flags) to a GIC id.
Result<std::uint32_t> gicInterrupt(std::span<const std::uint8_t> interrupts, std::size_t index)
{
    constexpr std::size_t Entry = 12;
    if (interrupts.size() % Entry != 0 || index >= interrupts.size() / Entry)
        return malformed("interrupts property does not hold the expected entries");
    std::uint32_t type = be32(interrupts, index * Entry);
    std::uint32_t number = be32(interrupts, index * Entry + 4);
    if (type == 0 && number < 988)
        return number + 32; // SPI
    if (type == 1 && number < 16)
        return number + 16; // PPI
    return malformed("interrupt specifier out of range");
}

Status addReserved(Board& out, DtDevice range)
{
    if (range.size == 0)
        return success();
    if (out.reservedCount == Board::MaxReserved)
        return Error(ErrorCode::TooLarge, "device tree: too many reserved memory ranges");
    out.reserved[out.reservedCount++] = range;
    return success();
}

Status finishNode(const Frame& node, const Frame& parent, std::size_t depth, Board& out)
{
    // /reserved-memory/<region>: memory firmware or a hypervisor keeps for itself.
    if (depth == 2 && nodeBaseName(parent.name) == "reserved-memory") {
        std::size_t entry = (std::size_t{parent.addressCells} + parent.sizeCells) * 4;
        if (node.reg.empty())
            return success(); // dynamically placed regions have no fixed address to avoid
        if (entry == 0 || node.reg.size() % entry != 0)
            return malformed("reserved-memory reg property has a partial entry");
        for (std::size_t i = 0; i < node.reg.size() / entry; ++i) {
            DtDevice range = HIVE_TRY(regEntry(node, parent, i));
            HIVE_CHECK(addReserved(out, range));
        }
        return success();
    }
    // Devices are only taken from the root's children (see the header for why).
    if (depth != 1)
        return success();
    std::string_view base = nodeBaseName(node.name);
    if (base == "chosen") {
        if (!node.bootargs.empty()) {
            if (node.bootargs.back() != 0)
                return malformed("bootargs is not NUL-terminated");
            out.bootargs = std::string_view(reinterpret_cast<const char*>(node.bootargs.data()),
                                            node.bootargs.size() - 1);
        }
        out.rngSeed = node.rngSeed;
        return success();
    }
    if (equalsString(node.deviceType, "memory")) {
        std::size_t entry = (std::size_t{parent.addressCells} + parent.sizeCells) * 4;
        if (entry == 0 || node.reg.size() % entry != 0)
            return malformed("memory reg property has a partial entry");
        for (std::size_t i = 0; i < node.reg.size() / entry; ++i) {
            DtDevice region = HIVE_TRY(regEntry(node, parent, i));
            if (region.size == 0 || out.memoryCount == Board::MaxMemory)
                continue;
            out.memory[out.memoryCount++] = region;
        }
        return success();
    }
    if (stringListContains(node.compatible, "arm,psci-0.2") || stringListContains(node.compatible, "arm,psci-1.0")
        || stringListContains(node.compatible, "arm,psci")) {
        if (equalsString(node.method, "hvc"))
            out.psci = PsciConduit::Hvc;
        else if (equalsString(node.method, "smc"))
            out.psci = PsciConduit::Smc;
        else
            return malformed("psci method is neither hvc nor smc");
        return success();
    }
    if (stringListContains(node.compatible, "virtio,mmio")) {
        DtDevice d = HIVE_TRY(regEntry(node, parent, 0));
        if (!node.interrupts.empty())
            d.irq = HIVE_TRY(gicInterrupt(node.interrupts, 0));
        if (out.virtioCount == Board::MaxVirtio)
            ++out.virtioIgnored;
        else
            out.virtio[out.virtioCount++] = d;
        return success();
    }
    if (stringListContains(node.compatible, "arm,pl011")) {
        if (out.uart.size == 0) {
            out.uart = HIVE_TRY(regEntry(node, parent, 0));
            if (!node.interrupts.empty())
                out.uart.irq = HIVE_TRY(gicInterrupt(node.interrupts, 0));
        }
        return success();
    }
    if (stringListContains(node.compatible, "arm,pl031")) {
        if (out.rtc.size == 0)
            out.rtc = HIVE_TRY(regEntry(node, parent, 0));
        return success();
    }
    if (stringListContains(node.compatible, "arm,gic-v3")) {
        out.gicVersion = 3;
        out.gicDistributor = HIVE_TRY(regEntry(node, parent, 0));
        out.gicCpu = HIVE_TRY(regEntry(node, parent, 1));
        return success();
    }
    if (stringListContains(node.compatible, "arm,cortex-a15-gic") || stringListContains(node.compatible, "arm,gic-400")) {
        out.gicVersion = 2;
        out.gicDistributor = HIVE_TRY(regEntry(node, parent, 0));
        out.gicCpu = HIVE_TRY(regEntry(node, parent, 1));
        return success();
    }
    if (stringListContains(node.compatible, "arm,armv8-timer") || stringListContains(node.compatible, "arm,armv7-timer")) {
        // Order fixed by the binding: secure physical, non-secure physical, virtual, hypervisor.
        out.virtualTimerIrq = HIVE_TRY(gicInterrupt(node.interrupts, 2));
        return success();
    }
    return success();
}

Result<std::uint32_t> cellCount(std::span<const std::uint8_t> value)
{
    if (value.size() != 4)
        return malformed("#address-cells or #size-cells is not one cell");
    return be32(value, 0);
}

} // namespace

bool stringListContains(std::span<const std::uint8_t> list, std::string_view name)
{
    std::size_t start = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i] != 0)
            continue;
        if (equalsString(list.subspan(start, i - start + 1), name))
            return true;
        start = i + 1;
    }
    return false;
}

Result<std::size_t> DeviceTree::totalSize(std::span<const std::uint8_t> header)
{
    if (header.size() < 8)
        return malformed("blob shorter than its header");
    if (be32(header, 0) != FdtMagic)
        return malformed("bad magic");
    std::size_t total = be32(header, 4);
    if (total < HeaderSize || total > MaxSize)
        return Error(ErrorCode::TooLarge, "device tree: total size out of range");
    return total;
}

Result<DeviceTree> DeviceTree::create(std::span<const std::uint8_t> blob)
{
    if (blob.size() < HeaderSize)
        return malformed("blob shorter than its header");
    std::size_t total = HIVE_TRY(totalSize(blob));
    if (total > blob.size())
        return malformed("truncated (total size exceeds the blob)");
    std::uint32_t offStruct = be32(blob, 8);
    std::uint32_t offStrings = be32(blob, 12);
    std::uint32_t version = be32(blob, 20);
    std::uint32_t lastCompatible = be32(blob, 24);
    std::uint32_t sizeStrings = be32(blob, 32);
    std::uint32_t sizeStruct = be32(blob, 36);
    // Version 17 is current; 16 lacks size_dt_struct, which this reader relies on.
    if (version < 17 || lastCompatible > 17)
        return Error(ErrorCode::Unsupported, "device tree: unsupported version");
    if (offStruct % 4 != 0 || sizeStruct % 4 != 0)
        return malformed("structure block is not 4-byte aligned");
    if (offStruct < HeaderSize || offStrings < HeaderSize)
        return malformed("block overlaps the header");
    if (!fits(offStruct, sizeStruct, total) || !fits(offStrings, sizeStrings, total))
        return malformed("block outside the blob");
    // The reservation block: 16-byte (address, size) pairs ending with a zero pair.
    std::uint32_t offReservations = be32(blob, 16);
    if (offReservations % 8 != 0 || offReservations < HeaderSize)
        return malformed("reservation block misplaced");
    std::size_t reservationBytes = 0;
    for (;;) {
        if (!fits(offReservations + reservationBytes, 16, total))
            return malformed("reservation block has no terminator");
        std::size_t at = offReservations + reservationBytes;
        bool zero = true;
        for (std::size_t i = 0; i < 16; ++i)
            zero = zero && blob[at + i] == 0;
        if (zero)
            break;
        reservationBytes += 16;
    }
    return DeviceTree(blob.subspan(offStruct, sizeStruct), blob.subspan(offStrings, sizeStrings),
                      blob.subspan(offReservations, reservationBytes));
}

void DeviceTree::reservation(std::size_t index, std::uint64_t& base, std::uint64_t& size) const
{
    std::size_t at = index * 16;
    base = (std::uint64_t{be32(m_reservations, at)} << 32) | be32(m_reservations, at + 4);
    size = (std::uint64_t{be32(m_reservations, at + 8)} << 32) | be32(m_reservations, at + 12);
}

Result<std::string_view> DeviceTree::stringAt(std::uint32_t offset) const
{
    for (std::size_t i = offset; i < m_strings.size(); ++i) {
        if (m_strings[i] == 0)
            return std::string_view(reinterpret_cast<const char*>(m_strings.data() + offset), i - offset);
    }
    return malformed("property name outside the strings block");
}

Result<DtToken> DeviceTree::Cursor::next()
{
    const auto& s = m_tree->m_structure;
    if (m_done)
        return malformed("walk past the end");
    // A failure leaves m_done set, so a caller that ignores the error cannot loop.
    m_done = true;
    for (;;) {
        if (!fits(m_offset, 4, s.size()))
            return malformed("structure block ends without an end token");
        std::uint32_t token = be32(s, m_offset);
        m_offset += 4;
        switch (token) {
        case TokenNop:
            continue;
        case TokenBeginNode: {
            std::size_t start = m_offset;
            std::size_t end = start;
            while (end < s.size() && s[end] != 0)
                ++end;
            if (end == s.size())
                return malformed("node name runs off the structure block");
            if (m_depth == MaxDepth)
                return malformed("nodes nested too deeply");
            ++m_depth;
            m_offset = alignUp4(end + 1);
            m_done = false;
            DtToken t;
            t.kind = DtToken::Kind::BeginNode;
            t.name = std::string_view(reinterpret_cast<const char*>(s.data() + start), end - start);
            return t;
        }
        case TokenEndNode: {
            if (m_depth == 0)
                return malformed("end of node without a node");
            --m_depth;
            m_done = false;
            DtToken t;
            t.kind = DtToken::Kind::EndNode;
            return t;
        }
        case TokenProperty: {
            if (!fits(m_offset, 8, s.size()))
                return malformed("property header runs off the structure block");
            std::uint32_t length = be32(s, m_offset);
            std::uint32_t nameOffset = be32(s, m_offset + 4);
            m_offset += 8;
            if (!fits(m_offset, length, s.size()))
                return malformed("property value runs off the structure block");
            if (m_depth == 0)
                return malformed("property outside any node");
            DtToken t;
            t.kind = DtToken::Kind::Property;
            t.name = HIVE_TRY(m_tree->stringAt(nameOffset));
            t.value = s.subspan(m_offset, length);
            m_offset = alignUp4(m_offset + length);
            m_done = false;
            return t;
        }
        case TokenEnd: {
            if (m_depth != 0)
                return malformed("end token inside a node");
            DtToken t;
            t.kind = DtToken::Kind::End;
            return t;
        }
        default:
            return malformed("unknown structure token");
        }
    }
}

Result<Board> describeBoard(const DeviceTree& tree)
{
    Board out;
    for (std::size_t i = 0; i < tree.reservationCount(); ++i) {
        DtDevice range;
        tree.reservation(i, range.base, range.size);
        HIVE_CHECK(addReserved(out, range));
    }
    Frame frames[DeviceTree::MaxDepth + 1];
    std::size_t depth = 0; // number of open nodes; frames[depth - 1] is the current one
    auto cursor = tree.cursor();
    for (;;) {
        DtToken t = HIVE_TRY(cursor.next());
        if (t.kind == DtToken::Kind::End)
            break;
        if (t.kind == DtToken::Kind::BeginNode) {
            frames[depth] = Frame();
            frames[depth].name = t.name;
            ++depth;
            continue;
        }
        Frame& node = frames[depth - 1];
        if (t.kind == DtToken::Kind::EndNode) {
            // The root's reg (if any) is irrelevant; its children use its cell counts.
            if (depth >= 2)
                HIVE_CHECK(finishNode(node, frames[depth - 2], depth - 1, out));
            --depth;
            continue;
        }
        if (t.name == "#address-cells")
            node.addressCells = HIVE_TRY(cellCount(t.value));
        else if (t.name == "#size-cells")
            node.sizeCells = HIVE_TRY(cellCount(t.value));
        else if (t.name == "compatible")
            node.compatible = t.value;
        else if (t.name == "reg")
            node.reg = t.value;
        else if (t.name == "interrupts")
            node.interrupts = t.value;
        else if (t.name == "device_type")
            node.deviceType = t.value;
        else if (t.name == "method")
            node.method = t.value;
        else if (t.name == "bootargs")
            node.bootargs = t.value;
        else if (t.name == "rng-seed")
            node.rngSeed = t.value;
    }
    if (out.memoryCount == 0)
        return Error(ErrorCode::NotFound, "device tree: no memory node");
    return out;
}

} // namespace hive::image::aarch64
