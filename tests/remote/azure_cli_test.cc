// The ziti-backup binary against a real Azurite: backups, list, verify,
// restore and status on an azblob:// target configured the Azure way
// (AZURE_STORAGE_CONNECTION_STRING, or the account and key variables), and
// what an operator sees when the key, the container or the lock is wrong.
// The key never reaches the output.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <random>

#include "store/azure_backend.h"
#include "store/azure_settings.h"
#include "testutil/run.h"
#include "testutil/servers.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;

using testing::RunBoltgen;
using testing::RunResult;
using testing::RunZb;
using testing::ServerEnv;

class AzureCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(az_.ok()) << az_.error();
    std::random_device rd;
    container_ = "zb-cli-" + std::to_string(rd()) + std::to_string(rd());
    account_ = az_.Get("AZURE_STORAGE_ACCOUNT");
    target_ = "azblob://" + account_ + "/" + container_ + "/ziti/ctrl1";
    for (const char* name : {"AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY",
                             "AZURE_STORAGE_SAS_TOKEN", "ZITI_CTRL_BACKUP_TARGETS"}) {
      ::unsetenv(name);
    }
    SetConnectionString(az_.Get("AZURE_STORAGE_KEY"));
    // The container, made with our own signer (the product never makes one).
    auto url = store::ParseTargetUrl(target_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    auto s = store::ResolveAzureSettings(*url, {[](const std::string& name) {
      const char* v = ::getenv(name.c_str());
      return v ? std::optional<std::string>(v) : std::nullopt;
    }});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    settings_ = *s;
    clock_ = NewSystemClock();
    store::AzureRequests r(settings_, *clock_, {});
    auto made = r.Do(store::AzureCall{.method = "PUT", .query = {{"restype", "container"}}});
    ASSERT_TRUE(made.ok() && made->status == 201);
    db_ = dir_ / "ctrl.db";
    ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "2MiB", "--seed", "5"}).exit_code, 0);
  }
  void SetConnectionString(const std::string& key) {
    const std::string cs = "DefaultEndpointsProtocol=http;AccountName=" + account_ +
                           ";AccountKey=" + key +
                           ";BlobEndpoint=" + az_.Get("AZURE_BLOB_ENDPOINT") + ";";
    ::setenv("AZURE_STORAGE_CONNECTION_STRING", cs.c_str(), 1);
  }
  void ExpectNoSecret(const RunResult& r, const std::string& key) {
    EXPECT_FALSE(Contains(r.out + r.err, key)) << "the key was printed";
  }
  ServerEnv az_ = ServerEnv::Load("azurite");
  testing::TempDir dir_;
  std::string container_, account_, target_, db_;
  store::AzureSettings settings_;
  std::unique_ptr<Clock> clock_;
};

TEST_F(AzureCliTest, BackupListVerifyRestoreAndStatusOnAzureBlob) {
  for (int i = 0; i < 2; ++i) {
    auto b = RunZb({"backup", "--db", db_, "--target", target_, "--keep-last", "5"});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
    ExpectNoSecret(b, az_.Get("AZURE_STORAGE_KEY"));
  }
  auto list = RunZb({"list", "--target", target_});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(list.out.starts_with(target_ + ": 2 snapshots\n")) << list.out;
  auto verify = RunZb({"verify", "--all", "--target", target_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(std::count(verify.out.begin(), verify.out.end(), '\n'), 2) << verify.out;
  EXPECT_TRUE(verify.out.starts_with("verify ok: " + target_ + " ctrl-")) << verify.out;
  auto restore = RunZb({"restore", "latest", "--target", target_, "--to", dir_ / "back.db"});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  auto check = RunZb({"check", dir_ / "back.db"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  auto status = RunZb({"status", "--target", target_});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_TRUE(status.out.starts_with(target_ + ": 2 snapshots, newest ctrl-")) << status.out;

  // The same target through the account and key variables, the endpoint in
  // the URL.
  ::unsetenv("AZURE_STORAGE_CONNECTION_STRING");
  ::setenv("AZURE_STORAGE_ACCOUNT", account_.c_str(), 1);
  ::setenv("AZURE_STORAGE_KEY", az_.Get("AZURE_STORAGE_KEY").c_str(), 1);
  auto by_vars =
      RunZb({"list", "--target", target_ + "?endpoint=" + az_.Get("AZURE_BLOB_ENDPOINT")});
  EXPECT_EQ(by_vars.exit_code, 0) << by_vars.err;
  EXPECT_TRUE(by_vars.out.starts_with(target_ + ": 2 snapshots\n")) << by_vars.out;
  ::unsetenv("AZURE_STORAGE_KEY");
  auto none = RunZb({"list", "--target", target_});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err,
            "ziti-backup: invalid argument: --target / ZITI_CTRL_BACKUP_TARGETS: " + target_ +
                ": no Azure credentials: set AZURE_STORAGE_CONNECTION_STRING, or "
                "AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN (Azure AD and managed identities "
                "are not read)\n");
}

TEST_F(AzureCliTest, AWrongKeyIsExitOneAndTheKeyIsNeverShown) {
  // A key of the right shape, not the account's.
  const std::string wrong = "bm90LXRoZS1rZXktMDEyMzQ1Njc4OWFiY2RlZi1ub3QtdGhlLWtleQ==";
  SetConnectionString(wrong);
  auto b = RunZb({"backup", "--db", db_, "--target", target_});
  EXPECT_EQ(b.exit_code, 1) << b.out << b.err;
  EXPECT_TRUE(Contains(b.err, target_ + ": PUT ")) << b.err;
  EXPECT_TRUE(Contains(b.err, ": HTTP 403 AuthorizationFailure: ")) << b.err;
  ExpectNoSecret(b, wrong);
  auto list = RunZb({"list", "--target", target_});
  EXPECT_EQ(list.exit_code, 1) << list.out << list.err;
  ExpectNoSecret(list, wrong);
  SetConnectionString(az_.Get("AZURE_STORAGE_KEY"));
  list = RunZb({"list", "--target", target_});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(list.out.starts_with(target_ + ": 0 snapshots")) << list.out;
}

TEST_F(AzureCliTest, AMissingContainerIsAClearError) {
  const std::string missing = "azblob://" + account_ + "/" + container_ + "-missing/x";
  auto b = RunZb({"backup", "--db", db_, "--target", missing});
  EXPECT_EQ(b.exit_code, 1) << b.out << b.err;
  EXPECT_TRUE(Contains(b.err, "container \"" + container_ +
                                  "-missing\" does not exist in account \"" + account_ + "\" at " +
                                  net::HostPort(settings_.endpoint) +
                                  " (create it first; ziti-backup does not create containers)"))
      << b.err;
}

TEST_F(AzureCliTest, ATargetLeasedByAnotherRunIsBusy) {
  store::AzureBackendOptions o;
  o.owner = "other-host pid 77";
  store::AzureBackend other(settings_, *clock_, o);
  auto lease = other.TryLock();
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  auto b = RunZb({"backup", "--db", db_, "--target", target_});
  EXPECT_EQ(b.exit_code, 4) << b.out << b.err;
  EXPECT_TRUE(Contains(b.err, target_ + " is locked by other-host pid 77 ")) << b.err;
  lease->reset();
  b = RunZb({"backup", "--db", db_, "--target", target_});
  EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
}

}  // namespace
}  // namespace zb
