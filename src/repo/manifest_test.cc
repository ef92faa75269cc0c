#include "repo/manifest.h"

#include <gtest/gtest.h>

#include <functional>

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

TEST(ManifestTest, TheLockItWasWrittenWithRoundTripsAndIsChecked) {
  Manifest m = Sample();
  m.lock = ManifestLock{"COMPLIANCE", *ParseRfc3339("2027-01-05T10:00:00Z")};
  const std::string text = ManifestToJson(m);
  EXPECT_NE(text.find(R"("lock": {
    "mode": "COMPLIANCE",
    "until": "2027-01-05T10:00:00Z"
  })"),
            std::string::npos)
      << text;
  auto back = ParseManifest(text, "x.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(ManifestToJson(Sample()).find("\"lock\""), std::string::npos);
  std::string bad = text;
  bad.replace(bad.find("COMPLIANCE"), 10, "FOREVER");
  EXPECT_EQ(ParseManifest(bad, "x.json").status().message(),
            "manifest x.json: unknown lock mode \"FOREVER\"");
  bad = text;
  bad.replace(bad.find("2027-01-05T10"), 13, "soon");
  EXPECT_EQ(ParseManifest(bad, "x.json").status().code(), Code::kCorruption);
}

// The incremental snapshot of a chain of three: a base and two packs.
Manifest Incremental() {
  Manifest m = Sample();
  m.format = kChainManifestFormat;
  m.kind = SnapshotKind::kIncremental;
  m.chain = "0123456789abcdef";
  m.parent = "ctrl-ha-20260624T230436Z";
  m.data_object = "ctrl-ha-20260625T000436Z.pages-0123456789abcdef.zst";
  m.plain_size = m.high_water * m.page_size;
  m.objects = {{"ctrl-ha-20260624T220436Z.base-0123456789abcdef.zst", ObjectRole::kBase, 9000,
                std::string(64, 'c'), 50000 * 4096, 0, 0},
               {"ctrl-ha-20260624T230436Z.pages-0123456789abcdef.zst", ObjectRole::kPages, 700,
                std::string(64, 'd'), 36 + 3 * (8 + 4096), 50600, 1180},
               {m.data_object, ObjectRole::kPages, m.stored_size, m.stored_sha256,
                36 + 5 * (8 + 4096), m.high_water, m.txid}};
  return m;
}

TEST(ManifestTest, ChainManifestsRoundTripAndFullOnesKeepTheOldFormat) {
  const Manifest m = Incremental();
  const std::string j = ManifestToJson(m);
  auto back = ParseManifest(j, "x.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, m);
  EXPECT_NE(j.find("\"kind\": \"incremental\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"role\": \"pages\""), std::string::npos) << j;
  EXPECT_EQ(ObjectsOf(m), m.objects);
  // A full manifest says nothing of chains: older versions read it as before.
  const std::string full = ManifestToJson(Sample());
  EXPECT_EQ(full.find("\"kind\""), std::string::npos) << full;
  EXPECT_EQ(full.find("\"objects\""), std::string::npos) << full;
  EXPECT_NE(full.find("\"format\": 1"), std::string::npos) << full;
  ASSERT_EQ(ObjectsOf(Sample()).size(), 1u);
  EXPECT_EQ(ObjectsOf(Sample())[0].name, Sample().data_object);
  EXPECT_EQ(ObjectsOf(Sample())[0].plain_size, Sample().plain_size);
}

TEST(ManifestTest, AChainThatDoesNotHoldTogetherIsDamageSayingWhy) {
  struct Case {
    std::function<void(Manifest&)> edit;
    std::string why;
  };
  const std::vector<Case> cases = {
      {[](Manifest& m) { m.objects[0].name = "../etc/passwd"; },
       "object \"../etc/passwd\" is not a name its role, chain and the manifest's encoding give"},
      {[](Manifest& m) {
         m.objects[1].name = "ctrl-ha-20260624T230436Z.pages-0123456789abcdef.zst.age";
       },
       "object \"ctrl-ha-20260624T230436Z.pages-0123456789abcdef.zst.age\" is not a name its role, "
       "chain and "
       "the manifest's encoding give"},
      {[](Manifest& m) {
         m.objects[1].name = "ctrl-ha-20260624T230436Z.pages-fedcba9876543210.zst";
       },
       "object \"ctrl-ha-20260624T230436Z.pages-fedcba9876543210.zst\" is not a name its role, "
       "chain and the manifest's encoding give"},
      {[](Manifest& m) { m.chain = "x"; }, "chain \"x\" is not 16 hex digits"},
      {[](Manifest& m) { std::swap(m.objects[0], m.objects[1]); },
       "object \"ctrl-ha-20260624T230436Z.pages-0123456789abcdef.zst\" has role pages, expected "
       "base"},
      {[](Manifest& m) { m.objects[1] = m.objects[2]; },
       "object \"ctrl-ha-20260625T000436Z.pages-0123456789abcdef.zst\" is listed twice"},
      {[](Manifest& m) { m.objects.back().stored_size += 1; },
       "its last object is not its data object "
       "ctrl-ha-20260625T000436Z.pages-0123456789abcdef.zst"},
      {[](Manifest& m) { m.objects[1].plain_size += 1; },
       "object \"ctrl-ha-20260624T230436Z.pages-0123456789abcdef.zst\": 12349 bytes is no page "
       "pack's size"},
      {[](Manifest& m) { m.objects[1].page_count = 2; },
       "object \"ctrl-ha-20260624T230436Z.pages-0123456789abcdef.zst\" holds more pages than its "
       "image has"},
      {[](Manifest& m) { m.objects[0].plain_size += 1; },
       "object \"ctrl-ha-20260624T220436Z.base-0123456789abcdef.zst\" is not a whole number of "
       "pages"},
      {[](Manifest& m) { m.objects.back().txid = 1; }, "its own pack is not made for its image"},
      {[](Manifest& m) { m.parent = "yesterday"; }, "parent \"yesterday\" is not an id"},
      {[](Manifest& m) { m.objects.erase(m.objects.begin() + 1, m.objects.end()); },
       "is incremental but lists no page pack"},
      {[](Manifest& m) { m.plain_size += 4096; }, "its image is not its high-water mark of pages"},
  };
  for (const Case& c : cases) {
    Manifest m = Incremental();
    c.edit(m);
    auto back = ParseManifest(ManifestToJson(m), "x.json");
    EXPECT_EQ(back.status().code(), Code::kCorruption) << c.why;
    EXPECT_EQ(back.status().message(), "manifest x.json: " + c.why);
  }
  // An unknown kind or role.
  std::string j = ManifestToJson(Incremental());
  j.replace(j.find("\"incremental\""), 13, "\"differential\"");
  EXPECT_EQ(ParseManifest(j, "x.json").status().message(),
            "manifest x.json: unknown kind \"differential\"");
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
            "manifest a.json: format 9 is newer than this ziti-backup reads (2)");
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
