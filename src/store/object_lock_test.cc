#include "store/object_lock.h"

#include <gtest/gtest.h>

namespace zb::store {
namespace {

Result<std::optional<LockPolicy>> Parse(const std::string& url) {
  ZB_ASSIGN_OR_RETURN(TargetUrl t, ParseTargetUrl(url));
  return ParseLockPolicy(t);
}

TEST(ObjectLockTest, ADurationAndAModeFromTheUrl) {
  auto none = Parse("s3://bkt/p");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto compliance = Parse("s3://bkt/p?object-lock=30d");
  ASSERT_TRUE(compliance.ok()) << compliance.status().ToString();
  EXPECT_EQ(**compliance, (LockPolicy{RetentionMode::kCompliance, std::chrono::hours(24 * 30)}));
  EXPECT_EQ((*compliance)->ToString(), "30d compliance");

  auto governance = Parse("s3://bkt/p?object-lock=36h&object-lock-mode=governance");
  ASSERT_TRUE(governance.ok()) << governance.status().ToString();
  EXPECT_EQ(**governance, (LockPolicy{RetentionMode::kGovernance, std::chrono::hours(36)}));
  EXPECT_EQ(RetentionModeName((*governance)->mode), "GOVERNANCE");
  EXPECT_EQ(RetentionModeName(RetentionMode::kCompliance), "COMPLIANCE");
}

TEST(ObjectLockTest, BadValuesSayWhatIsAccepted) {
  EXPECT_EQ(Parse("s3://bkt?object-lock=soon").status().message(),
            "object-lock=soon: not a duration; use e.g. object-lock=30d or 720h");
  EXPECT_EQ(Parse("s3://bkt?object-lock=500ms").status().message(),
            "object-lock=500ms: use whole seconds, at least 1s (e.g. 30d)");
  EXPECT_EQ(Parse("s3://bkt?object-lock=1500ms").status().message(),
            "object-lock=1500ms: use whole seconds, at least 1s (e.g. 30d)");
  EXPECT_EQ(Parse("s3://bkt?object-lock=0s").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Parse("s3://bkt?object-lock=1d&object-lock-mode=legal-hold").status().message(),
            "object-lock-mode=legal-hold: use compliance or governance");
  EXPECT_EQ(Parse("s3://bkt?object-lock-mode=governance").status().message(),
            "object-lock-mode=governance needs object-lock=<duration>, e.g. object-lock=30d");
}

TEST(ObjectLockTest, OnlyS3TargetsTakeIt) {
  for (const char* url : {"file:///b?object-lock=1d", "azblob://acct/cont?object-lock=1d"}) {
    auto t = ParseTargetUrl(url);
    ASSERT_FALSE(t.ok()) << url;
    EXPECT_NE(t.status().message().find("unknown option \"object-lock\""), std::string::npos)
        << t.status().message();
  }
}

TEST(ObjectLockTest, ObjectsAreLockedAnEighthLongerFromTheNextWholeSecond) {
  const LockPolicy p{RetentionMode::kCompliance, std::chrono::hours(24 * 8)};
  EXPECT_EQ(p.margin(), std::chrono::hours(24));
  const TimePoint now = *ParseRfc3339("2026-12-02T10:00:00.250Z");
  EXPECT_EQ(FormatRfc3339(p.RetainUntil(now)), "2026-12-11T10:00:01Z");
  const LockPolicy tiny{RetentionMode::kCompliance, std::chrono::seconds(3)};
  EXPECT_EQ(tiny.margin(), std::chrono::seconds(0));
  EXPECT_EQ(FormatRfc3339(tiny.RetainUntil(*ParseRfc3339("2026-12-02T10:00:00Z"))),
            "2026-12-02T10:00:03Z");
}

TEST(ObjectLockTest, LockedIsJudgedByTheStoresClock) {
  LockState s;
  s.server_now = *ParseRfc3339("2026-12-02T10:00:00Z");
  EXPECT_FALSE(s.locked());  // no retention at all
  s.until = *ParseRfc3339("2026-12-02T10:00:01Z");
  EXPECT_TRUE(s.locked());
  s.until = s.server_now;
  EXPECT_FALSE(s.locked());
}

}  // namespace
}  // namespace zb::store
