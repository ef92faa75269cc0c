// `ziti-backup check` and `inspect` against real bbolt: on DBs of several
// shapes written by the Go peer, our check is clean where bbolt's Tx.Check
// is, and inspect's bucket tree (key and bucket counts, nesting) equals the
// one the peer reads through bbolt's own cursors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunBoltgen;
using testing::RunZb;
using testing::TempDir;

struct Shape {
  std::string name;
  std::vector<std::string> gen_args;
  friend void PrintTo(const Shape& s, std::ostream* os) { *os << s.name; }
};

class CheckAgreementTest : public ::testing::TestWithParam<Shape> {};

TEST_P(CheckAgreementTest, CleanWhereBboltIsCleanAndInspectCountsMatchThePeer) {
  TempDir dir;
  const std::string db = dir / "db";
  std::vector<std::string> gen{"gen", "--out", db, "--seed", "11"};
  gen.insert(gen.end(), GetParam().gen_args.begin(), GetParam().gen_args.end());
  auto g = RunBoltgen(gen);
  ASSERT_EQ(g.exit_code, 0) << g.err;

  auto peer = testing::PeerCheckFile(db);
  ASSERT_EQ(peer.exit_code, 0) << peer.raw;

  auto check = RunZb({"check", db});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out.rfind("check ok: " + db + ": txid " + std::to_string(peer.txid) + ", ", 0),
            0u)
      << check.out;
  EXPECT_EQ(check.err, "");

  auto json = RunZb({"check", "--json", db});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto cj = nlohmann::json::parse(json.out);
  EXPECT_EQ(cj["ok"], true);
  EXPECT_EQ(cj["finding_count"], 0);
  EXPECT_EQ(cj["txid"], peer.txid);
  EXPECT_EQ(cj["pages"]["unreachable"], 0);
  EXPECT_EQ(cj["pages"]["reachable"].get<uint64_t>() + cj["pages"]["free"].get<uint64_t>(),
            cj["high_water"].get<uint64_t>());

  auto stats = RunBoltgen({"stats", db});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto want = nlohmann::json::parse(stats.out);
  auto inspect = RunZb({"inspect", "--json", "--depth", "0", db});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_EQ(inspect.err, "");
  auto got = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(got["txid"], want["txid"]);
  EXPECT_EQ(got["page_size"], want["page_size"]);
  EXPECT_EQ(got["keys"], want["keys"]);
  ASSERT_EQ(got["buckets"].size(), want["buckets"].size());
  for (size_t i = 0; i < want["buckets"].size(); ++i) {
    const auto& w = want["buckets"][i];
    const auto& b = got["buckets"][i];
    ASSERT_EQ(b["path"], w["path"]) << "bucket " << i;
    EXPECT_EQ(b["keys"], w["keys"]) << w["path"];
    EXPECT_EQ(b["sub_buckets"], w["sub_buckets"]) << w["path"];
    EXPECT_EQ(b["depth"], w["depth"]) << w["path"];
  }
  EXPECT_EQ(got["buckets_total"], want["buckets"].size());
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, CheckAgreementTest,
    ::testing::Values(Shape{"ziti_churned", {"--size", "8MiB", "--churn"}},
                      Shape{"deep", {"--size", "4MiB", "--shape", "deep", "--churn"}},
                      Shape{"inline", {"--size", "4MiB", "--shape", "inline"}},
                      Shape{"overflow", {"--size", "8MiB", "--shape", "overflow", "--churn"}},
                      Shape{"wide_over_100k_keys", {"--size", "16MiB", "--shape", "wide"}},
                      Shape{"no_freelist_sync",
                            {"--size", "4MiB", "--no-freelist-sync", "--churn"}},
                      Shape{"page_1k", {"--size", "4MiB", "--page-size", "1024", "--churn"}},
                      Shape{"page_64k", {"--size", "8MiB", "--page-size", "65536", "--churn"}}),
    [](const auto& info) { return info.param.name; });

TEST(CheckAgreementTest, WideShapeHasOverAHundredThousandKeys) {
  TempDir dir;
  auto g = RunBoltgen(
      {"gen", "--out", dir / "db", "--seed", "11", "--size", "16MiB", "--shape", "wide"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  auto got = nlohmann::json::parse(RunZb({"inspect", "--json", dir / "db"}).out);
  EXPECT_GT(got["keys"].get<uint64_t>(), 100000u);
}

TEST(InspectTest, ControllerDbShowsTheOpenZitiSummary) {
  TempDir dir;
  const std::string db = dir / "ctrl.db";
  ASSERT_EQ(RunBoltgen({"gen", "--out", db, "--seed", "5", "--size", "2MiB"}).exit_code, 0);
  auto stats = nlohmann::json::parse(RunBoltgen({"stats", db}).out);
  auto records = [&](const std::string& entity) {
    for (const auto& b : stats["buckets"]) {
      if (b["path"] == nlohmann::json::array({"ziti", entity})) return b["sub_buckets"];
    }
    return nlohmann::json(0);
  };
  auto got = nlohmann::json::parse(RunZb({"inspect", "--json", db}).out);
  ASSERT_TRUE(got["ziti"].is_object()) << got.dump();
  for (const char* e :
       {"identities", "services", "routers", "servicePolicies", "edgeRouterPolicies", "configs"}) {
    EXPECT_EQ(got["ziti"]["entities"][e], records(e)) << e;
    EXPECT_GT(got["ziti"]["entities"][e].get<int>(), 0) << e;
  }
  EXPECT_TRUE(got["ziti"]["raft_index"].is_number_integer());
  EXPECT_EQ(got["ziti"]["cluster_id"].get<std::string>().rfind("ctrl-cluster-", 0), 0u);

  auto text = RunZb({"inspect", db});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(
      text.out.find("OpenZiti controller\n  raft index  " +
                    std::to_string(got["ziti"]["raft_index"].get<int64_t>()) + "\n  cluster id  " +
                    got["ziti"]["cluster_id"].get<std::string>() + "\n  identities           " +
                    std::to_string(got["ziti"]["entities"]["identities"].get<int>()) + "\n"),
      std::string::npos)
      << text.out;
}

TEST(CheckCliTest, NotABboltFileIsAFindingOnPageZero) {
  TempDir dir;
  const std::string junk = dir / "junk";
  testing::WriteFileOrDie(junk, std::string(10000, 'x'));
  auto r = RunZb({"check", junk});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out,
            "page 0: " + junk + ": not a bbolt file (no valid meta page; size 10000 bytes)\n");
  EXPECT_EQ(r.err, "ziti-backup: corruption: " + junk + ": 1 finding\n");
  auto i = RunZb({"inspect", junk});
  EXPECT_EQ(i.exit_code, 3);
  EXPECT_EQ(i.err, "ziti-backup: corruption: " + junk + ": not a bbolt file: " + junk +
                       ": not a bbolt file (no valid meta page; size 10000 bytes)\n");
}

TEST(CheckCliTest, MissingFileIsExitOneAndMissingArgumentExitTwo) {
  auto r = RunZb({"check", "/nonexistent/ctrl.db"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "ziti-backup: not found: open /nonexistent/ctrl.db: No such file or directory\n");
  auto u = RunZb({"check"});
  EXPECT_EQ(u.exit_code, 2);
  EXPECT_NE(u.err.find("DB is required"), std::string::npos) << u.err;
  auto d = RunZb({"inspect", "--depth", "-1", "/x"});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_EQ(d.err,
            "ziti-backup: invalid argument: invalid --depth value \"-1\": want 0 (all) to 1024\n");
}

}  // namespace
}  // namespace zb
