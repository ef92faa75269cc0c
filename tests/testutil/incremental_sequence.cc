#include "testutil/incremental_sequence.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "app/backup_job.h"
#include "app/prune_job.h"
#include "app/restore_file.h"
#include "codec/sha256_sink.h"
#include "env/file_source.h"
#include "testutil/fake_clock.h"
#include "testutil/run.h"

namespace zb::testing {
namespace {

using namespace std::chrono_literals;

retention::Policy RandomPolicy(std::mt19937& rng) {
  auto pick = [&](int hi) { return static_cast<int>(rng() % (hi + 1)); };
  retention::Policy p;
  p.last = 1 + pick(4);
  p.hourly = pick(6);
  p.daily = pick(4);
  p.weekly = pick(2);
  p.monthly = pick(2);
  return p;
}

std::string DescribePolicy(const retention::Policy& p) {
  std::ostringstream s;
  s << "last=" << p.last << " hourly=" << p.hourly << " daily=" << p.daily << " weekly=" << p.weekly
    << " monthly=" << p.monthly;
  return s.str();
}

}  // namespace

void RunIncrementalSequence(const std::string& dir, store::Backend& chain, store::Backend& full,
                            const SequenceOptions& options) {
  std::mt19937 rng(options.seed);
  std::filesystem::create_directories(dir);
  auto env = NewPosixEnv();
  FakeClock clock;
  const std::string db = dir + "/ctrl.db", state_dir = dir + "/state";
  ASSERT_EQ(RunBoltgen({"gen", "--out", db, "--size", "2MiB", "--churn", "--seed",
                        std::to_string(options.seed)})
                .exit_code,
            0);
  repo::Repository chain_repo(chain);
  std::ostringstream log_text;
  app::Log log(log_text, app::LogFormat::kText, clock);
  app::BackupOptions o;
  o.db = db;
  o.state_dir = state_dir;
  o.incremental = true;
  // A small rebase factor, so that chains also end by the rule.
  o.rebase.factor = 0.3;
  o.recipients = options.recipients;
  std::map<std::string, std::string> expected;  // id -> the image's SHA-256, from the full path
  std::string saved_state;                      // an older copy, to make a stale one
  std::map<std::string, int> steps;
  const int kSteps = options.steps;
  for (int step = 0; step < kSteps; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    clock.Advance(std::chrono::minutes(10 + rng() % (3 * 24 * 60)));
    const unsigned dice = rng() % 100;
    std::string what;
    if (dice < 35) {
      what = "change";
      const double fraction = 0.002 + (rng() % 50) / 1000.0;
      ASSERT_EQ(RunBoltgen({"change", "--db", db, "--fraction", std::to_string(fraction), "--seed",
                            std::to_string(rng())})
                    .exit_code,
                0);
    } else if (dice < 80) {
      what = "backup";
      o.policy = RandomPolicy(rng);
      auto r = app::RunBackup(*env, clock, {&chain}, o, log);
      ASSERT_TRUE(r.ok() && r->succeeded() == 1) << log_text.str();
      // The same DB state as a full snapshot: the image it must restore to.
      app::BackupOptions f = o;
      f.incremental = false;
      f.policy = retention::Policy::Default();
      f.policy.last = 1000;
      auto fr = app::RunBackup(*env, clock, {&full}, f, log);
      ASSERT_TRUE(fr.ok() && fr->succeeded() == 1) << log_text.str();
      auto m = repo::Repository(full).Load(fr->id);
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      expected[r->id] = m->plain_sha256;
      clock.Advance(2s);  // the next run's ids stay apart from these
    } else if (dice < 90) {
      what = "prune";
      const retention::Policy p = RandomPolicy(rng);
      auto pr = app::PruneTarget(chain_repo, p, Zone::Utc(), clock.Now(), /*exclusive=*/true,
                                 /*dry_run=*/false, &log);
      ASSERT_TRUE(pr.ok()) << pr.status().ToString() << " " << DescribePolicy(p);
    } else if (dice < 95) {
      // The state is lost, or (when there is an older copy) goes back to it.
      std::filesystem::path state;
      if (std::filesystem::is_directory(state_dir)) {
        for (const auto& e : std::filesystem::directory_iterator(state_dir)) state = e.path();
      }
      if (state.empty()) continue;
      if (!saved_state.empty() && rng() % 2 == 0) {
        what = "stale state";
        WriteFileOrDie(state, saved_state);
      } else {
        what = "lost state";
        std::filesystem::remove(state);
      }
    } else {
      what = "save state";
      if (std::filesystem::is_directory(state_dir)) {
        for (const auto& e : std::filesystem::directory_iterator(state_dir)) {
          saved_state = ReadFileOrDie(e.path());
        }
      }
    }
    ++steps[what];
    SCOPED_TRACE(what);

    // Every kept snapshot restores to its image, byte for byte.
    auto listing = chain_repo.List();
    ASSERT_TRUE(listing.ok()) << listing.status().ToString();
    EXPECT_TRUE(listing->damaged.empty());
    std::set<std::string> named;
    for (const auto& s : listing->snapshots) {
      const repo::Manifest& m = s.manifest;
      named.insert(m.id + ".json");
      for (const auto& obj : repo::ObjectsOf(m)) named.insert(obj.name);
      const std::string out = dir + "/restored.db";
      Status r = app::RestoreToFile(*env, chain_repo, m, out, options.identities);
      ASSERT_TRUE(r.ok()) << m.id << ": " << r.ToString();
      auto file = env->OpenForRead(out);
      ASSERT_TRUE(file.ok());
      FileSource source(**file);
      EXPECT_EQ(*codec::Sha256Hex(source), expected.at(m.id)) << m.id;
      env->Remove(out).IgnoreError();
    }
    // Nothing stays that no kept snapshot names.
    auto objects = chain.List("");
    ASSERT_TRUE(objects.ok()) << objects.status().ToString();
    for (const auto& object : *objects) {
      if (object.name[0] != '.') EXPECT_TRUE(named.count(object.name)) << "left: " << object.name;
    }
  }
  // The sequence did what it is for: chains grew, broke and were pruned.
  EXPECT_GT(steps["backup"], kSteps / 4);
  EXPECT_GT(steps["prune"], 3);
  const std::string events = log_text.str();
  EXPECT_NE(events.find("backup.incremental"), std::string::npos);
  EXPECT_NE(events.find("prune.remove"), std::string::npos);
}

}  // namespace zb::testing
