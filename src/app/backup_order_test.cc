// Snapshot order follows the order backups were made, whatever the clock
// and the ids look like: a new snapshot is always the newest in its target,
// so retention never removes it and `latest` is the data just taken.
#include <gtest/gtest.h>

#include <sstream>

#include "app/backup_job.h"
#include "app/target_status.h"
#include "repo/repository.h"
#include "store/local_backend.h"
#include "testutil/fake_clock.h"
#include "testutil/run.h"

namespace zb::app {
namespace {

using namespace std::chrono_literals;

class BackupOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "256KiB"}).exit_code, 0);
    options_.db = db_;
    options_.policy = retention::Policy{};
    options_.policy.last = 2;
  }
  // One backup at the fake clock's time; its id.
  std::string Backup() {
    std::ostringstream log_text;
    Log log(log_text, LogFormat::kText, clock_);
    auto r = RunBackup(*env_, clock_, {&backend_}, options_, log);
    EXPECT_TRUE(r.ok() && r->succeeded() == 1) << log_text.str();
    return r.ok() ? r->id : "";
  }
  std::vector<std::string> Listed() {
    std::vector<std::string> ids;
    const repo::Listing listing = *repo_.List();
    for (const auto& s : listing.snapshots) ids.push_back(s.manifest.id);
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<Env> env_ = NewPosixEnv();
  testing::FakeClock clock_{*ParseRfc3339("2026-06-25T10:00:00Z")};
  const std::string db_ = dir_ / "ctrl-ha.db";
  store::LocalBackend backend_{*env_, dir_ / "backups"};
  repo::Repository repo_{backend_};
  BackupOptions options_;
};

// Back-to-back runs take the next free second; once prune frees an earlier
// second a later run reuses it. That run's snapshot is still the newest.
TEST_F(BackupOrderTest, ARunReusingAFreedSecondIsStillTheNewest) {
  EXPECT_EQ(Backup(), "ctrl-ha-20260625T100000Z");
  EXPECT_EQ(Backup(), "ctrl-ha-20260625T100001Z");
  EXPECT_EQ(Backup(), "ctrl-ha-20260625T100002Z");
  EXPECT_EQ(Listed(),
            (std::vector<std::string>{"ctrl-ha-20260625T100001Z", "ctrl-ha-20260625T100002Z"}));
  EXPECT_EQ(Backup(), "ctrl-ha-20260625T100000Z");
  EXPECT_EQ(Listed(),
            (std::vector<std::string>{"ctrl-ha-20260625T100002Z", "ctrl-ha-20260625T100000Z"}));
  auto l = *repo_.List();
  EXPECT_EQ(l.snapshots.back().manifest.sequence, 4u);
}

// The clock stepped back an hour between two runs: the later run has the
// earlier time and is still the newest, for retention, `latest` and status.
TEST_F(BackupOrderTest, AClockSteppedBackDoesNotReorderSnapshots) {
  clock_.Advance(1h);
  const std::string before = Backup();
  clock_.Set(*ParseRfc3339("2026-06-25T10:00:00Z"));
  const std::string after = Backup();
  EXPECT_EQ(Listed(), (std::vector<std::string>{before, after}));
  options_.policy.last = 1;
  Backup();
  const auto listed = Listed();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_NE(listed[0], before);
  EXPECT_NE(listed[0], after);
  const auto status = ReadTargetStatus({&backend_});
  ASSERT_TRUE(status[0].newest.has_value());
  EXPECT_EQ(status[0].newest->id, listed[0]);
  EXPECT_EQ(status[0].newest->created, *ParseRfc3339("2026-06-25T10:00:00Z"));
}

// After the clock stepped back a day, the snapshot made before the step is
// "from the future": it does not count as a recent backup.
TEST_F(BackupOrderTest, ASnapshotFromTheFutureIsNotARecentBackup) {
  clock_.Advance(24h);
  Backup();
  const TimePoint now = *ParseRfc3339("2026-06-25T10:00:00Z");
  auto status = ReadTargetStatus({&backend_});
  ASSERT_TRUE(status[0].newest.has_value());
  EXPECT_TRUE(DatedInFuture(*status[0].newest, now));
  EXPECT_EQ(NewestInEveryTarget(status, now), std::nullopt);
  // A little skew is not the future; a run made now restores the answer.
  EXPECT_FALSE(DatedInFuture(*status[0].newest, now + 24h - 4min));
  clock_.Set(now);
  Backup();
  status = ReadTargetStatus({&backend_});
  EXPECT_EQ(NewestInEveryTarget(status, now), now);
}

}  // namespace
}  // namespace zb::app
