// Boots hive-node-aarch64.img under qemu-system-aarch64 -M virt (software emulation) and
// checks what issue 6 asks of it: DHCP on QEMU's user network, `listening on`, a TCP echo
// round trip from the host through hostfwd, the block self-check, a clean power-off with
// exit code 0, and a readable panic (registers + reason) when a fault is provoked,
// including writes to the read-only kernel code and a kernel stack overflow.
//
// Exit codes: the kernel is booted with `hive.semihosting=1` and QEMU's semihosting, so
// QEMU's exit status is the kernel's exit code (0 ok, 63 panic); one case boots without
// it to cover PSCI SYSTEM_OFF (QEMU then exits 0 and the code is only on the console).
#include "qemuimage.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using hive::test::QemuImage;

namespace {

constexpr int BootTimeoutMs = 60000; // software emulation on a loaded 2-core machine
constexpr int ExitTimeoutMs = 30000;

struct Machine {
    QString machine = QStringLiteral("virt");
    bool semihosting = true;
    bool withDisk = true;
    QString extraArgs;
};

QStringList qemuArgs(const Machine& m, quint16 port, const QString& disk)
{
    QStringList args = {
        QStringLiteral("-M"), m.machine, QStringLiteral("-cpu"), QStringLiteral("cortex-a57"),
        QStringLiteral("-m"), QStringLiteral("32"), QStringLiteral("-nographic"), QStringLiteral("-accel"),
        QStringLiteral("tcg"), QStringLiteral("-no-reboot"), QStringLiteral("-kernel"),
        QStringLiteral(HIVE_AARCH64_IMAGE),
        QStringLiteral("-netdev"),
        QStringLiteral("user,id=n0,hostfwd=tcp:127.0.0.1:%1-:7").arg(port),
        QStringLiteral("-device"), QStringLiteral("virtio-net-device,netdev=n0"),
        QStringLiteral("-device"), QStringLiteral("virtio-rng-device"),
    };
    if (m.withDisk) {
        args << QStringLiteral("-drive") << QStringLiteral("file=%1,if=none,id=d0,format=raw").arg(disk)
             << QStringLiteral("-device") << QStringLiteral("virtio-blk-device,drive=d0");
    }
    QString append = m.extraArgs;
    if (m.semihosting) {
        args << QStringLiteral("-semihosting-config") << QStringLiteral("enable=on,target=native");
        append = QStringLiteral("hive.semihosting=1 ") + append;
    }
    args << QStringLiteral("-append") << append.trimmed();
    return args;
}

bool makeDisk(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    return f.resize(1 << 20);
}

} // namespace

