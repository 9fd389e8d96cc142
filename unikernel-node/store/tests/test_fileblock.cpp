// The hosted file block device, and the store on it when the disk fills up.
#include "hosted/fileblock.h"
#include "storetesting.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <cstring>
#include <csignal>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hive;
using namespace hive::node;
using namespace hive::node::hosted;
using namespace hive::node::testing;

class TestFileBlock : public QObject {
    Q_OBJECT
private slots:
    void readsBackWhatItWrote()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("dev").toStdString();
        auto block = FileBlock::create(path, 64 * 512);
        QVERIFY2(block.ok(), message(block));
        FileBlock& b = **block;
        QCOMPARE(b.sectorSize(), 512u);
        QCOMPARE(b.sectorCount(), 64u);
        const Bytes data = pattern(1, 3 * 512);
        QVERIFY(b.write(10, data).ok());
        QVERIFY(b.flush().ok());
        Bytes back(3 * 512);
        QVERIFY(b.read(10, back).ok());
        QCOMPARE(back, data);
        Bytes hole(512, 0xAA);
        QVERIFY(b.read(0, hole).ok());
        QCOMPARE(hole, Bytes(512, 0));

        // Whole sectors inside the device only.
        QCOMPARE(b.write(63, pattern(2, 1024)).error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(b.write(64, pattern(2, 512)).error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(b.write(0, pattern(2, 100)).error().code(), ErrorCode::InvalidArgument);
        Bytes past(512);
        QCOMPARE(b.read(64, past).error().code(), ErrorCode::InvalidArgument);

        block = Result<std::unique_ptr<FileBlock>>(Error(ErrorCode::Internal, "closed"));
        auto reopened = FileBlock::open(path);
        QVERIFY2(reopened.ok(), message(reopened));
        QCOMPARE((*reopened)->sectorCount(), 64u);
        QVERIFY((*reopened)->read(10, back).ok());
        QCOMPARE(back, data);
        QVERIFY((fcntl((*reopened)->fd(), F_GETFD) & FD_CLOEXEC) != 0);
    }

    void reportsOpenErrorsPrecisely()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("dev").toStdString();
        QCOMPARE(FileBlock::open(path).error().code(), ErrorCode::NotFound);
        QVERIFY(FileBlock::create(path, 4096).ok());
        QCOMPARE(FileBlock::create(path, 4096).error().code(), ErrorCode::AlreadyExists);
        QVERIFY(::truncate(path.c_str(), 1000) == 0);
        QCOMPARE(FileBlock::open(path).error().code(), ErrorCode::InvalidArgument);
        QCOMPARE(FileBlock::create(dir.filePath("odd").toStdString(), 1000).error().code(), ErrorCode::InvalidArgument);
    }

    void preallocatedFileIsFullyAllocated()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("dev").toStdString();
        auto block = FileBlock::create(path, 1 << 20, FileBlock::Allocation::Preallocate);
        QVERIFY2(block.ok(), message(block));
        struct stat st {};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QVERIFY(st.st_blocks * 512 >= (1 << 20));
    }

    void storeOnAFilePersists()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("store").toStdString();
        {
            auto block = FileBlock::create(path, 1 << 20);
            QVERIFY(block.ok());
            QVERIFY(Store::format(**block).ok());
            auto store = Store::open(**block);
            QVERIFY(store.ok());
            QVERIFY((*store)->put(key("a"), pattern(1, 5000)).ok());
            QVERIFY((*store)->setConfig(0, asBytes("key")).ok());
        }
        auto block = FileBlock::open(path);
        QVERIFY(block.ok());
        auto store = Store::open(**block);
        QVERIFY(store.ok());
        QCOMPARE(*(*store)->get(key("a")), pattern(1, 5000));
        QCOMPARE(asText(*(*store)->config(0)), "key");
    }

    // A sparse 4 MiB store file on a file system with 1 MiB of room: the kernel refuses
    // writes part way, the store reports NoSpace with a clear message, and everything
    // acknowledged before is intact, also after reopening.
    void fullDiskFailsWritesAndKeepsEarlierData()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString mountPoint = dir.filePath("small");
        QVERIFY(QDir().mkpath(mountPoint));
        // Preferred: a private mount namespace with a 1 MiB tmpfs, invisible outside this
        // process. Without the privilege for that, a 1 MiB file size limit makes the kernel
        // refuse the same writes (EFBIG instead of ENOSPC).
        bool tmpfs = ::unshare(CLONE_NEWNS) == 0 && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0
            && ::mount("tmpfs", mountPoint.toLocal8Bit().constData(), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700") == 0;
        struct rlimit savedLimit {};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &savedLimit) == 0);
        // Undo the mount or the limit however the test ends.
        struct Restore {
            bool tmpfs;
            QString mountPoint;
            struct rlimit limit;
            ~Restore()
            {
                if (tmpfs)
                    ::umount2(mountPoint.toLocal8Bit().constData(), MNT_DETACH);
                else
                    ::setrlimit(RLIMIT_FSIZE, &limit);
            }
        } restore {tmpfs, mountPoint, savedLimit};
        const std::string path = (mountPoint + "/store").toStdString();
        auto block = FileBlock::create(path, 4u << 20);
        QVERIFY2(block.ok(), message(block));
        if (!tmpfs) {
            qInfo("no private tmpfs (%s); limiting the file size instead", std::strerror(errno));
            std::signal(SIGXFSZ, SIG_IGN);
            struct rlimit limit = savedLimit;
            limit.rlim_cur = 1 << 20;
            QVERIFY(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
        }
        QVERIFY2(Store::format(**block).ok(), "format");

        State expected;
        Status last;
        {
            auto store = Store::open(**block);
            QVERIFY(store.ok());
            for (int i = 0; i < 400 && last.ok(); ++i) {
                Bytes k = key("obj" + std::to_string(i));
                Bytes v = pattern(static_cast<std::uint64_t>(i), 20000);
                last = (*store)->put(k, v);
                if (last.ok())
                    expected[k] = v;
            }
            QVERIFY2(!last.ok(), "the disk never filled up");
            QCOMPARE(last.error().code(), ErrorCode::NoSpace);
            QVERIFY2(last.error().messageView().find("disk full") != std::string_view::npos, last.error().message());
            qInfo("after %zu objects: %s", expected.size(), last.error().message());
            QVERIFY(expected.size() >= 20);
            QCOMPARE(readAll(**store), expected);
            // A later write fails the same clean way.
            QCOMPARE((*store)->put(key("more"), pattern(9, 20000)).error().code(), ErrorCode::NoSpace);
        }
        block = Result<std::unique_ptr<FileBlock>>(Error(ErrorCode::Internal, "closed"));
        auto reopenedBlock = FileBlock::open(path);
        QVERIFY(reopenedBlock.ok());
        auto store = Store::open(**reopenedBlock);
        QVERIFY2(store.ok(), message(store));
        QCOMPARE(readAll(**store), expected);
    }

private:
    using State = std::map<Bytes, Bytes>;
};

QTEST_GUILESS_MAIN(TestFileBlock)
#include "test_fileblock.moc"
