#include "app/prune_job.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "app/backup_job.h"
#include "app/restore_file.h"
#include "store/local_backend.h"
#include "testutil/fault_env.h"
#include "testutil/run.h"

namespace zb::app {
namespace {

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