class TestImageAarch64 : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(QStringLiteral(HIVE_AARCH64_IMAGE)), HIVE_AARCH64_IMAGE " was not built");
        QVERIFY(m_dir.isValid());
    }

    void imageHasArm64Header()
    {
        QFile f(QStringLiteral(HIVE_AARCH64_IMAGE));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray header = f.read(64);
        QCOMPARE(header.size(), 64);
        QCOMPARE(header.mid(56, 4), QByteArray("ARM\x64", 4));
        auto le64 = [&](int at) {
            quint64 v = 0;
            for (int i = 7; i >= 0; --i)
                v = (v << 8) | static_cast<quint8>(header[at + i]);
            return v;
        };
        QCOMPARE(le64(8), quint64{0x200000});                     // text_offset
        QVERIFY(le64(16) >= static_cast<quint64>(f.size()));       // image_size covers file + BSS
        QCOMPARE(le64(24), quint64{0x2});                          // LE, 4 KiB pages
        QVERIFY(f.size() <= 1024 * 1024);                          // issue 6: <= 1 MiB without crypto
    }

    void bootsServesEchoAndPowersOff_data()
    {
        QTest::addColumn<QString>("machine");
        QTest::addColumn<bool>("semihosting");
        QTest::addColumn<QString>("entered");
        QTest::addColumn<QString>("gic");
        QTest::newRow("EL1, GICv2, semihosting exit") << "virt" << true << "EL1" << "GICv2";
        QTest::newRow("EL2, GICv3, PSCI off") << "virt,virtualization=on,gic-version=3" << false << "EL2" << "GICv3";
    }
    void bootsServesEchoAndPowersOff()
    {
        QFETCH(QString, machine);
        QFETCH(bool, semihosting);
        QFETCH(QString, entered);
        QFETCH(QString, gic);
        // QEMU's -drive splits on commas, so the file name must not contain one.
        QString disk = m_dir.filePath(QStringLiteral("disk%1.img").arg(++m_disks));
        QVERIFY(makeDisk(disk));
        quint16 port = hive::test::freeLoopbackPort();
        QVERIFY(port != 0);

        QemuImage qemu;
        Machine m;
        m.machine = machine;
        m.semihosting = semihosting;
        m.extraArgs = QStringLiteral("hive.exit_after=1");
        QVERIFY(qemu.start(QStringLiteral("qemu-system-aarch64"), qemuArgs(m, port, disk)));

        QString address = qemu.waitFor(QRegularExpression(QStringLiteral("listening on ([0-9.]+):7\\b")), BootTimeoutMs);
        QVERIFY2(!address.isNull(), qPrintable(qemu.output()));
        QCOMPARE(address, QStringLiteral("10.0.2.15"));
        QVERIFY2(qemu.output().contains(QStringLiteral("entered at ") + entered), qPrintable(qemu.output()));
        QVERIFY2(qemu.output().contains(gic), qPrintable(qemu.output()));
        QVERIFY2(!qemu.waitFor(QRegularExpression(QStringLiteral("block self-check ok")), BootTimeoutMs).isNull(),
                 qPrintable(qemu.output()));

        QByteArray payload;
        for (int i = 0; i < 3000; ++i)
            payload.append(static_cast<char>('a' + i % 26));
        QByteArray echoed = hive::test::tcpRoundTrip(port, payload, BootTimeoutMs);
        QCOMPARE(echoed.size(), payload.size());
        QVERIFY(echoed == payload);

        QVERIFY2(qemu.waitForExit(ExitTimeoutMs), qPrintable(qemu.output()));
        QVERIFY(!qemu.crashed());
        QCOMPARE(qemu.exitCode(), 0);
        QVERIFY2(qemu.output().contains(QStringLiteral("power off, exit code 0")), qPrintable(qemu.output()));
        QVERIFY(!qemu.output().contains(QStringLiteral("panic")));
    }

    void panicsWithRegistersOnFault_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("detail");
        QTest::newRow("data abort") << "pagefault" << "data abort (EC 0x25): translation fault, level 2, write"
                                    << "FAR 0000000000000010";
        QTest::newRow("undefined instruction") << "ud" << "undefined instruction) (EC 0x00)" << "ESR 0000000002000000";
        // Kernel code is mapped read-only: writing to it is a permission fault (W^X).
        QTest::newRow("write to code") << "textwrite" << "data abort (EC 0x25): permission fault, level 3, write"
                                       << "FAR 00000000402";
        // The page below the kernel stack is unmapped, so runaway recursion is caught.
        QTest::newRow("stack overflow") << "stackoverflow" << "translation fault, level 3, write"
                                        << "kernel stack overflow: the access hit the guard page";
    }
    void panicsWithRegistersOnFault()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QFETCH(QString, detail);
        QemuImage qemu;
        Machine m;
        m.withDisk = false;
        m.extraArgs = QStringLiteral("hive.crash=") + kind;
        QVERIFY(qemu.start(QStringLiteral("qemu-system-aarch64"), qemuArgs(m, hive::test::freeLoopbackPort(), {})));
        QVERIFY2(qemu.waitForExit(BootTimeoutMs), qPrintable(qemu.output()));
        QString out = qemu.output();
        QCOMPARE(qemu.exitCode(), 63); // PanicExitCode through semihosting
        QVERIFY2(out.contains(QStringLiteral("panic: synchronous exception from EL1 with SP_EL0 (kernel)")), qPrintable(out));
        QVERIFY2(out.contains(reason), qPrintable(out));
        QVERIFY2(out.contains(detail), qPrintable(out));
        // Every general-purpose register and the exception syndrome registers are shown.
        for (const char* reg : {"ELR ", "SPSR ", " x0 ", " x17 ", " x30 "})
            QVERIFY2(out.contains(QLatin1String(reg)), reg);
        QVERIFY(!out.contains(QStringLiteral("listening on")));
    }

private:
    QTemporaryDir m_dir;
    int m_disks = 0;
};

QTEST_GUILESS_MAIN(TestImageAarch64)
#include "test_image_aarch64.moc"
