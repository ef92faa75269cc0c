#include "repo/rebase_rule.h"

#include <gtest/gtest.h>

namespace zb::repo {
namespace {

TEST(RebaseRuleTest, Table) {
  const RebaseRule rule{.factor = 1.0, .max_packs = 3};
  struct Case {
    ChainSize chain;
    uint64_t next;
    std::string want;
  } cases[] = {
      {{.base_plain = 1000, .packs_plain = 0, .packs = 0}, 10, ""},
      {{.base_plain = 1000, .packs_plain = 990, .packs = 2}, 10, ""},  // exactly 1.00x
      {{.base_plain = 1000, .packs_plain = 990, .packs = 2},
       11,
       "the chain's packs would hold 1.00x its base image (limit 1.00x)"},
      {{.base_plain = 1000, .packs_plain = 1500, .packs = 1},
       500,
       "the chain's packs would hold 2.00x its base image (limit 1.00x)"},
      {{.base_plain = 1000, .packs_plain = 30, .packs = 3},
       10,
       "the chain has 3 packs, the most allowed"},
      {{.base_plain = 0, .packs_plain = 0, .packs = 0}, 10, "the chain has no base image"},
      {{.base_plain = UINT64_MAX, .packs_plain = UINT64_MAX, .packs = 1},
       UINT64_MAX,
       "the chain's packs would hold 2.00x its base image (limit 1.00x)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RebaseReason(c.chain, c.next, rule), c.want)
        << c.chain.base_plain << " " << c.chain.packs_plain << " " << c.chain.packs << " "
        << c.next;
  }
}

TEST(RebaseRuleTest, TheDefaultsAllowAChainAsLargeAsItsBase) {
  EXPECT_EQ(RebaseReason({.base_plain = 512, .packs_plain = 500, .packs = 998}, 12, {}), "");
  EXPECT_NE(RebaseReason({.base_plain = 512, .packs_plain = 500, .packs = 1000}, 12, {}), "");
  EXPECT_NE(RebaseReason({.base_plain = 512, .packs_plain = 500, .packs = 10}, 13, {}), "");
}

}  // namespace
}  // namespace zb::repo
