// `ziti-backup backup` end to end: a real bbolt DB (Go peer), a file://
// target, the stored object decompressed by the real zstd CLI and checked
// by bbolt, manifest checksums compared with sha256sum, retention, partial
// failure and configuration errors.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::Field;
using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;
using namespace std::chrono_literals;

std::string Sha256sum(const std::string& path) {
  auto r = testing::Run({"sha256sum", path});
  return r.out.substr(0, 64);
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "ctrl-ha.db";
    target_ = dir_ / "backups";
    ASSERT_EQ(
        RunBoltgen({"gen", "--out", db_, "--size", "4MiB", "--churn", "--seed", "3"}).exit_code, 0);
  }
  testing::RunResult Backup(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"backup", "--db", db_, "--target", "file://" + target_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunZb(args);
  }
  TempDir dir_;
  std::string db_, target_;
};

TEST_F(BackupTest, StoredObjectIsStandardZstdOfACheckedSnapshotWithMatchingManifest) {
  auto r = Backup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = Field(r.out, "id");
  ASSERT_EQ(id.rfind("ctrl-ha-", 0), 0u) << r.out;
  EXPECT_EQ(Field(r.out, "targets"), "1/1");
  EXPECT_EQ(testing::ListDir(target_),
            (std::vector<std::string>{".ziti-backup.lock", id + ".db.zst", id + ".json"}));
  EXPECT_EQ(std::filesystem::status(target_ + "/" + id + ".db.zst").permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(std::filesystem::status(target_).permissions(), std::filesystem::perms::owner_all);
  // Nothing staged is left beside the DB.
  EXPECT_EQ(testing::ListDir(dir_.path()), (std::vector<std::string>{"backups", "ctrl-ha.db"}));

  const std::string restored = dir_ / "restored.db";
  auto z = testing::Run({"zstd", "-q", "-d", target_ + "/" + id + ".db.zst", "-o", restored});
  ASSERT_EQ(z.exit_code, 0) << z.err;
  auto live = testing::PeerCheckFile(db_), snap = testing::PeerCheckFile(restored);
  EXPECT_EQ(snap.exit_code, 0) << snap.raw;
  EXPECT_EQ(snap.digest, live.digest);
  EXPECT_EQ(std::to_string(snap.txid), Field(r.out, "txid"));

  auto m = nlohmann::json::parse(testing::ReadFileOrDie(target_ + "/" + id + ".json"));
  EXPECT_EQ(m["id"], id);
  EXPECT_EQ(m["data_object"], id + ".db.zst");
  EXPECT_EQ(m["plain"]["sha256"], Sha256sum(restored));
  EXPECT_EQ(m["stored"]["sha256"], Sha256sum(target_ + "/" + id + ".db.zst"));
  EXPECT_EQ(m["plain"]["size"], std::filesystem::file_size(restored));
  EXPECT_EQ(m["bolt"]["txid"], snap.txid);
  EXPECT_EQ(m["method"], "cold");
  EXPECT_EQ(m["compression"]["type"], "zstd");
  EXPECT_TRUE(m["encryption"].is_null());
  EXPECT_TRUE(m["ziti"]["raft_index"].is_number_integer());
  EXPECT_GT(m["ziti"]["entities"]["identities"].get<int>(), 0);
}

TEST_F(BackupTest, RetentionRemovesWhatThePolicyDoesNotKeepAndIdsStayUnique) {
  const std::vector<std::string> keep_two{"--keep-last",    "2", "--keep-hourly", "0",
                                          "--keep-daily",   "0", "--keep-weekly", "0",
                                          "--keep-monthly", "0"};
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto r = Backup(keep_two);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ids.push_back(Field(r.out, "id"));
  }
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[1], ids[2]);
  EXPECT_EQ(testing::ListDir(target_),
            (std::vector<std::string>{".ziti-backup.lock", ids[1] + ".db.zst", ids[1] + ".json",
                                      ids[2] + ".db.zst", ids[2] + ".json"}));
}

