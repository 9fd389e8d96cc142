// Boots hive-node-x86_64.elf (PVH) under qemu-system-x86_64 with software emulation on
// -M microvm (virtio-mmio) and -M q35 / pc (legacy virtio-pci) and checks what issue 6
// asks of it: DHCP on QEMU's user network, `listening on`, a TCP echo round trip from the
// host through hostfwd, the block self-check (and that the sector really reached the
// disk file), a clean power-off, and a readable panic when a fault is provoked.
//
// Exit codes: the kernel powers off through isa-debug-exit, so QEMU exits with
// (code << 1) | 1: status 1 is the kernel's exit code 0, 127 is its panic code 63.
#include "qemuimage.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using hive::test::QemuImage;

namespace {

constexpr int BootTimeoutMs = 60000; // software emulation on a loaded 2-core machine
constexpr int ExitTimeoutMs = 30000;
constexpr int QemuStatusForExitZero = (0 << 1) | 1;
constexpr int QemuStatusForPanic = (63 << 1) | 1;
constexpr qint64 DiskSize = 1 << 20;

QStringList qemuArgs(const QString& machine, quint16 port, const QString& disk, const QString& append)
{
    const bool mmio = machine.startsWith(QStringLiteral("microvm"));
    QStringList args = {
        QStringLiteral("-M"), machine, QStringLiteral("-accel"), QStringLiteral("tcg"), QStringLiteral("-m"),
        QStringLiteral("32"), QStringLiteral("-nographic"), QStringLiteral("-no-reboot"), QStringLiteral("-device"),
        QStringLiteral("isa-debug-exit,iobase=0xf4,iosize=0x04"), QStringLiteral("-kernel"),
        QStringLiteral(HIVE_X86_64_IMAGE), QStringLiteral("-append"), append,
        QStringLiteral("-netdev"), QStringLiteral("user,id=n0,hostfwd=tcp:127.0.0.1:%1-:7").arg(port),
        QStringLiteral("-device"),
        mmio ? QStringLiteral("virtio-net-device,netdev=n0") : QStringLiteral("virtio-net-pci,netdev=n0"),
        QStringLiteral("-device"), mmio ? QStringLiteral("virtio-rng-device") : QStringLiteral("virtio-rng-pci"),
    };
    if (!disk.isEmpty()) {
        args << QStringLiteral("-drive") << QStringLiteral("file=%1,if=none,id=d0,format=raw").arg(disk)
             << QStringLiteral("-device")
             << (mmio ? QStringLiteral("virtio-blk-device,drive=d0") : QStringLiteral("virtio-blk-pci,drive=d0"));
    }
    return args;
}

bool makeDisk(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.resize(DiskSize);
}

QByteArray lastSector(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(DiskSize - 512))
        return {};
    return f.read(512);
}

} // namespace

