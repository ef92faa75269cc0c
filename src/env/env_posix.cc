// The real Env: POSIX system calls, close-on-exec everywhere, files 0600 and
// directories 0700, EINTR retried.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "env/env.h"

extern char** environ;

namespace zb {
namespace {

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }
  Result<size_t> ReadAt(uint64_t offset, MutableByteSpan dst) override {
    size_t done = 0;
    while (done < dst.size()) {
      ssize_t n = ::pread(fd_, dst.data() + done, dst.size() - done, offset + done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read", path_, errno);
      }
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    return done;
  }
  Result<uint64_t> Size() override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return ErrnoStatus("stat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
  }
  const std::string& path() const override { return path_; }
  int fd() const { return fd_; }

 private:
  std::string path_;
  int fd_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(path), name_(std::move(path)), fd_(fd) {}
  // An unnamed file: opened again through `path` (/proc/self/fd/N), named
  // in errors by `name`.
  PosixWritableFile(std::string path, std::string name, int fd)
      : path_(std::move(path)), name_(std::move(name)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status WriteAt(uint64_t offset, ByteSpan data) override {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, offset + done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", name_, errno);
      }
      done += static_cast<size_t>(n);
    }
    return Status::OK();
  }
  Status Truncate(uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
      return ErrnoStatus("truncate", name_, errno);
    }
    return Status::OK();
  }
  Status Sync() override {
    if (::fsync(fd_) != 0) return ErrnoStatus("fsync", name_, errno);
    return Status::OK();
  }
  Status SetOwner(uint32_t uid, uint32_t gid, uint32_t mode) override {
    if (::fchown(fd_, uid, gid) != 0) {
      return ErrnoStatus("chown to " + std::to_string(uid) + ":" + std::to_string(gid), name_,
                         errno);
    }
    if (::fchmod(fd_, mode & 07777) != 0) return ErrnoStatus("chmod", name_, errno);
    return Status::OK();
  }
  Status Close() override {
    if (fd_ < 0) return Status::OK();
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return ErrnoStatus("close", name_, errno);
    return Status::OK();
  }
  const std::string& path() const override { return path_; }
  const std::string& name() const { return name_; }
  int fd() const { return fd_; }

 private:
  std::string path_;
  std::string name_;
  int fd_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override { ::close(fd_); }  // closing releases the flock

 private:
  int fd_;
};

TimePoint ModTime(const struct stat& st) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
}

FileType TypeOf(mode_t mode) {
  if (S_ISDIR(mode)) return FileType::kDirectory;
  if (S_ISLNK(mode)) return FileType::kSymlink;
  if (S_ISFIFO(mode)) return FileType::kFifo;
  if (S_ISCHR(mode)) return FileType::kCharDevice;
  if (S_ISBLK(mode)) return FileType::kBlockDevice;
  if (S_ISSOCK(mode)) return FileType::kSocket;
  return FileType::kRegular;
}

