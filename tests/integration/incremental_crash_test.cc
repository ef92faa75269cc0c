// kill -9 of `ziti-backup backup --incremental` and of `prune` at moments
// spread over their runs, with the DB changed by real bbolt before each:
// after every kill, every snapshot `list` shows verifies (its image rebuilt
// from the objects its manifest names, checked against its SHA-256 and by
// the structural check), and the next complete run goes on, leaving no
// object that no snapshot names.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "testutil/run.h"

namespace zb {
namespace {

class IncrementalCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        testing::RunBoltgen({"gen", "--out", db_, "--size", "24MiB", "--churn", "--seed", "7"})
            .exit_code,
        0);
  }
  void Change(int seed) {
    ASSERT_EQ(testing::RunBoltgen(
                  {"change", "--db", db_, "--fraction", "0.02", "--seed", std::to_string(seed)})
                  .exit_code,
              0);
  }
  // Every listed snapshot verifies; the listing as ids.
  std::set<std::string> VerifiedListing(const std::string& when) {
    auto v = testing::RunZb({"verify", "--all", "--target", url_});
    EXPECT_EQ(v.exit_code, 0) << when << ":\n" << v.out << v.err;
    auto l = testing::RunZb({"list", "--target", url_, "--json"});
    EXPECT_EQ(l.exit_code, 0) << when << ": " << l.out << l.err;
    std::set<std::string> ids;
    const auto j = nlohmann::json::parse(l.out);
    for (const auto& s : j[0]["snapshots"]) ids.insert(s["id"].get<std::string>());
    EXPECT_TRUE(j[0]["damaged"].empty()) << when;
    return ids;
  }
  // After a complete run: every object in the target is named by a listed
  // snapshot's manifest (or is one), nothing else is left.
  void ExpectOnlyNamedObjects(const std::string& when) {
    auto l = testing::RunZb({"list", "--target", url_, "--json"});
    const auto j = nlohmann::json::parse(l.out);
    std::set<std::string> named;
    for (const auto& s : j[0]["snapshots"]) {
      named.insert(s["id"].get<std::string>() + ".json");
      named.insert(s["data_object"].get<std::string>());
      for (const auto& o : s["objects"]) named.insert(o["name"].get<std::string>());
    }
    for (const auto& name : testing::ListDir(target_)) {
      if (name == ".ziti-backup.lock") continue;
      EXPECT_TRUE(named.count(name)) << when << ": left behind " << name;
    }
    for (const auto& name : testing::ListDir(dir_.path())) {
      const bool ours = name.starts_with(".ziti-backup-") || name.starts_with("..ziti-backup-");
      if (!ours) continue;
      EXPECT_TRUE(name.starts_with(".ziti-backup-chain-") && name.ends_with(".state"))
          << when << ": left beside the DB " << name;
    }
  }
  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl.db", target_ = dir_ / "backups";
  const std::string url_ = "file://" + target_;
};

TEST_F(IncrementalCrashTest, KillNineDuringBackupsAndPrunesLeavesEverySnapshotRestorable) {
  const std::vector<std::string> backup = testing::KeepingLast(
      {testing::ZbPath(), "backup", "--db", db_, "--target", url_, "--incremental"}, 3);
  // The kill moments are fractions of the latest complete run's time, so
  // they follow the machine's load as it changes.
  auto timed = [&](const std::vector<std::string>& cmd) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = testing::Run(cmd);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::chrono::steady_clock::now() - t0;
  };
  auto run_time = timed(backup);
  const int kMoments = 16;
  int killed_mid_run = 0, seed = 1;
  for (int i = 0; i < kMoments; ++i) {
    const std::string when = "after kill " + std::to_string(i);
    Change(seed++);
    testing::BackgroundProcess run(backup, dir_ / ("run" + std::to_string(i)));
    std::this_thread::sleep_for(run_time * (i + 1) / (kMoments + 2));
    killed_mid_run += run.Running();
    run.Signal(SIGKILL);
    run.Stop();
    VerifiedListing(when);
    Change(seed++);
    run_time = timed(backup);
    VerifiedListing(when + ", then a complete run");
    ExpectOnlyNamedObjects(when + ", then a complete run");
  }
  EXPECT_GE(killed_mid_run, kMoments / 2);

  // A prune that drops all but the newest: killed anywhere, it has removed
  // manifests before the objects they named, so whatever is listed still
  // restores; the next prune finishes the sweep.
  const std::vector<std::string> prune =
      testing::KeepingLast({testing::ZbPath(), "prune", "--target", url_}, 1);
  for (int i = 0; i < 8; ++i) {
    const std::string when = "after prune kill " + std::to_string(i);
    for (int k = 0; k < 3; ++k) {
      Change(seed++);
      timed(backup);
    }
    // How long a prune of three takes, measured on a copy of the target.
    const std::string copy = dir_ / "measure";
    std::filesystem::remove_all(copy);
    std::filesystem::copy(target_, copy);
    auto prune_copy = prune;
    prune_copy[3] = "file://" + copy;  // the target
    const auto prune_time = timed(prune_copy);
    testing::BackgroundProcess run(prune, dir_ / ("prune" + std::to_string(i)));
    std::this_thread::sleep_for(prune_time * (i + 1) / 10);
    run.Signal(SIGKILL);
    run.Stop();
    EXPECT_FALSE(VerifiedListing(when).empty()) << when;
    timed(prune);
    EXPECT_EQ(VerifiedListing(when + ", then a complete prune").size(), 1u);
    ExpectOnlyNamedObjects(when + ", then a complete prune");
  }
}

}  // namespace
}  // namespace zb
