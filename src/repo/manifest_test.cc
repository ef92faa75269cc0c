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
  m.recipients = {"sha256:bfcfc13ee2df84a3", "sha256:c40f82917a665421"};
  m.compression = "none";
  m.data_object = "ctrl-ha-20260625T000436Z.db.age";
  m.sequence = 12;
  m.attempts = 3;
  m.meta_fallback = MetaFallback{1187, 1186, "checksum mismatch"};
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

TEST(ManifestTest, ManifestsOfEarlierVersionsReadWithDefaults) {
  std::string j = ManifestToJson(Sample());
  for (const char* field :
       {"  \"sequence\": 0,\n", "  \"attempts\": 1,\n", "  \"meta_fallback\": null,\n"}) {
    ASSERT_NE(j.find(field), std::string::npos) << field << " in " << j;
    j.erase(j.find(field), std::string(field).size());
  }
  auto m = ParseManifest(j, "a.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(*m, Sample());
}

TEST(ManifestTest, HostileValuesAreDamageNotCastsOrCrashes) {
  const std::string j = ManifestToJson(Sample());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string out = j;
    EXPECT_NE(out.find(from), std::string::npos) << from;
    out.replace(out.find(from), from.size(), to);
    return ParseManifest(out, "a.json").status().message();
  };
  EXPECT_EQ(with("\"page_size\": 4096", "\"page_size\": 1e300"),
            "manifest a.json: field \"page_size\" is not a whole number in range");
  EXPECT_EQ(with("\"page_size\": 4096", "\"page_size\": 4294967296"),
            "manifest a.json: field \"page_size\" is not a whole number in range");
  EXPECT_EQ(with("\"size\": 207433728", "\"size\": -1"),
            "manifest a.json: field \"size\" is not a whole number in range");
  EXPECT_EQ(with("\"identities\": 7", "\"identities\": -7"),
            "manifest a.json: field \"entities\" is not a whole number in range");
  EXPECT_EQ(with("\"sequence\": 0", "\"sequence\": 18446744073709551615"),
            "manifest a.json: sequence 18446744073709551615 is beyond any real count");
  EXPECT_EQ(with("\"id\": \"ctrl-ha-20260625T000436Z\"", "\"id\": \"../../etc/passwd\""),
            "manifest a.json: \"../../etc/passwd\" is not a snapshot id "
            "(<db-name>-YYYYMMDDTHHMMSSZ)");
  EXPECT_EQ(with("\"data_object\": \"ctrl-ha-20260625T000436Z.db.zst\"",
                 "\"data_object\": \"../ctrl-ha.db\""),
            "manifest a.json: data_object \"../ctrl-ha.db\" is not "
            "ctrl-ha-20260625T000436Z.db.zst, the name its id and encoding give");
  const std::string age =
      "\"encryption\": {\"recipients\": [\"sha256:bfcfc13ee2df84a3\"], "
      "\"type\": \"age\"}";
  EXPECT_EQ(with("\"encryption\": null", "\"encryption\": {\"recipients\": [], \"type\": \"age\"}"),
            "manifest a.json: encryption without recipients");
  EXPECT_EQ(with("\"encryption\": null",
                 "\"encryption\": {\"recipients\": [\"age1x\"], \"type\": \"age\"}"),
            "manifest a.json: a recipient that is not a sha256: fingerprint");
  EXPECT_EQ(with("\"encryption\": null",
                 "\"encryption\": {\"recipients\": [\"sha256:BFCFC13EE2DF84A3\"], \"type\": "
                 "\"age\"}"),
            "manifest a.json: a recipient that is not a sha256: fingerprint");
  EXPECT_EQ(with("\"encryption\": null",
                 "\"encryption\": {\"recipients\": [\"sha256:bfcfc13ee2df84a3\"], \"type\": "
                 "\"gpg\"}"),
            "manifest a.json: encryption type is not \"age\"");
  // A well-formed block whose data object lacks .age is damage too.
  EXPECT_EQ(with("\"encryption\": null", age),
            "manifest a.json: data_object \"ctrl-ha-20260625T000436Z.db.zst\" is not "
            "ctrl-ha-20260625T000436Z.db.zst.age, the name its id and encoding give");
  EXPECT_EQ(ParseManifest(std::string(100000, '[') + std::string(100000, ']'), "a.json")
                .status()
                .message(),
            "manifest a.json: nested deeper than a manifest is");
  EXPECT_EQ(ParseManifest(std::string(kMaxManifestBytes + 1, ' '), "a.json").status().message(),
            "manifest a.json: 1048577 bytes, more than a manifest can be");
}

TEST(ManifestTest, DeclaredFormatTellsNewerManifestsFromDamage) {
  EXPECT_EQ(DeclaredFormat("{\"format\": 7, \"whatever\": []}"), 7);
  EXPECT_EQ(DeclaredFormat(ManifestToJson(Sample())), 1);
  EXPECT_EQ(DeclaredFormat("{\"format\": 7"), std::nullopt);
  EXPECT_EQ(DeclaredFormat("{\"format\": \"7\"}"), std::nullopt);
  EXPECT_EQ(DeclaredFormat("[7]"), std::nullopt);
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
            "manifest a.json: field \"size\" is not a whole number in range");
  EXPECT_EQ(with("\"txid\": 1186", "\"txid\": -1"),
            "manifest a.json: field \"txid\" is not a whole number in range");
  EXPECT_EQ(with("\"page_size\": 4096", "\"page_size\": 4294967296"),
            "manifest a.json: field \"page_size\" is not a whole number in range");
  EXPECT_EQ(with("\"services\": 3", "\"services\": 3.5"),
            "manifest a.json: field \"entities\" is not a whole number in range");
  EXPECT_EQ(with("\"raft_index\": 42", "\"raft_index\": -42"), "");  // int64: fine
}

}  // namespace
}  // namespace zb::repo
