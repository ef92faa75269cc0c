// Every duration, count, port and address a command takes is range-checked:
// a value that does not fit is exit 2 with a message naming the flag, its
// variable and the text, never a wrapped number (a --keep-within of
// 213503d used to wrap to minutes and prune nearly everything; :99999
// listened on port 34463). And `daemon --validate` checks what the daemon
// would otherwise find only once running: the DB, the metrics address
// (bound and released) and file, and the health check's maximum age.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;

const std::string kExamples = " (examples: 30s, 15m, 36h, 7d, 1h30m)";

class BadValuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "ctrl-ha.db";
    target_ = dir_ / "backups";
    ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB", "--seed", "9"}).exit_code, 0);
  }
  TempDir dir_;
  std::string db_, target_;
};

TEST_F(BadValuesTest, OutOfRangeValuesAreExitTwoNamingFlagVariableAndText) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string t = "file://" + target_;
  const std::vector<Case> cases = {
      {{"backup", "--db", db_, "--target", t, "--keep-within", "213503d"},
       "invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"213503d\": invalid duration "
       "\"213503d\": more than 100 years (36500d)" +
           kExamples},
      // 2^64 ns and 25 minutes: taken as 25 minutes before.
      {{"backup", "--db", db_, "--target", t, "--keep-within", "213504d"},
       "invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"213504d\": invalid duration "
       "\"213504d\": more than 100 years (36500d)" +
           kExamples},
      {{"backup", "--db", db_, "--target", t, "--keep-within", "36501d"},
       "invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"36501d\": invalid duration "
       "\"36501d\": more than 100 years (36500d)" +
           kExamples},
      {{"backup", "--db", db_, "--target", t, "--keep-within", "600000000000h"},
       "invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"600000000000h\": invalid "
       "duration \"600000000000h\": number too large" +
           kExamples},
      {{"prune", "--target", t, "--keep-within", "213503d"},
       "invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"213503d\": invalid duration "
       "\"213503d\": more than 100 years (36500d)" +
           kExamples},
      {{"backup", "--db", db_, "--target", t, "--keep-last", "1000000"},
       "invalid --keep-last / ZITI_CTRL_BACKUP_KEEP_LAST value \"1000000\": want a whole number "
       "from 0 to 999999"},
      {{"backup", "--db", db_, "--target", t, "--keep-daily", "99999999999999999999"},
       "invalid --keep-daily / ZITI_CTRL_BACKUP_KEEP_DAILY value \"99999999999999999999\": want a "
       "whole number from 0 to 999999"},
      {{"backup", "--db", db_, "--target", t, "--zstd-level", "0"},
       "invalid --zstd-level / ZITI_CTRL_BACKUP_ZSTD_LEVEL value \"0\": want 1 to 19"},
      {{"backup", "--db", db_, "--target", t, "--zstd-level", "20"},
       "invalid --zstd-level / ZITI_CTRL_BACKUP_ZSTD_LEVEL value \"20\": want 1 to 19"},
      {{"backup", "--db", db_, "--target", t, "--agent-timeout", "0s"},
       "invalid --agent-timeout / ZITI_CTRL_BACKUP_AGENT_TIMEOUT value \"0s\": want 1s to 1d"},
      {{"backup", "--db", db_, "--target", t, "--agent-timeout", "25h"},
       "invalid --agent-timeout / ZITI_CTRL_BACKUP_AGENT_TIMEOUT value \"25h\": want 1s to 1d"},
      {{"backup", "--db", db_, "--target", t, "--agent-timeout", "213503d"},
       "invalid --agent-timeout / ZITI_CTRL_BACKUP_AGENT_TIMEOUT value \"213503d\": invalid "
       "duration \"213503d\": more than 100 years (36500d)" +
           kExamples},
      {{"snapshot", "--agent-timeout", "0s", db_, dir_ / "out.db"},
       "invalid --agent-timeout value \"0s\": want 1s to 1d"},
      {{"snapshot", "--hot-attempts", "0", db_, dir_ / "out.db"},
       "invalid --hot-attempts value \"0\": want 1 to 1000"},
      {{"snapshot", "--hot-attempts", "1001", db_, dir_ / "out.db"},
       "invalid --hot-attempts value \"1001\": want 1 to 1000"},
      {{"inspect", "--depth", "-1", db_}, "invalid --depth value \"-1\": want 0 (all) to 1024"},
      {{"inspect", "--depth", "1025", db_}, "invalid --depth value \"1025\": want 0 (all) to 1024"},
      {{"status", "--target", t, "--max-age", "213503d"},
       "invalid --max-age / ZITI_CTRL_BACKUP_MAX_AGE value \"213503d\": invalid duration "
       "\"213503d\": more than 100 years (36500d)" +
           kExamples},
      {{"status", "--target", t, "--schedule", "@every 213503d"},
       "invalid --schedule / ZITI_CTRL_BACKUP_SCHEDULE value \"@every 213503d\": schedule "
       "\"@every 213503d\": invalid duration \"213503d\": more than 100 years (36500d)" +
           kExamples},
  };
  // The daemon's, both when validating and when starting for real.
  std::vector<Case> daemon_cases = {
      {{"--metrics-addr", ":99999"},
       "invalid --metrics-addr / ZITI_CTRL_BACKUP_METRICS_ADDR value \":99999\": port 99999 is "
       "outside 0-65535"},
      {{"--metrics-addr", "127.0.0.1:65536"},
       "invalid --metrics-addr / ZITI_CTRL_BACKUP_METRICS_ADDR value \"127.0.0.1:65536\": port "
       "65536 is outside 0-65535"},
      {{"--metrics-addr", "9090"},
       "invalid --metrics-addr / ZITI_CTRL_BACKUP_METRICS_ADDR value \"9090\": not host:port, "
       ":port or [v6]:port"},
      {{"--grace", "25h"}, "invalid --grace / ZITI_CTRL_BACKUP_GRACE value \"25h\": want 0s to 1d"},
      {{"--grace", "213503d"},
       "invalid --grace / ZITI_CTRL_BACKUP_GRACE value \"213503d\": invalid duration "
       "\"213503d\": more than 100 years (36500d)" +
           kExamples},
      {{"--schedule", "@every 213503d"},
       "invalid --schedule / ZITI_CTRL_BACKUP_SCHEDULE value \"@every 213503d\": schedule "
       "\"@every 213503d\": invalid duration \"213503d\": more than 100 years (36500d)" +
           kExamples},
      {{"--keep-within", "213503d"},
       "invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"213503d\": invalid duration "
       "\"213503d\": more than 100 years (36500d)" +
           kExamples},
  };
  std::vector<Case> all = cases;
  for (const char* validate : {"--validate", ""}) {
    for (const Case& c : daemon_cases) {
      std::vector<std::string> args{"daemon", "--stay-after-parent", "--db", db_, "--target", t};
      if (*validate) args.push_back(validate);
      args.insert(args.end(), c.args.begin(), c.args.end());
      all.push_back({args, c.message});
    }
  }
  for (const Case& c : all) {
    std::string line;
    for (const auto& a : c.args) line += a + " ";
    auto r = RunZb(c.args);
    EXPECT_EQ(r.exit_code, 2) << line << "\n" << r.err;
    EXPECT_EQ(r.err, "ziti-backup: invalid argument: " + c.message + "\n") << line;
  }
  EXPECT_FALSE(std::filesystem::exists(target_)) << "nothing stored with a bad value";
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.db"));

  // Numbers beyond int are CLI11's to refuse: still exit 2, naming the flag.
  auto huge = RunZb({"snapshot", "--hot-attempts", "99999999999", db_, dir_ / "out.db"});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_EQ(huge.err,
            "Could not convert: --hot-attempts = 99999999999\nRun with --help or --help-all for "
            "more information.\n");

  // The largest values that fit are taken.
  auto max = RunZb({"backup", "--db", db_, "--target", t, "--keep-within", "36500d",
                    "--agent-timeout", "24h", "--zstd-level", "19", "--keep-last", "999999"});
  EXPECT_EQ(max.exit_code, 0) << max.err;
}

