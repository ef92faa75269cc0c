// The POSIX Env on what is not a regular file, and its private directories.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>

#include "env/atomic_file.h"
#include "env/env.h"
#include "testutil/run.h"

namespace zb {
namespace {

// A FIFO with no writer would block open(2) forever; a device or socket
// is no file to read. Each is refused at once, naming the path and what it
// is; so is a directory.
TEST(PosixEnvTest, OnlyRegularFilesAreOpenedOrLocked) {
  auto env = NewPosixEnv();
  testing::TempDir dir;
  const std::string fifo = dir / "fifo", sock = dir / "sock";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::pair<std::string, std::string> cases[] = {
      {fifo, "a FIFO"},
      {sock, "a socket"},
      {dir.path(), "a directory"},
      {"/dev/null", "a character device"},
      {"/dev/zero", "a character device"},
  };
  for (const auto& [path, what] : cases) {
    const std::string message =
        "invalid argument: " + path + " is " + what + ", not a regular file";
    EXPECT_EQ(env->OpenForRead(path).status().ToString(), message);
    EXPECT_EQ(env->TryLock(path, LockMode::kShared).status().ToString(), message);
    EXPECT_EQ(ReadSmallFile(*env, path, 100).status().ToString(), message);
  }
  // Through a symlink it is what the link points at.
  std::filesystem::create_symlink(fifo, dir / "link");
  EXPECT_EQ(env->OpenForRead(dir / "link").status().ToString(),
            "invalid argument: " + dir / "link" + " is a FIFO, not a regular file");
  auto info = env->Stat(fifo);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->type, FileType::kFifo);
  ::close(s);
}

// AtomicFile refuses to write in place of anything but a regular file (a
// rename would replace a FIFO or device silently, and fail on a directory
// only after all the work).
TEST(PosixEnvTest, AtomicFileRefusesToReplaceWhatIsNotARegularFile) {
  auto env = NewPosixEnv();
  testing::TempDir dir;
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::filesystem::create_directory(dir / "sub");
  EXPECT_EQ(AtomicFile::Create(*env, fifo).status().ToString(),
            "invalid argument: " + fifo + " is a FIFO, not a regular file");
  EXPECT_EQ(AtomicFile::Create(*env, dir / "sub").status().ToString(),
            "invalid argument: " + dir / "sub" + " is a directory, not a regular file");
  EXPECT_TRUE(AtomicFile::Create(*env, dir / "new").ok());
  testing::WriteFileOrDie(dir / "old", "x");
  EXPECT_TRUE(AtomicFile::Create(*env, dir / "old").ok());
}

TEST(PosixEnvTest, TempDirsArePrivateAndNew) {
  auto env = NewPosixEnv();
  testing::TempDir dir;
  auto a = env->CreateTempDir(dir.path(), ".x-");
  auto b = env->CreateTempDir(dir.path(), ".x-");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->rfind(dir / ".x-", 0), 0u);
  EXPECT_EQ(a->size(), (dir / ".x-").size() + 6);
  struct stat st;
  ASSERT_EQ(::stat(a->c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(env->RemoveDir(*a).ok());
  EXPECT_TRUE(env->RemoveDir(*a).ok()) << "already gone is fine";
  EXPECT_FALSE(std::filesystem::exists(*a));
  testing::WriteFileOrDie(*b + "/f", "x");
  EXPECT_EQ(env->RemoveDir(*b).code(), Code::kIOError) << "not empty";
  EXPECT_EQ(
      env->CreateTempDir(dir / "missing", ".x-").status().ToString(),
      "not found: create directory " + dir / "missing" + "/.x-XXXXXX: No such file or directory");
}

}  // namespace
}  // namespace zb
