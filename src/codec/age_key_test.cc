// The keys against the real age CLI: an identity age-keygen made gives the
// recipient it printed, and a file encrypted with `age -r` to a recipient
// we made decrypts with `age -d -i` and the identity file we wrote.
#include "codec/age_key.h"

#include <gtest/gtest.h>

#include "testutil/run.h"

namespace zb::codec {
namespace {

// The line of `text` that starts with `prefix`, without the prefix.
std::string LineAfter(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  const size_t end = text.find('\n', at + prefix.size());
  return text.substr(at + prefix.size(), end - at - prefix.size());
}

TEST(AgeKeyTest, AnIdentityFromAgeKeygenGivesItsRecipient) {
  testing::TempDir dir;
  auto r = testing::Run({"age-keygen", "-o", dir / "key.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string file = testing::ReadFileOrDie(dir / "key.txt");
  auto secret = ParseIdentity("AGE-SECRET-KEY-" + LineAfter(file, "\nAGE-SECRET-KEY-"));
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  auto pub = PublicKeyOf(*secret);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(FormatRecipient(*pub), LineAfter(file, "# public key: "));
  EXPECT_EQ(ParseRecipient(LineAfter(file, "# public key: ")).value(), *pub);
}

TEST(AgeKeyTest, OurKeysWorkWithTheAgeCli) {
  testing::TempDir dir;
  auto secret = GenerateSecretKey();
  ASSERT_TRUE(secret.ok());
  auto file = FormatIdentityFile(*secret, TimePoint{} + std::chrono::hours(24 * 365 * 56));
  ASSERT_TRUE(file.ok());
  testing::WriteFileOrDie(dir / "key.txt", *file);
  const std::string recipient = LineAfter(*file, "# public key: ");
  ASSERT_EQ(recipient.rfind("age1", 0), 0u) << *file;
  testing::WriteFileOrDie(dir / "plain", "the controller's secrets");
  auto enc = testing::Run({"age", "-r", recipient, "-o", dir / "x.age", dir / "plain"});
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  auto dec = testing::Run({"age", "-d", "-i", dir / "key.txt", dir / "x.age"});
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  EXPECT_EQ(dec.out, "the controller's secrets");
  // And age-keygen -y derives the same recipient from our identity file.
  auto y = testing::Run({"age-keygen", "-y", dir / "key.txt"});
  ASSERT_EQ(y.exit_code, 0) << y.err;
  EXPECT_EQ(y.out, recipient + "\n");
}

TEST(AgeKeyTest, MalformedKeysSayWhatIsWrongButNotTheKey) {
  auto secret = GenerateSecretKey();
  ASSERT_TRUE(secret.ok());
  const std::string identity = FormatIdentity(*secret);
  auto as_recipient = ParseRecipient(identity);
  EXPECT_EQ(as_recipient.status().message(),
            "not an age X25519 recipient (it does not start with age1)");
  auto short_key = ParseRecipient("age1qqqsyqcyq5rqwzqf");
  EXPECT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.status().message().find("age1qqqs"), std::string::npos);
  std::string damaged = identity;
  damaged[20] = damaged[20] == 'Q' ? 'P' : 'Q';
  auto bad = ParseIdentity(damaged);
  EXPECT_EQ(bad.status().message(), "not an age X25519 identity (bech32: checksum mismatch)");
  EXPECT_EQ(bad.status().message().find(damaged.substr(16, 20)), std::string::npos);
}

}  // namespace
}  // namespace zb::codec
