#include "app/yaml_nesting.h"

#include <gtest/gtest.h>

#include <string>

namespace zb::app {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(YamlNestingTest, ControllerConfigShapesPass) {
  EXPECT_TRUE(CheckYamlNesting("").ok());
  EXPECT_TRUE(CheckYamlNesting(R"(v: 3
db: "${ZITI_HOME}/ctrl.db"   # a comment with [[[[ and {{{{
cluster:
  dataDir: /ziti-controller/raft
identity:
  cert: 'it''s [not a list'
  ca: "a \" [quote"
web:
  - name: client-management
    bindPoints:
      - interface: 0.0.0.0:1280
        address: ctrl:1280
    apis:
      - binding: edge-management
        options: { a: [1, 2, {b: c}] }
cert: |
  -----BEGIN CERTIFICATE-----
        [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
  -----END CERTIFICATE-----
plain: a[b{c
)")
                  .ok());
}

TEST(YamlNestingTest, DeepFlowIsRefusedNamingTheLine) {
  // The mapping is one level, each '[' one more.
  EXPECT_TRUE(CheckYamlNesting("k: " + Repeat("[", 63) + Repeat("]", 63)).ok());
  EXPECT_EQ(CheckYamlNesting("k: " + Repeat("[", 64) + Repeat("]", 64)).ToString(),
            "invalid argument: nested more than 64 levels deep (line 1)");
  EXPECT_EQ(CheckYamlNesting(Repeat("[", 100000)).ToString(),
            "invalid argument: nested more than 64 levels deep (line 1)");
  EXPECT_EQ(CheckYamlNesting("a: 1\nb: " + Repeat("{x: ", 100000)).ToString(),
            "invalid argument: nested more than 64 levels deep (line 2)");
  // Flow collections over several lines count from where they opened.
  EXPECT_EQ(CheckYamlNesting("a:\n" + Repeat("  [\n", 70)).ToString(),
            "invalid argument: nested more than 64 levels deep (line 64)");
}

TEST(YamlNestingTest, DeepBlockIsRefused) {
  std::string ok, deep;
  for (int i = 0; i < 64; ++i) ok += std::string(i, ' ') + "k:\n";
  EXPECT_TRUE(CheckYamlNesting(ok).ok());
  for (int i = 0; i < 65; ++i) deep += std::string(i, ' ') + "k:\n";
  EXPECT_EQ(CheckYamlNesting(deep).ToString(),
            "invalid argument: nested more than 64 levels deep (line 65)");
  EXPECT_EQ(CheckYamlNesting(Repeat("- ", 100000) + "x\n").ToString(),
            "invalid argument: nested more than 64 levels deep (line 1)");
  // Siblings do not add up.
  std::string wide;
  for (int i = 0; i < 1000; ++i) wide += "- a: [1, {b: 2}]\n  c:\n    - d\n";
  EXPECT_TRUE(CheckYamlNesting(wide).ok());
}

TEST(YamlNestingTest, BlockScalarsAndQuotesHideBrackets) {
  EXPECT_TRUE(
      CheckYamlNesting("k: >-\n  " + Repeat("[", 100) + "\n    " + Repeat("{", 100) + "\nnext: 1\n")
          .ok());
  EXPECT_TRUE(CheckYamlNesting("k: \"" + Repeat("[", 100) + "\n" + Repeat("[", 100) + "\"\n").ok());
  EXPECT_TRUE(CheckYamlNesting("k: '" + Repeat("{", 100) + "'\n").ok());
}

}  // namespace
}  // namespace zb::app