TEST_F(BackupTest, OneFailedTargetIsPartialAndTheOtherHasTheSnapshot) {
  testing::WriteFileOrDie(dir_ / "not-a-dir", "x");
  auto r = RunZb({"backup", "--db", db_, "--target",
                  "file://" + target_ + " file://" + dir_ / "not-a-dir/sub"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.out.rfind("backup partial: ", 0), 0u) << r.out;
  EXPECT_EQ(Field(r.out, "targets"), "1/2");
  EXPECT_NE(r.err.find("store.fail"), std::string::npos) << r.err;
  EXPECT_EQ(testing::ListDir(target_).size(), 3u);  // lock, data, manifest
}

// However it is asked for, --incremental starts a chain with a base in a
// target that has none, and says why; without it nothing changes.
TEST_F(BackupTest, IncrementalIsAskedForByFlagVariableOrConfig) {
  testing::WriteFileOrDie(dir_ / "zb.yml", "incremental: true\n");
  int n = 0;
  for (const auto& how : {std::vector<std::string>{"--incremental"}, std::vector<std::string>{},
                          std::vector<std::string>{"--config", dir_ / "zb.yml"}}) {
    const std::string target = target_ + std::to_string(++n);
    std::vector<std::string> args{"backup", "--db", db_, "--target", "file://" + target};
    args.insert(args.end(), how.begin(), how.end());
    // No flag: the variable, as a container sets it (or the config file).
    std::vector<std::string> with_env{"env", "ZITI_CTRL_BACKUP_INCREMENTAL=true",
                                      testing::ZbPath()};
    with_env.insert(with_env.end(), args.begin(), args.end());
    auto r = how.empty() ? testing::Run(with_env) : RunZb(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string id = Field(r.out, "id");
    EXPECT_NE(r.err.find("backup.full id=" + id + " target=file://" + target +
                         " reason=\"no chain state for this target yet\""),
              std::string::npos)
        << r.err;
    auto m = nlohmann::json::parse(testing::ReadFileOrDie(target + "/" + id + ".json"));
    EXPECT_EQ(m["kind"], "base");
    EXPECT_EQ(m["data_object"], id + ".base-" + m["chain"].get<std::string>() + ".zst");
    EXPECT_TRUE(std::filesystem::exists(target + "/" + m["data_object"].get<std::string>()));
  }
  auto plain = Backup();
  EXPECT_EQ(plain.err.find("backup.full"), std::string::npos) << plain.err;
  EXPECT_TRUE(std::filesystem::exists(target_ + "/" + Field(plain.out, "id") + ".db.zst"));
}

TEST_F(BackupTest, MalformedValuesAreExitTwoNamingTheVariable) {
  struct Case {
    const char* var;
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      {"ZITI_CTRL_BACKUP_KEEP_DAILY", "seven",
       "invalid --keep-daily / ZITI_CTRL_BACKUP_KEEP_DAILY value \"seven\": want a whole number "
       "from 0 to 999999"},
      {"ZITI_CTRL_BACKUP_METHOD", "warm",
       "invalid --method / ZITI_CTRL_BACKUP_METHOD value \"warm\": use auto, cold, hot or agent"},
      {"ZITI_CTRL_BACKUP_COMPRESS", "gzip",
       "invalid --compress / ZITI_CTRL_BACKUP_COMPRESS value \"gzip\": use zstd or none"},
      {"ZITI_CTRL_BACKUP_TZ", "Mars/Base",
       "invalid --tz / ZITI_CTRL_BACKUP_TZ value \"Mars/Base\": unknown time zone \"Mars/Base\" "
       "(use a zoneinfo name like UTC or Europe/Berlin)"},
      {"ZITI_CTRL_BACKUP_LOG_FORMAT", "xml",
       "invalid --log-format / ZITI_CTRL_BACKUP_LOG_FORMAT value \"xml\": use text or json"},
      {"ZITI_CTRL_BACKUP_KEEP_WITHIN", "2 weeks",
       "invalid --keep-within / ZITI_CTRL_BACKUP_KEEP_WITHIN value \"2 weeks\": invalid duration "
       "\"2 weeks\": unknown unit (examples: 30s, 15m, 36h, 7d, 1h30m)"},
      {"ZITI_CTRL_BACKUP_KEEP_LAST", "-1",
       "invalid --keep-last / ZITI_CTRL_BACKUP_KEEP_LAST value \"-1\": want a whole number "
       "from 0 to 999999"},
      {"ZITI_CTRL_BACKUP_KEEP_HOURLY", "24h",
       "invalid --keep-hourly / ZITI_CTRL_BACKUP_KEEP_HOURLY value \"24h\": want a whole number "
       "from 0 to 999999"},
      {"ZITI_CTRL_BACKUP_KEEP_WEEKLY", "x",
       "invalid --keep-weekly / ZITI_CTRL_BACKUP_KEEP_WEEKLY value \"x\": want a whole number "
       "from 0 to 999999"},
      {"ZITI_CTRL_BACKUP_KEEP_MONTHLY", "1.5",
       "invalid --keep-monthly / ZITI_CTRL_BACKUP_KEEP_MONTHLY value \"1.5\": want a whole "
       "number from 0 to 999999"},
      {"ZITI_CTRL_BACKUP_KEEP_YEARLY", "many",
       "invalid --keep-yearly / ZITI_CTRL_BACKUP_KEEP_YEARLY value \"many\": want a whole "
       "number from 0 to 999999"},
      {"ZITI_CTRL_BACKUP_ZSTD_LEVEL", "25",
       "invalid --zstd-level / ZITI_CTRL_BACKUP_ZSTD_LEVEL value \"25\": want 1 to 19"},
      {"ZITI_CTRL_BACKUP_AGENT_TIMEOUT", "soon",
       "invalid --agent-timeout / ZITI_CTRL_BACKUP_AGENT_TIMEOUT value \"soon\": invalid "
       "duration \"soon\": expected a number (examples: 30s, 15m, 36h, 7d, 1h30m)"},
      {"ZITI_CTRL_BACKUP_AGENT_COMMAND", "ziti \"agent",
       "--agent-command / ZITI_CTRL_BACKUP_AGENT_COMMAND: agent command has an unbalanced "
       "quote: ziti \"agent"},
      {"ZITI_CTRL_BACKUP_TARGETS", "ftp://x",
       "--target / ZITI_CTRL_BACKUP_TARGETS: invalid target \"ftp://x\": unknown scheme \"ftp\" "
       "(use file:///absolute/dir, s3://bucket/prefix or azblob://account/container/prefix)"},
  };
  for (const Case& c : cases) {
    auto r = testing::Run(
        {"env", std::string(c.var) + "=" + c.value, testing::ZbPath(), "backup", "--db", db_});
    EXPECT_EQ(r.exit_code, 2) << c.var << ": " << r.err;
    EXPECT_EQ(r.err, std::string("ziti-backup: invalid argument: ") + c.message + "\n") << c.var;
  }
  auto no_config = testing::Run({"env", "ZITI_CTRL_BACKUP_CTRL_CONFIG=" + dir_ / "nope.yml",
                                 testing::ZbPath(), "backup", "--target", "file://" + target_});
  EXPECT_EQ(no_config.exit_code, 2);
  EXPECT_EQ(no_config.err,
            "ziti-backup: invalid argument: cannot find the DB: --db / ZITI_CTRL_BACKUP_DB is not "
            "set; controller config " +
                dir_ / "nope.yml" + ": open " + dir_ / "nope.yml" +
                ": No such file or directory\n");
  auto none = RunZb({"backup", "--db", db_, "--target", "file://" + target_, "--keep-last", "0",
                     "--keep-hourly", "0", "--keep-daily", "0", "--keep-weekly", "0",
                     "--keep-monthly", "0"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("the retention policy keeps nothing"), std::string::npos) << none.err;
  EXPECT_FALSE(std::filesystem::exists(target_)) << "nothing stored with a bad configuration";
}

TEST_F(BackupTest, ListShowsSnapshotsNotOrphansAndFailsOnADamagedManifest) {
  auto r = Backup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = Field(r.out, "id");
  // Data whose manifest never arrived (a crash between the two puts).
  testing::WriteFileOrDie(target_ + "/ctrl-ha-20200101T000000Z.db.zst", "partial");
  auto list = RunZb({"list", "--target", "file://" + target_, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto j = nlohmann::json::parse(list.out);
  ASSERT_EQ(j.size(), 1u);
  ASSERT_EQ(j[0]["snapshots"].size(), 1u);
  EXPECT_EQ(j[0]["snapshots"][0]["id"], id);
  EXPECT_EQ(j[0]["snapshots"][0]["txid"].get<uint64_t>(), std::stoull(Field(r.out, "txid")));
  EXPECT_EQ(j[0]["orphans"], nlohmann::json::array({"ctrl-ha-20200101T000000Z.db.zst"}));

  auto text = RunZb({"list", "--target", "file://" + target_});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out.rfind("file://" + target_ + ": 1 snapshots\n", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("\n" + id + " "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1 objects without a manifest (not snapshots): "
                          "ctrl-ha-20200101T000000Z.db.zst\n"),
            std::string::npos)
      << text.out;

  testing::WriteFileOrDie(target_ + "/ctrl-ha-20300101T000000Z.json", "{\"format\": 1}");
  auto damaged = RunZb({"list", "--target", "file://" + target_});
  EXPECT_EQ(damaged.exit_code, 3);
  EXPECT_NE(damaged.out.find("ctrl-ha-20300101T000000Z  damaged: manifest "
                             "ctrl-ha-20300101T000000Z.json: missing field \"id\"; it has no "
                             "data object\n"),
            std::string::npos)
      << damaged.out;
  EXPECT_EQ(damaged.err, "ziti-backup: corruption: some snapshots are damaged (listed above)\n");
}

// Each damage to a stored snapshot makes `verify` exit 3 naming it.
TEST_F(BackupTest, VerifyPassesThenNamesEveryDamage) {
  auto r = Backup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = Field(r.out, "id");
  const std::string data = target_ + "/" + id + ".db.zst", manifest = target_ + "/" + id + ".json";
  const std::string good_data = testing::ReadFileOrDie(data);
  const std::string good_manifest = testing::ReadFileOrDie(manifest);
  auto verify = [&] { return RunZb({"verify", "--target", "file://" + target_, "--all"}); };

  auto ok = RunZb({"verify", "--target", "file://" + target_, "--restore-test"});
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.out.rfind("verify ok: file://" + target_ + " " + id + " txid=", 0), 0u) << ok.out;
  EXPECT_NE(ok.out.find(" restore-test=ok\n"), std::string::npos);
  EXPECT_EQ(testing::ListDir(dir_.path()), (std::vector<std::string>{"backups", "ctrl-ha.db"}));

  auto expect_failure = [&](const std::string& what, const std::string& needle) {
    auto v = verify();
    EXPECT_EQ(v.exit_code, 3) << what << "\n" << v.out << v.err;
    EXPECT_NE(v.out.find("verify FAILED: file://" + target_ + " " + id), std::string::npos)
        << what << "\n"
        << v.out;
    EXPECT_NE(v.out.find(needle), std::string::npos) << what << "\n" << v.out;
  };

  std::string flipped = good_data;
  flipped[flipped.size() / 2] ^= 0x10;
  testing::WriteFileOrDie(data, flipped);
  expect_failure("bit flip", "stored object " + id + ".db.zst has " +
                                 std::to_string(good_data.size()) + " bytes with SHA-256 ");

  testing::WriteFileOrDie(data, good_data.substr(0, good_data.size() - 100));
  expect_failure("truncation", "has " + std::to_string(good_data.size() - 100) + " bytes");

  testing::WriteFileOrDie(data, good_data);
  auto m = nlohmann::json::parse(good_manifest);
  m["stored"]["sha256"] = std::string(64, '0');
  testing::WriteFileOrDie(manifest, m.dump());
  expect_failure("manifest hash edited", "the manifest says " + std::to_string(good_data.size()) +
                                             " bytes with " + std::string(64, '0'));

  testing::WriteFileOrDie(manifest, good_manifest);
  std::filesystem::remove(data);
  expect_failure("data object missing",
                 "its data object " + id + ".db.zst is missing from file://");

  // Without its manifest the data is not a snapshot: there is nothing to verify.
  testing::WriteFileOrDie(data, good_data);
  std::filesystem::remove(manifest);
  auto none = verify();
  EXPECT_EQ(none.exit_code, 0) << none.out;
  EXPECT_EQ(none.out, "verify: file://" + target_ + " has no snapshots\n");
  auto latest = RunZb({"verify", "--target", "file://" + target_});
  EXPECT_EQ(latest.exit_code, 3);
  EXPECT_EQ(latest.out, "verify: file://" + target_ + " has no snapshots\n");
  EXPECT_EQ(latest.err,
            "ziti-backup: corruption: no latest snapshot to verify in 1 target (named above)\n");
  auto named = RunZb({"verify", "--target", "file://" + target_, id});
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_EQ(named.out, "");
  EXPECT_EQ(named.err, "ziti-backup: invalid argument: no snapshot " + id + " in file://" +
                           target_ + " ('ziti-backup list' names the snapshots there)\n");
}

TEST_F(BackupTest, RestorePutsTheSnapshotBackAndKeepsThePreviousFile) {
  auto r = Backup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = Field(r.out, "id");
  const auto backed_up = testing::PeerCheckFile(db_);
  // The live DB moves on (here: replaced by another one).
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1MiB", "--seed", "99"}).exit_code, 0);
  const std::string newer = testing::ReadFileOrDie(db_);
  // A clustered controller's data dir (a lone ctrl-ha.db is refused:
  // ClusterRestoreTest).
  testing::WriteFileOrDie(dir_ / "raft.db", "the raft log");
  const std::vector<std::string> restore{"restore", "latest",   "--to",
                                         db_,       "--target", "file://" + target_};

  auto refused = RunZb(restore);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err, "ziti-backup: invalid argument: " + db_ +
                             " exists; add --force to replace it (it is kept as " + db_ +
                             ".pre-restore-<time>)\n");
  EXPECT_EQ(testing::ReadFileOrDie(db_), newer);

  {
    testing::BackgroundProcess writer({testing::BoltgenPath(), "writer", "--db", db_, "--rate",
                                       "50", "--log", dir_ / "w.log", "--ready", dir_ / "ready"},
                                      dir_ / "writer");
    ASSERT_TRUE(testing::WaitForFile(dir_ / "ready", std::chrono::seconds(60)));
    auto busy =
        RunZb({"restore", "latest", "--to", db_, "--force", "--target", "file://" + target_});
    EXPECT_EQ(busy.exit_code, 4);
    EXPECT_EQ(busy.err, "ziti-backup: busy: " + db_ +
                            " is in use by a running process (stop the controller first; to "
                            "roll a running clustered controller back, use --via-agent)\n");
    EXPECT_EQ(writer.Stop(), 0);
  }
  const std::string before_force = testing::ReadFileOrDie(db_);
  auto forced = RunZb({"restore", id, "--to", db_, "--force", "--target", "file://" + target_});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(forced.out.rfind("restore ok: id=" + id + " txid=", 0), 0u) << forced.out;
  EXPECT_NE(forced.out.find("This is a REPAIR, not a rollback"), std::string::npos) << forced.out;
  auto restored = testing::PeerCheckFile(db_);
  EXPECT_EQ(restored.exit_code, 0) << restored.raw;
  EXPECT_EQ(restored.digest, backed_up.digest);
  const std::string previous = Field(forced.out, "previous");
  ASSERT_EQ(previous.rfind(db_ + ".pre-restore-", 0), 0u) << forced.out;
  EXPECT_EQ(testing::ReadFileOrDie(previous), before_force);
  EXPECT_EQ(std::filesystem::status(db_).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(BackupTest, RestoreRefusesADamagedSnapshotAndChangesNothing) {
  auto r = Backup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = Field(r.out, "id");
  const std::string data = target_ + "/" + id + ".db.zst";
  std::string flipped = testing::ReadFileOrDie(data);
  flipped[flipped.size() / 3] ^= 0x01;
  testing::WriteFileOrDie(data, flipped);
  const std::string live = testing::ReadFileOrDie(db_);
  testing::WriteFileOrDie(dir_ / "raft.db", "the raft log");
  auto bad = RunZb({"restore", id, "--to", db_, "--force", "--target", "file://" + target_});
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  EXPECT_NE(bad.err.find("snapshot " + id + ": stored object " + id + ".db.zst has "),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(testing::ReadFileOrDie(db_), live);
  EXPECT_EQ(testing::ListDir(dir_.path()),
            (std::vector<std::string>{"backups", "ctrl-ha.db", "raft.db"}));
  auto missing = RunZb({"restore", "ctrl-ha-20000101T000000Z", "--to", dir_ / "new.db", "--target",
                        "file://" + target_});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            "ziti-backup: invalid argument: no snapshot ctrl-ha-20000101T000000Z in "
            "file://" +
                target_ + " ('ziti-backup list' names the snapshots there)\n");
}

TEST_F(BackupTest, PruneDryRunDecidesAndPruneRemovesIncludingOldLeftovers) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto r = Backup();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ids.push_back(Field(r.out, "id"));
  }
  // Leftovers of interrupted runs. Under the target's lock no other run can
  // be writing, so even a fresh one is removed.
  testing::WriteFileOrDie(target_ + "/ctrl-ha-20200101T000000Z.db.zst", "orphan");
  testing::WriteFileOrDie(target_ + "/.x.db.zst.tmp-1-2", "temp");
  const std::vector<std::string> keep_one{"prune",
                                          "--target",
                                          "file://" + target_,
                                          "--keep-last",
                                          "1",
                                          "--keep-hourly",
                                          "0",
                                          "--keep-daily",
                                          "0",
                                          "--keep-weekly",
                                          "0",
                                          "--keep-monthly",
                                          "0"};
  auto dry_args = keep_one;
  dry_args.push_back("--dry-run");
  const auto before = testing::ListDir(target_);
  auto dry = RunZb(dry_args);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out, "file://" + target_ + ": policy last 1 (UTC), dry run: nothing removed\n" +
                         "keep   " + ids[2] + "  (last)\n" + "remove " + ids[1] + "\n" + "remove " +
                         ids[0] + "\n" + "remove ctrl-ha-20200101T000000Z.db.zst  " +
                         "(data without a manifest: left by an interrupted run)\n" + "file://" +
                         target_ + ": 1 kept, 2 to remove\n");
  EXPECT_EQ(testing::ListDir(target_), before);

  auto real = RunZb(keep_one);
  ASSERT_EQ(real.exit_code, 0) << real.err;
  EXPECT_EQ(testing::ListDir(target_),
            (std::vector<std::string>{".ziti-backup.lock", ids[2] + ".db.zst", ids[2] + ".json"}));
  EXPECT_NE(real.err.find("prune.remove"), std::string::npos) << real.err;

  auto nothing =
      RunZb({"prune", "--target", "file://" + target_, "--keep-last", "0", "--keep-hourly", "0",
             "--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly", "0"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_EQ(nothing.err,
            "ziti-backup: invalid argument: the retention policy keeps nothing (every keep-* is "
            "0 and keep-within is unset); set at least one, e.g. keep-last 3\n");
}

// One writer per target: a run that finds the target's lock held exits 4
// (nothing stored), or with --wait waits for it and then stores.
TEST_F(BackupTest, SecondWriterIsBusyOrWaits) {
  std::filesystem::create_directories(target_);
  const std::string lock = target_ + "/.ziti-backup.lock";
  // The other writer is this test: it holds the lock until it closes it.
  int holder = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(holder, 0);
  ASSERT_EQ(::flock(holder, LOCK_EX), 0);

  auto busy = Backup();
  EXPECT_EQ(busy.exit_code, 4);
  EXPECT_EQ(busy.err.substr(busy.err.find("ziti-backup: busy")),
            "ziti-backup: busy: another ziti-backup is writing to file://" + target_ +
                " (it holds " + lock + ")\n");
  EXPECT_EQ(testing::ListDir(target_), (std::vector<std::string>{".ziti-backup.lock"}));
  auto prune = RunZb({"prune", "--target", "file://" + target_});
  EXPECT_EQ(prune.exit_code, 4) << prune.err;

  // The lock is released only once the waiting run has said it waits.
  testing::BackgroundProcess waiter(
      {testing::ZbPath(), "backup", "--db", db_, "--target", "file://" + target_, "--wait"},
      dir_ / "waiter");
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return waiter.Stderr().find(" backup.wait ") != std::string::npos; }, 300s))
      << waiter.Stderr();
  ::close(holder);  // releases the lock
  ASSERT_TRUE(testing::WaitUntil([&] { return !waiter.Running(); }, 300s)) << waiter.Stderr();
  EXPECT_EQ(waiter.Stop(), 0) << waiter.Stderr();
  EXPECT_EQ(testing::ListDir(target_).size(), 3u);  // lock, data, manifest
}

// The container's case: only ZITI_HOME is set. The DB comes from
// $ZITI_HOME/config.yml (cluster.dataDir with the controller's ${VAR}
// substitution) and the backups go to $ZITI_HOME/backups.
TEST(BackupDefaultsTest, OnlyZitiHomeFindsTheHaDbAndTheDefaultTarget) {
  TempDir home;
  std::filesystem::create_directory(home / "raft");
  ASSERT_EQ(RunBoltgen({"gen", "--out", home / "raft/ctrl-ha.db", "--size", "1MiB"}).exit_code, 0);
  testing::WriteFileOrDie(home / "config.yml", "v: 3\ncluster:\n  dataDir: ${ZITI_HOME}/raft\n");
  auto r = testing::Run({"env", "ZITI_HOME=" + home.path(), testing::ZbPath(), "backup"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = Field(r.out, "id");
  EXPECT_EQ(id.rfind("ctrl-ha-", 0), 0u);
  EXPECT_EQ(testing::ListDir(home / "backups"),
            (std::vector<std::string>{".ziti-backup.lock", id + ".db.zst", id + ".json"}));
  EXPECT_NE(r.err.find("db=" + home / "raft/ctrl-ha.db"), std::string::npos) << r.err;
}

// flags > environment > config file > defaults, shown by keep-last.
TEST_F(BackupTest, ConfigFileFillsWhatFlagsAndVariablesLeaveOpen) {
  const std::string config = dir_ / "ziti-backup.yml";
  testing::WriteFileOrDie(config, "# all but keep_last 1 off\ntargets: [file://" + target_ +
                                      "]\nkeep_last: 1\nkeep_hourly: 0\nkeep_daily: 0\n"
                                      "keep_weekly: 0\nkeep_monthly: 0\n");
  auto count = [&] {
    int n = 0;
    for (const auto& name : testing::ListDir(target_))
      n += name.size() > 5 && name.substr(name.size() - 5) == ".json";
    return n;
  };
  auto run = [&](std::vector<std::string> pre, std::vector<std::string> post) {
    std::vector<std::string> argv{"env"};
    argv.insert(argv.end(), pre.begin(), pre.end());
    argv.insert(argv.end(), {testing::ZbPath(), "backup", "--db", db_});
    argv.insert(argv.end(), post.begin(), post.end());
    auto r = testing::Run(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  for (int i = 0; i < 2; ++i) run({"ZITI_CTRL_BACKUP_CONFIG=" + config}, {});
  EXPECT_EQ(count(), 1) << "the file's keep_last 1 and target";
  for (int i = 0; i < 2; ++i) run({"ZITI_CTRL_BACKUP_KEEP_LAST=2"}, {"--config", config});
  EXPECT_EQ(count(), 2) << "the variable beats the file";
  for (int i = 0; i < 2; ++i) {
    run({"ZITI_CTRL_BACKUP_KEEP_LAST=2"}, {"--config=" + config, "--keep-last", "3"});
  }
  EXPECT_EQ(count(), 3) << "the flag beats the variable";

  testing::WriteFileOrDie(config, "keep_dialy: 3\n");
  auto typo = RunZb({"backup", "--config", config, "--db", db_});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err, "ziti-backup: invalid argument: config file " + config +
                          ": unknown key \"keep_dialy\" (keys are the ZITI_CTRL_BACKUP_* "
                          "variables without the prefix, in lower case, e.g. keep_daily)\n");
  auto missing = RunZb({"--config", dir_ / "none.yml", "list"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            "ziti-backup: invalid argument: config file (--config / "
            "ZITI_CTRL_BACKUP_CONFIG) open " +
                dir_ / "none.yml" + ": No such file or directory\n");
}

// Two real backup runs at once into one target: the one that comes second
// while the first holds the target exits 4 and stores nothing; with --wait
// it stores after the first.
TEST(ConcurrentBackupTest, TwoRunsAtOnceNeverWriteTogether) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db", target = dir / "backups";
  ASSERT_EQ(RunBoltgen({"gen", "--out", db, "--size", "256MiB", "--seed", "2"}).exit_code, 0);
  const std::vector<std::string> argv{testing::ZbPath(), "backup",           "--db",         db,
                                      "--target",        "file://" + target, "--zstd-level", "9"};
  testing::BackgroundProcess first(argv, dir / "first");
  // The first run takes the lock at once; it then takes seconds to finish.
  ASSERT_TRUE(
      testing::WaitUntil([&] { return testing::FlockHeld(target + "/.ziti-backup.lock"); }, 300s))
      << first.Stderr();
  ASSERT_TRUE(first.Running()) << "the first run should still be storing";
  auto second = testing::Run(argv);
  EXPECT_EQ(second.exit_code, 4) << second.err;
  std::vector<std::string> waiting = argv;
  waiting.push_back("--wait");
  auto third = testing::Run(waiting);
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_NE(third.err.find("backup.wait"), std::string::npos);
  EXPECT_EQ(first.Stop(), 0) << first.Stderr();
  auto verify = RunZb({"verify", "--all", "--target", "file://" + target});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_EQ(std::count(verify.out.begin(), verify.out.end(), '\n'), 2);
}

}  // namespace
}  // namespace zb

namespace zb {
namespace {

// "damaged meta S txid T; meta O txid U" from `boltgen damage-meta`.
std::vector<std::string> DamageNewestMeta(const std::string& db) {
  auto r = RunBoltgen({"damage-meta", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  if (!std::regex_search(
          r.out, m, std::regex("^damaged meta ([01]) txid ([0-9]+); meta [01] txid ([0-9]+)"))) {
    ADD_FAILURE() << r.out;
    return {"?", "?", "?"};
  }
  return {m[1], m[2], m[3]};
}

// Before: `backup ok` of the transaction before the damaged meta, and
// nothing anywhere said so.
TEST_F(BackupTest, ADamagedNewestMetaIsLoggedAndRecordedInTheManifest) {
  const auto d = DamageNewestMeta(db_);
  auto r = Backup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("backup ok: ", 0), 0u) << r.out;
  EXPECT_EQ(Field(r.out, "txid"), d[2]);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.err, m,
      std::regex("\n[0-9TZ:-]+ snapshot\\.meta_fallback db=(\\S+) damaged_meta_page=([01]) "
                 "damaged_txid=([0-9]+) used_txid=([0-9]+) reason=\"([^\"]+)\"\n[0-9TZ:-]+ "
                 "snapshot\\.ok ")))
      << r.err;
  EXPECT_EQ(m[1], db_);
  EXPECT_EQ(m[2], d[0]);
  EXPECT_EQ(m[3], d[1]);
  EXPECT_EQ(m[4], d[2]);
  const std::string reason = m[5];
  EXPECT_EQ(reason.rfind("checksum mismatch: stored 0x", 0), 0u) << reason;

  const std::string id = Field(r.out, "id");
  auto manifest = nlohmann::json::parse(testing::ReadFileOrDie(target_ + "/" + id + ".json"));
  EXPECT_EQ(manifest["meta_fallback"], (nlohmann::json{{"damaged_txid", std::stoull(d[1])},
                                                       {"used_txid", std::stoull(d[2])},
                                                       {"reason", reason}}));
  EXPECT_EQ(manifest["bolt"]["txid"], std::stoull(d[2]));

  // An undamaged DB records none.
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "4MiB", "--churn", "--seed", "3"}).exit_code,
            0);
  auto clean = Backup();
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.err.find("meta_fallback"), std::string::npos) << clean.err;
  auto m2 = nlohmann::json::parse(
      testing::ReadFileOrDie(target_ + "/" + Field(clean.out, "id") + ".json"));
  EXPECT_TRUE(m2["meta_fallback"].is_null());
}

// Before: `backup ok` of bbolt's empty initial DB in place of the data.
TEST_F(BackupTest, AFallbackToTheEmptyInitialDbIsRefusedAndNothingIsStored) {
  ASSERT_EQ(RunBoltgen({"gen", "--out", db_, "--size", "1", "--seed", "3"}).exit_code, 0);
  const auto d = DamageNewestMeta(db_);
  ASSERT_EQ(d[1], "2");
  ASSERT_EQ(d[2], "1");
  auto r = Backup();
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("ziti-backup: corruption: " + db_ + ": meta page " + d[0] +
                       " (txid 2) is damaged (checksum mismatch: "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(") and the other meta page holds txid 1, the empty DB bbolt starts with, "
                       "but the file ("),
            std::string::npos)
      << r.err;
  for (const auto& name : testing::ListDir(target_)) {
    EXPECT_EQ(name, ".ziti-backup.lock") << "stored: " << name;
  }
  EXPECT_EQ(testing::ListDir(dir_.path()), (std::vector<std::string>{"backups", "ctrl-ha.db"}));
}

}  // namespace
}  // namespace zb
