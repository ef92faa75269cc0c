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

// A chain's objects carry its tag; anything else with those words in it
// is not ours.
TEST(ObjectNameTest, ChainObjectsCarryTheirChainsTag) {
  SnapshotId id = *ParseSnapshotId("ctrl.v2-20260625T000436Z");
  const std::string chain = "0123456789abcdef";
  EXPECT_EQ(BaseName(id, chain, true, true),
            "ctrl.v2-20260625T000436Z.base-0123456789abcdef.zst.age");
  EXPECT_EQ(PagesName(id, chain, false, false), "ctrl.v2-20260625T000436Z.pages-0123456789abcdef");
  for (const std::string& n :
       {BaseName(id, chain, true, true), BaseName(id, chain, false, true),
        PagesName(id, chain, true, false), PagesName(id, chain, false, false)}) {
    auto parsed = ParseObjectName(n);
    ASSERT_TRUE(parsed.ok()) << n;
    EXPECT_EQ(parsed->ToString(), n);
    EXPECT_EQ(parsed->id, id);
    EXPECT_EQ(parsed->chain, chain);
  }
  EXPECT_EQ(ParseObjectName(PagesName(id, chain, true, false))->kind, ObjectKind::kPages);
  EXPECT_EQ(ParseObjectName(BaseName(id, chain, true, false))->kind, ObjectKind::kBase);
  for (const char* bad : {"ctrl-20260625T000436Z.base.zst", "ctrl-20260625T000436Z.pages-0123.zst",
                          "ctrl-20260625T000436Z.pages-0123456789ABCDEF.zst",
                          "ctrl-20260625T000436Z.tail-0123456789abcdef.zst",
                          "ctrl-20260625T000436Z.pages-0123456789abcdefff"}) {
    EXPECT_FALSE(ParseObjectName(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace zb::repo
