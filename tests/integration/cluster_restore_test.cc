// `restore` onto a clustered controller's data dir (spec §13): ctrl-ha.db
// beside raft.db. Replacing the file while raft.db stays is a repair and
// says so; a ctrl-ha.db with no raft.db beside it is refused (a controller
// started on it loses later writes); --via-agent rolls a running controller
// back through `ziti agent cluster restore-from-db`, which exits 0 even when
// the controller refused, so only its output tells. The real controller
// runs in tests/controller/ha.sh; here a script stands in for the agent
// command and the live bbolt writer for the controller holding the lock.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunZb;

class ClusterRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "512KiB"}).exit_code, 0);
    backed_up_ = testing::PeerCheckFile(db_);
    auto r = RunZb({"backup", "--db", db_, "--target", url_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    id_ = testing::Field(r.out, "id");
    ASSERT_FALSE(id_.empty()) << r.out;
    ::mkdir(data_dir_.c_str(), 0700);
  }
  // The controller stand-in: holds the live DB's lock, as ziti does.
  std::unique_ptr<testing::BackgroundProcess> StartController() {
    testing::WriteFileOrDie(live_, testing::ReadFileOrDie(db_));
    auto writer = std::make_unique<testing::BackgroundProcess>(
        std::vector<std::string>{testing::BoltgenPath(), "writer", "--db", live_, "--rate", "20",
                                 "--log", dir_ / "w.log", "--ready", dir_ / "ready"},
        dir_ / "writer");
    EXPECT_TRUE(testing::WaitForFile(dir_ / "ready", std::chrono::seconds(120)));
    return writer;
  }
  // The agent command stand-in: prints `said` as ziti does (exit 0 either
  // way); on success keeps a copy of the file it was given and its mode,
  // and stops the controller, which the real one does by design, returning
  // once its lock is gone (so restore sees it exit at any machine speed).
  std::string AgentCommand(const std::string& said, int controller_pid) {
    testing::WriteFileOrDie(script_, "cp \"$1\" " + dir_ / "taken.db" + " && stat -c %a \"$1\" > " +
                                         dir_ / "taken.mode" +
                                         "\n"
                                         "printf '" +
                                         said + "\\n' \"$1\"\ncase '" + said +
                                         "' in success*) kill " + std::to_string(controller_pid) +
                                         "; until flock -n -s " + live_ +
                                         " true; do sleep 0.1; done;; esac\nexit 0\n");
    return "sh " + script_ + " {in}";
  }

  testing::TempDir dir_;
  const std::string db_ = dir_ / "source.db", url_ = "file://" + dir_ / "backups",
                    data_dir_ = dir_ / "raft", live_ = data_dir_ + "/ctrl-ha.db",
                    raft_ = data_dir_ + "/raft.db", script_ = dir_ / "agent.sh";
  std::string id_;
  testing::PeerCheck backed_up_;
};

