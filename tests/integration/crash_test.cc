// kill -9 of `ziti-backup backup` at 24 moments spread over a run: after
// each, every snapshot `list` shows verifies (no snapshot without complete
// data, older ones intact) and no temp file or staged snapshot is left
// (they have no name until committed); the next run leaves only complete
// snapshots behind: no orphaned data either.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "testutil/run.h"

namespace zb {
namespace {

using namespace std::chrono_literals;

TEST(CrashTest, KillNineAtTwentyFourMomentsLosesNothingAndTheNextRunCleansUp) {
  testing::TempDir dir;
  const std::string db = dir / "ctrl-ha.db", target = dir / "backups";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "48MiB", "--churn", "--seed", "5"})
                .exit_code,
            0);
  const std::vector<std::string> backup{testing::ZbPath(), "backup",           "--db",        db,
                                        "--target",        "file://" + target, "--keep-last", "3"};
  // A complete run first: how long a run takes, and a snapshot to protect.
  // The kill moments are fractions of the latest complete run's time, so
  // they follow the machine's load as it changes.
  auto t0 = std::chrono::steady_clock::now();
  auto first = testing::Run(backup);
  auto run_time = std::chrono::steady_clock::now() - t0;
  ASSERT_EQ(first.exit_code, 0) << first.err;

  auto listed = [&] {
    auto l = testing::RunZb({"list", "--target", "file://" + target, "--json"});
    EXPECT_EQ(l.exit_code, 0) << l.out << l.err;
    // id -> sequence: creation order. Ids are only names (a fast run may
    // reuse the second of one pruned before it), so order is by sequence.
    std::map<std::string, uint64_t> ids;
    const auto j = nlohmann::json::parse(l.out);  // kept alive for the loop
    for (const auto& s : j[0]["snapshots"]) ids[s["id"].get<std::string>()] = s["sequence"];
    return ids;
  };
  const int kMoments = 24;
  int killed_mid_run = 0;
  int kills_leaving_a_temp_name = 0;
  for (int i = 0; i < kMoments; ++i) {
    const auto before = listed();
    ASSERT_FALSE(before.empty()) << first.out << first.err
                                 << testing::RunZb({"list", "--target", "file://" + target}).out;
    testing::BackgroundProcess run(backup, dir / ("run" + std::to_string(i)));
    std::this_thread::sleep_for(run_time * (i + 1) / (kMoments + 2));
    killed_mid_run += run.Running();
    // Signal() skips a run that already ended (its pid is -1 then, and
    // kill(-1, ...) would reach every process on the machine).
    run.Signal(SIGKILL);
    run.Stop();

    // Whatever was listed before is still there and every listed snapshot
    // verifies: a kill never leaves a snapshot without complete data.
    // A snapshot may only be gone because the killed run got as far as
    // committing a newer one and pruning (keep-last 3): then the 3 newest
    // remain and everything removed is older than all of them. A kill in
    // the middle of a prune may leave some of the older ones still there.
    const auto after = listed();
    std::vector<uint64_t> kept;
    for (const auto& [id, sequence] : after) kept.push_back(sequence);
    std::sort(kept.begin(), kept.end());
    for (const auto& [id, sequence] : before) {
      if (after.count(id)) continue;
      bool committed_newer = false;
      for (const auto& [a, s] : after) committed_newer = committed_newer || !before.count(a);
      const bool older_than_kept =
          kept.size() >= 3 && sequence < *std::prev(kept.end(), 3);  // the 3rd newest
      std::string seen;
      for (const auto& [b, s] : before) seen += " before:" + b + "#" + std::to_string(s);
      for (const auto& [a, s] : after) seen += " after:" + a + "#" + std::to_string(s);
      EXPECT_TRUE(committed_newer && older_than_kept) << "lost " << id << " at " << i << seen;
    }
    auto v = testing::RunZb({"verify", "--all", "--target", "file://" + target});
    EXPECT_EQ(v.exit_code, 0) << "after kill " << i << ":\n" << v.out << v.err;

    // Temp files and the staged snapshot have no name until they are
    // committed (O_TMPFILE here), so the kill left no staged file and, but
    // for a kill in the instant between linking a finished object under its
    // temp name and renaming it, no temp file; at most a data object whose
    // manifest it did not get to.
    const auto temps = testing::RunLeftovers(target);
    for (const auto& name : temps) {
      EXPECT_NE(name.find(".tmp-"), std::string::npos) << "after kill " << i << ": " << name;
    }
    kills_leaving_a_temp_name += !temps.empty();
    EXPECT_EQ(testing::RunLeftovers(dir.path()), std::vector<std::string>{}) << "after kill " << i;

    // The next complete run removes what the killed one left.
    t0 = std::chrono::steady_clock::now();
    auto next = testing::Run(backup);
    run_time = std::chrono::steady_clock::now() - t0;
    ASSERT_EQ(next.exit_code, 0) << next.err;
    for (const auto& name : testing::ListDir(target)) {
      if (name == ".ziti-backup.lock") continue;
      EXPECT_NE(name[0], '.') << "temp file left in the target after kill " << i << ": " << name;
      const std::string stem = name.substr(0, name.find('.'));
      EXPECT_TRUE(listed().count(stem)) << "orphan left after kill " << i << ": " << name;
    }
    std::vector<std::string> beside_db;
    for (const auto& name : testing::ListDir(dir.path())) {
      if (name.rfind(".ziti-backup-", 0) == 0 || name.rfind("..ziti-backup-", 0) == 0) {
        beside_db.push_back(name);
      }
    }
    EXPECT_EQ(beside_db, std::vector<std::string>{}) << "after kill " << i;
  }
  // The moments must really fall inside runs, not only before or after.
  EXPECT_GE(killed_mid_run, kMoments / 2);
  // Named temp files for the whole write would be hit by most kills.
  EXPECT_LE(kills_leaving_a_temp_name, 1);
}

}  // namespace
}  // namespace zb
