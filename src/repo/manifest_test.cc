#include "repo/manifest.h"

#include <gtest/gtest.h>

namespace zb::repo {
namespace {

Manifest Sample() {
  Manifest m;
  m.id = "ctrl-ha-20260625T000436Z";
  m.created = *ParseRfc3339("2026-06-25T00:04:36Z");
  m.data_object = "ctrl-ha-20260625T000436Z.db.zst";
  m.source = "/ziti-controller/ctrl-ha.db";
  m.method = "hot";
  m.page_size = 4096;
  m.txid = 1186;
  m.high_water = 50642;
  m.plain_size = 207433728;
  m.plain_sha256 = std::string(64, 'a');
  m.stored_size = 31337;
  m.stored_sha256 = std::string(64, 'b');
  m.compression = "zstd";
  m.compression_level = 3;
  m.duration_seconds = 0.25;
  m.tool_version = "0.1.0";
  m.host = "ctrl-1";
  m.ziti = ZitiInfo{42, "ctrl-cluster-x", {{"identities", 7}, {"services", 3}}};
  return m;
}

TEST(ManifestTest, RoundTripsEveryField) {
  Manifest m = Sample();
  auto back = ParseManifest(ManifestToJson(m), "x.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  m.ziti.reset();
  m.recipients = {"age1fingerprint"};
  m.compression = "none";
  back = ParseManifest(ManifestToJson(m), "x.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
}

TEST(ManifestTest, JsonHasTheDocumentedShape) {
  const std::string j = ManifestToJson(Sample());
  EXPECT_NE(j.find("\"created\": \"2026-06-25T00:04:36Z\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"encryption\": null"), std::string::npos) << j;
  EXPECT_NE(j.find("\"raft_index\": 42"), std::string::npos) << j;
}

TEST(ManifestTest, DamageIsCorruptionNamingTheObjectAndField) {
  EXPECT_EQ(ParseManifest("{not json", "a.json").status().code(), Code::kCorruption);
  std::string j = ManifestToJson(Sample());
  std::string no_txid = j;
  no_txid.replace(no_txid.find("\"txid\""), 6, "\"tx_id\"");
  EXPECT_EQ(ParseManifest(no_txid, "a.json").status().message(),
            "manifest a.json: missing field \"txid\"");
  std::string bad_hash = j;
  bad_hash.replace(bad_hash.find(std::string(64, 'a')), 1, "Z");
  EXPECT_EQ(ParseManifest(bad_hash, "a.json").status().message(),
            "manifest a.json: \"Z" + std::string(63, 'a') + "\" is not a SHA-256 in hex");
  std::string newer = j;
  newer.replace(newer.find("\"format\": 1"), 11, "\"format\": 9");
  EXPECT_EQ(ParseManifest(newer, "a.json").status().message(),
            "manifest a.json: format 9 is newer than this ziti-backup reads (1)");
}

// Found by fuzz/manifest: numbers were converted to the field's type
// whatever they were, so a size of 2e125 (a double) was undefined
// behaviour, -1 became 2^64-1 and a page size of 2^32 became 0.
TEST(ManifestTest, ANumberTheFieldCannotHoldIsCorruption) {
  const std::string j = ManifestToJson(Sample());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = j;
    s.replace(s.find(from), from.size(), to);
    return ParseManifest(s, "a.json").status().message();
  };
  EXPECT_EQ(with("\"size\": 31337", "\"size\": 2e125"),
            "manifest a.json: field \"size\" is not an integer in range: 2e+125");
  EXPECT_EQ(with("\"txid\": 1186", "\"txid\": -1"),
            "manifest a.json: field \"txid\" is not an integer in range: -1");
  EXPECT_EQ(with("\"page_size\": 4096", "\"page_size\": 4294967296"),
            "manifest a.json: field \"page_size\" is not an integer in range: 4294967296");
  EXPECT_EQ(with("\"services\": 3", "\"services\": 3.5"),
            "manifest a.json: field \"entities\" is not an integer in range: 3.5");
  EXPECT_EQ(with("\"raft_index\": 42", "\"raft_index\": -42"), "");  // int64: fine
}

}  // namespace
}  // namespace zb::repo
