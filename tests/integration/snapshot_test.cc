// `ziti-backup snapshot` against real bbolt: DBs written by the Go peer
// (tests/boltgen), a live writer committing while we copy, and every
// snapshot checked by bbolt's own Tx.Check with its content digest compared
// to the digest the writer logged for the snapshot's txid. Hot copies run
// paced (testutil/live_writer.h): each retry slows the writer, so a loaded
// machine costs retries, never a failure, and no test depends on speed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "base/page_set.h"
#include "bolt/file.h"
#include "bolt/freelist.h"
#include "env/env.h"
#include "testutil/live_writer.h"
#include "testutil/run.h"

namespace zb {
namespace {

using namespace std::chrono_literals;
using testing::Field;
using testing::LiveWriter;
using testing::PeerCheckFile;
using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;

// The value of "key=" in the snapshot summary line.
void Generate(const std::string& path, const std::string& size,
              std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"gen", "--out", path, "--size", size, "--seed", "7"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunBoltgen(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Checks the shape of every `snapshot.retry` line in `log` (numbered 1, 2,
// ... with the reason, the writer's commits and rate, and the backoff;
// after `id=` when given) and returns how many there are.
size_t CheckedRetries(const std::string& log, const std::string& id = "") {
  const auto lines = testing::RetryLines(log);
  const std::regex shape("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ snapshot\\.retry " +
                         (id.empty() ? "" : "id=" + id + " ") +
                         "attempt=(\\d+) why=\"[^\"=]+\" commits=\\d+ "
                         "commits_per_second=\\d+\\.\\d backoff=\\d+ms");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    EXPECT_TRUE(std::regex_match(lines[i], m, shape)) << lines[i];
    if (!m.empty()) {
      EXPECT_EQ(m[1].str(), std::to_string(i + 1)) << lines[i];
    }
  }
  return lines.size();
}

// Only the snapshot itself may be left in the directory: no temp files.
void ExpectOnly(const std::string& dir, std::vector<std::string> names) {
  EXPECT_EQ(testing::ListDir(dir), names);
}

TEST(SnapshotColdTest, RefusedWhileAWriterHoldsTheLockThenIdenticalAfterItStops) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db", outdir = dir / "out", out = outdir + "/snap.db";
  Generate(db, "4MiB");
  std::filesystem::create_directory(outdir);
  {
    LiveWriter writer(dir.path(), db, 100);
    ASSERT_TRUE(writer.ready()) << writer.Stderr();
    auto r = RunZb({"snapshot", "--method", "cold", db, out});
    EXPECT_EQ(r.exit_code, 4);
    EXPECT_EQ(r.err, "ziti-backup: busy: " + db +
                         " is in use: a running writer holds its lock, so a cold copy is not "
                         "possible; use --method hot or agent, or stop the controller\n");
    ExpectOnly(outdir, {});
    EXPECT_EQ(writer.Stop(), 0) << writer.Stderr();
  }
  auto r = RunZb({"snapshot", "--method", "cold", db, out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(r.out, "method"), "cold");
  auto live = PeerCheckFile(db), snap = PeerCheckFile(out);
  EXPECT_EQ(snap.exit_code, 0) << snap.raw;
  EXPECT_EQ(snap.txid, live.txid);
  EXPECT_EQ(Field(r.out, "txid"), std::to_string(live.txid));
  EXPECT_EQ(snap.digest, live.digest);
  EXPECT_EQ(std::filesystem::status(out).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ExpectOnly(outdir, {"snap.db"});
}

// 30 hot snapshots of 128 MiB while the writer commits at up to 600/s:
// each is exactly the writer's state at the txid it reports (bbolt's Check
// and the logged digest), each is of a later commit than the one before,
// and each reports as many attempts as it logged retries, plus one.
TEST(SnapshotHotTest, ThirtySnapshotsUnderAFastWriterMatchTheWriterLog) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db";
  Generate(db, "128MiB");
  LiveWriter writer(dir.path(), db, 600, {"--no-sync"});
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  struct Taken {
    std::string reported_txid;
    testing::PeerCheck check;
  };
  std::vector<Taken> taken;
  size_t retries = 0;
  unsigned long long previous = 0;
  for (int i = 0; i < 30; ++i) {
    // The writer has moved on since the previous snapshot.
    ASSERT_TRUE(writer.WaitForCommitAfter(previous)) << writer.Stderr();
    const std::string out = dir / "hot.db";
    auto r = testing::RunZbPaced(writer, {"snapshot", "--method", "hot", db, out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Field(r.out, "method"), "hot");
    const size_t n = CheckedRetries(r.err);
    EXPECT_EQ(testing::RetryLines(r.err).size(),
              static_cast<size_t>(std::count(r.err.begin(), r.err.end(), '\n')))
        << "only retries on stderr: " << r.err;
    EXPECT_EQ(Field(r.out, "attempts"), std::to_string(n + 1)) << r.out << r.err;
    retries += n;
    taken.push_back({Field(r.out, "txid"), PeerCheckFile(out)});
    previous = taken.back().check.txid;
    std::filesystem::remove(out);
  }
  ASSERT_EQ(writer.Stop(), 0);
  // How hard the machine made it: retries, and how far the writer slowed.
  const std::string stats = writer.Stderr();
  double slowest = 600;
  const std::regex slowed("rate now ([0-9.]+)/s");
  for (std::sregex_iterator it(stats.begin(), stats.end(), slowed), end; it != end; ++it) {
    slowest = std::min(slowest, std::stod((*it)[1].str()));
  }
  std::cout << "[ note     ] 30 hot snapshots needed " << retries
            << " retries; the writer went down to " << slowest << " commits/s; "
            << stats.substr(std::min(stats.size(), stats.rfind("commits ")));
  auto log = writer.Digests();
  std::set<unsigned long long> distinct;
  for (const auto& t : taken) {
    EXPECT_EQ(t.check.exit_code, 0) << t.check.raw;
    EXPECT_EQ(std::to_string(t.check.txid), t.reported_txid);
    ASSERT_TRUE(log.count(t.check.txid)) << "txid " << t.check.txid << " not in the writer log";
    EXPECT_EQ(t.check.digest, log[t.check.txid]) << "txid " << t.check.txid;
    distinct.insert(t.check.txid);
  }
  EXPECT_EQ(distinct.size(), 30u);
}

// Backups under a fast writer: every retry is a `snapshot.retry` event with
// the backup's id, and the attempts (1 + retries) are in `snapshot.ok`, in
// the manifest and in `list --json`.
TEST(SnapshotHotTest, BackupsLogEveryRetryAndRecordTheAttempts) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db", target = dir / "backups";
  Generate(db, "32MiB");
  LiveWriter writer(dir.path(), db, 1000, {"--no-sync"});
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  std::map<std::string, int> attempts;  // id -> attempts
  for (int i = 0; i < 5; ++i) {
    auto r = testing::RunZbPaced(writer, {"backup", "--db", db, "--target", "file://" + target,
                                          "--method", "hot", "--keep-last", "10"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string id = Field(r.out, "id");
    const int n = static_cast<int>(CheckedRetries(r.err, id));
    std::smatch ok;
    ASSERT_TRUE(std::regex_search(r.err, ok,
                                  std::regex(" snapshot\\.ok id=" + id +
                                             " method=hot txid=\\d+ bytes=\\d+ "
                                             "attempts=(\\d+) duration=")))
        << r.err;
    EXPECT_EQ(ok[1].str(), std::to_string(n + 1)) << r.err;
    const auto manifest =
        nlohmann::json::parse(testing::ReadFileOrDie(target + "/" + id + ".json"));
    EXPECT_EQ(manifest["attempts"], n + 1) << manifest.dump();
    attempts[id] = n + 1;
  }
  ASSERT_EQ(writer.Stop(), 0);
  auto list = RunZb({"list", "--json", "--target", "file://" + target});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::map<std::string, int> listed;
  const auto j = nlohmann::json::parse(list.out);  // kept alive for the loop
  for (const auto& s : j[0]["snapshots"]) {
    listed[s["id"].get<std::string>()] = s["attempts"].get<int>();
  }
  EXPECT_EQ(listed, attempts);
}

class SnapshotAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "ctrl-ha.db";
    out_ = dir_ / "out/snap.db";
    socket_ = dir_ / "agent.sock";
    std::filesystem::create_directory(dir_ / "out");
    Generate(db_, "4MiB");
    writer_ = std::make_unique<LiveWriter>(dir_.path(), db_, 200,
                                           std::vector<std::string>{"--agent-socket", socket_});
    ASSERT_TRUE(writer_->ready()) << writer_->Stderr();
  }
  testing::RunResult Snapshot(const std::string& command, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"snapshot", "--agent-command", command};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(db_);
    args.push_back(out_);
    return RunZb(args);
  }
  TempDir dir_;
  std::string db_, out_, socket_;
  std::unique_ptr<LiveWriter> writer_;
};

TEST_F(SnapshotAgentTest, AutoUsesTheAgentWhileTheControllerRuns) {
  auto r = Snapshot(testing::BoltgenPath() + " agent --socket " + socket_ + " {out}");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(r.out, "method"), "agent");
  ASSERT_EQ(writer_->Stop(), 0);
  auto snap = PeerCheckFile(out_);
  EXPECT_EQ(snap.exit_code, 0) << snap.raw;
  EXPECT_EQ(std::to_string(snap.txid), Field(r.out, "txid"));
  EXPECT_EQ(snap.digest, writer_->Digests()[snap.txid]);
  ExpectOnly(dir_ / "out", {"snap.db"});
}

TEST_F(SnapshotAgentTest, FailingCommandIsAClearErrorAndLeavesNothing) {
  auto r = Snapshot("false", {"--method", "agent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "ziti-backup: I/O error: agent command false exit status 1\n");
  ExpectOnly(dir_ / "out", {});
}

// The command is killed at its timeout: the run ends long before the
// command would have (a bound far from the 1 s timeout, for a loaded
// machine, and far from the 600 s sleep).
TEST_F(SnapshotAgentTest, HangingCommandTimesOutAndLeavesNothing) {
  auto start = std::chrono::steady_clock::now();
  auto r = Snapshot("sleep 600", {"--method", "agent", "--agent-timeout", "1s"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 300s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "ziti-backup: timeout: agent command sleep timed out after 1000ms and was killed\n");
  ExpectOnly(dir_ / "out", {});
}

TEST_F(SnapshotAgentTest, GarbageFromTheAgentIsRejectedAndLeavesNothing) {
  auto r = Snapshot("sh -c \"head -c 65536 /dev/urandom > $0\" {out}", {"--method", "agent"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("agent command sh wrote a file that is not a usable bbolt DB: "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("not a bbolt file (no valid meta page; size 65536 bytes)"),
            std::string::npos)
      << r.err;
  ExpectOnly(dir_ / "out", {});
}

// What `ziti agent controller snapshot-db` prints when the controller
// refuses a second snapshot within a minute (exit 1): the error, its usage
// text, the error again.
const std::string kRefusingAgent =
    "sh -c \"printf 'Error: may snapshot database at most once per minute\\nUsage:\\n  ziti agent "
    "controller snapshot-db <snapshot path> [flags]\\n\\nFlags:\\n  -h, --help   help for "
    "snapshot-db\\n\\n\\nmay snapshot database at most once per minute\\n'; exit 1\"";

TEST_F(SnapshotAgentTest, ARefusingAgentShowsZitisErrorLine) {
  auto r = Snapshot(kRefusingAgent, {"--method", "agent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "ziti-backup: I/O error: agent command sh exit status 1: may snapshot database at "
            "most once per minute\n");
  ExpectOnly(dir_ / "out", {});
}

TEST_F(SnapshotAgentTest, AutoFallsBackToHotWhenTheAgentRefusesAndLogsIt) {
  auto r = Snapshot(kRefusingAgent);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(r.out, "method"), "hot");
  EXPECT_NE(r.err.find(" snapshot.agent_fallback method=hot why=\"agent command sh exit status 1: "
                       "may snapshot database at most once per minute\"\n"),
            std::string::npos)
      << r.err;
  ASSERT_EQ(writer_->Stop(), 0);
  auto snap = PeerCheckFile(out_);
  EXPECT_EQ(snap.exit_code, 0) << snap.raw;
  EXPECT_EQ(snap.digest, writer_->Digests()[snap.txid]);
  ExpectOnly(dir_ / "out", {"snap.db"});
}

// The controller rewrites DATE, TIME, DB_DIR, DB_FILE and RAFT_INDEX in the
// path it is given: under a directory named UPDATE its file would go to
// another path. The agent is not asked; auto takes the snapshot hot.
TEST(SnapshotAgentPathTest, APathTheControllerWouldRewriteIsNeverGivenToIt) {
  TempDir dir;
  std::filesystem::create_directory(dir / "UPDATE");
  const std::string db = dir / "UPDATE/ctrl-ha.db", socket = dir / "agent.sock";
  Generate(db, "1MiB");
  LiveWriter writer(dir.path(), db, 100, {"--agent-socket", socket});
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  const std::string agent = testing::BoltgenPath() + " agent --socket " + socket + " {out}";
  auto refused = RunZb({"snapshot", "--method", "agent", "--agent-command", agent, db, dir / "a"});
  EXPECT_EQ(refused.exit_code, 2);
  const std::string said = testing::LastLine(refused.err);
  const std::string head = "ziti-backup: invalid argument: agent command " +
                           testing::BoltgenPath() +
                           " not run: the controller rewrites \"DATE\" anywhere in the path it "
                           "is given, and the file it would write, " +
                           dir / "UPDATE/.ziti-backup-";
  const std::string tail = " contains it (use --method hot, or a DB directory without that name)";
  EXPECT_EQ(said.substr(0, head.size()), head) << said;
  ASSERT_GT(said.size(), tail.size());
  EXPECT_EQ(said.substr(said.size() - tail.size()), tail) << said;
  auto r = testing::RunZbPaced(writer, {"snapshot", "--agent-command", agent, db, dir / "b.db"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(r.out, "method"), "hot");
  EXPECT_NE(r.err.find("snapshot.agent_fallback method=hot why=\"agent command "),
            std::string::npos)
      << r.err;
  EXPECT_EQ(writer.Stop(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "a"));
}

TEST(SnapshotAutoTest, HotWithoutAnAgentAndColdWhenIdle) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db";
  Generate(db, "4MiB");
  {
    LiveWriter writer(dir.path(), db, 200);
    ASSERT_TRUE(writer.ready()) << writer.Stderr();
    auto r = testing::RunZbPaced(writer, {"snapshot", db, dir / "a.db"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Field(r.out, "method"), "hot");
    EXPECT_EQ(writer.Stop(), 0);
  }
  auto r = RunZb({"snapshot", db, dir / "b.db"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(r.out, "method"), "cold");
}

// Reads a snapshot's free pages and tells whether each is all zeroes.
std::pair<uint64_t, uint64_t> ZeroAndNonZeroFreePages(const std::string& path) {
  auto env = NewPosixEnv();
  auto file = env->OpenForRead(path);
  EXPECT_TRUE(file.ok());
  auto bolt = bolt::BoltFile::Open(**file);
  EXPECT_TRUE(bolt.ok());
  auto meta = bolt->ReadLatestMeta();
  auto free_pages = bolt::ReadFreelist(*bolt, meta->meta);
  EXPECT_TRUE(free_pages.ok());
  uint64_t zero = 0, nonzero = 0;
  std::vector<std::byte> buf;
  for (bolt::Pgid id : *free_pages) {
    auto page = bolt->ReadOnePage(id, buf);
    EXPECT_TRUE(page.ok());
    bool all_zero =
        std::all_of(page->begin(), page->end(), [](std::byte b) { return b == std::byte{0}; });
    (all_zero ? zero : nonzero)++;
  }
  return {zero, nonzero};
}

TEST(SnapshotScrubTest, FreePagesAreZeroedAndContentIsUnchanged) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db";
  Generate(db, "8MiB", {"--churn"});
  auto scrubbed = RunZb({"snapshot", db, dir / "scrubbed.db"});
  ASSERT_EQ(scrubbed.exit_code, 0) << scrubbed.err;
  auto kept = RunZb({"snapshot", "--no-scrub", db, dir / "kept.db"});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;

  auto [zero, nonzero] = ZeroAndNonZeroFreePages(dir / "scrubbed.db");
  EXPECT_GT(zero, 10u);
  EXPECT_EQ(nonzero, 0u);
  EXPECT_EQ(Field(scrubbed.out, "scrubbed_pages"), std::to_string(zero));
  auto [kept_zero, kept_nonzero] = ZeroAndNonZeroFreePages(dir / "kept.db");
  EXPECT_GT(kept_nonzero, 0u) << "without scrubbing, deleted data stays in free pages";
  EXPECT_EQ(Field(kept.out, "scrubbed_pages"), "0");

  auto live = PeerCheckFile(db), snap = PeerCheckFile(dir / "scrubbed.db");
  EXPECT_EQ(snap.exit_code, 0) << snap.raw;
  EXPECT_EQ(snap.digest, live.digest);
  EXPECT_EQ(snap.txid, live.txid);
}

// Hot copies zero the pages free when the copy starts while copying them;
// pages that come into use are copied over, and pages freed by the commit
// the snapshot lands on are zeroed at the end. Under a live writer every
// free page of each snapshot must be zero and the content exactly the
// writer's at that txid.
TEST(SnapshotScrubTest, HotSnapshotsUnderLoadHaveEveryFreePageZeroed) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db";
  Generate(db, "16MiB", {"--churn"});
  LiveWriter writer(dir.path(), db, 400, {"--no-sync"});
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  std::vector<std::pair<std::string, testing::PeerCheck>> taken;
  for (int i = 0; i < 5; ++i) {
    const std::string out = dir / ("hot" + std::to_string(i) + ".db");
    auto r = testing::RunZbPaced(writer, {"snapshot", "--method", "hot", db, out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto [zero, nonzero] = ZeroAndNonZeroFreePages(out);
    EXPECT_EQ(nonzero, 0u) << out;
    EXPECT_EQ(Field(r.out, "scrubbed_pages"), std::to_string(zero)) << r.out;
    taken.emplace_back(Field(r.out, "txid"), PeerCheckFile(out));
  }
  ASSERT_EQ(writer.Stop(), 0) << writer.Stderr();
  auto log = writer.Digests();
  for (const auto& [txid, check] : taken) {
    EXPECT_EQ(check.exit_code, 0) << check.raw;
    EXPECT_EQ(std::to_string(check.txid), txid);
    EXPECT_EQ(check.digest, log[check.txid]) << "txid " << txid;
  }
}

TEST(SnapshotErrorsTest, BadInputIsAClearErrorAndWritesNothing) {
  TempDir dir;
  std::filesystem::create_directory(dir / "out");
  auto missing = RunZb({"snapshot", dir / "nope.db", dir / "out/x.db"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            "ziti-backup: not found: stat " + dir / "nope.db" + ": No such file or directory\n");
  auto is_dir = RunZb({"snapshot", dir / "out", dir / "out/x.db"});
  EXPECT_EQ(is_dir.exit_code, 2);
  EXPECT_EQ(is_dir.err, "ziti-backup: invalid argument: " + dir / "out" +
                            " is a directory, not a bbolt file\n");
  testing::WriteFileOrDie(dir / "junk.db", std::string(20000, 'x'));
  auto junk = RunZb({"snapshot", dir / "junk.db", dir / "out/x.db"});
  EXPECT_EQ(junk.exit_code, 3);
  EXPECT_EQ(junk.err, "ziti-backup: corruption: " + dir / "junk.db" +
                          ": not a bbolt file (no valid meta page; size 20000 bytes)\n");
  auto method = RunZb({"snapshot", "--method", "warm", dir / "junk.db", dir / "out/x.db"});
  EXPECT_EQ(method.exit_code, 2);
  EXPECT_EQ(method.err,
            "ziti-backup: invalid argument: unknown snapshot method \"warm\" (use auto, cold, "
            "hot or agent)\n");
  auto usage = RunZb({"snapshot", dir / "junk.db"});
  EXPECT_EQ(usage.exit_code, 2);
  ExpectOnly(dir / "out", {});
}

}  // namespace
}  // namespace zb

namespace zb {
namespace {

// "damaged meta S txid T; meta O txid U" from `boltgen damage-meta`.
struct DamagedMeta {
  std::string slot, txid, other_txid;
};
DamagedMeta DamageMeta(const std::string& db, const std::string& which = "newest") {
  auto r = RunBoltgen({"damage-meta", "--db", db, "--which", which});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  if (!std::regex_search(
          r.out, m, std::regex("^damaged meta ([01]) txid ([0-9]+); meta [01] txid ([0-9]+)"))) {
    ADD_FAILURE() << r.out;
    return {};
  }
  return {m[1], m[2], m[3]};
}

// A damaged newest meta: bbolt itself opens the transaction before it, and
// so does the snapshot, which now says so (before: silently).
TEST(SnapshotMetaFallbackTest, TheTransactionBeforeADamagedNewestMetaIsTakenAndLogged) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db";
  Generate(db, "2MiB", {"--churn"});
  const DamagedMeta d = DamageMeta(db);
  EXPECT_EQ(std::stoull(d.other_txid) + 1, std::stoull(d.txid));
  auto live = PeerCheckFile(db);  // bbolt falls back too
  ASSERT_EQ(std::to_string(live.txid), d.other_txid);
  for (const char* method : {"cold", "hot"}) {
    const std::string out = dir / (std::string(method) + ".db");
    auto r = RunZb({"snapshot", "--method", method, db, out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Field(r.out, "txid"), d.other_txid) << method;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        r.err, m,
        std::regex("^[0-9TZ:-]+ snapshot\\.meta_fallback db=(\\S+) damaged_meta_page=([01]) "
                   "damaged_txid=([0-9]+) used_txid=([0-9]+) reason=\"(checksum mismatch: "
                   "stored 0x[0-9a-f]+, computed 0x[0-9a-f]+)\"\n$")))
        << method << ": " << r.err;
    EXPECT_EQ(m[1], db);
    EXPECT_EQ(m[2], d.slot);
    EXPECT_EQ(m[3], d.txid);
    EXPECT_EQ(m[4], d.other_txid);
    auto snap = PeerCheckFile(out);
    EXPECT_EQ(snap.exit_code, 0) << snap.raw;
    EXPECT_EQ(snap.txid, live.txid);
    EXPECT_EQ(snap.digest, live.digest);
  }
}

TEST(SnapshotMetaFallbackTest, ADamagedOlderMetaIsNoFallback) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db";
  Generate(db, "2MiB", {"--churn"});
  const DamagedMeta d = DamageMeta(db, "older");
  auto r = RunZb({"snapshot", "--method", "cold", db, dir / "snap.db"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Field(r.out, "txid"), d.other_txid);  // the newest, undamaged
  EXPECT_EQ(r.err, "");
}

// The first commit's meta is damaged: the other one is bbolt's empty initial
// DB. Before: `snapshot ok` of an empty DB.
TEST(SnapshotMetaFallbackTest, FallingBackToTheEmptyInitialDbIsRefused) {
  TempDir dir;
  const std::string db = dir / "ctrl-ha.db", outdir = dir / "out";
  Generate(db, "1");  // one commit: txid 2, the other meta holds txid 1
  const DamagedMeta d = DamageMeta(db);
  ASSERT_EQ(d.txid, "2");
  ASSERT_EQ(d.other_txid, "1");
  const std::string pages = std::to_string(std::filesystem::file_size(db) / 4096);
  for (const char* method : {"cold", "hot"}) {
    auto r = RunZb({"snapshot", "--method", method, db, outdir + "/snap.db"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    std::smatch m;
    EXPECT_TRUE(std::regex_match(
        r.err, m,
        std::regex("ziti-backup: corruption: " + db + ": meta page " + d.slot +
                   " \\(txid 2\\) is damaged \\(checksum mismatch: stored 0x[0-9a-f]+, computed "
                   "0x[0-9a-f]+\\) and the other meta page holds txid 1, the empty DB bbolt "
                   "starts with, but the file \\(" +
                   pages +
                   " pages\\) has commits; refusing to take an empty DB in place of the data "
                   "\\(run 'ziti-backup check " +
                   db + "'\\)\n")))
        << method << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(outdir + "/snap.db"));
    if (std::filesystem::exists(outdir)) ExpectOnly(outdir, {});
  }
}

}  // namespace
}  // namespace zb
