// `ziti-backup daemon` and `status` with real processes: the live bbolt
// writer holding the DB, @every schedules, SIGTERM during a backup, a
// crontab whose lines run as children, SIGHUP, exiting with the parent.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>

#include "testutil/http.h"
#include "testutil/live_writer.h"
#include "testutil/run.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Occurrences;

using namespace std::chrono_literals;
using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;

int CountSnapshots(const std::string& target) {
  if (!std::filesystem::exists(target)) return 0;
  int n = 0;
  for (const auto& name : testing::ListDir(target)) n += name.ends_with(".json");
  return n;
}

// Each of `events` is in `log`, each after the one before it.
void ExpectInOrder(const std::string& log, const std::vector<std::string>& events) {
  size_t at = 0;
  for (const std::string& e : events) {
    const size_t found = log.find(e, at);
    ASSERT_NE(found, std::string::npos) << "\"" << e << "\" after offset " << at << " in:\n" << log;
    at = found + e.size();
  }
}

class DaemonProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "ctrl-ha.db";
    target_ = dir_ / "backups";
  }
  TempDir dir_;
  std::string db_, target_;
};

// @every 1s while the writer commits: snapshots pile up, the metrics say
// so, SIGTERM ends the daemon cleanly, and every snapshot verifies. (The
// writer slows down while a hot copy retries: see testutil/live_writer.h.)
TEST_F(DaemonProcessTest, EverySecondUnderALiveWriterThenSigterm) {
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "2MiB", "--churn"}).exit_code, 0);
  testing::LiveWriter writer(dir_.path(), db_, 100);
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  testing::BackgroundProcess daemon(
      {testing::ZbPath(), "daemon", "--schedule", "@every 1s", "--db", db_, "--target",
       "file://" + target_, "--keep-last", "100", "--metrics-addr", "127.0.0.1:0", "--metrics-file",
       dir_ / "metrics/ziti_backup.prom"},
      dir_ / "daemon");
  std::optional<testing::WriterPacer> pacer(std::in_place, writer, dir_ / "daemon.err");
  ASSERT_TRUE(testing::WaitUntil([&] { return CountSnapshots(target_) >= 3; }, 300s))
      << daemon.Stderr();

  std::smatch port;
  const std::string log = daemon.Stderr();
  ASSERT_TRUE(std::regex_search(log, port, std::regex("metrics=\"port (\\d+)\""))) << log;
  const std::string metrics =
      testing::HttpExchange(std::stoi(port[1]), "GET /metrics HTTP/1.0\r\n\r\n");
  std::smatch ok;
  ASSERT_TRUE(std::regex_search(metrics, ok,
                                std::regex("ziti_backup_runs_total\\{result=\"ok\"\\} (\\d+)")))
      << metrics;
  EXPECT_GE(std::stoi(ok[1]), 2);
  EXPECT_NE(metrics.find("ziti_backup_runs_total{result=\"failed\"} 0\n"), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      metrics, std::regex("ziti_backup_snapshots\\{target=\"file://" + target_ + "\"\\} \\d+\n")))
      << metrics;
  EXPECT_NE(metrics.find("ziti_backup_next_run_timestamp_seconds "), std::string::npos);

  // Exit 0 is a stop on SIGTERM by itself (Stop() kills, giving -1, only
  // after its generous wait): the running backup was let finish.
  EXPECT_EQ(daemon.Stop(300s), 0) << daemon.Stderr();
  pacer.reset();
  const std::string all = daemon.Stderr();
  EXPECT_NE(all.find("schedule.catchup job=schedule newest=none why=\"no snapshot yet\"\n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("schedule.next job=schedule next="), std::string::npos) << all;
  EXPECT_NE(all.find("method=hot"), std::string::npos) << all;
  EXPECT_NE(all.find("daemon.signal signal=SIGTERM"), std::string::npos) << all;
  EXPECT_NE(all.find("daemon.stop jobs=finished"), std::string::npos) << all;
  EXPECT_EQ(Occurrences(all, "backup.fail"), 0u) << all;
  EXPECT_EQ(writer.Stop(), 0);

  auto verify = RunZb({"verify", "--all", "--target", "file://" + target_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(testing::RunLeftovers(target_), std::vector<std::string>{});
  EXPECT_EQ(testing::RunLeftovers(dir_.path()), std::vector<std::string>{});

  // The textfile for node_exporter: the same metrics, written after each run.
  const std::string prom = dir_ / "metrics/ziti_backup.prom";
  const std::string text = testing::ReadFileOrDie(prom);
  EXPECT_TRUE(
      std::regex_search(text, std::regex("ziti_backup_runs_total\\{result=\"ok\"\\} [1-9]")))
      << text;
  EXPECT_NE(text.find("ziti_backup_last_success_timestamp_seconds "), std::string::npos) << text;
  EXPECT_EQ(std::filesystem::status(prom).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(testing::ListDir(dir_ / "metrics"), std::vector<std::string>{"ziti_backup.prom"});
}

// The daemon with incremental backups (the variable, as a container sets
// it): a base, then packs, each run going on from the last; every one
// verifies, and beside the DB there is only the chain state.
TEST_F(DaemonProcessTest, IncrementalRunsGrowOneChain) {
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "2MiB", "--churn"}).exit_code, 0);
  testing::BackgroundProcess daemon(
      {"env", "ZITI_CTRL_BACKUP_INCREMENTAL=true", testing::ZbPath(), "daemon", "--schedule",
       "@every 1s", "--db", db_, "--target", "file://" + target_, "--keep-last", "100"},
      dir_ / "daemon");
  ASSERT_TRUE(testing::WaitUntil([&] { return CountSnapshots(target_) >= 3; }, 300s))
      << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(300s), 0) << daemon.Stderr();
  const std::string all = daemon.Stderr();
  EXPECT_EQ(Occurrences(all, "backup.full "), 1u) << all;
  EXPECT_GE(Occurrences(all, "backup.incremental "), 2u) << all;
  auto verify = RunZb({"verify", "--all", "--target", "file://" + target_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const auto left = testing::RunLeftovers(dir_.path());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(left[0].starts_with(".ziti-backup-chain-") && left[0].ends_with(".state")) << left[0];
}

// The controller makes one snapshot-db a minute. With auto and an agent
// command, @every 1s asks the agent and takes the runs within the minute
// after it hot, saying why; whatever the machine's speed, no two agent
// calls are less than a minute apart, and every run either asked the agent
// or logged that it skipped it.
TEST_F(DaemonProcessTest, AgentSnapshotsAreNeverLessThanAMinuteApart) {
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB"}).exit_code, 0);
  const std::string socket = dir_ / "agent.sock", calls = dir_ / "calls.log";
  testing::LiveWriter writer(dir_.path(), db_, 50, {"--agent-socket", socket});
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  const std::string agent = "sh -c \"date +%s >> " + calls + "; exec " + testing::BoltgenPath() +
                            " agent --socket " + socket + " $0\" {out}";
  testing::BackgroundProcess daemon(
      {testing::ZbPath(), "daemon", "--schedule", "@every 1s", "--db", db_, "--target",
       "file://" + target_, "--keep-last", "100", "--agent-command", agent},
      dir_ / "daemon");
  ASSERT_TRUE(testing::WaitUntil([&] { return CountSnapshots(target_) >= 4; }, 600s))
      << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(300s), 0) << daemon.Stderr();
  const std::string log = daemon.Stderr();
  EXPECT_EQ(Occurrences(log, "backup.fail"), 0u) << log;
  EXPECT_GE(Occurrences(log, "method=agent"), 1u) << log;
  const size_t skipped = Occurrences(log,
                                     "snapshot.agent_paced agent=\"skipped this run\" why=\"the "
                                     "controller makes one snapshot-db a minute\"");
  std::vector<long> at;
  std::istringstream lines(testing::ReadFileOrDie(calls));
  for (long t; lines >> t;) at.push_back(t);
  ASSERT_GE(at.size(), 1u);
  // Every run either asked the agent or said why it did not (how many of
  // each depends on how fast the runs are).
  EXPECT_EQ(Occurrences(log, "backup.start"), at.size() + skipped) << log;
  for (size_t i = 1; i < at.size(); ++i) EXPECT_GE(at[i] - at[i - 1], 60) << i;
  EXPECT_EQ(writer.Stop(), 0);
}

// SIGTERM in the middle of a slow backup (zstd -19 of 64 MiB): the run
// gets --grace 1s, is then stopped cleanly, and the daemon exits 0,
// leaving no temp file and only the earlier, complete snapshot. Proven by
// the order of events, not by how fast a loaded machine unwinds.
TEST_F(DaemonProcessTest, SigtermMidBackupStopsItCleanlyAfterTheGracePeriod) {
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "64MiB"}).exit_code, 0);
  auto first = RunZb({"backup", "--db", db_, "--target", "file://" + target_, "--zstd-level", "1"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  testing::BackgroundProcess daemon(
      {testing::ZbPath(), "daemon", "--schedule", "@every 1s", "--grace", "1s", "--db", db_,
       "--target", "file://" + target_, "--zstd-level", "19"},
      dir_ / "daemon");
  // The catch-up run has its snapshot and is compressing.
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return daemon.Stderr().find(" snapshot.ok ") != std::string::npos; }, 300s))
      << daemon.Stderr();
  const auto start = std::chrono::steady_clock::now();
  daemon.Signal(SIGTERM);
  // A bound only for a daemon that never stops; unwinding waits for zstd's
  // workers to finish their block, seconds on a loaded machine.
  ASSERT_TRUE(testing::WaitUntil([&] { return !daemon.Running(); }, 300s)) << daemon.Stderr();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(daemon.Stop(), 0);
  EXPECT_GE(took, 900ms) << "the run was not given its grace period";
  std::cout << "[ note     ] the daemon exited " << std::chrono::duration<double>(took).count()
            << " s after SIGTERM\n";
  // The signal came mid-store, the grace period ran out, and only then was
  // the run stopped: it never stored (the cut is what ends it, not the end
  // of a backup that a fast machine finished within the grace period).
  const std::string log = daemon.Stderr();
  ExpectInOrder(log, {" snapshot.ok ", "daemon.signal signal=SIGTERM", "daemon.abort grace=1s",
                      " store.fail ", "stopped (SIGTERM): interrupted",
                      "job.done job=schedule result=aborted",
                      "daemon.stop jobs=\"aborted after the grace period\""});
  EXPECT_EQ(log.find(" store.ok "), std::string::npos) << log;

  EXPECT_EQ(testing::RunLeftovers(target_), std::vector<std::string>{});
  EXPECT_EQ(testing::RunLeftovers(dir_.path()), std::vector<std::string>{});
  EXPECT_EQ(CountSnapshots(target_), 1);
  EXPECT_EQ(testing::ListDir(target_).size(), 3u) << "lock, data and manifest; no orphan";
  auto verify = RunZb({"verify", "--all", "--target", "file://" + target_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// A crontab: VAR= lines reach the child, its output comes back tagged with
// the line, SIGHUP re-reads the file and a broken file keeps the old jobs.
TEST_F(DaemonProcessTest, CrontabLinesRunAsChildrenAndSighupRereadsTheFile) {
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB"}).exit_code, 0);
  const std::string crontab = dir_ / "crontab";
  testing::WriteFileOrDie(
      crontab, "# test\nZITI_CTRL_BACKUP_DB=" + db_ + "\nZITI_CTRL_BACKUP_TARGETS=file://" +
                   target_ + "\n@every 1s " + testing::ZbPath() + " backup --keep-last 50\n");
  testing::BackgroundProcess daemon(
      {testing::ZbPath(), "daemon", "--crontab", crontab, "--target", "file://" + target_},
      dir_ / "daemon");
  // (Bounds here only stop a test whose daemon never gets there.)
  ASSERT_TRUE(testing::WaitUntil([&] { return CountSnapshots(target_) >= 2; }, 300s))
      << daemon.Stderr();
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return daemon.Stderr().find("] [crontab:4] backup ok: id=ctrl-ha-") != std::string::npos ||
               daemon.Stderr().find(" [crontab:4] backup ok: id=ctrl-ha-") != std::string::npos;
      },
      300s))
      << daemon.Stderr();
  EXPECT_NE(daemon.Stderr().find(" [crontab:4] "), std::string::npos);
  EXPECT_NE(daemon.Stderr().find("job.done job=crontab:4 result=ok"), std::string::npos);

  testing::WriteFileOrDie(crontab, "@every 1s echo reloaded-$((1+1))\n");
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return daemon.Stderr().find(" [crontab:1] reloaded-2\n") != std::string::npos; }, 300s))
      << daemon.Stderr();
  EXPECT_NE(daemon.Stderr().find("daemon.reload jobs=1"), std::string::npos);
  const int snapshots = CountSnapshots(target_);

  testing::WriteFileOrDie(crontab, "*/0 * * * * never\n");
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return daemon.Stderr().find("daemon.reload.fail") != std::string::npos; }, 300s));
  const size_t before = Occurrences(daemon.Stderr(), "reloaded-2");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return Occurrences(daemon.Stderr(), "reloaded-2") >= before + 2; }, 300s))
      << "the old jobs keep running: " << daemon.Stderr();
  EXPECT_NE(daemon.Stderr().find("daemon.reload.fail error=\"invalid argument: --crontab / "
                                 "ZITI_CTRL_BACKUP_CRONTAB " +
                                 crontab + ": line 1: schedule \\\"*/0 * * * *\\\": minute field"),
            std::string::npos)
      << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(300s), 0);
  EXPECT_EQ(CountSnapshots(target_), snapshots) << "no backups after the reload";
}