// A read-only descriptor of a regular file, never waiting. A stat first, so
// that a device is not even opened (opening some has effects); the open is
// O_NONBLOCK and the opened file checked again, since the path may have
// changed in between (an open of a FIFO without a writer would wait
// forever). O_NONBLOCK is then cleared: it means nothing for a regular file,
// but reads should not depend on that.
Result<int> OpenRegular(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return NotRegularFile(path, TypeOf(st.st_mode));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    // A socket cannot be opened (ENXIO): say what it is.
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      return NotRegularFile(path, TypeOf(st.st_mode));
    }
    return ErrnoStatus("open", path, err);
  }
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoStatus("stat", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return NotRegularFile(path, TypeOf(st.st_mode));
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoStatus("open", path, err);
  }
  return fd;
}

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override {
    ZB_ASSIGN_OR_RETURN(int fd, OpenRegular(path));
    return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd));
  }

  Result<std::unique_ptr<WritableFile>> Create(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return ErrnoStatus("create", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  Result<std::unique_ptr<WritableFile>> CreateUnnamed(const std::string& for_path) override {
    const std::string dir = DirName(for_path);
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
      // What open(2) answers where the kernel or file system has no O_TMPFILE.
      if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) {
        return std::unique_ptr<WritableFile>();
      }
      return ErrnoStatus("create", for_path, errno);
    }
    // The file is reached through /proc (to read it back, to link it); without
    // a usable /proc (a chroot, say) fall back to a named file.
    std::string proc_path = "/proc/self/fd/" + std::to_string(fd);
    struct stat st;
    if (::stat(proc_path.c_str(), &st) != 0) {
      ::close(fd);
      return std::unique_ptr<WritableFile>();
    }
    return std::unique_ptr<WritableFile>(new PosixWritableFile(std::move(proc_path), for_path, fd));
  }

  Status Link(const std::string& from, const std::string& to) override {
    if (::linkat(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      return ErrnoStatus("link", to, errno);
    }
    return Status::OK();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename", from + " to", errno);
    return Status::OK();
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("remove", path, errno);
    return Status::OK();
  }

  Status SyncDir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open directory", dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return ErrnoStatus("fsync directory", dir, err);
    return Status::OK();
  }

  Status CreateDir(const std::string& dir) override {
    if (dir.empty() || dir == "/" || dir == ".") return Status::OK();
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Status::OK();
      return Status::IOError("create directory " + dir + ": exists and is not a directory");
    }
    ZB_RETURN_IF_ERROR(CreateDir(DirName(dir)));
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return ErrnoStatus("create directory", dir, errno);
    }
    return Status::OK();
  }

  Result<std::string> CreateTempDir(const std::string& parent, const std::string& prefix) override {
    std::string tmpl = parent + "/" + prefix + "XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return ErrnoStatus("create directory", parent + "/" + prefix + "XXXXXX", errno);
    }
    return tmpl;
  }

  Status RemoveDir(const std::string& dir) override {
    if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) {
      return ErrnoStatus("remove directory", dir, errno);
    }
    return Status::OK();
  }

  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
    return FileInfo{path,
                    static_cast<uint64_t>(st.st_size),
                    S_ISDIR(st.st_mode),
                    static_cast<uint32_t>(st.st_mode & 07777),
                    ModTime(st),
                    TypeOf(st.st_mode),
                    st.st_uid,
                    st.st_gid};
  }

  Result<std::vector<FileInfo>> List(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return ErrnoStatus("list", dir, errno);
    std::vector<FileInfo> out;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      struct stat st;
      if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // raced away
      out.push_back({name, static_cast<uint64_t>(st.st_size), S_ISDIR(st.st_mode),
                     static_cast<uint32_t>(st.st_mode & 07777), ModTime(st), TypeOf(st.st_mode)});
    }
    ::closedir(d);
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return out;
  }

  Result<std::unique_ptr<FileLock>> TryLock(const std::string& path, LockMode mode) override {
    ZB_ASSIGN_OR_RETURN(int fd, OpenRegular(path));
    int op = (mode == LockMode::kShared ? LOCK_SH : LOCK_EX) | LOCK_NB;
    while (::flock(fd, op) != 0) {
      int err = errno;
      if (err == EINTR) continue;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Status::Busy(path + " is locked by another process (a running bbolt writer?)");
      }
      return ErrnoStatus("lock", path, err);
    }
    return std::unique_ptr<FileLock>(new PosixFileLock(fd));
  }

  Result<uint64_t> CopyRange(RandomAccessFile& src, uint64_t src_off, WritableFile& dst,
                             uint64_t dst_off, uint64_t len) override {
    auto* s = dynamic_cast<PosixRandomAccessFile*>(&src);
    auto* d = dynamic_cast<PosixWritableFile*>(&dst);
    if (s == nullptr || d == nullptr) return Env::CopyRange(src, src_off, dst, dst_off, len);
    uint64_t done = 0;
    while (done < len) {
      loff_t in = static_cast<loff_t>(src_off + done);
      loff_t out = static_cast<loff_t>(dst_off + done);
      ssize_t n = ::copy_file_range(s->fd(), &in, d->fd(), &out, len - done, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL) {
          ZB_ASSIGN_OR_RETURN(uint64_t rest,
                              Env::CopyRange(src, src_off + done, dst, dst_off + done, len - done));
          return done + rest;
        }
        return ErrnoStatus("copy to", d->name(), errno);
      }
      if (n == 0) break;
      done += static_cast<uint64_t>(n);
    }
    return done;
  }

  Result<ProcessResult> RunProcess(const ProcessSpec& spec) override;

  void KillProcesses() override {
    std::lock_guard lock(mu_);
    for (pid_t group : running_) ::kill(-group, SIGKILL);
  }

  int Pid() override { return static_cast<int>(::getpid()); }
  bool ProcessAlive(int pid) override { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

 private:
  std::mutex mu_;
  std::set<pid_t> running_;  // process groups of the commands RunProcess has not reaped
};

