// AgeDecryptSink on the age project's own test vectors (C2SP CCTV,
// c2sp.org/CCTV/age, pinned in tests/agevectors and written into the
// build tree at ZB_AGEVECTORS). Each vector says what decrypting it must
// give: success with a payload hash, or which kind of failure, with the
// hash of whatever plaintext was released before it.
//
// Run: every vector with an X25519 identity (with those identities only).
// Passphrase (scrypt) and armored vectors are features ziti-backup does not
// have: they run too, with the identity the other vectors use, and must
// fail as we decided (an scrypt file is kNoMatch, or kHeader where the
// header is malformed in a way we check; an armored one is kHeader), with
// nothing released. Hybrid (ML-KEM) vectors, whose only identities are
// post-quantum ones, cannot be run and are counted as skipped.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "testutil/age.h"
#include "testutil/run.h"

namespace zb::codec {
namespace {

namespace fs = std::filesystem;
using Failure = AgeDecryptSink::Failure;

struct Vector {
  std::string name;
  std::string expect;
  std::string payload;  // hex SHA-256 of the released plaintext, if given
  std::vector<std::string> identities;
  bool passphrase = false;
  bool armored = false;
  std::string file;  // the age file
};

Vector ReadVector(const fs::path& path) {
  const std::string data = testing::ReadFileOrDie(path);
  const size_t blank = data.find("\n\n");
  Vector v;
  v.name = path.filename();
  v.file = data.substr(blank + 2);
  std::string_view head(data.data(), blank + 1);
  while (!head.empty()) {
    const size_t nl = head.find('\n');
    const std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl + 1);
    const size_t colon = line.find(": ");
    const std::string key(line.substr(0, colon));
    const std::string value(line.substr(colon + 2));
    if (key == "expect") v.expect = value;
    if (key == "payload") v.payload = value;
    if (key == "identity") v.identities.push_back(value);
    if (key == "passphrase") v.passphrase = true;
    if (key == "armored") v.armored = value == "yes";
  }
  return v;
}

std::vector<Vector> ReadVectors() {
  std::vector<Vector> vs;
  for (const auto& e : fs::directory_iterator(ZB_AGEVECTORS)) {
    if (e.path().filename() != "count") vs.push_back(ReadVector(e.path()));
  }
  std::sort(vs.begin(), vs.end(), [](const Vector& a, const Vector& b) { return a.name < b.name; });
  return vs;
}

const char* Name(Failure f) {
  switch (f) {
    case Failure::kNone:
      return "success";
    case Failure::kHeader:
      return "header failure";
    case Failure::kNoMatch:
      return "no match";
    case Failure::kMac:
      return "HMAC failure";
    case Failure::kPayload:
      return "payload failure";
  }
  return "?";
}

// The scrypt vectors age calls a header failure for what is inside the
// scrypt stanza (its salt and work factor, the file key it seals): we do
// not read scrypt stanzas, so to us these are passphrase files like any
// other (kNoMatch). The remaining scrypt header failures are ones we see
// too: a body that is not canonical base64, an scrypt stanza not alone.
const std::set<std::string> kScryptNoMatchForUs = {
    "scrypt_extra_argument",
    "scrypt_long_file_key",
    "scrypt_not_canonical_salt",
    "scrypt_salt_long",
    "scrypt_salt_missing",
    "scrypt_salt_short",
    "scrypt_work_factor_23",
    "scrypt_work_factor_hex",
    "scrypt_work_factor_leading_garbage",
    "scrypt_work_factor_leading_plus",
    "scrypt_work_factor_leading_zero_decimal",
    "scrypt_work_factor_leading_zero_octal",
    "scrypt_work_factor_missing",
    "scrypt_work_factor_negative",
    "scrypt_work_factor_overflow",
    "scrypt_work_factor_trailing_garbage",
    "scrypt_work_factor_zero",
};

constexpr std::string_view kPassphraseMessage =
    "age: no identity matches: it is encrypted with a passphrase (scrypt), which ziti-backup "
    "does not use; decrypt it with `age -d`";
constexpr std::string_view kUnknownScryptMessage =
    "age: no identity matches: none of the 1 identities given opens any of its 0 X25519 "
    "recipient stanzas; it also has recipients of types ziti-backup cannot use: Scrypt";
constexpr std::string_view kNotAgeMessage =
    "not an age v1 file (it does not start with \"age-encryption.org/v1\")";
constexpr std::string_view kArmoredMessage =
    "an ASCII-armored age file; ziti-backup reads binary age files (`age -d` reads both)";
// The identity most vectors use, for those that give none we can use.
constexpr std::string_view kTestIdentity =
    "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

TEST(AgeVectorsTest, EveryVectorDecryptsAsAgeSays) {
  const auto vectors = ReadVectors();
  const std::string count = testing::ReadFileOrDie(std::string(ZB_AGEVECTORS) + "/count");
  ASSERT_EQ(std::to_string(vectors.size()) + "\n", count) << "a partial copy of the vectors";
  std::map<std::string, int> ran;  // "<age's expectation> -> <ours>" -> vectors
  int x25519 = 0, scrypt = 0, armored = 0, skipped = 0;
  for (const Vector& v : vectors) {
    SCOPED_TRACE(v.name);
    std::vector<SecretKey> ids;
    bool pq = false;
    for (const std::string& id : v.identities) {
      if (id.starts_with("AGE-SECRET-KEY-PQ-")) {
        pq = true;
        continue;
      }
      auto key = ParseIdentity(id);
      ASSERT_TRUE(key.ok()) << key.status().ToString();
      ids.push_back(*key);
    }
    if (ids.empty() && pq) {
      ++skipped;
      continue;
    }
    if (ids.empty()) ids.push_back(ParseIdentity(kTestIdentity).value());
    const auto r = testing::AgeDecrypt(v.file, ids);
    // The outcome must not depend on how the file is cut into writes.
    const auto pieces = testing::AgeDecryptInPieces(v.file, ids, 7);
    EXPECT_EQ(pieces.status.ToString(), r.status.ToString());
    EXPECT_TRUE(pieces.plain == r.plain);
    EXPECT_TRUE(r.status.ok() || r.status.code() == Code::kCorruption) << r.status.ToString();
    ++ran[v.expect + " -> " + Name(r.failure)];
    if (v.armored) {
      ++armored;
      EXPECT_EQ(r.failure, Failure::kHeader) << r.status.ToString();
      EXPECT_EQ(r.plain, "");
      // Known as armor by its exact first line; anything else is just not
      // an age file to us.
      EXPECT_EQ(r.status.message(), v.file.starts_with("-----BEGIN AGE ENCRYPTED FILE-----")
                                        ? kArmoredMessage
                                        : kNotAgeMessage);
      continue;
    }
    if (v.passphrase && v.identities.empty()) {
      ++scrypt;
      EXPECT_EQ(r.plain, "");
      if (v.expect == "header failure" && !kScryptNoMatchForUs.count(v.name)) {
        EXPECT_EQ(r.failure, Failure::kHeader) << r.status.ToString();
      } else {
        EXPECT_EQ(r.failure, Failure::kNoMatch) << r.status.ToString();
        // "Scrypt" is no stanza type age knows, so not a passphrase.
        EXPECT_EQ(r.status.message(),
                  v.name == "scrypt_uppercase" ? kUnknownScryptMessage : kPassphraseMessage);
      }
      continue;
    }
    ++x25519;
    EXPECT_EQ(Name(r.failure), v.expect) << r.status.ToString();
    EXPECT_EQ(r.finished, r.status.ok());
    if (!v.payload.empty()) {
      EXPECT_EQ(testing::Sha256Hex(r.plain), v.payload) << r.plain.size() << " bytes released";
    }
  }
  for (const auto& [kinds, n] : ran) std::printf("  age vectors: %-36s %3d\n", kinds.c_str(), n);
  std::printf(
      "  age vectors: %d X25519 (and scrypt/x25519 mixes), %d scrypt, %d armored run; "
      "%d hybrid skipped\n",
      x25519, scrypt, armored, skipped);
  // The pinned vectors, and how each kind mapped: a change here is a
  // change of the vectors or of our behaviour, to be looked at either way.
  EXPECT_EQ(vectors.size(), 143u);
  EXPECT_EQ(x25519, 69);
  EXPECT_EQ(scrypt, 24);
  EXPECT_EQ(armored, 32);
  EXPECT_EQ(skipped, 18);
  const std::map<std::string, int> kMapped = {
      {"success -> success", 14},
      {"no match -> no match", 7},
      {"HMAC failure -> HMAC failure", 1},
      {"header failure -> header failure", 37},
      {"payload failure -> payload failure", 18},
      // scrypt: the passphrase file, and what age finds inside its stanza.
      {"success -> no match", 1},
      {"header failure -> no match", 17},
      // Armored, whatever age finds inside the armor.
      {"armor failure -> header failure", 22},
      {"success -> header failure", 6},
      {"no match -> header failure", 1},
      {"payload failure -> header failure", 1},
  };
  EXPECT_EQ(ran, kMapped);
}

}  // namespace
}  // namespace zb::codec