class TestImageX86_64 : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(QStringLiteral(HIVE_X86_64_IMAGE)), HIVE_X86_64_IMAGE " was not built");
        QVERIFY(m_dir.isValid());
    }

    void imageIsPvhElf()
    {
        QFile f(QStringLiteral(HIVE_X86_64_IMAGE));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray all = f.readAll();
        QVERIFY(all.startsWith(QByteArray("\x7f" "ELF\x02\x01", 6))); // ELF64, little endian
        // The Xen note: namesz 4, descsz 8, type 18 (XEN_ELFNOTE_PHYS32_ENTRY), "Xen\0".
        QVERIFY(all.contains(QByteArray("\x04\0\0\0\x08\0\0\0\x12\0\0\0Xen\0", 16)));
        QVERIFY(all.size() <= 1024 * 1024); // issue 6: <= 1 MiB without crypto
    }

    void bootsServesEchoAndPowersOff_data()
    {
        QTest::addColumn<QString>("machine");
        QTest::addColumn<QString>("transport");
        QTest::newRow("microvm, virtio-mmio") << "microvm" << "virtio: mmio";
        QTest::newRow("microvm acpi=off, command-line devices") << "microvm,acpi=off" << "virtio: mmio";
        QTest::newRow("q35, legacy virtio-pci") << "q35" << "virtio: pci";
    }
    void bootsServesEchoAndPowersOff()
    {
        QFETCH(QString, machine);
        QFETCH(QString, transport);
        // Only letters and digits: QEMU's -drive syntax gives commas and '=' a meaning.
        QString tag = QString::fromLatin1(QTest::currentDataTag());
        tag.remove(QRegularExpression(QStringLiteral("[^A-Za-z0-9]")));
        QString disk = m_dir.filePath(QStringLiteral("disk-%1.img").arg(tag));
        QVERIFY(makeDisk(disk));
        quint16 port = hive::test::freeLoopbackPort();
        QVERIFY(port != 0);

        QemuImage qemu;
        QVERIFY(qemu.start(QStringLiteral("qemu-system-x86_64"),
                           qemuArgs(machine, port, disk, QStringLiteral("hive.exit_after=1"))));
        QString address = qemu.waitFor(QRegularExpression(QStringLiteral("listening on ([0-9.]+):7\\b")), BootTimeoutMs);
        QVERIFY2(!address.isNull(), qPrintable(qemu.output()));
        QCOMPARE(address, QStringLiteral("10.0.2.15"));
        QVERIFY2(qemu.output().contains(transport), qPrintable(qemu.output()));
        QVERIFY2(!qemu.waitFor(QRegularExpression(QStringLiteral("block self-check ok")), BootTimeoutMs).isNull(),
                 qPrintable(qemu.output()));

        QByteArray payload;
        for (int i = 0; i < 5000; ++i)
            payload.append(static_cast<char>('A' + i % 26));
        QByteArray echoed = hive::test::tcpRoundTrip(port, payload, BootTimeoutMs);
        QCOMPARE(echoed.size(), payload.size());
        QVERIFY(echoed == payload);

        QVERIFY2(qemu.waitForExit(ExitTimeoutMs), qPrintable(qemu.output()));
        QVERIFY(!qemu.crashed());
        QCOMPARE(qemu.exitCode(), QemuStatusForExitZero);
        QVERIFY2(qemu.output().contains(QStringLiteral("powering off")), qPrintable(qemu.output()));
        QVERIFY(!qemu.output().contains(QStringLiteral("panic")));
        // The self-check's write was flushed to the file QEMU backs the disk with.
        QByteArray sector = lastSector(disk);
        QCOMPARE(sector.size(), 512);
        QVERIFY(sector != QByteArray(512, '\0'));
    }

    void panicsWithRegistersOnFault_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("detail");
        QTest::newRow("page fault") << "pagefault" << "CPU exception 14 (page fault), error code 0x2"
                                    << "cr2 0000123456789000";
        QTest::newRow("invalid opcode") << "ud" << "CPU exception 6 (invalid opcode), error code 0x0" << "rip 0000";
    }
    void panicsWithRegistersOnFault()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QFETCH(QString, detail);
        QemuImage qemu;
        QVERIFY(qemu.start(QStringLiteral("qemu-system-x86_64"),
                           qemuArgs(QStringLiteral("microvm"), hive::test::freeLoopbackPort(), {},
                                    QStringLiteral("hive.crash=") + kind)));
        QVERIFY2(qemu.waitForExit(BootTimeoutMs), qPrintable(qemu.output()));
        QString out = qemu.output();
        QCOMPARE(qemu.exitCode(), QemuStatusForPanic);
        QVERIFY2(out.contains(QStringLiteral("panic: ") + reason), qPrintable(out));
        QVERIFY2(out.contains(detail), qPrintable(out));
        for (const char* reg : {"rip ", "rsp ", "rflags ", "rax ", "r15 ", "cs "})
            QVERIFY2(out.contains(QLatin1String(reg)), reg);
        QVERIFY(!out.contains(QStringLiteral("listening on")));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestImageX86_64)
#include "test_image_x86_64.moc"
