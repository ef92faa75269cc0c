// `copy` between targets and the catch-up of a target that missed runs:
// snapshots move exactly as stored (encrypted ones without the identity),
// checked on the way, manifest last; nothing is overwritten; a damaged
// source object is never copied.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "testutil/run.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;

using testing::ReadFileOrDie;
using testing::RunZb;

class CopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "512KiB"}).exit_code, 0);
  }
  // The snapshot ids in `dir`, oldest first by name.
  std::vector<std::string> Ids(const std::string& dir) {
    std::vector<std::string> ids;
    if (!std::filesystem::is_directory(dir)) return ids;
    for (const auto& n : testing::ListDir(dir)) {
      if (n.ends_with(".json")) ids.push_back(n.substr(0, n.size() - 5));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl.db";
  const std::string a_ = dir_ / "a", b_ = dir_ / "b";
};

TEST_F(CopyTest, EncryptedSnapshotsMoveAsStoredWithoutTheIdentityAndResume) {
  auto key = RunZb({"keygen", "--output", dir_ / "id.txt"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string recipient = key.out.substr(key.out.find("age1"), 62);
  for (int i = 0; i < 3; ++i) {
    auto r =
        RunZb({"backup", "--db", db_, "--target", "file://" + a_, "--age-recipient", recipient});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto ids = Ids(a_);
  ASSERT_EQ(ids.size(), 3u);
  // First only the middle one, by id.
  auto one = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b_, ids[1]});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(Ids(b_), std::vector<std::string>{ids[1]});
  // Then the rest: resumed, the present one skipped silently with --missing.
  auto rest = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b_, "--missing"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_EQ(rest.out, "copy ok: " + ids[0] + " file://" + a_ + " -> file://" + b_ +
                          " stored_bytes=" + testing::Field(one.out, "stored_bytes") +
                          "\ncopy ok: " + ids[2] + " file://" + a_ + " -> file://" + b_ +
                          " stored_bytes=" + testing::Field(one.out, "stored_bytes") +
                          "\ncopy: 2 copied, 1 already there, 0 failed\n");
  for (const auto& id : ids) {
    for (const std::string ext : {".json", ".db.zst.age"}) {
      EXPECT_EQ(ReadFileOrDie(b_ + "/" + id + ext), ReadFileOrDie(a_ + "/" + id + ext)) << id;
    }
  }
  auto again = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b_, "--all"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(again.out.ends_with("copy: 0 copied, 3 already there, 0 failed\n")) << again.out;
  auto restored = RunZb({"restore", ids[2], "--target", "file://" + b_, "--identity",
                         dir_ / "id.txt", "--to", dir_ / "back.db"});
  EXPECT_EQ(restored.exit_code, 0) << restored.err;
}

TEST_F(CopyTest, ADamagedSourceObjectIsNeverCopiedAndNothingIsOverwritten) {
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(RunZb({"backup", "--db", db_, "--target", "file://" + a_}).exit_code, 0);
  }
  const auto ids = Ids(a_);
  ASSERT_EQ(ids.size(), 2u);
  // A flipped byte in the newest data object.
  const std::string object = a_ + "/" + ids[1] + ".db.zst";
  std::string bytes = ReadFileOrDie(object);
  bytes[bytes.size() / 2] ^= 0x40;
  testing::WriteFileOrDie(object, bytes);
  auto r = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b_, "--all"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "copy failed: corruption: " + ids[1] + " from file://" + a_ + ": " +
                                  ids[1] + ".db.zst does not match its manifest"))
      << r.err;
  EXPECT_TRUE(r.out.ends_with("copy: 1 copied, 0 already there, 1 failed\n")) << r.out;
  EXPECT_EQ(Ids(b_), std::vector<std::string>{ids[0]});
  EXPECT_FALSE(std::filesystem::exists(b_ + "/" + ids[1] + ".db.zst")) << "no orphan either";

  // A different snapshot under the same id in the destination stays.
  const std::string manifest = b_ + "/" + ids[0] + ".json";
  std::string text = ReadFileOrDie(manifest);
  const size_t at = text.find("\"sha256\"", text.find("\"stored\""));
  ASSERT_NE(at, std::string::npos) << text;
  const size_t hex = text.find('"', text.find(':', at)) + 1;
  text.replace(hex, 64, std::string(64, '0'));
  testing::WriteFileOrDie(manifest, text);
  auto conflict = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b_, ids[0]});
  EXPECT_EQ(conflict.exit_code, 3) << conflict.err;
  EXPECT_EQ(conflict.err, "copy failed: corruption: " + ids[0] + ": file://" + b_ +
                              " holds a different snapshot under this id; not overwritten\n"
                              "ziti-backup: corruption: " +
                              ids[0] + ": file://" + b_ +
                              " holds a different snapshot under this id; not overwritten\n");
  EXPECT_EQ(ReadFileOrDie(manifest), text);
}

