#include "app/prune_job.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "app/backup_job.h"
#include "app/restore_file.h"
#include "store/local_backend.h"
#include "store/mem_backend.h"
#include "testutil/fake_clock.h"
#include "testutil/fault_env.h"
#include "testutil/run.h"

namespace zb::app {
namespace {

// A target whose store reports the locks the test sets, and counts what it
// is asked: the seam PruneTarget uses (the real store is tested against
// Ceph RGW in tests/remote/s3_object_lock_test.cc).
class FakeLockedTarget final : public store::Backend, public store::ObjectLocks {
 public:
  explicit FakeLockedTarget(Clock& clock) : mem_(clock) {}
  Status Put(std::string_view name, ByteSource& data) override { return mem_.Put(name, data); }
  Status Get(std::string_view name, ByteSink& out) override { return mem_.Get(name, out); }
  Result<std::vector<store::ObjectInfo>> List(std::string_view prefix) override {
    return mem_.List(prefix);
  }
  Status Delete(std::string_view name) override { return mem_.Delete(name); }
  std::string Describe() const override { return "locked://"; }
  store::ObjectLocks* locks() override { return this; }
  const store::LockPolicy& policy() const override { return policy_; }
  Status CheckBucket() override { return Status::OK(); }
  Result<store::LockState> State(std::string_view name) override {
    asked.emplace_back(name);
    store::LockState s;
    s.server_now = server_now;
    if (auto it = until.find(std::string(name)); it != until.end()) s.until = it->second;
    return s;
  }
  Status Extend(std::string_view, TimePoint) override { return Status::OK(); }
  Result<std::optional<TimePoint>> RemoveUnlessLocked(std::string_view name) override {
    removals.emplace_back(name);
    for (const auto* held : {&until, &refuse}) {
      auto it = held->find(std::string(name));
      if (it != held->end() && it->second > server_now) return std::optional(it->second);
    }
    ZB_RETURN_IF_ERROR(mem_.Delete(name));
    return std::optional<TimePoint>();
  }

  std::map<std::string, TimePoint> until;  // by object name
  // Locks State does not see (another version than the one read).
  std::map<std::string, TimePoint> refuse;
  TimePoint server_now;
  std::vector<std::string> asked;
  std::vector<std::string> removals;