TEST_F(ClusterRestoreTest, ALoneCtrlHaDbIsRefused) {
  auto r = RunZb({"restore", id_, "--to", live_, "--target", url_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "ziti-backup: invalid argument: refusing to put a file at " + live_ +
                       ": there is no raft.db beside it, and a clustered controller started on "
                       "a lone ctrl-ha.db acknowledges writes and then loses them. To roll a "
                       "clustered controller back: start it (an empty cluster.dataDir is fine), "
                       "then run this restore with --via-agent. To look at the snapshot, "
                       "restore it under another name.\n");
  EXPECT_EQ(testing::ListDir(data_dir_), std::vector<std::string>{});
  // Under another name it is a side file, and the follow-up says so.
  auto side = RunZb({"restore", id_, "--to", data_dir_ + "/side.db", "--target", url_});
  ASSERT_EQ(side.exit_code, 0) << side.err;
  EXPECT_EQ(testing::PeerCheckFile(data_dir_ + "/side.db").digest, backed_up_.digest);
}

TEST_F(ClusterRestoreTest, ReplacingCtrlHaDbBesideRaftDbIsARepairAndSaysSo) {
  testing::WriteFileOrDie(raft_, "the raft log");
  testing::WriteFileOrDie(live_, "a damaged DB");
  auto r = RunZb({"restore", id_, "--to", live_, "--force", "--target", url_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string first_line = r.out.substr(0, r.out.find('\n') + 1);
  EXPECT_EQ(r.out.substr(first_line.size()),
            "This is a REPAIR, not a rollback: raft.db stays beside ctrl-ha.db, so on start the "
            "controller\n"
            "replays its raft log past this snapshot and comes back at its latest state.\n"
            "To roll a clustered controller back to this snapshot, start it and run this\n"
            "restore again with --via-agent.\n");
  EXPECT_EQ(testing::PeerCheckFile(live_).digest, backed_up_.digest);
  EXPECT_EQ(testing::ReadFileOrDie(raft_), "the raft log");
}

TEST_F(ClusterRestoreTest, ViaAgentNeedsARaftDataDirAndARunningController) {
  auto no_raft = RunZb({"restore", id_, "--to", live_, "--via-agent", "--target", url_});
  EXPECT_EQ(no_raft.exit_code, 2);
  EXPECT_EQ(no_raft.err,
            "ziti-backup: invalid argument: --via-agent rolls back a clustered controller: --to "
            "names its live DB file, beside raft.db in cluster.dataDir; there is no raft.db "
            "beside " +
                live_ + "\n");
  testing::WriteFileOrDie(raft_, "the raft log");
  testing::WriteFileOrDie(live_, testing::ReadFileOrDie(db_));
  auto stopped = RunZb({"restore", id_, "--to", live_, "--via-agent", "--target", url_});
  EXPECT_EQ(stopped.exit_code, 2);
  EXPECT_EQ(stopped.err, "ziti-backup: invalid argument: no controller is running on " + live_ +
                             ": --via-agent goes through the running controller (start it, then "
                             "run this again)\n");
  EXPECT_EQ(testing::ListDir(data_dir_), (std::vector<std::string>{"ctrl-ha.db", "raft.db"}));
}

TEST_F(ClusterRestoreTest, ViaAgentHandsTheControllerAPrivateSideFileAndSeesItExit) {
  testing::WriteFileOrDie(raft_, "the raft log");
  auto controller = StartController();
  // A plain restore is refused while it runs, and names the way that works.
  auto busy = RunZb({"restore", id_, "--to", live_, "--force", "--target", url_});
  EXPECT_EQ(busy.exit_code, 4);
  EXPECT_EQ(busy.err, "ziti-backup: busy: " + live_ +
                          " is in use by a running process (stop the controller first; to roll "
                          "a running clustered controller back, use --via-agent)\n");

  auto r = RunZb({"restore", id_, "--to", live_, "--via-agent", "--target", url_,
                  "--agent-restore-command",
                  AgentCommand("success, initialized from [%s]", controller->pid())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("^restore ok: id=(\\S+) txid=(\\d+)")))
      << r.out;
  EXPECT_EQ(m[1].str(), id_);
  EXPECT_EQ(r.out.substr(r.out.find('\n') + 1),
            "The controller took the snapshot and exits to finish the rollback (by design).\n"
            "It has exited. Start it again (systemd's Restart= or a container's restart policy\n"
            "may do it for you); it then serves exactly this snapshot.\n");
  EXPECT_NE(r.out.find(" via the controller of " + live_ + "\n"), std::string::npos) << r.out;
  // The controller got exactly the snapshot, in a file only its user reads;
  // the side file is gone and the live files were not touched.
  EXPECT_EQ(testing::PeerCheckFile(dir_ / "taken.db").digest, backed_up_.digest);
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "taken.mode"), "600\n");
  EXPECT_EQ(testing::ListDir(data_dir_), (std::vector<std::string>{"ctrl-ha.db", "raft.db"}));
  EXPECT_EQ(testing::ReadFileOrDie(raft_), "the raft log");
}

TEST_F(ClusterRestoreTest, ViaAgentReadsTheRefusalThatZitiExitsZeroOn) {
  testing::WriteFileOrDie(raft_, "the raft log");
  auto controller = StartController();
  auto r = RunZb({"restore", id_, "--to", live_, "--via-agent", "--target", url_,
                  "--agent-restore-command",
                  AgentCommand("error: unable to open controller database (invalid database)",
                               controller->pid())});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "ziti-backup: I/O error: the controller did not take snapshot " + id_ +
                       " (sh exit status 0: unable to open controller database (invalid "
                       "database)); nothing was changed\n");
  EXPECT_TRUE(controller->Running());
  EXPECT_EQ(testing::ListDir(data_dir_), (std::vector<std::string>{"ctrl-ha.db", "raft.db"}));
  EXPECT_EQ(controller->Stop(), 0);
}

}  // namespace
}  // namespace zb