TEST_F(CopyTest, UsageMistakesAreExitTwo) {
  ASSERT_EQ(RunZb({"backup", "--db", db_, "--target", "file://" + a_}).exit_code, 0);
  auto none = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b_});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err,
            "ziti-backup: invalid argument: name the snapshots to copy: IDs, --all or --missing "
            "(one of them)\n");
  auto unknown =
      RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + b_, "ctrl-20200101T000000Z"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "ziti-backup: invalid argument: no snapshot ctrl-20200101T000000Z in "
            "file://" +
                a_ + " ('ziti-backup list' names the snapshots there)\n");
  auto same = RunZb({"copy", "--from", "file://" + a_, "--to", "file://" + a_, "--all"});
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_EQ(
      same.err,
      "ziti-backup: invalid argument: --from and --to are the same target: file://" + a_ + "\n");
  EXPECT_FALSE(std::filesystem::exists(b_));
}

TEST_F(CopyTest, ATargetThatMissedRunsIsCaughtUpByTheNextOne) {
  const std::string down = dir_ / "mnt/b";  // its parent is missing: the target fails
  const std::string both = "file://" + a_ + " file://" + down;
  for (int i = 0; i < 2; ++i) {
    auto r = RunZb({"backup", "--db", db_, "--target", both});
    EXPECT_EQ(r.exit_code, 5) << r.err;  // partial
  }
  std::filesystem::create_directory(dir_ / "mnt");  // the volume is back
  auto r = RunZb({"backup", "--db", db_, "--target", both});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Ids(down), Ids(a_));
  EXPECT_EQ(Ids(down).size(), 3u);
  EXPECT_TRUE(Contains(
      r.err, "catchup.copy id=" + Ids(a_)[0] + " from=file://" + a_ + " target=file://" + down))
      << r.err;
  // A target that misses runs shows how far behind it is until it is reached again.
  const std::string b2 = "file://" + dir_.path() + "/b2";
  ASSERT_EQ(RunZb({"backup", "--db", db_, "--target", "file://" + a_ + " " + b2}).exit_code, 0);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(RunZb({"backup", "--db", db_, "--target", "file://" + a_}).exit_code, 0);
  }
  auto status = RunZb({"status", "--target", "file://" + a_ + " " + b2});
  // (Ids have whole seconds and this test runs many backups a second, so
  // an id may come back with the same bytes: the count is not exact here.)
  const size_t b2_line = status.out.find(b2 + ": ");
  ASSERT_NE(b2_line, std::string::npos) << status.out;
  const std::string b2_status =
      status.out.substr(b2_line, status.out.find('\n', b2_line) - b2_line);
  EXPECT_TRUE(Contains(b2_status, " behind the other targets")) << status.out;
  const std::string a_status = status.out.substr(0, status.out.find('\n'));
  EXPECT_FALSE(Contains(a_status, "behind")) << status.out;
  // Only what the target's own retention keeps comes back.
  const std::string near = dir_ / "near";
  r = RunZb({"backup", "--db", db_, "--target", both + " file://" + near + "?keep-last=2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto in_near = Ids(near);
  ASSERT_EQ(in_near.size(), 2u);
  const std::string id = testing::Field(r.out, "id");
  EXPECT_TRUE(in_near[0] == id || in_near[1] == id) << id;
  const auto in_a = Ids(a_);
  for (const auto& n : in_near) EXPECT_TRUE(std::count(in_a.begin(), in_a.end(), n)) << n;
  auto v = RunZb({"verify", "--all", "--target", "file://" + near});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

}  // namespace
}  // namespace zb