 private:
  store::MemBackend mem_;
  store::LockPolicy policy_{store::RetentionMode::kCompliance, std::chrono::hours(1)};
};

repo::Manifest Full(const std::string& stamp, uint64_t sequence) {
  repo::Manifest m;
  repo::SnapshotId id = *repo::ParseSnapshotId("ctrl-" + stamp);
  m.id = id.ToString();
  m.created = id.created;
  m.sequence = sequence;
  m.data_object = repo::DataName(id, false, false);
  m.source = "/ctrl.db";
  m.method = "cold";
  m.plain_sha256 = std::string(64, '1');
  m.stored_sha256 = std::string(64, '2');
  m.compression = "none";
  return m;
}

TEST(PruneJobLockTest, LockedSnapshotsStayAndTheStoreIsAskedOnlyWhenTheLockMayHaveEnded) {
  testing::FakeClock clock;
  FakeLockedTarget target(clock);
  repo::Repository repo(target);
  const TimePoint now = *ParseRfc3339("2026-12-02T12:00:00Z");
  // a: its manifest says it is locked for another hour: kept, nobody asked.
  // b: its manifest's lock has passed, but the store's clock says not yet.
  // c: no lock recorded and none in the store: removed. e: looks free, but
  // the store refuses to remove its manifest: kept. d: the newest, kept.
  std::vector<repo::Manifest> m = {Full("20261202T080000Z", 1), Full("20261202T090000Z", 2),
                                   Full("20261202T100000Z", 3), Full("20261202T110000Z", 5),
                                   Full("20261202T103000Z", 4)};
  m[0].lock = repo::ManifestLock{"COMPLIANCE", now + std::chrono::hours(1)};
  m[1].lock = repo::ManifestLock{"COMPLIANCE", now - std::chrono::seconds(1)};
  for (const auto& s : m) {
    StringSource data("x");
    ASSERT_TRUE(repo.Store(s, data).ok());
  }
  target.server_now = now;
  target.until[m[1].id + ".json"] = now + std::chrono::seconds(30);
  target.refuse[m[4].id + ".json"] = now + std::chrono::minutes(5);
  retention::Policy keep_one;
  keep_one.last = 1;
  std::ostringstream log_text;
  Log log(log_text, LogFormat::kText, clock);
  auto r = PruneTarget(repo, keep_one, Zone::Utc(), now, true, false, &log);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // (newest first, as the decisions come)
  EXPECT_EQ(target.asked,
            (std::vector<std::string>{m[4].id + ".json", m[2].id + ".json", m[1].id + ".json"}));
  ASSERT_EQ(r->locked_snapshots.size(), 3u);
  EXPECT_EQ(r->LockedUntil(m[0].id), now + std::chrono::hours(1));
  EXPECT_EQ(r->LockedUntil(m[1].id), now + std::chrono::seconds(30));
  EXPECT_EQ(r->LockedUntil(m[4].id), now + std::chrono::minutes(5));
  EXPECT_FALSE(r->LockedUntil(m[2].id).has_value());
  EXPECT_EQ(r->removed(), 1u);
  // The refused snapshot stopped at its manifest; the removed one went
  // manifest first.
  ASSERT_GE(target.removals.size(), 3u);
  EXPECT_EQ(target.removals[0], m[4].id + ".json");
  EXPECT_EQ(target.removals[1], m[2].id + ".json");
  EXPECT_EQ(target.removals[2], repo::DataNamesOf(*repo::ParseSnapshotId(m[2].id)).front());
  auto left = repo.List();
  ASSERT_TRUE(left.ok());
  std::vector<std::string> ids;
  for (const auto& s : left->snapshots) ids.push_back(s.manifest.id);
  EXPECT_EQ(ids, (std::vector<std::string>{m[0].id, m[1].id, m[4].id, m[3].id}));
  EXPECT_NE(log_text.str().find("prune.locked target=locked:// id=" + m[1].id +
                                " until=2026-12-02T12:00:30Z"),
            std::string::npos)
      << log_text.str();
}

// A prune of incremental chains that fails at each of its file-system
// steps in turn (each removal of a manifest or an object, as a crash
// would stop it): after every failure each snapshot still listed restores,
// and a clean prune then leaves exactly what the kept snapshots name.
TEST(PruneJobFaultTest, APruneStoppedAtAnyStepLeavesEveryListedSnapshotRestorable) {
  testing::TempDir dir;
  auto real = NewPosixEnv();
  auto clock = NewSystemClock();
  const std::string db = dir / "ctrl.db", target = dir / "target", pristine = dir / "pristine";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "1MiB", "--churn"}).exit_code, 0);
  BackupOptions o;
  o.db = db;
  o.incremental = true;
  o.policy.last = 100;
  o.policy.hourly = o.policy.daily = o.policy.weekly = o.policy.monthly = 0;
  std::ostringstream log_text;
  Log log(log_text, LogFormat::kText, *clock);
  // Two chains: four snapshots, then a lost state and three more.
  for (int i = 0; i < 7; ++i) {
    if (i == 4) o.state_dir = dir / "another-state";
    ASSERT_EQ(testing::RunBoltgen(
                  {"change", "--db", db, "--fraction", "0.05", "--seed", std::to_string(i + 1)})
                  .exit_code,
              0);
    store::LocalBackend b(*real, target);
    auto r = RunBackup(*real, *clock, {&b}, o, log);
    ASSERT_TRUE(r.ok() && r->succeeded() == 1) << log_text.str();
  }
  std::filesystem::copy(target, pristine, std::filesystem::copy_options::recursive);
  retention::Policy keep_two = o.policy;
  keep_two.last = 2;

  int step = 1;
  for (;; ++step) {
    ASSERT_LT(step, 100) << "a prune should need fewer steps";
    std::filesystem::remove_all(target);
    std::filesystem::copy(pristine, target, std::filesystem::copy_options::recursive);
    testing::FaultEnv faulty(*real, target + "/", step);
    {
      store::LocalBackend b(faulty, target);
      repo::Repository repo(b);
      auto pruned = PruneTarget(repo, keep_two, Zone::Utc(), clock->Now(), /*exclusive=*/true,
                                /*dry_run=*/false, nullptr);
      if (!faulty.fired()) {
        ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
        break;
      }
      EXPECT_FALSE(pruned.ok()) << "step " << step << ": the failure is reported";
    }
    store::LocalBackend b(*real, target);
    repo::Repository repo(b);
    auto listing = repo.List();
    ASSERT_TRUE(listing.ok());
    EXPECT_TRUE(listing->damaged.empty()) << "step " << step;
    for (const auto& s : listing->snapshots) {
      Status v = RestoreToFile(*real, repo, s.manifest, dir / "check.db");
      EXPECT_TRUE(v.ok()) << "step " << step << ": " << s.manifest.id << ": " << v.ToString();
      real->Remove(dir / "check.db").IgnoreError();
    }
    // The next prune finishes what this one began.
    auto again = PruneTarget(repo, keep_two, Zone::Utc(), clock->Now(), true, false, nullptr);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    std::set<std::string> named;
    const repo::Listing after = *repo.List();
    for (const auto& s : after.snapshots) {
      named.insert(s.manifest.id + ".json");
      for (const auto& obj : s.manifest.objects) named.insert(obj.name);
    }
    EXPECT_EQ(named.size(), 2u + 3u) << "the newest two of the second chain: 2 manifests, a base "
                                        "and two packs";
    for (const auto& name : testing::ListDir(target)) {
      if (name != ".ziti-backup.lock") EXPECT_TRUE(named.count(name)) << step << ": " << name;
    }
  }
  // Five manifests and the first chain's base and three packs: at least.
  EXPECT_GT(step, 9);
}

}  // namespace
}  // namespace zb::app
