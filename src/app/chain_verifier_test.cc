#include "app/chain_verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/backup_job.h"
#include "store/local_backend.h"
#include "testutil/run.h"

namespace zb::app {
namespace {

// Counts the reads of each object.
class CountingBackend final : public store::Backend {
 public:
  explicit CountingBackend(store::Backend& inner) : inner_(inner) {}
  Status Put(std::string_view name, ByteSource& data) override { return inner_.Put(name, data); }
  Status Get(std::string_view name, ByteSink& out) override {
    ++gets[std::string(name)];
    return inner_.Get(name, out);
  }
  Result<std::vector<store::ObjectInfo>> List(std::string_view prefix) override {
    return inner_.List(prefix);
  }
  Status Delete(std::string_view name) override { return inner_.Delete(name); }
  std::string Describe() const override { return inner_.Describe(); }
  std::map<std::string, int> gets;

 private:
  store::Backend& inner_;
};

class ChainVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "1MiB", "--churn"}).exit_code, 0);
    o_.db = db_;
    o_.incremental = true;
    o_.policy.last = 100;
    o_.policy.hourly = o_.policy.daily = o_.policy.weekly = o_.policy.monthly = 0;
    ASSERT_TRUE(env_->CreateDir(scratch_).ok());
  }
  void Backup(int seed) {
    if (seed > 0) {
      ASSERT_EQ(testing::RunBoltgen(
                    {"change", "--db", db_, "--fraction", "0.05", "--seed", std::to_string(seed)})
                    .exit_code,
                0);
    }
    std::ostringstream log_text;
    Log log(log_text, LogFormat::kText, *clock_);
    auto r = RunBackup(*env_, *clock_, {&local_}, o_, log);
    ASSERT_TRUE(r.ok() && r->succeeded() == 1) << log_text.str();
  }
  std::vector<repo::Manifest> Listed() {
    std::vector<repo::Manifest> out;
    repo::Repository repo(local_);
    const repo::Listing listing = *repo.List();
    for (const auto& s : listing.snapshots) out.push_back(s.manifest);
    return out;
  }
  std::map<std::string, Status> Verify(CountingBackend& counting, bool hash_only) {
    repo::Repository repo(counting);
    return VerifyChains(*env_, repo, Listed(), {scratch_, {}, hash_only, nullptr});
  }
  // The state file beside the DB, as it is now.
  std::string StatePath() {
    for (const auto& n : testing::ListDir(dir_.path())) {
      if (n.starts_with(".ziti-backup-chain-")) return dir_ / n;
    }
    return "";
  }

  testing::TempDir dir_;
  std::unique_ptr<Env> env_ = NewPosixEnv();
  std::unique_ptr<Clock> clock_ = NewSystemClock();
  const std::string db_ = dir_ / "ctrl.db", scratch_ = dir_ / "scratch";
  store::LocalBackend local_{*env_, dir_ / "target"};
  BackupOptions o_;
};

TEST_F(ChainVerifierTest, EachObjectIsReadOnceAlsoWhereAChainBranches) {
  // Ids have whole seconds: each backup takes the next free one.
  for (int i = 0; i < 3; ++i) Backup(i);
  auto listed = Listed();
  ASSERT_EQ(listed.size(), 3u);
  ASSERT_EQ(listed[2].objects.size(), 3u);
  {
    CountingBackend counting(local_);
    auto verdicts = Verify(counting, false);
    ASSERT_EQ(verdicts.size(), 3u);
    for (const auto& [id, s] : verdicts) EXPECT_TRUE(s.ok()) << id << ": " << s.ToString();
    std::map<std::string, int> once;
    for (const auto& o : listed[2].objects) once[o.name] = 1;
    EXPECT_EQ(counting.gets, once);
  }
  // A branch: a fresh chain whose state goes back one pack (a run that
  // stored its manifest but died before its state), so the next pack goes
  // on from the older head.
  std::filesystem::remove(StatePath());
  std::filesystem::remove_all(dir_ / "target");
  Backup(10);  // base
  Backup(11);  // pack 1
  const std::string saved = testing::ReadFileOrDie(StatePath());
  Backup(12);  // pack 2
  testing::WriteFileOrDie(StatePath(), saved);
  Backup(13);  // pack 3, over pack 1
  listed = Listed();
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[3].parent, listed[1].id);
  CountingBackend counting(local_);
  auto verdicts = Verify(counting, false);
  for (const auto& [id, s] : verdicts) EXPECT_TRUE(s.ok()) << id << ": " << s.ToString();
  // The branch point's image is copied, not rebuilt: still each once.
  EXPECT_EQ(counting.gets, (std::map<std::string, int>{{listed[0].objects[0].name, 1},
                                                       {listed[1].objects[1].name, 1},
                                                       {listed[2].objects[2].name, 1},
                                                       {listed[3].objects[2].name, 1}}));
  EXPECT_EQ(testing::ListDir(scratch_), std::vector<std::string>{}) << "scratch files removed";
  // A damaged pack of the branch fails the branch alone.
  const std::string branch_pack = dir_ / ("target/" + listed[3].objects[2].name);
  std::string bytes = testing::ReadFileOrDie(branch_pack);
  bytes[bytes.size() / 3] ^= 0x01;
  testing::WriteFileOrDie(branch_pack, bytes);
  CountingBackend again(local_);
  verdicts = Verify(again, false);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(verdicts[listed[i].id].ok()) << listed[i].id;
  EXPECT_EQ(verdicts[listed[3].id].code(), Code::kCorruption);
  bytes[bytes.size() / 3] ^= 0x01;
  testing::WriteFileOrDie(branch_pack, bytes);
  // Hashes alone: every object once, branch or not.
  CountingBackend hashing(local_);
  verdicts = Verify(hashing, true);
  for (const auto& [id, s] : verdicts) EXPECT_TRUE(s.ok()) << id << ": " << s.ToString();
  for (const auto& [name, n] : hashing.gets) EXPECT_EQ(n, 1) << name;
  EXPECT_EQ(hashing.gets.size(), 4u);
}

TEST_F(ChainVerifierTest, ADamagedPackFailsExactlyTheSnapshotsThatListIt) {
  for (int i = 0; i < 4; ++i) Backup(i);
  auto listed = Listed();
  ASSERT_EQ(listed.size(), 4u);
  const std::string pack = listed[1].objects[1].name;
  const std::string path = dir_ / ("target/" + pack);
  std::string bytes = testing::ReadFileOrDie(path);
  bytes[bytes.size() / 2] ^= 0x40;
  testing::WriteFileOrDie(path, bytes);
  for (bool hash_only : {false, true}) {
    SCOPED_TRACE(hash_only ? "hashes" : "rebuilt");
    CountingBackend counting(local_);
    auto verdicts = Verify(counting, hash_only);
    EXPECT_TRUE(verdicts[listed[0].id].ok()) << verdicts[listed[0].id].ToString();
    for (int i = 1; i < 4; ++i) {
      const Status& s = verdicts[listed[i].id];
      EXPECT_EQ(s.code(), Code::kCorruption);
      EXPECT_EQ(s.message().rfind("snapshot " + listed[i].id + ": stored object " + pack + " has " +
                                      std::to_string(bytes.size()) + " bytes with SHA-256 ",
                                  0),
                0u)
          << s.message();
    }
    EXPECT_EQ(counting.gets[pack], 1);
  }
}

}  // namespace
}  // namespace zb::app
