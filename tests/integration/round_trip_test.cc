// Ten rounds of (live bbolt writer commits after the previous backup's
// txid, `backup`, paced as in testutil/live_writer.h), then
// every snapshot restored: its content digest equals the one the writer
// logged for the snapshot's txid, and the real `zstd -d` of the stored
// object is byte-identical to what `restore` wrote. The same with
// --incremental: a base, then packs of the pages the writer changed, each
// snapshot rebuilt from its chain.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "testutil/live_writer.h"
#include "testutil/run.h"

namespace zb {
namespace {

using namespace std::chrono_literals;

class RoundTripTest : public ::testing::TestWithParam<bool> {};

TEST_P(RoundTripTest, TenBackupsOfALiveDbRestoreToExactlyTheLoggedStates) {
  const bool incremental = GetParam();
  testing::TempDir dir;
  const std::string db = dir / "ctrl-ha.db", target = dir / "backups";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "8MiB", "--churn"}).exit_code, 0);
  testing::LiveWriter writer(dir.path(), db, 200);
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  unsigned long long previous = 0;
  for (int round = 0; round < 10; ++round) {
    ASSERT_TRUE(writer.WaitForCommitAfter(previous)) << writer.Stderr();
    std::vector<std::string> args{"backup",           "--db",        db,  "--target",
                                  "file://" + target, "--keep-last", "20"};
    if (incremental) args.push_back("--incremental");
    auto r = testing::RunZbPaced(writer, args);
    // A base after the first only by the rebase rule: a loaded machine's
    // slow runs let the writer change many pages between two backups.
    if (incremental && round > 0 && r.err.find("backup.full ") != std::string::npos) {
      EXPECT_NE(r.err.find("reason=\"the chain's packs would hold "), std::string::npos) << r.err;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(" method=hot "), std::string::npos) << r.out;
    std::smatch txid;
    ASSERT_TRUE(std::regex_search(r.out, txid, std::regex(" txid=(\\d+) "))) << r.out;
    previous = std::stoull(txid[1].str());
  }
  ASSERT_EQ(writer.Stop(), 0);

  std::map<unsigned long long, std::string> logged = writer.Digests();

  auto list = testing::RunZb({"list", "--target", "file://" + target, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const auto j = nlohmann::json::parse(list.out);
  const auto& snapshots = j[0]["snapshots"];
  ASSERT_EQ(snapshots.size(), 10u);
  std::set<unsigned long long> txids;
  int incremental_ones = 0;
  for (const auto& s : snapshots) {
    const std::string id = s["id"].get<std::string>();
    const std::string restored = dir / ("restored-" + id + ".db");
    auto r = testing::RunZb({"restore", id, "--to", restored, "--target", "file://" + target});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto check = testing::PeerCheckFile(restored);
    EXPECT_EQ(check.exit_code, 0) << check.raw;
    EXPECT_EQ(check.txid, s["txid"].get<unsigned long long>());
    ASSERT_TRUE(logged.count(check.txid)) << "txid " << check.txid << " not in the writer log";
    EXPECT_EQ(check.digest, logged[check.txid]) << id;
    txids.insert(check.txid);

    if (incremental) {
      if (s == snapshots[0]) EXPECT_EQ(s["kind"], "base");
      incremental_ones += s["kind"] == "incremental";
      continue;
    }
    const std::string by_cli = dir / ("cli-" + id + ".db");
    auto z = testing::Run(
        {"zstd", "-q", "-d", target + "/" + s["data_object"].get<std::string>(), "-o", by_cli});
    ASSERT_EQ(z.exit_code, 0) << z.err;
    EXPECT_TRUE(testing::ReadFileOrDie(by_cli) == testing::ReadFileOrDie(restored)) << id;
  }
  EXPECT_EQ(txids.size(), 10u) << "the writer moved on between backups";
  if (incremental) EXPECT_GT(incremental_ones, 0);
}

INSTANTIATE_TEST_SUITE_P(Kinds, RoundTripTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Incremental" : "Full"; });

}  // namespace
}  // namespace zb
