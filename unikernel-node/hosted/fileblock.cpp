#include "hosted/fileblock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace hive::node::hosted {
namespace {

Error systemError(std::string_view what, const std::string& path, int err)
{
    ErrorCode code = ErrorCode::Io;
    switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG: // the file may not grow (size limit): as full as a full disk
        code = ErrorCode::NoSpace;
        break;
    case EACCES:
    case EPERM:
    case EROFS:
        code = ErrorCode::PermissionDenied;
        break;
    case ENOENT:
        code = ErrorCode::NotFound;
        break;
    case EEXIST:
        code = ErrorCode::AlreadyExists;
        break;
    default:
        break;
    }
    char buffer[128];
    const char* text = strerror_r(err, buffer, sizeof buffer);
    Error e(code, what);
    e.append(" ").append(path).append(": ");
    if (code == ErrorCode::NoSpace)
        e.append("disk full (");
    e.append(text);
    if (code == ErrorCode::NoSpace)
        e.append(")");
    return e;
}

Status checkSectorSize(std::size_t s)
{
    if (s < 512 || (s & (s - 1)) != 0)
        return Error(ErrorCode::InvalidArgument, "sector size must be a power of two of at least 512");
    return success();
}

// Makes a new file's directory entry durable too.
void syncParent(const std::string& path)
{
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

} // namespace

FileBlock::FileBlock(int fd, std::size_t sectorSize, std::uint64_t sectorCount, std::string path)
    : m_fd(fd), m_sectorSize(sectorSize), m_sectorCount(sectorCount), m_path(std::move(path))
{
}

FileBlock::~FileBlock() { ::close(m_fd); }

Result<std::unique_ptr<FileBlock>> FileBlock::open(const std::string& path, std::size_t sectorSize)
{
    HIVE_CHECK(checkSectorSize(sectorSize));
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return systemError("cannot open block file", path, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        return systemError("cannot stat block file", path, err);
    }
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (!S_ISREG(st.st_mode) || size % sectorSize != 0) {
        ::close(fd);
        return Error(ErrorCode::InvalidArgument, "block file ").append(path).append(" is not a whole number of sectors");
    }
    return std::unique_ptr<FileBlock>(new FileBlock(fd, sectorSize, size / sectorSize, path));
}

Result<std::unique_ptr<FileBlock>> FileBlock::create(const std::string& path, std::uint64_t bytes, Allocation allocation,
                                                     std::size_t sectorSize)
{
    HIVE_CHECK(checkSectorSize(sectorSize));
    if (bytes == 0 || bytes % sectorSize != 0 || bytes > static_cast<std::uint64_t>(INT64_MAX))
        return Error(ErrorCode::InvalidArgument, "block file size must be a positive whole number of sectors");
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return systemError("cannot create block file", path, errno);
    auto fail = [&](std::string_view what, int err) -> Error {
        ::close(fd);
        ::unlink(path.c_str());
        return systemError(what, path, err);
    };
    if (allocation == Allocation::Preallocate) {
        int err = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes));
        if (err != 0)
            return fail("cannot allocate block file", err);
    } else if (::ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
        return fail("cannot size block file", errno);
    }
    if (::fdatasync(fd) != 0)
        return fail("cannot sync block file", errno);
    syncParent(path);
    return std::unique_ptr<FileBlock>(new FileBlock(fd, sectorSize, bytes / sectorSize, path));
}

Status FileBlock::checkRange(std::uint64_t sector, std::size_t bytes) const
{
    if (bytes % m_sectorSize != 0)
        return Error(ErrorCode::InvalidArgument, "block transfer is not a whole number of sectors");
    if (sector > m_sectorCount || bytes / m_sectorSize > m_sectorCount - sector)
        return Error(ErrorCode::InvalidArgument, "block transfer beyond the end of ").append(m_path);
    return success();
}

Status FileBlock::read(std::uint64_t sector, std::span<std::uint8_t> out)
{
    HIVE_CHECK(checkRange(sector, out.size()));
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::pread(m_fd, out.data() + done, out.size() - done, static_cast<off_t>(sector * m_sectorSize + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError("cannot read block file", m_path, errno);
        if (n == 0)
            return Error(ErrorCode::Io, "block file ").append(m_path).append(" ended early (was it truncated?)");
        done += static_cast<std::size_t>(n);
    }
    return success();
}

Status FileBlock::write(std::uint64_t sector, ByteView in)
{
    HIVE_CHECK(checkRange(sector, in.size()));
    std::size_t done = 0;
    while (done < in.size()) {
        ssize_t n = ::pwrite(m_fd, in.data() + done, in.size() - done, static_cast<off_t>(sector * m_sectorSize + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError("cannot write block file", m_path, errno);
        if (n == 0)
            return systemError("cannot write block file", m_path, ENOSPC);
        done += static_cast<std::size_t>(n);
    }
    return success();
}

Status FileBlock::flush()
{
    while (::fdatasync(m_fd) != 0) {
        if (errno != EINTR)
            return systemError("cannot sync block file", m_path, errno);
    }
    return success();
}

} // namespace hive::node::hosted