// A variable of the daemon's that only `status` reads (the container's
// health check): --validate checks it too, so the container does not start
// with a health check that fails on its own configuration.
TEST_F(BadValuesTest, ValidateChecksTheHealthChecksMaxAge) {
  for (const char* bad : {"0s", "213503d", "soon"}) {
    auto r = testing::Run({"env", std::string("ZITI_CTRL_BACKUP_MAX_AGE=") + bad, testing::ZbPath(),
                           "daemon", "--validate", "--db", db_, "--target", "file://" + target_});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.rfind(std::string("ziti-backup: invalid argument: invalid --max-age / "
                                      "ZITI_CTRL_BACKUP_MAX_AGE value \"") +
                              bad + "\": ",
                          0),
              0u)
        << r.err;
  }
  auto ok = testing::Run({"env", "ZITI_CTRL_BACKUP_MAX_AGE=36h", testing::ZbPath(), "daemon",
                          "--validate", "--db", db_, "--target", "file://" + target_});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(BadValuesTest, ValidateTriesTheMetricsAddressAndFile) {
  // A port another process listens on.
  const int taken = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(taken, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(taken, 1), 0);
  socklen_t len = sizeof a;
  ::getsockname(taken, reinterpret_cast<sockaddr*>(&a), &len);
  const std::string addr = "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  auto validate = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"daemon", "--validate", "--db",
                                  db_,      "--target",   "file://" + target_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunZb(args);
  };
  auto in_use = validate({"--metrics-addr", addr});
  EXPECT_EQ(in_use.exit_code, 2);
  EXPECT_EQ(in_use.err,
            "ziti-backup: invalid argument: invalid --metrics-addr / ZITI_CTRL_BACKUP_METRICS_ADDR "
            "value \"" +
                addr + "\": cannot listen on metrics address " + addr +
                ": Address already in use\n");
  ::close(taken);
  // The address is free again: fine, and it was released after the trial.
  auto free = validate({"--metrics-addr", addr});
  EXPECT_EQ(free.exit_code, 0) << free.err;
  EXPECT_EQ(validate({"--metrics-addr", addr}).exit_code, 0);
  // TEST-NET-1 is on no host.
  auto foreign = validate({"--metrics-addr", "192.0.2.1:9100"});
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_EQ(foreign.err,
            "ziti-backup: invalid argument: invalid --metrics-addr / ZITI_CTRL_BACKUP_METRICS_ADDR "
            "value \"192.0.2.1:9100\": cannot listen on metrics address 192.0.2.1:9100: Cannot "
            "assign requested address\n");

  const std::string sub = dir_ / "sub";
  std::filesystem::create_directory(sub);
  auto is_dir = validate({"--metrics-file", sub});
  EXPECT_EQ(is_dir.exit_code, 2);
  EXPECT_EQ(is_dir.err,
            "ziti-backup: invalid argument: invalid --metrics-file / ZITI_CTRL_BACKUP_METRICS_FILE "
            "value \"" +
                sub + "\": " + sub + " is a directory, not a regular file\n");
  auto under_file = validate({"--metrics-file", db_ + "/m/x.prom"});
  EXPECT_EQ(under_file.exit_code, 2);
  EXPECT_EQ(under_file.err,
            "ziti-backup: invalid argument: invalid --metrics-file / ZITI_CTRL_BACKUP_METRICS_FILE "
            "value \"" +
                db_ + "/m/x.prom\": " + db_ + " is a regular file, not a directory\n");
  if (::geteuid() != 0) {  // root may write anywhere
    ::chmod(sub.c_str(), 0500);
    auto read_only = validate({"--metrics-file", sub + "/x.prom"});
    ::chmod(sub.c_str(), 0700);
    EXPECT_EQ(read_only.exit_code, 2);
    EXPECT_EQ(read_only.err,
              "ziti-backup: invalid argument: invalid --metrics-file / "
              "ZITI_CTRL_BACKUP_METRICS_FILE value \"" +
                  sub + "/x.prom\": create " + sub + "/x.prom: Permission denied\n");
  }
  auto fine = validate({"--metrics-file", sub + "/new/x.prom", "--metrics-addr", "127.0.0.1:0"});
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
  EXPECT_NE(fine.out.find("; metrics on 127.0.0.1:0; metrics file " + sub + "/new/x.prom\n"),
            std::string::npos)
      << fine.out;
  auto existing_dir = validate({"--metrics-file", sub + "/x.prom"});
  EXPECT_EQ(existing_dir.exit_code, 0) << existing_dir.err;
  EXPECT_EQ(testing::ListDir(sub), std::vector<std::string>{}) << "--validate writes nothing";
}

