// The ziti-backup binary against a real Ceph RGW: backups, list, verify,
// restore and status on an s3:// target configured the AWS way
// (environment, or a profile in the shared files), and what an operator
// sees when the key, the bucket or the lock is wrong. Secrets never reach
// the output.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "store/local_backend.h"
#include "store/s3_backend.h"
#include "store/s3_settings.h"
#include "testutil/age.h"
#include "testutil/incremental_sequence.h"
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

class S3CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(rgw_.ok()) << rgw_.error();
    std::random_device rd;
    bucket_ = "zb-cli-" + std::to_string(rd()) + std::to_string(rd());
    target_ = "s3://" + bucket_ + "/ziti/ctrl1";
    testing::UseRgwEnvironment(rgw_, dir_.path());
    // The bucket, made with our own signer (the product never makes one).
    store::S3Settings s = testing::RgwSettings(rgw_, bucket_);
    settings_ = s;
    clock_ = NewSystemClock();
    store::S3Requests r(s, *clock_, {});
    auto made = r.Do(store::S3Call{.method = "PUT"});
    ASSERT_TRUE(made.ok() && made->status == 200);
    db_ = dir_ / "ctrl.db";
    ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "2MiB", "--seed", "5"}).exit_code, 0);
  }
  void ExpectNoSecret(const RunResult& r) {
    const std::string secret = rgw_.Get("S3_SECRET_ACCESS_KEY");
    EXPECT_FALSE(Contains(r.out + r.err, secret)) << "the secret was printed";
  }
  ServerEnv rgw_ = ServerEnv::Load("rgw");
  testing::TempDir dir_;
  std::string bucket_, target_, db_;
  store::S3Settings settings_;
  std::unique_ptr<Clock> clock_;
};