// The entrypoint starts the daemon in the background of the controller's
// process: when that parent exits, so does the daemon. The parent exits
// once the daemon's catch-up backup is done (not after a fixed sleep).
TEST_F(DaemonProcessTest, ExitsWhenItsParentExits) {
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB"}).exit_code, 0);
  const std::string log = dir_ / "daemon.log";
  auto parent = testing::Run({"sh", "-c",
                              "\"$0\" daemon --schedule @hourly --db \"$1\" --target \"file://$2\" "
                              ">/dev/null 2>\"$3\" & echo $!; "
                              "until grep -q ' backup.ok ' \"$3\"; do sleep 0.05; done",
                              testing::ZbPath(), db_, target_, log});
  ASSERT_EQ(parent.exit_code, 0);
  const int pid = std::stoi(parent.out);
  auto gone = [pid] {
    std::error_code ec;
    const std::string stat = "/proc/" + std::to_string(pid) + "/stat";
    if (!std::filesystem::exists(stat, ec)) return true;
    const std::string s = testing::ReadFileOrDie(stat);
    return s.find(") Z ") != std::string::npos;  // exited, not yet reaped
  };
  ASSERT_TRUE(testing::WaitUntil(gone, 300s)) << testing::ReadFileOrDie(log);
  const std::string text = testing::ReadFileOrDie(log);
  EXPECT_NE(text.find("backup.ok"), std::string::npos) << text;  // the catch-up ran
  EXPECT_NE(text.find("daemon.signal signal=SIGTERM"), std::string::npos) << text;
  EXPECT_NE(text.find("daemon.stop jobs=finished"), std::string::npos) << text;
}

