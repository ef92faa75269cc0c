// A target holding a snapshot whose manifest cannot be read, or one that
// lies: whatever backup, prune, list, verify and status do, no data is
// lost, nothing is deleted on the strength of a field read from a stored
// object, and the damage is reported until an operator looks at it.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "testutil/run.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;

using testing::Field;
using testing::RunZb;

class DamagedSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "512KiB"}).exit_code, 0);
    for (int i = 0; i < 3; ++i) ids_.push_back(Backup());
  }
  std::string Backup(const std::vector<std::string>& policy = {"--keep-last", "10"}) {
    std::vector<std::string> args{"backup", "--db", db_, "--target", url_};
    args.insert(args.end(), policy.begin(), policy.end());
    auto r = RunZb(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Field(r.out, "id");
  }
  std::string Manifest(const std::string& id) { return target_ + "/" + id + ".json"; }
  std::string Data(const std::string& id) { return target_ + "/" + id + ".db.zst"; }
  bool Exists(const std::string& path) { return std::filesystem::exists(path); }

  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl-ha.db", target_ = dir_ / "backups",
                    url_ = "file://" + target_;
  std::vector<std::string> ids_;
};

// A truncated manifest (a torn write, a bit flip that breaks the JSON):
// the next backup and prune keep its data, and every command reports it.
TEST_F(DamagedSnapshotTest, UnreadableManifestKeepsItsDataAndIsReportedEverywhere) {
  const std::string damaged = ids_[1];
  const std::string text = testing::ReadFileOrDie(Manifest(damaged));
  testing::WriteFileOrDie(Manifest(damaged), text.substr(0, text.size() / 2));
  const std::string data = testing::ReadFileOrDie(Data(damaged));

  // Under the target's lock: today's main deleted the data here at once.
  Backup({"--keep-last", "1"});
  EXPECT_TRUE(Exists(Data(damaged)));
  EXPECT_TRUE(Exists(Manifest(damaged)));
  EXPECT_EQ(testing::ReadFileOrDie(Data(damaged)), data);

  auto prune = RunZb({"prune", "--target", url_, "--keep-last", "1"});
  EXPECT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_TRUE(
      Contains(prune.out, "keep   " + damaged + "  (damaged: manifest " + damaged + ".json: "))
      << prune.out;
  EXPECT_TRUE(Contains(prune.out, "; kept with its data " + damaged + ".db.zst)")) << prune.out;
  EXPECT_TRUE(Exists(Data(damaged)));

  auto list = RunZb({"list", "--target", url_, "--json"});
  EXPECT_EQ(list.exit_code, 3) << list.err;
  auto j = nlohmann::json::parse(list.out);
  ASSERT_EQ(j[0]["damaged"].size(), 1u) << list.out;
  EXPECT_EQ(j[0]["damaged"][0]["id"], damaged);
  EXPECT_EQ(j[0]["damaged"][0]["data_objects"], nlohmann::json::array({damaged + ".db.zst"}));
  EXPECT_EQ(j[0]["damaged"][0]["newer_format"], false);
  EXPECT_TRUE(j[0]["orphans"].empty());

  auto status = RunZb({"status", "--target", url_, "--max-age", "1h"});
  EXPECT_EQ(status.exit_code, 1) << status.out;
  EXPECT_TRUE(Contains(status.err, "1 damaged snapshot(s) (see ziti-backup list)")) << status.err;

  auto verify = RunZb({"verify", "--target", url_, "--all"});
  EXPECT_EQ(verify.exit_code, 3);
  EXPECT_TRUE(Contains(verify.out, "verify FAILED: " + url_ + " " + damaged + ": damaged: "))
      << verify.out;

  // Once the operator has put the manifest back, it is an ordinary snapshot.
  testing::WriteFileOrDie(Manifest(damaged), text);
  EXPECT_EQ(RunZb({"status", "--target", url_, "--max-age", "1h"}).exit_code, 0);
  auto restored = RunZb({"verify", "--target", url_, damaged});
  EXPECT_EQ(restored.exit_code, 0) << restored.out;
}

// A manifest of a newer ziti-backup (after a downgrade) is named as such
// and never touched; it is not damage, so status stays healthy.
TEST_F(DamagedSnapshotTest, NewerFormatIsReportedAndNeverTouched) {
  const std::string newer = ids_[0];
  std::string text = testing::ReadFileOrDie(Manifest(newer));
  text.replace(text.find("\"format\": 1"), 11, "\"format\": 3");
  testing::WriteFileOrDie(Manifest(newer), text);

  Backup({"--keep-last", "1"});
  EXPECT_TRUE(Exists(Manifest(newer)));
  EXPECT_TRUE(Exists(Data(newer)));
  auto list = RunZb({"list", "--target", url_});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, newer + "  written by a newer ziti-backup: manifest " + newer +
                                     ".json: format 3 is newer than this ziti-backup reads (2); "
                                     "never touched"))
      << list.out;
  auto status = RunZb({"status", "--target", url_, "--max-age", "1h"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_TRUE(Contains(status.out, ", 1 written by a newer ziti-backup")) << status.out;
}

// A manifest whose data_object names another snapshot's data: prune must
// not follow it (it would delete the newest snapshot's data).
TEST_F(DamagedSnapshotTest, ManifestPointingAtAnotherSnapshotsDataCannotMakePruneDeleteIt) {
  const std::string liar = ids_[1], newest = ids_[2];
  std::string text = testing::ReadFileOrDie(Manifest(liar));
  const std::string own = "\"data_object\": \"" + liar + ".db.zst\"";
  ASSERT_TRUE(Contains(text, own));
  text.replace(text.find(own), own.size(), "\"data_object\": \"" + newest + ".db.zst\"");
  testing::WriteFileOrDie(Manifest(liar), text);

  auto prune = RunZb({"prune", "--target", url_, "--keep-last", "1"});
  EXPECT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_TRUE(Contains(prune.out, "remove " + ids_[0])) << prune.out;
  EXPECT_TRUE(Contains(prune.out, "keep   " + newest + "  (last, hourly ")) << prune.out;
  EXPECT_TRUE(Contains(prune.out, ": 1 kept, 1 removed, 1 damaged (kept)\n")) << prune.out;
  EXPECT_TRUE(Contains(prune.out, "keep   " + liar + "  (damaged: manifest " + liar +
                                      ".json: data_object \"" + newest + ".db.zst\" is not " +
                                      liar +
                                      ".db.zst, the name its id and encoding give; kept "
                                      "with its data " +
                                      liar + ".db.zst)"))
      << prune.out;
  EXPECT_TRUE(Exists(Data(newest)));
  EXPECT_TRUE(Exists(Data(liar)));
  EXPECT_FALSE(Exists(Data(ids_[0])));
  auto verify = RunZb({"verify", "--target", url_, newest});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

// Data that never had a manifest (a run killed before its commit point) is
// still cleaned up: that is what an orphan is.
TEST_F(DamagedSnapshotTest, DataThatNeverHadAManifestIsStillCleanedUp) {
  std::filesystem::remove(Manifest(ids_[0]));
  auto list = RunZb({"list", "--target", url_});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_TRUE(
      Contains(list.out, "1 objects without a manifest (not snapshots): " + ids_[0] + ".db.zst"))
      << list.out;
  Backup();
  EXPECT_FALSE(Exists(Data(ids_[0])));
}

}  // namespace
}  // namespace zb
