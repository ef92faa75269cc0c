#include "repo/repository.h"

#include <gtest/gtest.h>

#include "store/mem_backend.h"
#include "testutil/fake_clock.h"

namespace zb::repo {
namespace {

using namespace std::chrono_literals;

Manifest Make(const std::string& stamp) {
  Manifest m;
  SnapshotId id = *ParseSnapshotId("ctrl-ha-" + stamp);
  m.id = id.ToString();
  m.created = id.created;
  m.data_object = DataName(id, true, false);
  m.source = "/ziti-controller/ctrl-ha.db";
  m.method = "cold";
  m.plain_sha256 = std::string(64, '1');
  m.stored_sha256 = std::string(64, '2');
  m.compression = "zstd";
  m.compression_level = 3;
  return m;
}

class RepositoryTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  store::MemBackend backend_{clock_};
  Repository repo_{backend_};
  Status StoreSample(const std::string& stamp, const std::string& data) {
    StringSource src(data);
    return repo_.Store(Make(stamp), src);
  }
};

TEST_F(RepositoryTest, StoredSnapshotsAreListedOldestFirstAndFetchable) {
  ASSERT_TRUE(StoreSample("20260102T000000Z", "two").ok());
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  auto l = repo_.List();
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->snapshots.size(), 2u);
  EXPECT_EQ(l->snapshots[0].manifest.id, "ctrl-ha-20260101T000000Z");
  EXPECT_EQ(l->snapshots[1].manifest, Make("20260102T000000Z"));
  EXPECT_TRUE(l->orphans.empty());
  EXPECT_TRUE(l->damaged.empty());
  StringSink out;
  ASSERT_TRUE(repo_.Fetch(l->snapshots[0].manifest, out).ok());
  EXPECT_EQ(out.data(), "one");
}

TEST_F(RepositoryTest, DataWithoutManifestIsAnOrphanNotASnapshot) {
  StringSource data("partial");
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260103T000000Z.db.zst", data).ok());
  StringSource lock("");
  ASSERT_TRUE(backend_.Put("backup.lock", lock).ok());
  auto l = *repo_.List();
  EXPECT_TRUE(l.snapshots.empty());
  ASSERT_EQ(l.orphans.size(), 2u);
  // Only our own data objects count, and only once they are old enough.
  EXPECT_TRUE(repo_.OrphansOlderThan(l, clock_.Now() - 24h).empty());
  auto old = repo_.OrphansOlderThan(l, clock_.Now() + 1s);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].name, "ctrl-ha-20260103T000000Z.db.zst");
}

TEST_F(RepositoryTest, DamagedManifestIsReportedNotListed) {
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  StringSource junk("{\"format\": 1");
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.json", junk).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.snapshots.size(), 1u);
  ASSERT_EQ(l.damaged.size(), 1u);
  EXPECT_EQ(l.damaged[0].first, "ctrl-ha-20260102T000000Z.json");
  EXPECT_EQ(l.damaged[0].second.code(), Code::kCorruption);
}

TEST_F(RepositoryTest, MissingDataAndMissingSnapshotAreClearErrors) {
  Manifest m = Make("20260101T000000Z");
  StringSource manifest(ManifestToJson(m));
  ASSERT_TRUE(backend_.Put(m.id + ".json", manifest).ok());
  StringSink out;
  Status s = repo_.Fetch(m, out);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(),
            "snapshot ctrl-ha-20260101T000000Z: its data object "
            "ctrl-ha-20260101T000000Z.db.zst is missing from mem://");
  EXPECT_EQ(repo_.Load("ctrl-ha-20270101T000000Z").status().message(),
            "no snapshot ctrl-ha-20270101T000000Z in mem://");
}

TEST_F(RepositoryTest, RemoveTakesTheManifestFirst) {
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  ASSERT_TRUE(repo_.Remove(Make("20260101T000000Z")).ok());
  EXPECT_TRUE(backend_.List("")->empty());
}

}  // namespace
}  // namespace zb::repo
