#include "env/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testutil/fault_env.h"
#include "testutil/run.h"

namespace zb {
namespace {

// On a file system with O_TMPFILE (ext4 and tmpfs here) nothing shows in
// the directory until Commit, and the data can be read back before it.
TEST(AtomicFileTest, UnnamedUntilCommitThenTheFinalNameWithMode0600) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir / "snap.db";
  {
    auto f = AtomicFile::Create(*env, path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->unnamed());
    EXPECT_EQ((*f)->temp_path().rfind("/proc/self/fd/", 0), 0u) << (*f)->temp_path();
    ASSERT_TRUE((*f)->file().WriteAt(0, AsBytes("hello")).ok());
    EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{});
    EXPECT_FALSE(env->Stat(path).ok());
    auto reader = env->OpenForRead((*f)->temp_path());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::string back(5, '\0');
    ASSERT_TRUE((*reader)
                    ->ReadExactly(0, MutableByteSpan(reinterpret_cast<std::byte*>(back.data()), 5))
                    .ok());
    EXPECT_EQ(back, "hello");
    ASSERT_TRUE((*f)->Commit().ok());
  }
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{"snap.db"});
  EXPECT_EQ(testing::ReadFileOrDie(path), "hello");
  EXPECT_EQ(env->Stat(path)->mode, 0600u);
}

// Commit replaces an existing file (linkat alone cannot).
TEST(AtomicFileTest, UnnamedCommitReplacesAnExistingFile) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir / "snap.db";
  testing::WriteFileOrDie(path, "old");
  auto f = AtomicFile::Create(*env, path);
  ASSERT_TRUE(f.ok() && (*f)->unnamed());
  ASSERT_TRUE((*f)->file().WriteAt(0, AsBytes("new")).ok());
  ASSERT_TRUE((*f)->Commit().ok());
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{"snap.db"});
  EXPECT_EQ(testing::ReadFileOrDie(path), "new");
}

// Where the file system refuses unnamed files, a named temp file beside the
// final name, recognisable for cleanup, holds the data until Commit.
TEST(AtomicFileTest, FallsBackToANamedTempFileWithoutOTmpfile) {
  testing::TempDir dir;
  auto real = NewPosixEnv();
  testing::FaultEnv env(*real, "", 0);
  env.RefuseUnnamed();
  const std::string path = dir / "snap.db";
  {
    auto f = AtomicFile::Create(env, path);
    ASSERT_TRUE(f.ok());
    EXPECT_FALSE((*f)->unnamed());
    ASSERT_TRUE((*f)->file().WriteAt(0, AsBytes("hello")).ok());
    ASSERT_EQ(testing::ListDir(dir.path()).size(), 1u);
    EXPECT_TRUE(IsAtomicTempName(testing::ListDir(dir.path())[0]));
    EXPECT_EQ(dir / testing::ListDir(dir.path())[0], (*f)->temp_path());
    ASSERT_TRUE((*f)->Commit().ok());
  }
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{"snap.db"});
  EXPECT_EQ(testing::ReadFileOrDie(path), "hello");
}

// Any step up to the rename failing (injected) leaves neither the final
// name nor a temp file.
TEST(AtomicFileTest, AFailedStepBeforeTheRenameLeavesNothing) {
  testing::TempDir dir;
  auto real = NewPosixEnv();
  const std::string path = dir / "snap.db";
  for (int step = 1; step <= 5; ++step) {  // create, write, fsync, link, rename
    testing::FaultEnv env(*real, dir.path(), step);
    auto f = AtomicFile::Create(env, path);
    Status s = f.status();
    if (f.ok()) s = (*f)->file().WriteAt(0, AsBytes("hello"));
    if (s.ok()) s = (*f)->Commit();
    EXPECT_FALSE(s.ok()) << "step " << step;
    f = Status::Aborted("dropped");
    EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{}) << "step " << step;
  }
}

TEST(AtomicFileTest, DestroyedUncommittedLeavesTheOldFileAndNoTemp) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir / "snap.db";
  testing::WriteFileOrDie(path, "old");
  {
    auto f = AtomicFile::Create(*env, path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->file().WriteAt(0, AsBytes("new data")).ok());
  }
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{"snap.db"});
  EXPECT_EQ(testing::ReadFileOrDie(path), "old");
}

TEST(EnvTest, CreateDirMakesParentsWithMode0700) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  ASSERT_TRUE(env->CreateDir(dir / "a/b/c").ok());
  EXPECT_EQ(env->Stat(dir / "a/b/c")->mode, 0700u);
  EXPECT_EQ(env->Stat(dir / "a")->mode, 0700u);
  EXPECT_TRUE(env->CreateDir(dir / "a/b/c").ok());
}

TEST(EnvTest, SharedLockIsRefusedWhileAnExclusiveOneIsHeld) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  testing::WriteFileOrDie(dir / "db", "x");
  auto ex = env->TryLock(dir / "db", LockMode::kExclusive);
  ASSERT_TRUE(ex.ok());
  auto sh = env->TryLock(dir / "db", LockMode::kShared);
  EXPECT_EQ(sh.status().code(), Code::kBusy);
  EXPECT_EQ(sh.status().message(),
            dir / "db" + " is locked by another process (a running bbolt writer?)");
  ex->reset();
  EXPECT_TRUE(env->TryLock(dir / "db", LockMode::kShared).ok());
}

TEST(EnvTest, MissingFileIsNotFoundNamingThePath) {
  auto env = NewPosixEnv();
  auto f = env->OpenForRead("/nonexistent/zb/file");
  EXPECT_EQ(f.status().code(), Code::kNotFound);
  EXPECT_EQ(f.status().message(), "open /nonexistent/zb/file: No such file or directory");
}

}  // namespace
}  // namespace zb
