#include "app/backup_job.h"

#include <gtest/gtest.h>

#include <sstream>

#include "app/restore_file.h"
#include "repo/repository.h"
#include "store/local_backend.h"
#include "testutil/fault_env.h"
#include "testutil/run.h"

namespace zb::app {
namespace {

// Fails every file-system step of storing a backup in turn (create, each
// write, fsync, link, rename, directory fsync, for the data object and the
// manifest), with unnamed temp files and with named ones (a file system
// without O_TMPFILE). After each failed run: the run reports the failure,
// every listed snapshot is complete and verifies, the older one is intact;
// then a clean run leaves no temp file and no orphan behind. The same for
// incremental backups (a base, then packs), whose manifests name objects
// of other snapshots: every listed one still restores.
class BackupJobFaultTest : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(BackupJobFaultTest, EveryStoreStepFailingInTurnLeavesNoBrokenSnapshot) {
  const auto [named, incremental] = GetParam();
  testing::TempDir dir;
  auto real = NewPosixEnv();
  auto clock = NewSystemClock();
  const std::string db = dir / "ctrl-ha.db", target = dir / "backups";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "1MiB", "--churn"}).exit_code, 0);
  BackupOptions o;
  o.db = db;
  o.incremental = incremental;
  o.policy.last = 2;
  o.policy.hourly = o.policy.daily = o.policy.weekly = o.policy.monthly = 0;
  std::ostringstream log_text;
  Log log(log_text, LogFormat::kText, *clock);
  {
    store::LocalBackend b(*real, target);
    auto first = RunBackup(*real, *clock, {&b}, o, log);
    ASSERT_TRUE(first.ok() && first->succeeded() == 1) << log_text.str();
  }
  store::LocalBackend plain(*real, target);
  repo::Repository repo(plain);
  const std::string older = (*repo.List()).snapshots.at(0).manifest.id;

  int step = 1;
  for (;; ++step) {
    ASSERT_LT(step, 200) << "a run should need fewer steps";
    if (incremental) {
      // Something for the pack to hold.
      ASSERT_EQ(testing::RunBoltgen(
                    {"change", "--db", db, "--fraction", "0.05", "--seed", std::to_string(step)})
                    .exit_code,
                0);
    }
    testing::FaultEnv faulty(*real, target + "/", step);
    if (named) faulty.RefuseUnnamed();
    store::LocalBackend b(faulty, target);
    auto r = RunBackup(faulty, *clock, {&b}, o, log);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (!faulty.fired()) {
      EXPECT_EQ(r->succeeded(), 1);
      break;  // every step has failed once
    }
    // A failed store is reported as such and never half-listed.
    const bool stored = r->succeeded() == 1;
    if (!stored) {
      EXPECT_NE(r->targets[0].status.message().find("injected fault: "), std::string::npos);
    }
    auto listing = repo.List();
    ASSERT_TRUE(listing.ok());
    EXPECT_TRUE(listing->damaged.empty()) << "step " << step;
    bool older_there = false;
    for (const auto& s : listing->snapshots) {
      older_there = older_there || s.manifest.id == older;
      Status v = RestoreToFile(*real, repo, s.manifest, dir / "check.db");
      EXPECT_TRUE(v.ok()) << "step " << step << ": " << v.ToString();
      real->Remove(dir / "check.db").IgnoreError();
    }
    if (!stored) EXPECT_TRUE(older_there) << "step " << step << ": the older snapshot was lost";
  }
  EXPECT_GT(step, 8) << "the store path has at least create/write/fsync/rename/dir-fsync twice";

  // A clean run removes what the failed ones left.
  store::LocalBackend b(*real, target);
  auto clean = RunBackup(*real, *clock, {&b}, o, log);
  ASSERT_TRUE(clean.ok() && clean->succeeded() == 1);
  auto listing = *repo.List();
  EXPECT_TRUE(listing.orphans.empty());
  if (incremental) {
    // Failed runs leave the chain able to go on.
    EXPECT_EQ(listing.snapshots.back().manifest.kind, repo::SnapshotKind::kIncremental);
    EXPECT_GT(listing.snapshots.back().manifest.objects.size(), 2u);
  }
  for (const auto& name : testing::ListDir(target)) {
    EXPECT_TRUE(name == ".ziti-backup.lock" || name[0] != '.') << "left behind: " << name;
  }
}

// A --work-dir that does not exist yet is made (0700), and the staged copy
// leaves nothing in it. A file of a dead run is removed, and so is one
// carrying our own pid: a run starts with none of its own, and in a
// container the daemon has the same pid after every restart.
TEST(BackupJobTest, WorkDirIsMadeAndStaleRunFilesAreRemoved) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  auto clock = NewSystemClock();
  const std::string db = dir / "ctrl-ha.db";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "1MiB"}).exit_code, 0);
  const std::string own = dir / (".ziti-backup-" + std::to_string(env->Pid()) + "-agent-x.db");
  const std::string dead = dir / ".ziti-backup-999999999-agent-y.db";
  testing::WriteFileOrDie(own, "left by an earlier container");
  testing::WriteFileOrDie(dead, "left by a dead run");
  BackupOptions o;
  o.db = db;
  o.work_dir = dir / "stage/here";
  std::ostringstream log_text;
  Log log(log_text, LogFormat::kText, *clock);
  store::LocalBackend b(*env, dir / "backups");
  auto r = RunBackup(*env, *clock, {&b}, o, log);
  ASSERT_TRUE(r.ok()) << r.status().ToString() << log_text.str();
  EXPECT_EQ(r->succeeded(), 1) << log_text.str();
  EXPECT_EQ(env->Stat(dir / "stage/here")->mode, 0700u);
  EXPECT_EQ(testing::ListDir(dir / "stage/here"), std::vector<std::string>{});
  EXPECT_EQ(testing::ListDir(dir.path()),
            (std::vector<std::string>{"backups", "ctrl-ha.db", "stage"}));
  EXPECT_NE(log_text.str().find("backup.cleanup file=" + own), std::string::npos) << log_text.str();
}

INSTANTIATE_TEST_SUITE_P(TempFiles, BackupJobFaultTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param) ? "Named" : "Unnamed") +
                                  (std::get<1>(info.param) ? "Incremental" : "Full");
                         });

}  // namespace
}  // namespace zb::app
