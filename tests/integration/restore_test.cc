// `restore` on an operator's worst day: run as root over a controller's
// file, onto a bind-mounted file, with a typo'd destination, from a stored
// object built to expand without end. The controller must get a DB it can
// open, and a failed restore leaves everything as it was.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "testutil/run.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;

using testing::RunZb;

constexpr uid_t kControllerUid = 2171;  // the openziti/ziti-controller image's user

struct stat StatOrDie(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "512KiB"}).exit_code, 0);
    auto r = RunZb({"backup", "--db", db_, "--target", url_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex("id=(\\S+)")));
    id_ = m[1].str();
    ::mkdir(live_dir_.c_str(), 0755);
  }
  // What is in the live directory but the DB and what restore may keep.
  std::vector<std::string> Live() { return testing::ListDir(live_dir_); }

  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl-ha.db", target_ = dir_ / "backups",
                    url_ = "file://" + target_, live_dir_ = dir_ / "live",
                    live_ = live_dir_ + "/ctrl.db";
  std::string id_;
};

// The container runs the controller as uid 2171 and its DB is theirs; an
// operator restores as root. Today's main left root:root 0600, which the
// controller cannot open.
TEST_F(RestoreTest, TheRestoredFileKeepsTheOwnerAndModeOfTheFileItReplaces) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to own files as another user";
  testing::WriteFileOrDie(live_, "the broken DB");
  ASSERT_EQ(::chown(live_.c_str(), kControllerUid, kControllerUid), 0);
  ASSERT_EQ(::chmod(live_.c_str(), 0640), 0);
  auto r = RunZb({"restore", "latest", "--to", live_, "--force", "--target", url_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const struct stat st = StatOrDie(live_);
  EXPECT_EQ(st.st_uid, kControllerUid);
  EXPECT_EQ(st.st_gid, kControllerUid);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(testing::PeerCheckFile(live_).exit_code, 0);
  // The file it replaced is kept, as it was.
  const auto names = Live();
  ASSERT_EQ(names.size(), 2u) << ::testing::PrintToString(names);
  EXPECT_EQ(names[0], "ctrl.db");
  EXPECT_EQ(names[1].rfind("ctrl.db.pre-restore-", 0), 0u) << names[1];
  EXPECT_EQ(testing::ReadFileOrDie(live_dir_ + "/" + names[1]), "the broken DB");
  EXPECT_EQ(StatOrDie(live_dir_ + "/" + names[1]).st_uid, kControllerUid);
}

// Where there is no file (the volume was wiped), the directory's owner
// gets the new one, mode 0600.
TEST_F(RestoreTest, WithNoFileTheDirectorysOwnerGetsIt) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to own files as another user";
  ASSERT_EQ(::chown(live_dir_.c_str(), kControllerUid, kControllerUid + 1), 0);
  auto r = RunZb({"restore", id_, "--to", live_, "--target", url_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const struct stat st = StatOrDie(live_);
  EXPECT_EQ(st.st_uid, kControllerUid);
  EXPECT_EQ(st.st_gid, kControllerUid + 1);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(Live(), std::vector<std::string>{"ctrl.db"});
}

// A DB file bind-mounted into a container cannot be renamed over (EBUSY).
// The restore fails and leaves neither the restored copy nor a second name
// of the old file behind.
TEST_F(RestoreTest, AFailedSwapLeavesNothingBehind) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a mount namespace";
  if (testing::Run({"unshare", "-m", "true"}).exit_code != 0) {
    GTEST_SKIP() << "no mount namespaces here";
  }
  testing::WriteFileOrDie(live_, "live DB");
  const std::string source = dir_ / "mounted.db";
  testing::WriteFileOrDie(source, "the file mounted over it");
  auto r = testing::Run(
      {"unshare", "-m", "sh", "-c",
       "mount --make-rprivate / && mount --bind \"$1\" \"$2\" && \"$3\" restore latest --to "
       "\"$2\" --force --target \"$4\"; echo \"exit=$?\"; ls -A \"$(dirname \"$2\")\"; cat "
       "\"$2\"",
       "sh", source, live_, testing::ZbPath(), url_});
  EXPECT_TRUE(Contains(r.out, "exit=1\nctrl.db\nthe file mounted over it")) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, live_)) << r.err;
  EXPECT_EQ(Live(), std::vector<std::string>{"ctrl.db"});
  EXPECT_EQ(testing::ReadFileOrDie(live_), "live DB");
}

TEST_F(RestoreTest, ADestinationThatIsNoFileIsRefused) {
  struct Case {
    std::string to, error;
  } cases[] = {
      {"/", "--to / does not name a file"},
      {live_dir_, "--to " + live_dir_ + " is a directory; name the DB file in it (e.g. " +
                      live_dir_ + "/ctrl-ha.db)"},
      {live_dir_ + "/", "--to " + live_dir_ + "/ does not name a file"},
      {dir_ / "typo/deep/ctrl.db", "--to " + dir_.path() + "/typo/deep/ctrl.db: directory " +
                                       dir_.path() + "/typo/deep does not exist"},
  };
  for (const Case& c : cases) {
    auto r = RunZb({"restore", "latest", "--to", c.to, "--force", "--target", url_});
    EXPECT_EQ(r.exit_code, 2) << c.to << ": " << r.err;
    EXPECT_EQ(r.err, "ziti-backup: invalid argument: " + c.error + "\n") << c.to;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "typo"));
  EXPECT_EQ(Live(), std::vector<std::string>{});
}

// A stored object whose manifest was rewritten to match it, built to expand
// far beyond the DB it claims to be (256 MiB of zeroes in a few KiB): the
// restore stops at the manifest's size, writes nothing in place, exit 3.
TEST_F(RestoreTest, AnObjectThatExpandsBeyondItsManifestIsStoppedThere) {
  const std::string data = target_ + "/" + id_ + ".db.zst",
                    manifest = target_ + "/" + id_ + ".json";
  auto bomb = testing::Run(
      {"sh", "-c", "head -c 268435456 /dev/zero | zstd -q -19 -c > \"$1\"", "sh", data});
  ASSERT_EQ(bomb.exit_code, 0) << bomb.err;
  auto m = nlohmann::json::parse(testing::ReadFileOrDie(manifest));
  m["stored"]["size"] = std::filesystem::file_size(data);
  m["stored"]["sha256"] = testing::Run({"sha256sum", data}).out.substr(0, 64);
  testing::WriteFileOrDie(manifest, m.dump(2));
  const uint64_t plain = m["plain"]["size"];

  auto r = RunZb({"restore", id_, "--to", live_, "--target", url_});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.err, "ziti-backup: corruption: snapshot " + id_ + ": stored object " + id_ +
                       ".db.zst expands to more than the manifest's " + std::to_string(plain) +
                       " bytes\n");
  EXPECT_EQ(Live(), std::vector<std::string>{});
  auto v = RunZb({"verify", id_, "--target", url_});
  EXPECT_EQ(v.exit_code, 3) << v.out;
  EXPECT_TRUE(Contains(v.out, "expands to more than the manifest's")) << v.out;
}

}  // namespace
}  // namespace zb
