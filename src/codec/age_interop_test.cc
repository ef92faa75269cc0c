// AgeEncryptSink and AgeDecryptSink against the real age CLI (Debian's age
// 1.1.1), both ways: what we write decrypts with `age -d -i`, and what
// `age -r` and `age -R` write (keys from age-keygen) decrypts with
// AgeDecryptSink, at every size around the 64 KiB chunk and a few MiB.
#include <gtest/gtest.h>

#include "codec/age_x25519.h"
#include "testutil/age.h"
#include "testutil/random_bytes.h"
#include "testutil/run.h"

namespace zb::codec {
namespace {

using testing::AgeDecrypt;
using testing::AgeDecryptInPieces;
using testing::AgeEncrypt;
using testing::NewAgeKeys;
using testing::RandomBytes;

constexpr size_t kChunk = age::kChunkSize;

std::vector<size_t> Sizes() {
  return {0, 1, kChunk - 1, kChunk, kChunk + 1, 2 * kChunk, 3 * kChunk + 5, (size_t{3} << 20) + 7};
}

// An identity made by age-keygen: the secret parsed from its file, which
// stays at `path` for `age -d -i`.
struct KeygenIdentity {
  SecretKey secret;
  std::string recipient;
};

KeygenIdentity Keygen(const std::string& path) {
  auto r = testing::Run({"age-keygen", "-o", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string file = testing::ReadFileOrDie(path);
  const size_t at = file.find("AGE-SECRET-KEY-1");
  KeygenIdentity id;
  id.secret = ParseIdentity(file.substr(at, file.find('\n', at) - at)).value();
  id.recipient = FormatRecipient(PublicKeyOf(id.secret).value());
  // age-keygen prints the recipient on stderr: it must be the one we derive.
  EXPECT_NE(r.err.find(id.recipient), std::string::npos) << r.err;
  return id;
}

TEST(AgeInteropTest, AgeDecryptsWhatWeWrite) {
  testing::TempDir dir;
  const auto k = NewAgeKeys();
  testing::WriteFileOrDie(dir / "key.txt", k.identity_file);
  for (size_t n : Sizes()) {
    const std::string plain = RandomBytes(n, n + 1);
    testing::WriteFileOrDie(dir / "x.age", AgeEncrypt(plain, {k.pub}));
    auto r = testing::Run({"age", "-d", "-i", dir / "key.txt", dir / "x.age"});
    ASSERT_EQ(r.exit_code, 0) << n << ": " << r.err;
    EXPECT_TRUE(r.out == plain) << n << ": " << r.out.size() << " bytes";
  }
}

TEST(AgeInteropTest, AgeDecryptsWhatWeWriteToSeveralRecipients) {
  testing::TempDir dir;
  const auto a = NewAgeKeys();
  const auto b = NewAgeKeys();
  const std::string plain = RandomBytes(kChunk + 1, 5);
  testing::WriteFileOrDie(dir / "x.age", AgeEncrypt(plain, {a.pub, b.pub}));
  for (const auto* k : {&a, &b}) {
    testing::WriteFileOrDie(dir / "key.txt", k->identity_file);
    auto r = testing::Run({"age", "-d", "-i", dir / "key.txt", dir / "x.age"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out == plain);
  }
}

TEST(AgeInteropTest, WeDecryptWhatAgeWritesToOneRecipient) {
  testing::TempDir dir;
  const auto id = Keygen(dir / "key.txt");
  for (size_t n : Sizes()) {
    const std::string plain = RandomBytes(n, n + 2);
    testing::WriteFileOrDie(dir / "plain", plain);
    auto e = testing::Run({"age", "-r", id.recipient, "-o", dir / "x.age", dir / "plain"});
    ASSERT_EQ(e.exit_code, 0) << e.err;
    const std::string enc = testing::ReadFileOrDie(dir / "x.age");
    const auto r = AgeDecrypt(enc, {id.secret});
    ASSERT_TRUE(r.status.ok()) << n << ": " << r.status.ToString();
    EXPECT_TRUE(r.plain == plain) << n;
    // And in pieces of an odd size, which cut every structure somewhere.
    const auto pieces = AgeDecryptInPieces(enc, {id.secret}, 4099);
    ASSERT_TRUE(pieces.status.ok()) << n << ": " << pieces.status.ToString();
    EXPECT_TRUE(pieces.plain == plain) << n;
  }
}

TEST(AgeInteropTest, WeDecryptWhatAgeWritesToARecipientsFile) {
  testing::TempDir dir;
  const auto a = Keygen(dir / "a.txt");
  const auto b = Keygen(dir / "b.txt");
  const auto stranger = NewAgeKeys();
  testing::WriteFileOrDie(dir / "recipients.txt",
                          "# the backup keys\n" + a.recipient + "\n" + b.recipient + "\n");
  for (size_t n : {size_t{0}, 2 * kChunk, 3 * kChunk + 5}) {
    const std::string plain = RandomBytes(n, n + 3);
    testing::WriteFileOrDie(dir / "plain", plain);
    auto e =
        testing::Run({"age", "-R", dir / "recipients.txt", "-o", dir / "x.age", dir / "plain"});
    ASSERT_EQ(e.exit_code, 0) << e.err;
    const std::string enc = testing::ReadFileOrDie(dir / "x.age");
    // Each identity alone opens it, whichever stanza is its own.
    for (const auto* id : {&a, &b}) {
      const auto r = AgeDecrypt(enc, {id->secret});
      ASSERT_TRUE(r.status.ok()) << n << ": " << r.status.ToString();
      EXPECT_TRUE(r.plain == plain) << n;
    }
    const auto none = AgeDecrypt(enc, {stranger.secret});
    EXPECT_EQ(none.failure, AgeDecryptSink::Failure::kNoMatch);
    EXPECT_EQ(none.status.message(),
              "age: no identity matches: none of the 1 identities given opens any of its 2 "
              "X25519 recipient stanzas");
    EXPECT_EQ(none.plain, "");
  }
}

}  // namespace
}  // namespace zb::codec
