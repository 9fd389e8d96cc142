// The hosted node's block device: a Linux file, read and written with pread/pwrite and
// made durable with fdatasync. Implements the Block concept (core/devices.h).
#pragma once

#include "core/devices.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace hive::node::hosted {

class FileBlock {
public:
    enum class Allocation {
        Sparse,      // blocks are allocated on first write; a full disk shows up as NoSpace then
        Preallocate, // blocks are reserved at creation (posix_fallocate), so writes cannot run out later
    };

    // Opens an existing file; its size must be a whole number of sectors.
    static Result<std::unique_ptr<FileBlock>> open(const std::string& path, std::size_t sectorSize = 512);
    // Creates a new file of `bytes` bytes (a multiple of sectorSize); fails if it exists.
    static Result<std::unique_ptr<FileBlock>> create(const std::string& path, std::uint64_t bytes,
                                                     Allocation allocation = Allocation::Sparse,
                                                     std::size_t sectorSize = 512);
    ~FileBlock();
    FileBlock(const FileBlock&) = delete;
    FileBlock& operator=(const FileBlock&) = delete;

    std::size_t sectorSize() const { return m_sectorSize; }
    std::uint64_t sectorCount() const { return m_sectorCount; }
    // Reads whole sectors; Io on a failed or short read.
    Status read(std::uint64_t sector, std::span<std::uint8_t> out);
    // Writes whole sectors; NoSpace when the file system is full, Io otherwise.
    Status write(std::uint64_t sector, ByteView in);
    // fdatasync: everything written before is durable when this returns ok.
    Status flush();
    // The open descriptor, for a sandbox that must keep it usable.
    int fd() const { return m_fd; }

private:
    FileBlock(int fd, std::size_t sectorSize, std::uint64_t sectorCount, std::string path);
    Status checkRange(std::uint64_t sector, std::size_t bytes) const;

    int m_fd;
    std::size_t m_sectorSize;
    std::uint64_t m_sectorCount;
    std::string m_path;
};

static_assert(Block<FileBlock>);

} // namespace hive::node::hosted
