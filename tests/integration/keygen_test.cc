// `keygen`: an identity the real age CLI reads, its recipient on stdout,
// mode 0600, and never a replaced key.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunZb;

TEST(KeygenTest, WritesAnIdentityTheAgeCliUsesAndPrintsItsRecipient) {
  testing::TempDir dir;
  const std::string key = dir / "key.txt";
  auto r = RunZb({"keygen", "--output", key});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  ASSERT_EQ(r.out.rfind("age1", 0), 0u) << r.out;
  ASSERT_EQ(r.out.size(), 63u) << r.out;  // "age1", 58 characters, "\n"
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const std::string file = testing::ReadFileOrDie(key);
  EXPECT_EQ(file.rfind("# created: ", 0), 0u) << "(the identity file's first line)";
  EXPECT_NE(file.find("\n# public key: " + r.out + "AGE-SECRET-KEY-1"), std::string::npos);
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{"key.txt"});

  auto y = testing::Run({"age-keygen", "-y", key});
  ASSERT_EQ(y.exit_code, 0) << y.err;
  EXPECT_EQ(y.out, r.out);
  const std::string recipient = r.out.substr(0, r.out.size() - 1);
  testing::WriteFileOrDie(dir / "plain", "enrollment secrets");
  ASSERT_EQ(testing::Run({"age", "-r", recipient, "-o", dir / "x.age", dir / "plain"}).exit_code,
            0);
  auto dec = testing::Run({"age", "-d", "-i", key, dir / "x.age"});
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  EXPECT_EQ(dec.out, "enrollment secrets");
}

TEST(KeygenTest, NeverReplacesAKeyNorMakesADirectory) {
  testing::TempDir dir;
  const std::string key = dir / "key.txt";
  testing::WriteFileOrDie(key, "an old key");
  auto again = RunZb({"keygen", "--output", key});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.err, "ziti-backup: invalid argument: " + key +
                           " exists; keygen never replaces a key (backups encrypted to it could "
                           "not be restored): choose another name\n");
  EXPECT_EQ(testing::ReadFileOrDie(key), "an old key");
  auto typo = RunZb({"keygen", "--output", dir / "nodir/key.txt"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.err, "ziti-backup: invalid argument: --output " + dir / "nodir/key.txt" +
                          ": directory " + dir / "nodir" + " does not exist\n");
  auto none = RunZb({"keygen"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(testing::ListDir(dir.path()), std::vector<std::string>{"key.txt"});
}

}  // namespace
}  // namespace zb
