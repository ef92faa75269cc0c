// SIGTERM reaches `backup` and `daemon` in every phase we can put them in
// on purpose: waiting for a target's lock, waiting for the agent command,
// and (the daemon) a job whose DB is a FIFO, which used to block its open
// forever so that only SIGKILL ended the daemon. A second SIGTERM ends the
// daemon, and the agent command it is running, at once while the first
// waits out a long grace period.
// Every wait is for an event (a log line, a file), with generous bounds.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "testutil/run.h"

namespace zb {
namespace {

using namespace std::chrono_literals;
using testing::LastLine;
using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;

bool ProcessGone(int pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// Gone, or a zombie waiting for whoever inherited it to reap it.
bool Ended(int pid) {
  if (ProcessGone(pid)) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const size_t paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 1, 3) == " Z ";
}

// One SIGTERM, then the exit code once the process has ended by itself (a
// second SIGTERM, as BackgroundProcess::Stop sends, would end it at once).
int Sigterm(testing::BackgroundProcess& p) {
  p.Signal(SIGTERM);
  EXPECT_TRUE(testing::WaitUntil([&] { return !p.Running(); }, 120s)) << p.Stderr();
  return p.Stop();
}

class StopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "ctrl-ha.db";
    target_ = dir_ / "backups";
    ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB", "--seed", "7"}).exit_code, 0);
  }
  // An agent command (run without a shell; the sh is ours) that records
  // its pid, which exec keeps, in `started`, then runs until it is killed.
  std::string Agent() const {
    return "sh -c \"echo $$ > " + dir_ / "started.tmp" + " && mv " + dir_ / "started.tmp" + " " +
           dir_ / "started" + " && exec sleep 600\" {out}";
  }
  int AgentPid() const { return std::stoi(testing::ReadFileOrDie(dir_ / "started")); }
  // A daemon whose first run waits for Agent(), given `grace` when stopped.
  testing::BackgroundProcess DaemonWithAgent(const std::string& grace) const {
    return testing::BackgroundProcess({testing::ZbPath(), "daemon", "--schedule", "@every 1h",
                                       "--method", "agent", "--agent-command", Agent(), "--db", db_,
                                       "--target", "file://" + target_, "--grace", grace},
                                      dir_ / "daemon");
  }
  TempDir dir_;
  std::string db_, target_;
};

TEST_F(StopTest, BackupWaitingForTheTargetLockStops) {
  std::filesystem::create_directories(target_);
  const std::string lock = target_ + "/.ziti-backup.lock";
  testing::BackgroundProcess holder({"flock", lock, "sleep", "600"}, dir_ / "flock");
  ASSERT_TRUE(testing::WaitForFile(lock, 60s));
  testing::BackgroundProcess backup(
      {testing::ZbPath(), "backup", "--wait", "--db", db_, "--target", "file://" + target_},
      dir_ / "backup");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return backup.Stderr().find("backup.wait") != std::string::npos; }, 120s))
      << backup.Stderr();
  EXPECT_EQ(Sigterm(backup), 1) << backup.Stderr();
  EXPECT_EQ(LastLine(backup.Stderr()),
            "ziti-backup: aborted: stopped (SIGTERM): interrupted lock " + lock)
      << backup.Stderr();
  EXPECT_EQ(testing::ListDir(target_), std::vector<std::string>{".ziti-backup.lock"});
  EXPECT_EQ(testing::RunLeftovers(dir_.path()), std::vector<std::string>{});
}

TEST_F(StopTest, BackupWaitingForTheAgentStopsAndTheAgentIsEnded) {
  testing::BackgroundProcess backup(
      {testing::ZbPath(), "backup", "--method", "agent", "--agent-command", Agent(), "--db", db_,
       "--target", "file://" + target_},
      dir_ / "backup");
  ASSERT_TRUE(testing::WaitForFile(dir_ / "started", 120s)) << backup.Stderr();
  const int agent = AgentPid();
  EXPECT_EQ(Sigterm(backup), 1) << backup.Stderr();
  EXPECT_EQ(LastLine(backup.Stderr()), "ziti-backup: aborted: agent command sh was stopped")
      << backup.Stderr();
  EXPECT_TRUE(ProcessGone(agent));
  EXPECT_EQ(testing::RunLeftovers(dir_.path()), std::vector<std::string>{});
}

// A second SIGTERM ends the daemon at once, while the first is still
// giving the running job its (long) grace period.
TEST_F(StopTest, SecondSigtermEndsTheDaemonAtOnce) {
  testing::BackgroundProcess daemon = DaemonWithAgent("1h");
  ASSERT_TRUE(testing::WaitForFile(dir_ / "started", 120s)) << daemon.Stderr();
  const int agent = AgentPid();
  daemon.Signal(SIGTERM);
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        return daemon.Stderr().find("daemon.signal signal=SIGTERM count=1") != std::string::npos;
      },
      120s))
      << daemon.Stderr();
  daemon.Signal(SIGTERM);
  ASSERT_TRUE(testing::WaitUntil([&] { return !daemon.Running(); }, 120s)) << daemon.Stderr();
  EXPECT_EQ(daemon.Stop(), -1) << "ended by the signal";
  EXPECT_NE(daemon.Stderr().find("daemon.signal signal=SIGTERM count=2"), std::string::npos)
      << daemon.Stderr();
  // Not left behind in its own process group.
  EXPECT_TRUE(testing::WaitUntil([&] { return Ended(agent); }, 120s));
  ::kill(-agent, SIGKILL);
}

// A daemon whose DB is a FIFO: each run fails at once, naming it, and
// SIGTERM ends the daemon (before, the run's open blocked forever and the
// daemon could only be killed).
TEST_F(StopTest, DaemonWithAFifoAsTheDbStops) {
  const std::string fifo = dir_ / "fifo.db";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  testing::BackgroundProcess daemon({testing::ZbPath(), "daemon", "--schedule", "@every 1h", "--db",
                                     fifo, "--target", "file://" + target_, "--grace", "1s"},
                                    dir_ / "daemon");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return daemon.Stderr().find("job.done") != std::string::npos; }, 120s))
      << daemon.Stderr();
  EXPECT_NE(daemon.Stderr().find(fifo + " is a FIFO, not a regular file"), std::string::npos)
      << daemon.Stderr();
  EXPECT_EQ(Sigterm(daemon), 0) << daemon.Stderr();
  EXPECT_NE(daemon.Stderr().find("daemon.stop jobs=finished"), std::string::npos)
      << daemon.Stderr();
}

// SIGTERM while the daemon's backup waits for the agent: after --grace the
// run is aborted, the agent ended, and the daemon exits 0.
TEST_F(StopTest, DaemonWaitingForTheAgentStopsAfterItsGrace) {
  testing::BackgroundProcess daemon = DaemonWithAgent("1s");
  ASSERT_TRUE(testing::WaitForFile(dir_ / "started", 120s)) << daemon.Stderr();
  const int agent = AgentPid();
  EXPECT_EQ(Sigterm(daemon), 0) << daemon.Stderr();
  const std::string log = daemon.Stderr();
  EXPECT_NE(log.find("daemon.abort grace=1s"), std::string::npos) << log;
  EXPECT_NE(log.find("job.done job=schedule result=aborted"), std::string::npos) << log;
  EXPECT_TRUE(ProcessGone(agent));
  EXPECT_EQ(testing::RunLeftovers(dir_.path()), std::vector<std::string>{});
  EXPECT_EQ(testing::ListDir(target_), std::vector<std::string>{".ziti-backup.lock"});
}

}  // namespace
}  // namespace zb