// --validate: what the container entrypoint runs before anything else.
TEST_F(DaemonProcessTest, ValidateNamesTheBadVariable) {
  auto bad = testing::Run({"env", "ZITI_CTRL_BACKUP_SCHEDULE=61 * * * *", testing::ZbPath(),
                           "daemon", "--validate", "--target", "file://" + target_});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "ziti-backup: invalid argument: invalid --schedule / ZITI_CTRL_BACKUP_SCHEDULE value "
            "\"61 * * * *\": schedule \"61 * * * *\": minute field \"61\": value 61 is outside "
            "0-59 at character 1\n");
  auto grace = testing::Run({"env", "ZITI_CTRL_BACKUP_GRACE=soon", testing::ZbPath(), "daemon",
                             "--validate", "--target", "file://" + target_});
  EXPECT_EQ(grace.exit_code, 2);
  EXPECT_EQ(grace.err.rfind("ziti-backup: invalid argument: invalid --grace / "
                            "ZITI_CTRL_BACKUP_GRACE value \"soon\": ",
                            0),
            0u)
      << grace.err;
  auto crontab =
      testing::Run({"env", "ZITI_CTRL_BACKUP_CRONTAB=" + dir_ / "missing", testing::ZbPath(),
                    "daemon", "--validate", "--target", "file://" + target_});
  EXPECT_EQ(crontab.exit_code, 2);
  EXPECT_EQ(crontab.err.rfind("ziti-backup: invalid argument: --crontab / "
                              "ZITI_CTRL_BACKUP_CRONTAB " +
                                  dir_ / "missing" + ": ",
                              0),
            0u)
      << crontab.err;
  auto good = testing::Run({"env", "ZITI_CTRL_BACKUP_SCHEDULE=@every 15m", testing::ZbPath(),
                            "daemon", "--validate", "--db", db_, "--target", "file://" + target_});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_TRUE(std::regex_match(
      good.out, std::regex("configuration ok: schedule \"@every 15m\" in UTC, next run "
                           "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ; db " +
                           db_ + " \\(not there yet\\); targets file://" + target_ + "\n")))
      << good.out;
  EXPECT_FALSE(std::filesystem::exists(target_)) << "--validate writes nothing";
}

