#include "store/target_url.h"

#include <gtest/gtest.h>

namespace zb::store {
namespace {

std::string Path(const std::string& url) {
  auto t = ParseTargetUrl(url);
  EXPECT_TRUE(t.ok()) << url << ": " << t.status().ToString();
  return t.ok() ? t->path : "";
}

std::string Error(const std::string& url) {
  auto t = ParseTargetUrl(url);
  EXPECT_FALSE(t.ok()) << url;
  return t.ok() ? "" : t.status().message();
}

TEST(TargetUrlTest, LocalDirectoriesInTheirSpellings) {
  EXPECT_EQ(Path("file:///var/backups/ziti"), "/var/backups/ziti");
  EXPECT_EQ(Path("file:///var/backups/ziti/"), "/var/backups/ziti");
  EXPECT_EQ(Path("file://localhost/var/backups"), "/var/backups");
  EXPECT_EQ(Path("FILE://LocalHost/var/backups"), "/var/backups");
  EXPECT_EQ(Path("file:///mnt/my%20disk/b%25ckups"), "/mnt/my disk/b%ckups");
  EXPECT_EQ(Path("file:///a%3Fb%23c"), "/a?b#c");
  EXPECT_EQ(Path("file:////var//backups"), "/var/backups");
  EXPECT_EQ(ParseTargetUrl("file:///x")->scheme, "file");
}

TEST(TargetUrlTest, TyposAndTricksAreRefusedNamingTheUrl) {
  EXPECT_EQ(Error("file://relative/dir"),
            "invalid target \"file://relative/dir\": host \"relative\" is not this machine; a "
            "file:// target is local (use file:///absolute/dir)");
  EXPECT_EQ(Error("file://"),
            "invalid target \"file://\": the path must be absolute (use file:///absolute/dir)");
  EXPECT_EQ(Error("/var/backups"),
            "invalid target \"/var/backups\": no scheme (use file:///absolute/dir)");
  EXPECT_EQ(Error("mem://"),
            "invalid target \"mem://\": unknown scheme \"mem\" (use "
            "file:///absolute/dir)");
  EXPECT_EQ(Error("ftp://x/y"),
            "invalid target \"ftp://x/y\": unknown scheme \"ftp\" (use file:///absolute/dir)");
  EXPECT_EQ(Error("s3://bucket/prefix"),
            "invalid target \"s3://bucket/prefix\": s3:// targets are not supported by this "
            "version (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///backups?keep-daily=7"),
            "invalid target \"file:///backups?keep-daily=7\": a file:// target has no query or "
            "fragment ('?' or '#'; escape them as %3F, %23) (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///backups#x"),
            "invalid target \"file:///backups#x\": a file:// target has no query or fragment "
            "('?' or '#'; escape them as %3F, %23) (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///back\nups"),
            "invalid target \"file:///back\\x0aups\": it contains a control character (use "
            "file:///absolute/dir)");
  EXPECT_EQ(Error("file:///back%0Aups"),
            "invalid target \"file:///back%0Aups\": an escape decodes to a control character "
            "(use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///back%00"),
            "invalid target \"file:///back%00\": an escape decodes to a control character (use "
            "file:///absolute/dir)");
  EXPECT_EQ(Error("file:///100%"),
            "invalid target \"file:///100%\": \"%\" must start an escape of two hex digits (use "
            "file:///absolute/dir)");
  EXPECT_EQ(Error("file:///a%zz"),
            "invalid target \"file:///a%zz\": \"%\" must start an escape of two hex digits (use "
            "file:///absolute/dir)");
  EXPECT_EQ(Error("file:///var/../etc"),
            "invalid target \"file:///var/../etc\": \".\" and \"..\" are not allowed in the path; "
            "write the directory plainly (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///var/%2E%2E/etc"),
            "invalid target \"file:///var/%2E%2E/etc\": \".\" and \"..\" are not allowed in the "
            "path; write the directory plainly (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///"),
            "invalid target \"file:///\": the root directory cannot be a target (use "
            "file:///absolute/dir)");
  EXPECT_EQ(Error("file://otherhost/var/backups"),
            "invalid target \"file://otherhost/var/backups\": host \"otherhost\" is not this "
            "machine; a file:// target is local (use file:///absolute/dir)");
}

}  // namespace
}  // namespace zb::store
