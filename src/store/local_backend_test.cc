#include "store/local_backend.h"

#include <sys/stat.h>

#include "store/open_backend.h"
#include "testutil/backend_conformance.h"

namespace zb::testing {
namespace {

struct LocalFactory {
  static std::unique_ptr<store::Backend> Make(BackendTestContext& ctx) {
    return std::make_unique<store::LocalBackend>(*ctx.env, ctx.dir / "backups/ctrl");
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Local, BackendConformanceTest, ::testing::Types<LocalFactory>);

TEST(LocalBackendTest, FilesAre0600DirectoriesAre0700AndNoTempFilesRemain) {
  BackendTestContext ctx;
  store::LocalBackend b(*ctx.env, ctx.dir / "backups/ctrl");
  StringSource src("data");
  ASSERT_TRUE(b.Put("a.db", src).ok());
  EXPECT_EQ(ctx.env->Stat(ctx.dir / "backups/ctrl/a.db")->mode, 0600u);
  EXPECT_EQ(ctx.env->Stat(ctx.dir / "backups/ctrl")->mode, 0700u);
  EXPECT_EQ(ctx.env->Stat(ctx.dir / "backups")->mode, 0700u);
  FlakySource flaky("0123456789", 5);
  EXPECT_FALSE(b.Put("b.db", flaky).ok());
  EXPECT_EQ(ListDir(ctx.dir / "backups/ctrl"), std::vector<std::string>{"a.db"});
}

TEST(LocalBackendTest, ListIgnoresTempFilesAndDirectories) {
  BackendTestContext ctx;
  const std::string dir = ctx.dir / "t";
  store::LocalBackend b(*ctx.env, dir);
  StringSource src("x");
  ASSERT_TRUE(b.Put("keep.json", src).ok());
  WriteFileOrDie(dir + "/.keep.json.tmp-1-2", "partial");
  ::mkdir((dir + "/sub").c_str(), 0700);
  auto list = *b.List("");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "keep.json");
}

TEST(OpenBackendTest, UrlsAndTheirErrors) {
  BackendTestContext ctx;
  auto local = store::OpenBackend(*ctx.env, ctx.clock, "file:///var/backups/ziti/");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ((*local)->Describe(), "file:///var/backups/ziti");
  EXPECT_EQ((*store::OpenBackend(*ctx.env, ctx.clock, "mem://"))->Describe(), "mem://");
  EXPECT_EQ(store::OpenBackend(*ctx.env, ctx.clock, "file://relative").status().message(),
            "invalid target \"file://relative\": the path must be absolute (use "
            "file:///absolute/dir)");
  EXPECT_EQ(store::OpenBackend(*ctx.env, ctx.clock, "ftp://x").status().message(),
            "invalid target \"ftp://x\": unknown scheme (use file:///absolute/dir)");
  EXPECT_EQ(store::OpenBackend(*ctx.env, ctx.clock, "s3://bucket/p").status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace zb::testing