TEST_F(DaemonProcessTest, StatusSaysHowOldTheNewestSnapshotIs) {
  auto missing = RunZb({"status", "--target", "file://" + target_});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "ziti-backup: unhealthy: file://" + target_ +
                             ": not found: target file://" + target_ +
                             " does not exist (no directory " + target_ + ")\n");
  ASSERT_EQ(::mkdir(target_.c_str(), 0700), 0);
  auto empty = RunZb({"status", "--target", "file://" + target_});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_EQ(empty.out, "file://" + target_ + ": no snapshot [unhealthy]\nunhealthy (max age 2h)\n");
  EXPECT_EQ(empty.err, "ziti-backup: unhealthy: file://" + target_ + ": no snapshot\n");

  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB"}).exit_code, 0);
  auto backup = RunZb({"backup", "--db", db_, "--target", "file://" + target_});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  auto healthy = RunZb({"status", "--target", "file://" + target_, "--max-age", "1h"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;
  EXPECT_TRUE(std::regex_match(
      healthy.out, std::regex("file://" + target_ +
                              ": 1 snapshots, newest ctrl-ha-\\d{8}T\\d{6}Z \\(\\d+s old, txid "
                              "\\d+\\)\nhealthy \\(max age 1h\\)\n")))
      << healthy.out;
  std::this_thread::sleep_for(1100ms);
  auto stale = testing::Run({"env", "ZITI_CTRL_BACKUP_MAX_AGE=1s", testing::ZbPath(), "status",
                             "--json", "--target", "file://" + target_});
  EXPECT_EQ(stale.exit_code, 1);
  auto j = nlohmann::json::parse(stale.out);
  EXPECT_EQ(j["healthy"], false);
  EXPECT_EQ(j["max_age_seconds"], 1.0);
  EXPECT_EQ(j["targets"][0]["snapshots"], 1);
  EXPECT_EQ(j["targets"][0]["healthy"], false);
  EXPECT_NE(stale.err.find(" is older than 1s"), std::string::npos) << stale.err;
  // The default --max-age is twice the schedule's interval.
  auto daily = testing::Run({"env", "ZITI_CTRL_BACKUP_SCHEDULE=@daily", testing::ZbPath(), "status",
                             "--target", "file://" + target_});
  EXPECT_EQ(daily.exit_code, 0);
  EXPECT_TRUE(daily.out.ends_with("healthy (max age 2d)\n")) << daily.out;
}

}  // namespace
}  // namespace zb
