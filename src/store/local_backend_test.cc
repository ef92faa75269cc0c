#include "store/local_backend.h"

#include <sys/stat.h>

#include "store/open_backend.h"
#include "testutil/backend_conformance.h"

namespace zb::testing {
namespace {

struct LocalFactory {
  static std::unique_ptr<store::Backend> Make(BackendTestContext& ctx) {
    return std::make_unique<store::LocalBackend>(*ctx.env, ctx.dir / "backups/ctrl",
                                                 store::MissingDir::kCreateAll);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Local, BackendConformanceTest, ::testing::Types<LocalFactory>);

TEST(LocalBackendTest, FilesAre0600DirectoriesAre0700AndNoTempFilesRemain) {
  BackendTestContext ctx;
  store::LocalBackend b(*ctx.env, ctx.dir / "backups/ctrl", store::MissingDir::kCreateAll);
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

TEST(LocalBackendTest, AMissingDirectoryIsMadeOnlyAsFarAsAllowed) {
  BackendTestContext ctx;
  StringSource src("x");
  // Reading commands: a missing target is an error, and nothing is made.
  store::LocalBackend read(*ctx.env, ctx.dir / "missing", store::MissingDir::kFail);
  EXPECT_EQ(read.List("").status().message(), "target file://" + ctx.dir.path() +
                                                  "/missing does not exist (no directory " +
                                                  ctx.dir.path() + "/missing)");
  EXPECT_EQ(read.TryLock().status().code(), Code::kNotFound);
  EXPECT_EQ(read.Put("a.db", src).code(), Code::kNotFound);
  // A backup makes the last level only.
  store::LocalBackend deep(*ctx.env, ctx.dir / "not/mounted/backups");
  EXPECT_TRUE(deep.List("")->empty());
  EXPECT_EQ(deep.Put("a.db", src).message(),
            "target file://" + ctx.dir.path() + "/not/mounted/backups: its parent directory " +
                ctx.dir.path() +
                "/not/mounted does not exist (a typo, or a volume that is not mounted?); create "
                "it, or set --create-target / ZITI_CTRL_BACKUP_CREATE_TARGET=true to make the "
                "whole path");
  EXPECT_EQ(deep.TryLock().status().code(), Code::kNotFound);
  EXPECT_EQ(ListDir(ctx.dir.path()), std::vector<std::string>{});
  store::LocalBackend last(*ctx.env, ctx.dir / "backups");
  ASSERT_TRUE(last.Put("a.db", src).ok());
  EXPECT_EQ(ctx.env->Stat(ctx.dir / "backups")->mode, 0700u);
  // --create-target makes the whole path.
  store::LocalBackend all(*ctx.env, ctx.dir / "a/b/c", store::MissingDir::kCreateAll);
  ASSERT_TRUE(all.Put("a.db", src).ok());
  EXPECT_EQ(ListDir(ctx.dir / "a/b/c"), std::vector<std::string>{"a.db"});
  // A file where the directory should be is not a target.
  WriteFileOrDie(ctx.dir / "file", "x");
  store::LocalBackend file(*ctx.env, ctx.dir / "file");
  EXPECT_EQ(file.Put("a.db", src).message(),
            "target file://" + ctx.dir.path() + "/file is not a directory");
}

TEST(OpenBackendTest, UrlsAndTheirErrors) {
  BackendTestContext ctx;
  auto local = store::OpenBackend(*ctx.env, ctx.clock, "file:///var/backups/ziti/",
                                  store::MissingDir::kFail);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ((*local)->Describe(), "file:///var/backups/ziti");
  // The in-memory backend is a test double: no URL reaches it.
  EXPECT_EQ(store::OpenBackend(*ctx.env, ctx.clock, "mem://", store::MissingDir::kFail)
                .status()
                .message(),
            "invalid target \"mem://\": unknown scheme \"mem\" (use file:///absolute/dir, "
            "s3://bucket/prefix or azblob://account/container/prefix)");
  EXPECT_EQ(store::OpenBackend(*ctx.env, ctx.clock, "s3://bucket/p", store::MissingDir::kFail)
                .status()
                .code(),
            Code::kInvalidArgument);
  // An azblob:// target needs credentials from the environment.
  EXPECT_EQ(
      store::OpenBackend(*ctx.env, ctx.clock, "azblob://acct/backups", store::MissingDir::kFail)
          .status()
          .message(),
      "azblob://acct/backups: no Azure credentials: set AZURE_STORAGE_CONNECTION_STRING, or "
      "AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN (Azure AD and managed identities are "
      "not read)");
  const store::OpenContext with_key{
      .env = *ctx.env,
      .clock = ctx.clock,
      .getenv = [](const std::string& name) -> std::optional<std::string> {
        if (name == "AZURE_STORAGE_CONNECTION_STRING") return "UseDevelopmentStorage=true";
        return std::nullopt;
      }};
  auto azure = store::OpenBackend(with_key, "azblob://devstoreaccount1/backups/ziti");
  ASSERT_TRUE(azure.ok()) << azure.status().ToString();
  EXPECT_EQ((*azure)->Describe(), "azblob://devstoreaccount1/backups/ziti");
}

}  // namespace
}  // namespace zb::testing
