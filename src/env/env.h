// Env: the one seam through which ziti-backup makes system calls on files,
// locks and processes (leveldb's Env, rocksdb's FileSystem). Production code
// receives an Env& from cli/main.cc; tests substitute fault-injecting ones.
// Implementations must be thread-safe; the file objects they return are not.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/civil_time.h"
#include "base/result.h"
#include "base/status.h"
#include "env/process.h"

namespace zb {

// A file opened for positional reads. Reads may race with another process
// writing the same file (hot snapshots rely on that); they never fail for it.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to dst.size() bytes at `offset`; returns how many were read,
  // which is less only at end of file.
  virtual Result<size_t> ReadAt(uint64_t offset, MutableByteSpan dst) = 0;
  // The current size of the file (it can change while we read).
  virtual Result<uint64_t> Size() = 0;
  virtual const std::string& path() const = 0;

  // Reads exactly dst.size() bytes at `offset`; a short read is kCorruption
  // naming the path, offset and length ("file is shorter than its metadata says").
  Status ReadExactly(uint64_t offset, MutableByteSpan dst);
};

// A new file being written. Writes are positional so that a snapshot can copy
// pages and later patch meta pages or zero free pages in place.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status WriteAt(uint64_t offset, ByteSpan data) = 0;
  // Sets the file's length (extends with zeroes or cuts).
  virtual Status Truncate(uint64_t size) = 0;
  virtual Status Sync() = 0;  // data and metadata durable (fsync)
  // Gives the file an owner, group and permission bits (fchown, fchmod):
  // a restored DB takes those of the file it replaces, so the controller's
  // user can still open it.
  virtual Status SetOwner(uint32_t uid, uint32_t gid, uint32_t mode) = 0;
  // Writes zeroes over [offset, offset+len). (Punching holes instead was
  // measured slower on ext4 for the scattered runs a snapshot scrubs.)
  Status WriteZeroes(uint64_t offset, uint64_t len);
  virtual Status Close() = 0;
  virtual const std::string& path() const = 0;
};

// A held advisory lock; released when destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

enum class LockMode { kShared, kExclusive };

enum class FileType { kRegular, kDirectory, kSymlink, kFifo, kCharDevice, kBlockDevice, kSocket };

struct FileInfo {
  std::string name;  // base name for List(), full path for Stat()
  uint64_t size = 0;
  bool is_dir = false;
  uint32_t mode = 0;   // permission bits
  TimePoint modified;  // last modification
  // Stat() follows symbolic links; List() does not (kSymlink).
  FileType type = FileType::kRegular;
  uint32_t uid = 0;  // owner (Stat only)
  uint32_t gid = 0;
};

// "a FIFO", "a directory", "a character device", ...
const char* FileTypeName(FileType type);
// kInvalidArgument "<path> is a FIFO, not a regular file": what every open
// of a DB, config, manifest or data object answers for anything but a
// regular file (a FIFO would block the open or read forever, a device
// would read endless or no bytes).
Status NotRegularFile(const std::string& path, FileType type);

class Env {
 public:
  virtual ~Env() = default;

  // Only a regular file (after following symbolic links): anything else is
  // NotRegularFile, answered at once, since the open never waits (a FIFO
  // without a writer would block it).
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) = 0;
  // Creates a new file with mode 0600; fails if it exists.
  virtual Result<std::unique_ptr<WritableFile>> Create(const std::string& path) = 0;
  // Creates a file with no name (O_TMPFILE, mode 0600) in the directory of
  // `for_path`: nothing shows in the directory, and if the process dies the
  // kernel frees it, so a killed run leaves no temp file. Its path() is
  // /proc/self/fd/N, which OpenForRead and Link accept while it is open; its
  // errors name `for_path`. Null where the file system has no O_TMPFILE
  // (callers then fall back to Create); an error for anything else.
  virtual Result<std::unique_ptr<WritableFile>> CreateUnnamed(const std::string& for_path) = 0;
  // Makes `to` (which must not exist) a hard link of `from`, following a
  // /proc/self/fd link: how a file from CreateUnnamed gets its name.
  virtual Status Link(const std::string& from, const std::string& to) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Remove(const std::string& path) = 0;  // ok if already gone
  virtual Status SyncDir(const std::string& dir) = 0;
  virtual Status CreateDir(const std::string& dir) = 0;  // 0700, with parents; ok if it exists
  // A new directory "<parent>/<prefix>XXXXXX" (mkdtemp: mode 0700, a name
  // nobody could have made before us); returns its path. `parent` must exist.
  virtual Result<std::string> CreateTempDir(const std::string& parent,
                                            const std::string& prefix) = 0;
  // Removes an empty directory; ok if it is already gone.
  virtual Status RemoveDir(const std::string& dir) = 0;
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  virtual Result<std::vector<FileInfo>> List(const std::string& dir) = 0;  // sorted by name

  // Non-blocking flock(2) on `path`: kBusy if another open file description
  // holds a conflicting lock (a bbolt writer holds an exclusive one). Like
  // OpenForRead, only a regular file.
  virtual Result<std::unique_ptr<FileLock>> TryLock(const std::string& path, LockMode mode) = 0;

  // Copies `len` bytes from src at src_off to dst at dst_off. The default does
  // ReadAt/WriteAt through a buffer; the POSIX Env uses copy_file_range(2).
  // Returns the number of bytes copied (less only if src ended).
  virtual Result<uint64_t> CopyRange(RandomAccessFile& src, uint64_t src_off, WritableFile& dst,
                                     uint64_t dst_off, uint64_t len);

  // Runs argv without a shell; see process.h.
  virtual Result<ProcessResult> RunProcess(const ProcessSpec& spec) = 0;

  // SIGKILLs the process group of every command RunProcess is running now.
  // For a process about to end at once (a second SIGTERM): the commands run
  // in their own groups, so nothing else would end them. Safe from any
  // thread. An Env that runs no processes has nothing to end.
  virtual void KillProcesses() {}

  // This process's id, and whether a process with `pid` exists (on this
  // host): how a run tells its own files from those of a run that died.
  virtual int Pid() = 0;
  virtual bool ProcessAlive(int pid) = 0;
};

// The real Env over POSIX system calls. One instance lives in cli/main.cc.
std::unique_ptr<Env> NewPosixEnv();

// The whole of a small file (a config, a crontab): at most `max_bytes`, more
// is kInvalidArgument naming the path. Open errors are the Env's.
Result<std::string> ReadSmallFile(Env& env, const std::string& path, uint64_t max_bytes);

// Six hex digits from getrandom(2), for temp file names that must not
// collide between processes. (Not std::random_device: in a static
// libstdc++ built on glibc 2.36 it needs arc4random, which the controller
// image's glibc 2.34 lacks.)
std::string RandomSuffix();

// Directory part of a path ("." if none), and the base name.
std::string DirName(const std::string& path);
std::string BaseName(const std::string& path);

}  // namespace zb
