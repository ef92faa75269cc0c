#include "app/agent_pace.h"

#include <gtest/gtest.h>

namespace zb::app {
namespace {

using snapshot::Method;
using std::chrono::seconds;

TEST(PaceAgentTest, AgentWaitsOutTheControllersMinute) {
  EXPECT_EQ(PaceAgent(Method::kAgent, true, std::nullopt).wait, Duration(0));
  EXPECT_EQ(PaceAgent(Method::kAgent, true, seconds(15)).wait, seconds(46));
  EXPECT_TRUE(PaceAgent(Method::kAgent, true, seconds(15)).use_agent);
  EXPECT_EQ(PaceAgent(Method::kAgent, true, seconds(0)).wait, kAgentMinGap);
  EXPECT_EQ(PaceAgent(Method::kAgent, true, seconds(61)).wait, Duration(0));
  EXPECT_EQ(PaceAgent(Method::kAgent, true, std::chrono::hours(1)).wait, Duration(0));
}

TEST(PaceAgentTest, AutoGoesWithoutTheAgentInsteadOfWaiting) {
  const AgentPace soon = PaceAgent(Method::kAuto, true, seconds(60));
  EXPECT_FALSE(soon.use_agent);
  EXPECT_EQ(soon.wait, Duration(0));
  EXPECT_TRUE(PaceAgent(Method::kAuto, true, seconds(61)).use_agent);
  EXPECT_TRUE(PaceAgent(Method::kAuto, true, std::nullopt).use_agent);
}

TEST(PaceAgentTest, OtherMethodsAndNoAgentAreNotPaced) {
  for (Method m : {Method::kCold, Method::kHot}) {
    const AgentPace p = PaceAgent(m, true, seconds(1));
    EXPECT_TRUE(p.use_agent);
    EXPECT_EQ(p.wait, Duration(0));
  }
  EXPECT_TRUE(PaceAgent(Method::kAuto, false, seconds(1)).use_agent);
}

TEST(UsesAgentTest, AgentAlwaysAutoOnlyWithACommand) {
  EXPECT_TRUE(UsesAgent(Method::kAgent, false));
  EXPECT_TRUE(UsesAgent(Method::kAuto, true));
  EXPECT_FALSE(UsesAgent(Method::kAuto, false));
  EXPECT_FALSE(UsesAgent(Method::kHot, true));
  EXPECT_FALSE(UsesAgent(Method::kCold, true));
}

}  // namespace
}  // namespace zb::app