// The environment for a child: ours, with `extra` ("NAME=value") replacing
// or adding entries.
std::vector<std::string> ChildEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  auto name_of = [](const std::string& kv) { return kv.substr(0, kv.find('=')); };
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    const bool replaced = std::any_of(extra.begin(), extra.end(), [&](const std::string& x) {
      return name_of(x) == name_of(kv);
    });
    if (!replaced) out.push_back(kv);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Result<ProcessResult> PosixEnv::RunProcess(const ProcessSpec& spec) {
  if (spec.argv.empty()) return Status::InvalidArgument("empty command");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoStatus("pipe", "", errno);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group, so a timeout kills the command and anything it
  // started; signals unblocked and at their defaults even if we (the daemon)
  // block or handle them.
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attr, &empty);
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGUSR1, SIGUSR2}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::vector<std::string> env_strings = ChildEnvironment(spec.extra_env);
  std::vector<char*> envp;
  for (const auto& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, argv[0], &fa, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return ErrnoStatus("run", spec.argv[0], rc);
  }

  {
    std::lock_guard lock(mu_);
    running_.insert(pid);
  }
  ProcessResult result;
  using SteadyClock = std::chrono::steady_clock;
  const auto never = SteadyClock::time_point::max();
  auto deadline = spec.timeout.count() > 0 ? SteadyClock::now() + spec.timeout : never;
  auto kill_deadline = never;
  bool terminating = false;
  bool pipe_open = true;
  int status = 0;
  bool reaped = false;
  std::string partial;  // an unfinished line, for on_line
  char buf[4096];
  while (!reaped) {
    auto now = SteadyClock::now();
    if (!terminating && (now >= deadline || spec.cancel.stop_requested())) {
      terminating = true;
      (now >= deadline ? result.timed_out : result.cancelled) = true;
      ::kill(-pid, SIGTERM);
      kill_deadline = now + spec.term_grace;
    } else if (terminating && now >= kill_deadline) {
      ::kill(-pid, SIGKILL);
      kill_deadline = never;
    }
    if (pipe_open) {
      struct pollfd p = {fds[0], POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) {
        ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n > 0) {
          result.output.append(buf, static_cast<size_t>(n));
          if (result.output.size() > spec.max_output) {
            result.output.erase(0, result.output.size() - spec.max_output);
          }
          if (spec.on_line) {
            partial.append(buf, static_cast<size_t>(n));
            for (size_t nl; (nl = partial.find('\n')) != std::string::npos;) {
              spec.on_line(std::string_view(partial).substr(0, nl));
              partial.erase(0, nl + 1);
            }
          }
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          pipe_open = false;
        }
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) reaped = true;
  }
  ::close(fds[0]);
  if (spec.on_line && !partial.empty()) spec.on_line(partial);
  if (!terminating) ::kill(-pid, SIGKILL);  // leftovers of the group, if any
  {
    std::lock_guard lock(mu_);
    running_.erase(pid);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

}  // namespace

std::unique_ptr<Env> NewPosixEnv() { return std::make_unique<PosixEnv>(); }

}  // namespace zb
