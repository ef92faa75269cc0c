// AgeEncryptSink and AgeDecryptSink against each other and the real age CLI.
#include <gtest/gtest.h>

#include "codec/age_decrypt_sink.h"
#include "codec/age_encrypt_sink.h"
#include "testutil/run.h"

namespace zb::codec {
namespace {

struct Keys {
  SecretKey secret;
  PublicKey pub;
  std::string identity_file;
};

Keys NewKeys() {
  Keys k;
  k.secret = GenerateSecretKey().value();
  k.pub = PublicKeyOf(k.secret).value();
  k.identity_file = FormatIdentityFile(k.secret, TimePoint{}).value();
  return k;
}

std::string Encrypt(const std::string& plain, const std::vector<PublicKey>& to) {
  StringSink out;
  auto sink = AgeEncryptSink::Create(out, to);
  EXPECT_TRUE(sink.ok());
  EXPECT_TRUE(
      (*sink)->Write({reinterpret_cast<const std::byte*>(plain.data()), plain.size()}).ok());
  EXPECT_TRUE((*sink)->Finish().ok());
  return out.data();
}

TEST(AgeStreamTest, SanityRoundTripAndAgeCli) {
  testing::TempDir dir;
  Keys k = NewKeys();
  for (size_t n : {size_t{0}, size_t{1}, size_t{65536}, size_t{65537}, size_t{3 * 65536}}) {
    std::string plain(n, 'x');
    for (size_t i = 0; i < n; ++i) plain[i] = static_cast<char>(i * 7 + i / 300);
    const std::string enc = Encrypt(plain, {k.pub});
    StringSink out;
    AgeDecryptSink dec(out, {k.secret});
    ASSERT_TRUE(dec.Write({reinterpret_cast<const std::byte*>(enc.data()), enc.size()}).ok());
    ASSERT_TRUE(dec.Finish().ok()) << n;
    EXPECT_EQ(out.data(), plain);
    testing::WriteFileOrDie(dir / "key.txt", k.identity_file);
    testing::WriteFileOrDie(dir / "x.age", enc);
    auto r = testing::Run({"age", "-d", "-i", dir / "key.txt", dir / "x.age"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, plain) << n;
    testing::WriteFileOrDie(dir / "plain", plain);
    auto e =
        testing::Run({"age", "-r", FormatRecipient(k.pub), "-o", dir / "y.age", dir / "plain"});
    ASSERT_EQ(e.exit_code, 0) << e.err;
    const std::string theirs = testing::ReadFileOrDie(dir / "y.age");
    StringSink out2;
    AgeDecryptSink dec2(out2, {k.secret});
    ASSERT_TRUE(
        dec2.Write({reinterpret_cast<const std::byte*>(theirs.data()), theirs.size()}).ok());
    ASSERT_TRUE(dec2.Finish().ok()) << n;
    EXPECT_EQ(out2.data(), plain);
  }
}

}  // namespace
}  // namespace zb::codec
