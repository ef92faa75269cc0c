#include "env/env.h"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace zb {

Status RandomAccessFile::ReadExactly(uint64_t offset, MutableByteSpan dst) {
  ZB_ASSIGN_OR_RETURN(size_t n, ReadAt(offset, dst));
  if (n != dst.size()) {
    return Status::Corruption(path() + ": short read: wanted " + std::to_string(dst.size()) +
                              " bytes at offset " + std::to_string(offset) + ", file has " +
                              std::to_string(n));
  }
  return Status::OK();
}

Status WritableFile::WriteZeroes(uint64_t offset, uint64_t len) {
  const std::vector<std::byte> zeroes(std::min<uint64_t>(len, 1 << 20));
  for (uint64_t done = 0; done < len;) {
    const uint64_t n = std::min<uint64_t>(zeroes.size(), len - done);
    ZB_RETURN_IF_ERROR(WriteAt(offset + done, ByteSpan(zeroes.data(), n)));
    done += n;
  }
  return Status::OK();
}

Result<uint64_t> Env::CopyRange(RandomAccessFile& src, uint64_t src_off, WritableFile& dst,
                                uint64_t dst_off, uint64_t len) {
  std::vector<std::byte> buf(std::min<uint64_t>(len, 1 << 20));
  uint64_t done = 0;
  while (done < len) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), len - done));
    ZB_ASSIGN_OR_RETURN(size_t n, src.ReadAt(src_off + done, MutableByteSpan(buf.data(), want)));
    if (n == 0) break;
    ZB_RETURN_IF_ERROR(dst.WriteAt(dst_off + done, ByteSpan(buf.data(), n)));
    done += n;
  }
  return done;
}

const char* FileTypeName(FileType type) {
  switch (type) {
    case FileType::kRegular:
      return "a regular file";
    case FileType::kDirectory:
      return "a directory";
    case FileType::kSymlink:
      return "a symbolic link";
    case FileType::kFifo:
      return "a FIFO";
    case FileType::kCharDevice:
      return "a character device";
    case FileType::kBlockDevice:
      return "a block device";
    case FileType::kSocket:
      return "a socket";
  }
  return "not a regular file";
}

Status NotRegularFile(const std::string& path, FileType type) {
  return Status::InvalidArgument(path + " is " + FileTypeName(type) + ", not a regular file");
}

Result<std::string> ReadSmallFile(Env& env, const std::string& path, uint64_t max_bytes) {
  ZB_ASSIGN_OR_RETURN(auto file, env.OpenForRead(path));
  ZB_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  if (size > max_bytes) {
    return Status::InvalidArgument(path + " is " + std::to_string(size) + " bytes, more than the " +
                                   std::to_string(max_bytes) + " expected of it");
  }
  std::string text(static_cast<size_t>(size), '\0');
  ZB_RETURN_IF_ERROR(file->ReadExactly(
      0, MutableByteSpan(reinterpret_cast<std::byte*>(text.data()), text.size())));
  return text;
}

std::string RandomSuffix() {
  uint32_t v = 0;
  if (::getrandom(&v, sizeof v, 0) != sizeof v) v = static_cast<uint32_t>(::getpid());
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06x", v & 0xffffff);
  return buf;
}

std::string DirName(const std::string& path) {
  auto pos = path.find_last_of('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return path.substr(0, pos);
}

std::string BaseName(const std::string& path) {
  auto pos = path.find_last_of('/');
  return pos == std::string::npos ? path : path.substr(pos + 1);
}

}  // namespace zb