TEST_F(S3CliTest, BackupListVerifyRestoreAndStatusOnS3) {
  for (int i = 0; i < 2; ++i) {
    auto b = RunZb({"backup", "--db", db_, "--target", target_, "--keep-last", "5"});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
    ExpectNoSecret(b);
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
  // The same target through a profile in ~/.aws instead of the environment.
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  std::filesystem::create_directory(dir_ / ".aws");
  testing::WriteFileOrDie(dir_ / ".aws/credentials",
                          "[rgw]\naws_access_key_id = " + rgw_.Get("S3_ACCESS_KEY_ID") +
                              "\naws_secret_access_key = " + rgw_.Get("S3_SECRET_ACCESS_KEY") +
                              "\n");
  auto by_profile = RunZb({"list", "--target", target_ + "?profile=rgw"});
  EXPECT_EQ(by_profile.exit_code, 0) << by_profile.err;
  EXPECT_TRUE(by_profile.out.starts_with(target_ + ": 2 snapshots\n")) << by_profile.out;
  auto none = RunZb({"list", "--target", target_});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(Contains(none.err, target_ + ": no S3 credentials: set AWS_ACCESS_KEY_ID and "
                                           "AWS_SECRET_ACCESS_KEY"))
      << none.err;
}

TEST_F(S3CliTest, AWrongSecretIsExitOneWithTheServersCodeAndStoresNothing) {
  ::setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret-0123456789abcdef", 1);
  auto b = RunZb({"backup", "--db", db_, "--target", target_});
  EXPECT_EQ(b.exit_code, 1) << b.out << b.err;
  EXPECT_TRUE(Contains(b.err, "HTTP 403 SignatureDoesNotMatch")) << b.err;
  EXPECT_FALSE(Contains(b.out + b.err, "not-the-secret"));
  ::setenv("AWS_SECRET_ACCESS_KEY", rgw_.Get("S3_SECRET_ACCESS_KEY").c_str(), 1);
  auto list = RunZb({"list", "--target", target_});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(list.out.starts_with(target_ + ": 0 snapshots")) << list.out;
}

TEST_F(S3CliTest, AMissingBucketIsAClearError) {
  const std::string missing = "s3://" + bucket_ + "-missing/x";
  auto b = RunZb({"backup", "--db", db_, "--target", missing});
  EXPECT_EQ(b.exit_code, 1) << b.out << b.err;
  EXPECT_TRUE(Contains(b.err, "bucket \"" + bucket_ + "-missing\" does not exist at " +
                                  net::HostPort(settings_.endpoint) +
                                  " (create it first; ziti-backup does not create buckets)"))
      << b.err;
  ExpectNoSecret(b);
}

TEST_F(S3CliTest, ATargetLeasedByAnotherRunIsBusy) {
  store::S3Settings s = settings_;
  s.prefix = "ziti/ctrl1";
  store::S3BackendOptions o;
  o.owner = "other-host pid 77";
  store::S3Backend other(s, *clock_, o);
  auto lease = other.TryLock();
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  auto b = RunZb({"backup", "--db", db_, "--target", target_});
  EXPECT_EQ(b.exit_code, 4) << b.out << b.err;
  EXPECT_TRUE(Contains(b.err, target_ + " is locked by other-host pid 77 ")) << b.err;
  lease->reset();
  b = RunZb({"backup", "--db", db_, "--target", target_});
  EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
}

TEST_F(S3CliTest, ARegionThatWasDownIsCaughtUpAndCopyBringsSnapshotsBack) {
  const std::string later = "zb-later-" + std::to_string(std::random_device{}());
  const std::string remote = "s3://" + later + "/ziti";
  const std::string local = "file://" + dir_.path() + "/local";
  // The bucket does not exist yet: the remote fails, the local target keeps going.
  for (int i = 0; i < 2; ++i) {
    auto r = RunZb({"backup", "--db", db_, "--target", local + " " + remote});
    EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  }
  store::S3Settings s = settings_;
  s.bucket = later;
  store::S3Requests requests(s, *clock_, {});
  auto made = requests.Do(store::S3Call{.method = "PUT"});
  ASSERT_TRUE(made.ok() && made->status == 200);
  auto r = RunZb({"backup", "--db", db_, "--target", local + " " + remote});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n') >= 2, true);
  auto list = RunZb({"list", "--target", remote});
  EXPECT_TRUE(list.out.starts_with(remote + ": 3 snapshots\n")) << list.out;
  auto verify = RunZb({"verify", "--all", "--target", remote});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  // And back to a fresh local target, as stored.
  const std::string fresh = "file://" + dir_.path() + "/fresh";
  auto copy = RunZb({"copy", "--from", remote, "--to", fresh, "--missing"});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  EXPECT_TRUE(copy.out.ends_with("copy: 3 copied, 0 already there, 0 failed\n")) << copy.out;
  ExpectNoSecret(copy);
}

// copy streams into the upload while it checks: an object whose damage
// shows only in its last byte has already sent parts when the check fails,
// and the upload must still never complete.
TEST_F(S3CliTest, ADamagedSnapshotIsNeverCompletedInTheBucket) {
  const std::string big = dir_ / "big.db";
  ASSERT_EQ(RunBoltgen({"gen", "--out", big, "--size", "20MiB", "--seed", "6"}).exit_code, 0);
  const std::string local = dir_.path() + "/local";
  ASSERT_EQ(
      RunZb({"backup", "--db", big, "--target", "file://" + local, "--compress", "none"}).exit_code,
      0);
  std::string object;
  for (const auto& e : std::filesystem::directory_iterator(local)) {
    if (e.path().extension() == ".db") object = e.path();
  }
  ASSERT_FALSE(object.empty());
  std::string bytes = testing::ReadFileOrDie(object);
  ASSERT_GT(bytes.size(), 16u << 20) << "more than two 8 MiB parts";
  bytes.back() ^= 0x01;
  testing::WriteFileOrDie(object, bytes);
  const std::string id = std::filesystem::path(object).stem();

  auto r = RunZb({"copy", "--from", "file://" + local, "--to", target_, "--all"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "copy failed: corruption: " + id + " from file://" + local + ": " +
                                  id + ".db does not match its manifest"))
      << r.err;
  store::S3Settings at_target = settings_;
  at_target.prefix = "ziti/ctrl1";
  store::S3Backend backend(at_target, *clock_);
  auto objects = backend.List("");
  ASSERT_TRUE(objects.ok()) << objects.status().ToString();
  EXPECT_TRUE(objects->empty()) << objects->front().name;
  auto left = backend.RemoveStaleTemporaries(clock_->Now() + std::chrono::hours(24));
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  EXPECT_EQ(*left, 0u) << "the multipart upload was aborted, not left behind";
  ExpectNoSecret(r);
}

// Incremental backups in a bucket, encrypted: a base and packs, each
// restoring to the DB it was taken from; verify with and without the
// identity; prune keeps the objects kept snapshots name and deletes the
// rest; a pack deleted behind our back fails exactly the snapshots that
// name it, and the next backup starts a new base saying why.
TEST_F(S3CliTest, IncrementalSnapshotsWithAgeOnS3) {
  auto key = RunZb({"keygen", "--output", dir_ / "id.txt"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string recipient = key.out.substr(key.out.find("age1"), 62);
  struct Taken {
    std::string id, digest, obj;  // obj: its own base or pack
  };
  std::vector<Taken> taken;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      auto c =
          RunBoltgen({"change", "--db", db_, "--fraction", "0.05", "--seed", std::to_string(i)});
      ASSERT_EQ(c.exit_code, 0) << c.err;
    }
    auto b = RunZb({"backup", "--db", db_, "--target", target_, "--incremental", "--keep-last",
                    "10", "--age-recipient", recipient});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
    EXPECT_TRUE(Contains(b.err, i == 0 ? "backup.full " : "backup.incremental ")) << b.err;
    ExpectNoSecret(b);
    taken.push_back({testing::Field(b.out, "id"), testing::PeerCheckFile(db_).digest});
  }
  auto listed = RunZb({"list", "--target", target_, "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto j = nlohmann::json::parse(listed.out);  // kept alive for the loop
  for (const auto& s : j[0]["snapshots"]) {
    for (Taken& t : taken) {
      if (t.id == s["id"]) t.obj = s["data_object"];
    }
  }
  store::S3Settings at_target = settings_;
  at_target.prefix = "ziti/ctrl1";
  store::S3Backend backend(at_target, *clock_);
  auto names = [&] {
    std::vector<std::string> out;
    auto listed = backend.List("");
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    if (listed.ok()) {
      for (const auto& o : *listed) out.push_back(o.name);
    }
    return out;
  };
  EXPECT_EQ(names(),
            (std::vector<std::string>{taken[0].obj, taken[0].id + ".json", taken[1].id + ".json",
                                      taken[1].obj, taken[2].id + ".json", taken[2].obj,
                                      taken[3].id + ".json", taken[3].obj}));
  auto hashes = RunZb({"verify", "--all", "--target", target_});
  EXPECT_EQ(hashes.exit_code, 0) << hashes.out << hashes.err;
  EXPECT_EQ(std::count(hashes.out.begin(), hashes.out.end(), '\n'), 4) << hashes.out;
  auto full = RunZb({"verify", "--all", "--target", target_, "--identity", dir_ / "id.txt"});
  EXPECT_EQ(full.exit_code, 0) << full.out << full.err;
  EXPECT_FALSE(Contains(full.out, "checked=stored-sha256")) << full.out;
  for (const Taken& t : taken) {
    const std::string out = dir_ / ("r-" + t.id + ".db");
    auto r =
        RunZb({"restore", t.id, "--target", target_, "--to", out, "--identity", dir_ / "id.txt"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(testing::PeerCheckFile(out).digest, t.digest) << t.id;
  }
  // Keep the newest two: the base and the first pack stay, the others name them.
  auto p = RunZb(testing::KeepingLast({"prune", "--target", target_}, 2));
  ASSERT_EQ(p.exit_code, 0) << p.out << p.err;
  EXPECT_EQ(names(), (std::vector<std::string>{taken[0].obj, taken[1].obj, taken[2].id + ".json",
                                               taken[2].obj, taken[3].id + ".json", taken[3].obj}));
  // A pack gone behind our back: exactly the snapshots that name it fail.
  ASSERT_TRUE(backend.Delete(taken[3].obj).ok());
  auto broken = RunZb({"verify", "--all", "--target", target_, "--identity", dir_ / "id.txt"});
  EXPECT_EQ(broken.exit_code, 3) << broken.out << broken.err;
  EXPECT_TRUE(Contains(broken.out, "verify ok: " + target_ + " " + taken[2].id)) << broken.out;
  EXPECT_TRUE(Contains(broken.out, "verify FAILED: " + target_ + " " + taken[3].id + ": snapshot " +
                                       taken[3].id + ": its data object " + taken[3].obj +
                                       " is missing from " + target_))
      << broken.out;
  auto next = RunZb({"backup", "--db", db_, "--target", target_, "--incremental", "--keep-last",
                     "10", "--age-recipient", recipient});
  ASSERT_EQ(next.exit_code, 0) << next.out << next.err;
  EXPECT_TRUE(Contains(next.err, "reason=\"the chain's object " + taken[3].obj +
                                     " is missing or has another size\""))
      << next.err;
}

// The randomized sequence of testutil/incremental_sequence.h with the
// chain in the bucket, encrypted: backups, changes, prunes with random
// policies, lost and stale states; every kept snapshot restores after
// every step, and nothing no kept snapshot names stays in the bucket.
TEST_F(S3CliTest, RandomIncrementalSequenceOnS3WithAge) {
  store::S3Settings at_target = settings_;
  at_target.prefix = "ziti/random";
  store::S3Backend chain(at_target, *clock_);
  auto env = NewPosixEnv();
  store::LocalBackend full(*env, dir_ / "full");
  const testing::AgeKeys keys = testing::NewAgeKeys();
  testing::SequenceOptions o;
  o.seed = 11;
  o.steps = 80;
  o.recipients = {keys.pub};
  o.identities = {keys.secret};
  testing::RunIncrementalSequence(dir_ / "random", chain, full, o);
}

}  // namespace
}  // namespace zb
