#include "env/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testutil/run.h"

namespace zb {
namespace {

TEST(AtomicFileTest, FinalNameAppearsOnlyOnCommitWithMode0600) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir / "snap.db";
  {
    auto f = AtomicFile::Create(*env, path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->file().WriteAt(0, AsBytes("hello")).ok());
    EXPECT_EQ(testing::ListDir(dir.path()).size(), 1u);
    EXPECT_TRUE(IsAtomicTempName(testing::ListDir(dir.path())[0]));
    EXPECT_FALSE(env->Stat(path).ok());
    ASSERT_TRUE((*f)->Commit().ok());
  }
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{"snap.db"});
  EXPECT_EQ(testing::ReadFileOrDie(path), "hello");
  EXPECT_EQ(env->Stat(path)->mode, 0600u);
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
