// Object Lock against a real Ceph RGW, in buckets created with it: what a
// host's own credentials can no longer do to its backups (delete a locked
// version), what they can (hide objects behind delete markers, which
// ziti-backup reads through), how prune and list report locks, how an
// incremental chain's shared objects are re-locked, and the refusal of
// object-lock= on a bucket without Object Lock.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "base/bytes.h"
#include "store/s3_backend.h"
#include "store/s3_settings.h"
#include "store/s3_xml.h"
#include "testutil/run.h"
#include "testutil/servers.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;
using testing::Occurrences;

using testing::RunBoltgen;
using testing::RunResult;
using testing::RunZb;
using testing::ServerEnv;

class S3ObjectLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(rgw_.ok()) << rgw_.error();
    std::random_device rd;
    const std::string tag = std::to_string(rd()) + std::to_string(rd());
    locked_ = "zb-lock-" + tag;
    plain_ = "zb-nolock-" + tag;
    testing::UseRgwEnvironment(rgw_, dir_.path());
    settings_ = testing::RgwSettings(rgw_, locked_);
    clock_ = NewSystemClock();
    // The buckets, made with our own signer (the product never makes one):
    // the same credentials as the backups, as on a host that holds them.
    for (const auto& [bucket, lock] : {std::pair{locked_, true}, std::pair{plain_, false}}) {
      store::S3Settings s = settings_;
      s.bucket = bucket;
      store::S3Requests r(s, *clock_, {});
      store::S3Call make{.method = "PUT"};
      if (lock) make.headers.push_back({"x-amz-bucket-object-lock-enabled", "true"});
      auto made = r.Do(make);
      ASSERT_TRUE(made.ok() && made->status == 200) << bucket;
    }
    db_ = dir_ / "ctrl.db";
    ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "2MiB", "--seed", "5"}).exit_code, 0);
  }

  std::string Target(const std::string& lock) const {
    return "s3://" + locked_ + "/ziti" + (lock.empty() ? "" : "?object-lock=" + lock);
  }

  // Every version and delete marker under the target's prefix, as the
  // server lists them; the lease's only when asked (a run without
  // object-lock= in its URL does not tidy those).
  std::vector<store::S3Version> Versions(bool lease_too = false) {
    store::S3Requests r(settings_, *clock_, {});
    std::string body;
    auto got =
        r.Do(store::S3Call{.method = "GET", .query = {{"versions", ""}, {"prefix", "ziti/"}}},
             &body, 16 << 20);
    EXPECT_TRUE(got.ok() && got->status == 200);
    auto page = store::ParseListObjectVersions(body, "test");
    EXPECT_TRUE(page.ok() && !page->truncated);
    std::vector<store::S3Version> out;
    for (const auto& v : page.ok() ? page->versions : std::vector<store::S3Version>{}) {
      if (lease_too || v.key != "ziti/.ziti-backup.lease") out.push_back(v);
    }
    return out;
  }

  // A DELETE with the backups' own credentials: the HTTP status.
  int Delete(const std::string& key, const std::string& version) {
    store::S3Requests r(settings_, *clock_, {});
    store::S3Call call{.method = "DELETE", .name = key, .key = key};
    if (!version.empty()) call.query.push_back({"versionId", version});
    auto done = r.Do(call);
    EXPECT_TRUE(done.ok());
    return done.ok() ? done->status : 0;
  }

  // A PUT with the backups' own credentials, locked until `until` when
  // given: what an attacker holding them can still write.
  int Put(const std::string& key, const std::string& body,
          std::optional<TimePoint> until = std::nullopt) {
    store::S3Requests r(settings_, *clock_, {});
    store::S3Call call{
        .method = "PUT", .name = key, .key = key, .body = AsBytes(body), .content_md5 = true};
    if (until) {
      call.headers = {{"x-amz-object-lock-mode", "COMPLIANCE"},
                      {"x-amz-object-lock-retain-until-date", FormatRfc3339(*until)}};
    }
    auto done = r.Do(call);
    EXPECT_TRUE(done.ok());
    return done.ok() ? done->status : 0;
  }

  // The lock of object `name` as ziti-backup reads it.
  store::LockState StateOf(const std::string& name) {
    auto url = store::ParseTargetUrl(Target("1h"));
    store::S3Settings s = settings_;
    s.prefix = "ziti";
    s.lock = **store::ParseLockPolicy(*url);
    store::S3Backend backend(s, *clock_);
    auto state = backend.locks()->State(name);
    EXPECT_TRUE(state.ok()) << state.status().ToString();
    return state.ok() ? *state : store::LockState{};
  }

  nlohmann::json ListJson(const std::string& target) {
    auto list = RunZb({"list", "--json", "--target", target});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    auto j = nlohmann::json::parse(list.out, nullptr, false);
    EXPECT_TRUE(j.is_array() && j.size() == 1) << list.out;
    return j.is_array() && !j.empty() ? j[0] : nlohmann::json::object();
  }

  // Waits for the store's clock to pass the lock of every snapshot's
  // version that is read (a bound on polls, not a timing); false if it
  // never did.
  bool WaitUntilNoSnapshotIsLocked(const std::string& target) {
    for (int i = 0; i < 600; ++i) {
      const nlohmann::json listed = ListJson(target);
      bool any = false;
      for (const auto& s : listed["snapshots"]) any = any || s["lock"]["locked"] == true;
      if (!any) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  std::vector<std::string> Ids(const nlohmann::json& target) {
    std::vector<std::string> ids;
    for (const auto& s : target["snapshots"]) ids.push_back(s["id"].get<std::string>());
    return ids;
  }

  ServerEnv rgw_ = ServerEnv::Load("rgw");
  testing::TempDir dir_;
  std::string locked_, plain_, db_;
  store::S3Settings settings_;
  std::unique_ptr<Clock> clock_;
};

// The same, for each order of the two lock modes.
class S3ObjectLockModeTest
    : public S3ObjectLockTest,
      public ::testing::WithParamInterface<std::pair<std::string, std::string>> {};

TEST_F(S3ObjectLockTest, ABucketWithoutObjectLockIsExitTwoAndNothingIsStored) {
  const std::string target = "s3://" + plain_ + "/ziti?object-lock=30d";
  const std::string said = "s3://" + plain_ + "/ziti: object-lock=30d needs a bucket with " +
                           "Object Lock enabled, and bucket \"" + plain_ + "\" has none";
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{"backup", "--db", db_, "--target", target},
        std::vector<std::string>{"prune", "--target", target},
        std::vector<std::string>{"daemon", "--db", db_, "--target", target}}) {
    auto r = RunZb(argv);
    EXPECT_EQ(r.exit_code, 2) << argv[0] << ": " << r.out << r.err;
    EXPECT_TRUE(Contains(r.err, said)) << r.err;
    EXPECT_TRUE(Contains(r.err,
                         "aws s3api create-bucket --bucket NAME "
                         "--object-lock-enabled-for-bucket"))
        << r.err;
  }
  // The same target from a config file.
  testing::WriteFileOrDie(dir_ / "backup.yaml", "targets:\n  - " + target + "\n");
  auto from_file = RunZb({"backup", "--db", db_, "--config", dir_ / "backup.yaml"});
  EXPECT_EQ(from_file.exit_code, 2) << from_file.out << from_file.err;
  EXPECT_TRUE(Contains(from_file.err, said)) << from_file.err;
  auto list = RunZb({"list", "--target", "s3://" + plain_ + "/ziti"});
  EXPECT_EQ(list.out, "s3://" + plain_ + "/ziti: 0 snapshots\n") << list.err;
  // In a bucket with Object Lock the same configuration works.
  testing::WriteFileOrDie(dir_ / "backup.yaml", "targets:\n  - " + Target("30d") + "\n");
  auto ok = RunZb({"backup", "--db", db_, "--config", dir_ / "backup.yaml"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
}

TEST_F(S3ObjectLockTest, TheHostsOwnCredentialsCannotDestroyLockedSnapshots) {
  for (int i = 0; i < 2; ++i) {
    auto b = RunZb({"backup", "--db", db_, "--target", Target("1h"), "--keep-last", "5"});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  }
  const auto before = Versions(/*lease_too=*/true);
  ASSERT_EQ(before.size(), 4u);  // two data objects, two manifests; no lease versions left
  for (const store::S3Version& v : before) {
    EXPECT_FALSE(v.delete_marker) << v.key;
    EXPECT_EQ(Delete(v.key, v.version_id), 403) << v.key;  // forbidden by object lock
  }
  // What the credentials can do: a wipe as `aws s3 rm --recursive` does it,
  // which hides every object behind a delete marker.
  for (const store::S3Version& v : before) EXPECT_EQ(Delete(v.key, ""), 204) << v.key;
  auto unaware = RunZb({"list", "--target", Target("")});
  EXPECT_EQ(unaware.out, Target("") + ": 0 snapshots\n") << unaware.err;

  const nlohmann::json listed = ListJson(Target("1h"));
  EXPECT_EQ(listed["object_lock"], "1h compliance");
  ASSERT_EQ(listed["snapshots"].size(), 2u) << listed.dump();
  for (const auto& s : listed["snapshots"]) {
    EXPECT_EQ(s["lock"]["mode"], "COMPLIANCE");
    EXPECT_EQ(s["lock"]["locked"], true);
    EXPECT_EQ(s["lock"]["hidden"], true);
    const TimePoint created = *ParseRfc3339(s["created"].get<std::string>());
    const TimePoint until = *ParseRfc3339(s["lock"]["until"].get<std::string>());
    EXPECT_GE(until, created + std::chrono::hours(1)) << s.dump();
  }
  const std::vector<std::string> ids = Ids(listed);
  auto text = RunZb({"list", "--target", Target("1h")});
  EXPECT_TRUE(Contains(text.out, " KIND     LOCKED UNTIL\n")) << text.out;
  EXPECT_EQ(Occurrences(text.out, " (deleted)\n"), 2u) << text.out;
  EXPECT_TRUE(Contains(text.out,
                       "2 of these snapshots were deleted by someone without a version "
                       "id (marked \"deleted\"); their versions are still stored and "
                       "restore as usual\n"))
      << text.out;

  // The newest snapshot comes back, checked as any restore is.
  auto restore = RunZb({"restore", "latest", "--target", Target("1h"), "--to", dir_ / "back.db"});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_TRUE(Contains(restore.out, "restore ok: id=" + ids[1] + " ")) << restore.out;
  EXPECT_EQ(RunZb({"check", dir_ / "back.db"}).exit_code, 0);
  auto verify = RunZb({"verify", "--all", "--target", Target("1h")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // Prune leaves what is locked, says until when, and does not fail.
  auto prune = RunZb({"prune", "--keep-last", "1", "--target", Target("1h")});
  ASSERT_EQ(prune.exit_code, 0) << prune.out << prune.err;
  EXPECT_TRUE(Contains(
      prune.out, "locked " + ids[0] + "  (the policy drops it; its Object Lock holds it until "))
      << prune.out;
  EXPECT_TRUE(Contains(prune.out, ": 2 kept, 0 removed, 1 locked (kept until their lock ends)\n"))
      << prune.out;
  EXPECT_TRUE(
      Contains(prune.err, "prune.locked target=s3://" + locked_ + "/ziti id=" + ids[0] + " until="))
      << prune.err;
  auto dry = RunZb({"prune", "--keep-last", "1", "--dry-run", "--json", "--target", Target("1h")});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const auto j = nlohmann::json::parse(dry.out)[0];
  EXPECT_EQ(j["snapshots"][1]["id"], ids[0]);
  EXPECT_EQ(j["snapshots"][1]["keep"], false);
  // As its manifest records it: at most what the store holds (which was
  // asked for a moment later), at least an hour after it was made.
  const TimePoint recorded = *ParseRfc3339(j["snapshots"][1]["locked_until"].get<std::string>());
  EXPECT_LE(recorded, *ParseRfc3339(listed["snapshots"][0]["lock"]["until"].get<std::string>()));
  EXPECT_GE(recorded, *ParseRfc3339(listed["snapshots"][0]["created"].get<std::string>()) +
                          std::chrono::hours(1));
  EXPECT_FALSE(j["snapshots"][0].contains("locked_until"));
  // Every version is still there, and the markers only grew by none.
  size_t data = 0;
  for (const auto& v : Versions()) data += !v.delete_marker;
  EXPECT_EQ(data, 4u);
}

TEST_F(S3ObjectLockTest, AMultipartUploadIsLockedToo) {
  const std::string big = dir_ / "big.db";
  ASSERT_EQ(RunBoltgen({"gen", "--out", big, "--size", "20MiB", "--seed", "6"}).exit_code, 0);
  auto b = RunZb({"backup", "--db", big, "--target", Target("1h"), "--compress", "none"});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  const auto versions = Versions();
  ASSERT_EQ(versions.size(), 2u);
  for (const auto& v : versions) {
    if (v.key.ends_with(".db")) EXPECT_GT(v.size, 16u << 20);  // parts of 8 MiB
    EXPECT_EQ(Delete(v.key, v.version_id), 403) << v.key;
  }
  auto restore = RunZb({"restore", "latest", "--target", Target("1h"), "--to", dir_ / "back.db"});
  EXPECT_EQ(restore.exit_code, 0) << restore.out << restore.err;
}

TEST_F(S3ObjectLockTest, PruneRemovesEveryVersionOnceTheLockEnds) {
  for (int i = 0; i < 3; ++i) {
    auto b = RunZb({"backup", "--db", db_, "--target", Target("1s"), "--keep-last", "5"});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  }
  // Someone hides one of them; ziti-backup still sees it, and removes the
  // marker with the versions.
  const std::vector<std::string> ids = Ids(ListJson(Target("1s")));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(Delete("ziti/" + ids[0] + ".json", ""), 204);
  ASSERT_TRUE(WaitUntilNoSnapshotIsLocked(Target("1s")));
  auto prune = RunZb({"prune", "--keep-last", "1", "--target", Target("1s")});
  ASSERT_EQ(prune.exit_code, 0) << prune.out << prune.err;
  EXPECT_TRUE(Contains(prune.out, "remove " + ids[0] + "\nremove " + ids[1] + "\n") ||
              Contains(prune.out, "remove " + ids[1] + "\nremove " + ids[0] + "\n"))
      << prune.out;
  EXPECT_TRUE(Contains(prune.out, ": 1 kept, 2 removed\n")) << prune.out;
  std::set<std::string> left;
  for (const auto& v : Versions()) left.insert(v.key);
  EXPECT_EQ(left,
            (std::set<std::string>{"ziti/" + ids[2] + ".db.zst", "ziti/" + ids[2] + ".json"}));
}

TEST_F(S3ObjectLockTest, OverwritesPiledOnANameChangeNothingItReads) {
  auto b = RunZb({"backup", "--db", db_, "--target", Target("1h")});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  const std::vector<std::string> ids = Ids(ListJson(Target("1h")));
  ASSERT_EQ(ids.size(), 1u);
  // More versions than one page of a version listing holds (1000).
  for (int i = 0; i < 1100; ++i) {
    ASSERT_EQ(Put("ziti/" + ids[0] + ".json", "{\"not\": \"ours\"}"), 200);
  }
  const nlohmann::json listed = ListJson(Target("1h"));
  EXPECT_EQ(Ids(listed), ids);
  EXPECT_TRUE(listed["damaged"].empty()) << listed.dump();
  EXPECT_EQ(listed["snapshots"][0]["lock"]["locked"], true);
  auto restore = RunZb({"restore", "latest", "--target", Target("1h"), "--to", dir_ / "back.db"});
  EXPECT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  // Without the option the newest version is read, which is damage.
  auto unaware = RunZb({"list", "--target", Target("")});
  EXPECT_EQ(unaware.exit_code, 3) << unaware.out << unaware.err;
}

TEST_F(S3ObjectLockTest, AVersionSomeoneElseLockedStopsItsRemovalWithoutFailingThePrune) {
  for (int i = 0; i < 2; ++i) {
    auto b = RunZb({"backup", "--db", db_, "--target", Target("1s"), "--keep-last", "5"});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  }
  const std::vector<std::string> ids = Ids(ListJson(Target("1s")));
  ASSERT_EQ(ids.size(), 2u);
  ASSERT_EQ(Put("ziti/" + ids[0] + ".json", "junk", clock_->Now() + std::chrono::hours(1)), 200);
  ASSERT_TRUE(WaitUntilNoSnapshotIsLocked(Target("1s")));
  auto prune = RunZb({"prune", "--keep-last", "1", "--target", Target("1s")});
  ASSERT_EQ(prune.exit_code, 0) << prune.out << prune.err;
  EXPECT_TRUE(Contains(prune.out, "locked " + ids[0] +
                                      "  (the policy drops it; its Object Lock "
                                      "holds it until "))
      << prune.out;
  // Our version is still the one read: the snapshot still restores.
  auto restore = RunZb({"restore", ids[0], "--target", Target("1s"), "--to", dir_ / "back.db"});
  EXPECT_EQ(restore.exit_code, 0) << restore.out << restore.err;
}

TEST_F(S3ObjectLockTest, AChainsSharedObjectsAreLockedAsLongAsItsNewestSnapshot) {
  const std::string state = dir_ / "state";
  auto run = [&](const std::string& lock) {
    EXPECT_EQ(RunBoltgen({"change", "--db", db_, "--fraction", "0.05", "--seed", "9"}).exit_code,
              0);
    auto b = RunZb({"backup", "--db", db_, "--target", Target(lock), "--incremental", "--state-dir",
                    state, "--keep-last", "9"});
    EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
    return b;
  };
  // A base written before the target had a lock: unprotected.
  auto base = run("");
  const auto first = Versions();
  ASSERT_EQ(first.size(), 2u);
  std::string base_object;
  for (const auto& v : first) {
    if (Contains(v.key, ".base-")) base_object = v.key.substr(5);
  }
  ASSERT_FALSE(base_object.empty());
  EXPECT_FALSE(StateOf(base_object).until.has_value());
  // The next snapshot needs that base: with the lock, the run locks it too.
  const TimePoint before_second = clock_->Now();
  auto second = run("1h");
  EXPECT_TRUE(Contains(second.err, " lock.extend id=")) << second.err;
  EXPECT_TRUE(Contains(second.err, " objects=1 until=")) << second.err;
  const store::LockState relocked = StateOf(base_object);
  ASSERT_TRUE(relocked.until.has_value());
  EXPECT_GE(*relocked.until, before_second + std::chrono::hours(1));
  EXPECT_EQ(relocked.mode, "COMPLIANCE");
  // Everything the second snapshot needs is locked (the first one's own
  // manifest was written unlocked and is not among it).
  const std::string first_manifest =
      "ziti/" + base_object.substr(0, base_object.find('.')) + ".json";
  for (const auto& v : Versions()) {
    if (v.key != first_manifest) EXPECT_EQ(Delete(v.key, v.version_id), 403) << v.key;
  }
  // Locked long enough already: the next run only locks what it writes.
  auto third = run("1h");
  EXPECT_TRUE(Contains(third.err, " backup.incremental ")) << third.err;
  EXPECT_FALSE(Contains(third.err, "lock.extend")) << third.err;
  const nlohmann::json listed = ListJson(Target("1h"));
  ASSERT_EQ(listed["snapshots"].size(), 3u);
  EXPECT_EQ(listed["snapshots"][0]["lock"]["locked"], false);  // the base's manifest
  EXPECT_EQ(listed["snapshots"][1]["lock"]["locked"], true);
  EXPECT_EQ(listed["snapshots"][2]["lock"]["locked"], true);
  auto restore = RunZb({"restore", "latest", "--target", Target("1h"), "--to", dir_ / "back.db"});
  EXPECT_EQ(restore.exit_code, 0) << restore.out << restore.err;
}

TEST_P(S3ObjectLockModeTest, ALongerLockInTheOtherModeKeepsTheChainsMode) {
  const auto& [first_mode, other_mode] = GetParam();
  const std::string state = dir_ / "state";
  auto run = [&](const std::string& lock) {
    EXPECT_EQ(RunBoltgen({"change", "--db", db_, "--fraction", "0.05", "--seed", "3"}).exit_code,
              0);
    auto b = RunZb(
        {"backup", "--db", db_, "--target", Target(lock), "--incremental", "--state-dir", state});
    EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
    return b;
  };
  run("1h&object-lock-mode=" + first_mode);
  std::string base_object;
  for (const auto& v : Versions()) {
    if (Contains(v.key, ".base-")) base_object = v.key.substr(5);
  }
  ASSERT_FALSE(base_object.empty());
  const std::string kept = first_mode == "compliance" ? "COMPLIANCE" : "GOVERNANCE";
  EXPECT_EQ(StateOf(base_object).mode, kept);
  // Longer, and in the mode S3 will not turn this lock into (without
  // bypass rights, which RGW enforces both ways): locked longer as it is.
  const TimePoint before = clock_->Now();
  auto second = run("2h&object-lock-mode=" + other_mode);
  EXPECT_TRUE(Contains(second.err, " lock.extend id=")) << second.err;
  const store::LockState base = StateOf(base_object);
  EXPECT_EQ(base.mode, kept);
  ASSERT_TRUE(base.until.has_value());
  EXPECT_GE(*base.until, before + std::chrono::hours(2));
}

INSTANTIATE_TEST_SUITE_P(
    Modes, S3ObjectLockModeTest,
    ::testing::Values(std::pair<std::string, std::string>{"compliance", "governance"},
                      std::pair<std::string, std::string>{"governance", "compliance"}));

TEST_F(S3ObjectLockTest, CopyLocksTheChainObjectsTheDestinationAlreadyHeld) {
  const std::string local = "file://" + dir_ / "local";
  const std::string state = dir_ / "state";
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(RunBoltgen({"change", "--db", db_, "--fraction", "0.05", "--seed", std::to_string(i)})
                  .exit_code,
              0);
    auto b =
        RunZb({"backup", "--db", db_, "--target", local, "--incremental", "--state-dir", state});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  }
  auto ids = Ids(ListJson(local));
  ASSERT_EQ(ids.size(), 2u);
  // The base reaches the bucket unlocked, then the increment with the lock.
  auto c1 = RunZb({"copy", ids[0], "--from", local, "--to", Target("")});
  ASSERT_EQ(c1.exit_code, 0) << c1.out << c1.err;
  std::string base_object;
  for (const auto& v : Versions()) {
    if (Contains(v.key, ".base-")) base_object = v.key.substr(5);
  }
  ASSERT_FALSE(base_object.empty());
  EXPECT_FALSE(StateOf(base_object).until.has_value());
  const TimePoint before = clock_->Now();
  auto c2 = RunZb({"copy", "--missing", "--from", local, "--to", Target("1h")});
  ASSERT_EQ(c2.exit_code, 0) << c2.out << c2.err;
  const store::LockState relocked = StateOf(base_object);
  ASSERT_TRUE(relocked.until.has_value());
  EXPECT_GE(*relocked.until, before + std::chrono::hours(1));
  auto restore = RunZb({"restore", ids[1], "--target", Target("1h"), "--to", dir_ / "back.db"});
  EXPECT_EQ(restore.exit_code, 0) << restore.out << restore.err;
}

}  // namespace
}  // namespace zb
