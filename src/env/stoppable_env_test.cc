#include "env/stoppable_env.h"

#include <gtest/gtest.h>

#include "env/atomic_file.h"
#include "testutil/run.h"

namespace zb {
namespace {

ByteSpan Bytes(const std::string& s) {
  return ByteSpan(reinterpret_cast<const std::byte*>(s.data()), s.size());
}

// Before the stop everything passes through; after it, making or moving
// data fails with kAborted, while cleaning up still works: an AtomicFile
// interrupted mid-write removes its temp file and leaves the final name alone.
TEST(StoppableEnvTest, AfterStopWorkFailsButCleanupStillWorks) {
  testing::TempDir dir;
  auto real = NewPosixEnv();
  std::stop_source stop;
  StoppableEnv env(*real, stop.get_token());

  auto file = AtomicFile::Create(env, dir / "out");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->file().WriteAt(0, Bytes("before")).ok());
  auto reader = env.OpenForRead(dir / "in-" + std::string("missing"));
  EXPECT_EQ(reader.status().code(), Code::kNotFound);  // the base Env's own error

  stop.request_stop();
  Status w = (*file)->file().WriteAt(6, Bytes("after"));
  EXPECT_EQ(w.code(), Code::kAborted);
  EXPECT_EQ(w.message(), "stopped (SIGTERM): interrupted write " + (*file)->temp_path());
  EXPECT_EQ((*file)->Commit().code(), Code::kAborted);
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{});

  EXPECT_EQ(env.Create(dir / "new").status().message(),
            "stopped (SIGTERM): interrupted create " + dir / "new");
  EXPECT_EQ(env.OpenForRead(dir.path()).status().code(), Code::kAborted);
  EXPECT_EQ(env.Rename(dir / "a", dir / "b").code(), Code::kAborted);
  ProcessSpec spec;
  spec.argv = {"true"};
  EXPECT_EQ(env.RunProcess(spec).status().code(), Code::kAborted);
  testing::WriteFileOrDie(dir / "leftover", "x");
  EXPECT_TRUE(env.Stat(dir / "leftover").ok());
  EXPECT_TRUE(env.List(dir.path()).ok());
  EXPECT_TRUE(env.Remove(dir / "leftover").ok());
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{});
}

TEST(StoppableEnvTest, CopyRangePassesTheRealFilesThrough) {
  testing::TempDir dir;
  auto real = NewPosixEnv();
  std::stop_source stop;
  StoppableEnv env(*real, stop.get_token());
  testing::WriteFileOrDie(dir / "src", std::string(100000, 'z'));
  auto src = env.OpenForRead(dir / "src");
  auto dst = env.Create(dir / "dst");
  ASSERT_TRUE(src.ok() && dst.ok());
  auto n = env.CopyRange(**src, 10, **dst, 0, 99990);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 99990u);
  ASSERT_TRUE((*dst)->Close().ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir / "dst"), std::string(99990, 'z'));
  stop.request_stop();
  EXPECT_EQ(env.CopyRange(**src, 0, **dst, 0, 10).status().code(), Code::kAborted);
}

}  // namespace
}  // namespace zb