// The DB the daemon will back up: given, or located from the controller
// config. Not there yet is fine (a new container's controller makes both
// after we start); anything else that would fail every run is exit 2.
TEST_F(BadValuesTest, ValidateLocatesTheDb) {
  auto run = [&](std::vector<std::string> env, std::vector<std::string> extra) {
    std::vector<std::string> argv{"env", "-u", "ZITI_HOME"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.insert(argv.end(), {testing::ZbPath(), "daemon", "--validate", "--schedule", "@every 15m",
                             "--target", "file://" + target_});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return testing::Run(argv);
  };
  auto there = run({}, {"--db", db_});
  EXPECT_EQ(there.exit_code, 0) << there.err;
  EXPECT_NE(there.out.find("; db " + db_ + "; targets"), std::string::npos) << there.out;
  auto not_yet = run({}, {"--db", dir_ / "later.db"});
  EXPECT_EQ(not_yet.exit_code, 0) << not_yet.err;
  EXPECT_NE(not_yet.out.find("; db " + dir_ / "later.db" + " (not there yet); targets"),
            std::string::npos)
      << not_yet.out;
  const std::string fifo = dir_ / "fifo.db";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto odd = run({}, {"--db", fifo});
  EXPECT_EQ(odd.exit_code, 2);
  EXPECT_EQ(odd.err, "ziti-backup: invalid argument: " + fifo + " is a FIFO, not a regular file\n");

  const std::string home = dir_ / "home";
  std::filesystem::create_directory(home);
  auto no_config = run({"ZITI_HOME=" + home}, {});
  EXPECT_EQ(no_config.exit_code, 0) << no_config.err;
  EXPECT_NE(no_config.out.find("; db from " + home + "/config.yml (not there yet); targets"),
            std::string::npos)
      << no_config.out;
  testing::WriteFileOrDie(home + "/config.yml", "v: 3\ncluster:\n  dataDir: " + dir_.path() + "\n");
  auto located = run({"ZITI_HOME=" + home}, {});
  EXPECT_EQ(located.exit_code, 0) << located.err;
  EXPECT_NE(located.out.find("; db " + db_ + "; targets"), std::string::npos) << located.out;
  testing::WriteFileOrDie(home + "/config.yml", "v: 3\nweb: []\n");
  auto no_key = run({"ZITI_HOME=" + home}, {});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_EQ(no_key.err,
            "ziti-backup: invalid argument: cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not "
            "set; controller config " +
                home + "/config.yml has neither cluster.dataDir nor db\n");
  auto nothing = run({}, {});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_EQ(nothing.err,
            "ziti-backup: invalid argument: cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not "
            "set; no controller config (--ctrl-config / ZITI_CTRL_BACKUP_CTRL_CONFIG is not set, "
            "nor ZITI_HOME to look for a config in)\n");
}

}  // namespace
}  // namespace zb
