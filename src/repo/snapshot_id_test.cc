#include "repo/snapshot_id.h"

#include <gtest/gtest.h>

namespace zb::repo {
namespace {

TEST(SnapshotIdTest, FormatsAndParsesRoundTrip) {
  const TimePoint t = *ParseRfc3339("2026-06-25T00:04:36.900Z");
  SnapshotId id = MakeSnapshotId("ctrl-ha", t);
  EXPECT_EQ(id.ToString(), "ctrl-ha-20260625T000436Z");
  auto back = ParseSnapshotId("ctrl-ha-20260625T000436Z");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, id);
  EXPECT_EQ(FormatRfc3339(back->created), "2026-06-25T00:04:36Z");
  // A name with dashes and digits of its own.
  EXPECT_EQ(ParseSnapshotId("my-db-2-20240229T235959Z")->db_name, "my-db-2");
}

TEST(SnapshotIdTest, RejectsWhatIsNotAnId) {
  for (const char* bad :
       {"", "ctrl-ha", "ctrl-ha-20260625T000436", "ctrl-ha20260625T000436Z", "-20260625T000436Z",
        "ctrl-ha-20260230T000000Z", "ctrl-ha-2026062XT000436Z", "ct/rl-20260625T000436Z",
        ".x-20260625T000436Z"}) {
    EXPECT_EQ(ParseSnapshotId(bad).status().code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseSnapshotId("ctrl-ha").status().message(),
            "\"ctrl-ha\" is not a snapshot id (<db-name>-YYYYMMDDTHHMMSSZ)");
}

TEST(SnapshotIdTest, IdsSortByTime) {
  auto a = MakeSnapshotId("ctrl", *ParseRfc3339("2026-01-09T23:00:00Z")).ToString();
  auto b = MakeSnapshotId("ctrl", *ParseRfc3339("2026-01-10T01:00:00Z")).ToString();
  EXPECT_LT(a, b);
}

TEST(SnapshotIdTest, DbNameFromPath) {
  EXPECT_EQ(DbNameFromPath("/ziti-controller/ctrl-ha.db"), "ctrl-ha");
  EXPECT_EQ(DbNameFromPath("ctrl.db"), "ctrl");
  EXPECT_EQ(DbNameFromPath("/var/lib/etcd/member/snap/db"), "db");
  EXPECT_EQ(DbNameFromPath("/x/my data.db"), "my_data");
  EXPECT_EQ(DbNameFromPath("/x/.hidden.db"), "db.hidden");
}

TEST(ObjectNameTest, EveryKindRoundTrips) {
  SnapshotId id = *ParseSnapshotId("ctrl-ha-20260625T000436Z");
  EXPECT_EQ(ManifestName(id), "ctrl-ha-20260625T000436Z.json");
  EXPECT_EQ(DataName(id, false, false), "ctrl-ha-20260625T000436Z.db");
  EXPECT_EQ(DataName(id, true, false), "ctrl-ha-20260625T000436Z.db.zst");
  EXPECT_EQ(DataName(id, false, true), "ctrl-ha-20260625T000436Z.db.age");
  EXPECT_EQ(DataName(id, true, true), "ctrl-ha-20260625T000436Z.db.zst.age");
  for (const std::string& n :
       {ManifestName(id), DataName(id, false, false), DataName(id, true, false),
        DataName(id, false, true), DataName(id, true, true)}) {
    auto parsed = ParseObjectName(n);
    ASSERT_TRUE(parsed.ok()) << n;
    EXPECT_EQ(parsed->ToString(), n);
    EXPECT_EQ(parsed->id, id);
  }
  auto m = *ParseObjectName("ctrl-ha-20260625T000436Z.json");
  EXPECT_EQ(m.kind, ObjectKind::kManifest);
  auto d = *ParseObjectName("ctrl-ha-20260625T000436Z.db.zst.age");
  EXPECT_TRUE(d.compressed && d.encrypted && d.kind == ObjectKind::kData);
  for (const char* bad : {"backup.lock", "ctrl-ha-20260625T000436Z.zst", "notes.json",
                          "ctrl-ha-20260625T000436Z.db.gz"}) {
    EXPECT_FALSE(ParseObjectName(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace zb::repo
