#include "testutil/run.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace zb::testing {

std::string Field(const std::string& out, const std::string& key) {
  std::smatch m;
  return std::regex_search(out, m, std::regex(key + "=(\\S+)")) ? m[1].str() : "";
}

RunResult Run(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  RunResult r;
  if (rc != 0) {
    close(out[0]);
    close(err[0]);
    r.err = "spawn failed: " + argv[0];
    return r;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      r.err += "\n[test harness: timed out]";
      break;
    }
    if (poll(fds, 2, 100) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? r.out : r.err).append(buf, n);
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.max_rss_kib = usage.ru_maxrss;
  return r;
}

// ZB_TEST_BINARY runs the tests against another build of ziti-backup (the
// static release binary, or an older version to show a test fails there).
std::string ZbPath() {
  const char* other = std::getenv("ZB_TEST_BINARY");
  return other != nullptr && *other != '\0' ? other : ZB_BIN;
}
std::string BoltgenPath() { return ZB_BOLTGEN; }

RunResult RunZb(const std::vector<std::string>& args) {
#if defined(__SANITIZE_ADDRESS__)
  std::vector<std::string> argv{ZbPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
#else
  // Through the shim, which measures the command's own peak RSS.
  char rss_file[] = "/tmp/zb-rss-XXXXXX";
  const int fd = mkstemp(rss_file);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  std::vector<std::string> argv{ZB_RSS_SHIM, rss_file, ZbPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = Run(argv);
  std::ifstream(rss_file) >> r.max_rss_kib;
  unlink(rss_file);
  std::string command;
  for (const auto& a : args) command += " " + a;
  EXPECT_GT(r.max_rss_kib, 0) << "no RSS measured for ziti-backup" << command;
  EXPECT_LE(r.max_rss_kib, kMaxRssKib) << "peak RSS of ziti-backup" << command;
  return r;
#endif
}

RunResult RunBoltgen(const std::vector<std::string>& args) {
  std::vector<std::string> argv{BoltgenPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/zbtest-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (std::getenv("ZB_KEEP_TEMP") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::string& log_prefix)
    : out_path_(log_prefix + ".out"), err_path_(log_prefix + ".err") {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  posix_spawn_file_actions_destroy(&fa);
  pid_ = pid;
}

BackgroundProcess::~BackgroundProcess() { Stop(); }

bool BackgroundProcess::Running() {
  if (pid_ < 0) return false;
  int status;
  pid_t w = waitpid(pid_, &status, WNOHANG);
  if (w == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    pid_ = -1;
    return false;
  }
  return true;
}

int BackgroundProcess::Stop(std::chrono::seconds timeout) {
  if (!Running()) return exit_code_;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      int status;
      waitpid(pid_, &status, 0);
      pid_ = -1;
      exit_code_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

void BackgroundProcess::Signal(int sig) {
  if (Running()) kill(pid_, sig);
}

std::string BackgroundProcess::Stdout() const { return ReadFileOrDie(out_path_); }
std::string BackgroundProcess::Stderr() const { return ReadFileOrDie(err_path_); }

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

bool WaitForFile(const std::string& path, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::filesystem::exists(path);
}

bool FlockHeld(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  char id[64];
  std::snprintf(id, sizeof id, "%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                static_cast<unsigned long long>(st.st_ino));
  std::ifstream locks("/proc/locks");
  for (std::string line; std::getline(locks, line);) {
    // "1: FLOCK  ADVISORY  WRITE 4711 fe:00:9980242 0 EOF"; "1: -> ..." waits.
    std::istringstream fields(line);
    std::string n, kind, field;
    fields >> n >> kind;
    if (kind != "FLOCK") continue;
    while (fields >> field) {
      if (field == id) return true;
    }
  }
  return false;
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> KeepingLast(std::vector<std::string> args, int n) {
  for (const char* period : {"--keep-hourly", "--keep-daily", "--keep-weekly", "--keep-monthly"}) {
    args.insert(args.end(), {period, "0"});
  }
  args.insert(args.end(), {"--keep-last", std::to_string(n)});
  return args;
}

std::vector<std::string> RunLeftovers(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& name : ListDir(dir)) {
    if (name[0] == '.' && name != ".ziti-backup.lock") out.push_back(name);
  }
  return out;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFileOrDie(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << data;
  if (!f) throw std::runtime_error("cannot write " + path);
}

PeerCheck PeerCheckFile(const std::string& db) {
  RunResult r = RunBoltgen({"check", db});
  PeerCheck c;
  c.exit_code = r.exit_code;
  c.raw = r.out + r.err;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("txid ", 0) == 0) c.txid = std::stoull(line.substr(5));
    if (line.rfind("digest ", 0) == 0) c.digest = line.substr(7);
    if (line.rfind("error: ", 0) == 0) c.errors.push_back(line.substr(7));
  }
  return c;
}

}  // namespace zb::testing
