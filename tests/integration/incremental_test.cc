// `backup --incremental` end to end on a DB that real bbolt changes between
// backups: a base, then packs of the changed pages; every snapshot restores
// to exactly the DB it was taken from (bbolt's digest and txid); prune
// keeps every object a kept snapshot names and sweeps the rest; a missing
// object fails exactly the snapshots that name it; a lost, damaged or
// stale chain state is a new base that says why; copy brings a chain's
// objects along; age encryption works as for full snapshots.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "testutil/run.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;

using testing::Field;
using testing::RunBoltgen;
using testing::RunZb;

class IncrementalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        RunBoltgen({"gen", "--out", db_, "--size", "4MiB", "--churn", "--seed", "3"}).exit_code, 0);
  }
  struct Taken {
    std::string id;
    std::string digest;  // bbolt's digest of the live DB when it was taken
    unsigned long long txid = 0;
    std::string err;
    std::string obj;  // its own data object: a base or a pack, named with its chain's tag
  };
  // Changes 5 % of the records (seed `seed`), unless seed is 0.
  void Change(int seed) {
    if (seed == 0) return;
    auto c =
        RunBoltgen({"change", "--db", db_, "--fraction", "0.05", "--seed", std::to_string(seed)});
    ASSERT_EQ(c.exit_code, 0) << c.err;
  }
  nlohmann::json Manifest(const std::string& target, const std::string& id) {
    return nlohmann::json::parse(testing::ReadFileOrDie(target + "/" + id + ".json"));
  }
  Taken Backup(const std::string& target, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = testing::KeepingLast(
        {"backup", "--db", db_, "--target", "file://" + target, "--incremental"}, 100);
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunZb(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto live = testing::PeerCheckFile(db_);
    const std::string id = Field(r.out, "id");
    return {id, live.digest, live.txid, r.err, Manifest(target, id)["data_object"]};
  }
  void ExpectRestores(const std::string& target, const Taken& t,
                      std::vector<std::string> extra = {}) {
    const std::string out = dir_ / ("restored-" + t.id + ".db");
    std::vector<std::string> args{"restore", t.id, "--target", "file://" + target, "--to", out};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunZb(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto peer = testing::PeerCheckFile(out);
    EXPECT_EQ(peer.exit_code, 0) << peer.raw;
    EXPECT_EQ(peer.digest, t.digest) << t.id;
    EXPECT_EQ(peer.txid, t.txid) << t.id;
    std::filesystem::remove(out);
  }
  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl.db";
  const std::string a_ = dir_ / "a";
};

TEST_F(IncrementalTest, ABaseThenPacksEachRestoringToTheDbItWasTakenFrom) {
  std::vector<Taken> taken;
  for (int i = 0; i < 5; ++i) {
    Change(i);
    taken.push_back(Backup(a_));
    const Taken& t = taken.back();
    if (i == 0) {
      EXPECT_TRUE(Contains(t.err, "backup.full id=" + t.id + " target=file://" + a_ +
                                      " reason=\"no chain state for this target yet\""))
          << t.err;
    } else {
      EXPECT_TRUE(Contains(t.err, "backup.incremental id=" + t.id + " target=file://" + a_ +
                                      " parent=" + taken[i - 1].id + " pages="))
          << t.err;
    }
  }
  std::vector<std::string> expected{".ziti-backup.lock", taken[0].obj, taken[0].id + ".json"};
  for (int i = 1; i < 5; ++i) {
    expected.push_back(taken[i].id + ".json");
    expected.push_back(taken[i].obj);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(testing::ListDir(a_), expected);
  // A pack holds what changed, far less than the base.
  const auto base = std::filesystem::file_size(a_ + "/" + taken[0].obj);
  for (int i = 1; i < 5; ++i) {
    EXPECT_LT(std::filesystem::file_size(a_ + "/" + taken[i].obj), base / 2);
  }
  // The newest manifest names the whole chain, base first.
  auto m = Manifest(a_, taken[4].id);
  EXPECT_EQ(m["format"], 2);
  EXPECT_EQ(m["kind"], "incremental");
  EXPECT_EQ(m["parent"], taken[3].id);
  std::vector<std::string> names;
  for (const auto& o : m["objects"]) names.push_back(o["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{taken[0].obj, taken[1].obj, taken[2].obj, taken[3].obj,
                                             taken[4].obj}));
  EXPECT_EQ(Manifest(a_, taken[0].id)["kind"], "base");
  for (const Taken& t : taken) ExpectRestores(a_, t);
  auto v = RunZb({"verify", "--all", "--target", "file://" + a_});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(std::count(v.out.begin(), v.out.end(), '\n'), 5) << v.out;
}

TEST_F(IncrementalTest, PruneKeepsWhatKeptSnapshotsNameAndSweepsTheRest) {
  std::vector<Taken> taken;
  for (int i = 0; i < 4; ++i) {
    Change(i);
    taken.push_back(Backup(a_));
  }
  auto p = RunZb(testing::KeepingLast({"prune", "--target", "file://" + a_}, 2));
  ASSERT_EQ(p.exit_code, 0) << p.err;
  // The two dropped snapshots lose their manifests; their base and pack
  // stay, the kept ones name them.
  std::vector<std::string> expected{".ziti-backup.lock",   taken[0].obj, taken[1].obj,
                                    taken[2].id + ".json", taken[2].obj, taken[3].id + ".json",
                                    taken[3].obj};
  EXPECT_EQ(testing::ListDir(a_), expected);
  ExpectRestores(a_, taken[2]);
  ExpectRestores(a_, taken[3]);
  // A lost state starts a new chain; once the old chain's snapshots are
  // pruned, nothing names its objects and they go.
  std::filesystem::remove_all(dir_ / "state-gone");
  Change(9);
  Taken fresh = Backup(a_, {"--state-dir", dir_ / "state-gone"});
  EXPECT_TRUE(Contains(fresh.err, "reason=\"no chain state for this target yet\"")) << fresh.err;
  std::vector<std::string> args = testing::KeepingLast({"prune", "--target", "file://" + a_}, 1);
  args.push_back("--dry-run");
  auto dry = RunZb(args);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_TRUE(Contains(dry.out, "remove " + taken[0].obj +
                                    "  (part of an incremental chain that no kept snapshot "
                                    "needs)\n"))
      << dry.out;
  args.pop_back();
  p = RunZb(args);
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(testing::ListDir(a_),
            (std::vector<std::string>{".ziti-backup.lock", fresh.obj, fresh.id + ".json"}));
  ExpectRestores(a_, fresh);
}

TEST_F(IncrementalTest, AMissingPackFailsExactlyTheSnapshotsThatNameIt) {
  std::vector<Taken> taken;
  for (int i = 0; i < 4; ++i) {
    Change(i);
    taken.push_back(Backup(a_));
  }
  std::filesystem::remove(a_ + "/" + taken[2].obj);
  auto v = RunZb({"verify", "--all", "--target", "file://" + a_});
  EXPECT_EQ(v.exit_code, 3) << v.out << v.err;
  for (int i : {0, 1}) {
    EXPECT_TRUE(Contains(v.out, "verify ok: file://" + a_ + " " + taken[i].id + " ")) << v.out;
  }
  for (int i : {2, 3}) {
    EXPECT_TRUE(Contains(v.out, "verify FAILED: file://" + a_ + " " + taken[i].id + ": snapshot " +
                                    taken[i].id + ": its data object " + taken[2].obj +
                                    " is missing from file://" + a_))
        << v.out;
  }
  EXPECT_TRUE(Contains(v.err, "2 of 4 snapshots failed verification")) << v.err;
  // The chain cannot go on: the next backup is a new base that says why.
  Taken next = Backup(a_);
  EXPECT_TRUE(Contains(next.err, "reason=\"the chain's object " + taken[2].obj +
                                     " is missing or has another size\""))
      << next.err;
  EXPECT_TRUE(std::filesystem::exists(a_ + "/" + next.obj));
  ExpectRestores(a_, next);
}

TEST_F(IncrementalTest, ALostDamagedOrStaleStateIsANewBaseThatSaysWhy) {
  Taken first = Backup(a_);
  std::string state;
  for (const auto& n : testing::ListDir(dir_.path())) {
    if (n.starts_with(".ziti-backup-chain-")) state = dir_ / n;
  }
  ASSERT_FALSE(state.empty());
  EXPECT_EQ(std::filesystem::status(state).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // Damaged: one byte flipped.
  std::string bytes = testing::ReadFileOrDie(state);
  bytes[bytes.size() / 2] ^= 1;
  testing::WriteFileOrDie(state, bytes);
  Change(1);
  Taken damaged = Backup(a_);
  EXPECT_TRUE(Contains(damaged.err, "backup.full id=" + damaged.id + " target=file://" + a_ +
                                        " reason=\"the chain state is damaged: "))
      << damaged.err;
  // Stale: the state is a snapshot behind (saved before the last backup).
  const std::string before = testing::ReadFileOrDie(state);
  Change(2);
  Taken on = Backup(a_);
  EXPECT_TRUE(Contains(on.err, "parent=" + damaged.id)) << on.err;
  testing::WriteFileOrDie(state, before);
  Change(3);
  Taken branch = Backup(a_);
  // The older head is still in the target: the chain branches from it.
  EXPECT_TRUE(Contains(branch.err, "backup.incremental id=" + branch.id + " target=file://" + a_ +
                                       " parent=" + damaged.id))
      << branch.err;
  // Another encoding starts over.
  Change(4);
  Taken plain = Backup(a_, {"--compress", "none"});
  EXPECT_TRUE(Contains(plain.err, "reason=\"the compression changed from zstd to none\""))
      << plain.err;
  EXPECT_TRUE(std::filesystem::exists(a_ + "/" + plain.obj));
  for (const Taken& t : {first, damaged, on, branch, plain}) ExpectRestores(a_, t);
}

TEST_F(IncrementalTest, CopyBringsTheChainAlongAndEncryptionHoldsThroughout) {
  auto key = RunZb({"keygen", "--output", dir_ / "id.txt"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string recipient = key.out.substr(key.out.find("age1"), 62);
  std::vector<Taken> taken;
  for (int i = 0; i < 3; ++i) {
    Change(i);
    taken.push_back(Backup(a_, {"--age-recipient", recipient}));
  }
  EXPECT_TRUE(std::filesystem::exists(a_ + "/" + taken[0].obj));
  EXPECT_TRUE(std::filesystem::exists(a_ + "/" + taken[2].obj));
  // Only the newest: its base and packs come with it.
  const std::string b = dir_ / "b";
  auto c = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b, taken[2].id});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(testing::ListDir(b),
            (std::vector<std::string>{".ziti-backup.lock", taken[0].obj, taken[1].obj,
                                      taken[2].id + ".json", taken[2].obj}));
  ExpectRestores(b, taken[2], {"--identity", dir_ / "id.txt"});
  // Without the identity, verify checks every stored object's hash.
  auto v = RunZb({"verify", "--all", "--target", "file://" + b});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_TRUE(Contains(v.out, "checked=stored-sha256")) << v.out;
  // The rest: the objects the destination holds are not copied again.
  auto rest = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b, "--missing"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  for (const Taken& t : taken) ExpectRestores(b, t, {"--identity", dir_ / "id.txt"});
}

// Each target grows its own chain, so one run's objects differ between
// targets (encrypted, even the bytes of the same image do). A target that
// missed runs gets the other's snapshots by catch-up, their chain's
// objects under that chain's own names: nothing of its own chain is
// overwritten, and every snapshot in both targets restores.
TEST_F(IncrementalTest, ATargetThatMissedRunsCatchesUpWithoutMixingChains) {
  auto key = RunZb({"keygen", "--output", dir_ / "id.txt"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string recipient = key.out.substr(key.out.find("age1"), 62);
  const std::string b = dir_ / "mnt/b", away = dir_ / "mnt-away";
  std::filesystem::create_directories(b);
  auto both = [&](int expect_exit) {
    auto r = RunZb(
        testing::KeepingLast({"backup", "--db", db_, "--target", "file://" + a_ + " file://" + b,
                              "--incremental", "--age-recipient", recipient},
                             100));
    EXPECT_EQ(r.exit_code, expect_exit) << r.err;
    auto live = testing::PeerCheckFile(db_);
    return Taken{Field(r.out, "id"), live.digest, live.txid, r.err, ""};
  };
  std::vector<Taken> taken{both(0)};
  std::filesystem::rename(dir_ / "mnt", away);  // the volume goes away
  for (int i = 1; i < 3; ++i) {
    Change(i);
    taken.push_back(both(5));
  }
  std::filesystem::rename(away, dir_ / "mnt");
  Change(3);
  taken.push_back(both(0));
  EXPECT_TRUE(Contains(taken.back().err, "catchup.copy id=" + taken[1].id)) << taken.back().err;
  // The chains differ: the first run's base in each target has its own tag.
  EXPECT_NE(Manifest(a_, taken[0].id)["chain"], Manifest(b, taken[0].id)["chain"]);
  EXPECT_EQ(Manifest(b, taken[1].id)["chain"], Manifest(a_, taken[1].id)["chain"]);
  EXPECT_EQ(Manifest(b, taken[3].id)["parent"], taken[0].id) << "b's own chain went on";
  for (const std::string& target : {a_, b}) {
    auto v =
        RunZb({"verify", "--all", "--target", "file://" + target, "--identity", dir_ / "id.txt"});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    EXPECT_EQ(std::count(v.out.begin(), v.out.end(), '\n'), 4) << v.out;
    for (const Taken& t : taken) ExpectRestores(target, t, {"--identity", dir_ / "id.txt"});
  }
}

// The stored format is enough to rebuild a snapshot without ziti-backup:
// the real zstd CLI and the script docs/incremental.md shows (run as it is
// there) rebuild each snapshot byte for byte.
TEST_F(IncrementalTest, TheDocumentedScriptRebuildsEverySnapshotWithStandardTools) {
  const std::string doc =
      testing::ReadFileOrDie(std::string(ZB_SOURCE_DIR) + "/docs/incremental.md");
  const size_t start = doc.find("```python\n# rebuild.py");
  ASSERT_NE(start, std::string::npos) << "the script is gone from docs/incremental.md";
  const size_t body = doc.find('\n', start) + 1;
  const std::string script = doc.substr(body, doc.find("```", body) - body);
  testing::WriteFileOrDie(dir_ / "rebuild.py", script);
  std::vector<Taken> taken;
  for (int i = 0; i < 4; ++i) {
    Change(i);
    taken.push_back(Backup(a_));
  }
  for (const Taken& t : taken) {
    const auto m = Manifest(a_, t.id);
    std::vector<std::string> args{"python3", dir_ / "rebuild.py", dir_ / "by-hand.db"};
    for (const auto& o : m["objects"]) {
      const std::string name = o["name"], plain = dir_ / (name + ".plain");
      auto z = testing::Run({"zstd", "-q", "-d", "-f", a_ + "/" + name, "-o", plain});
      ASSERT_EQ(z.exit_code, 0) << z.err;
      args.push_back(plain);
    }
    auto py = testing::Run(args);
    ASSERT_EQ(py.exit_code, 0) << py.err;
    auto sum = testing::Run({"sha256sum", dir_ / "by-hand.db"});
    EXPECT_EQ(sum.out.substr(0, 64), m["plain"]["sha256"]) << t.id;
    auto peer = testing::PeerCheckFile(dir_ / "by-hand.db");
    EXPECT_EQ(peer.exit_code, 0) << peer.raw;
    EXPECT_EQ(peer.digest, t.digest) << t.id;
  }
}

}  // namespace
}  // namespace zb
