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
            "invalid target \"/var/backups\": no scheme (use file:///absolute/dir, "
            "s3://bucket/prefix or azblob://account/container/prefix)");
  EXPECT_EQ(Error("mem://"),
            "invalid target \"mem://\": unknown scheme \"mem\" (use "
            "file:///absolute/dir, s3://bucket/prefix or azblob://account/container/prefix)");
  EXPECT_EQ(Error("ftp://x/y"),
            "invalid target \"ftp://x/y\": unknown scheme \"ftp\" (use file:///absolute/dir, "
            "s3://bucket/prefix or azblob://account/container/prefix)");
  EXPECT_EQ(Error("file:///backups?x=1"),
            "invalid target \"file:///backups?x=1\": unknown option \"x\"; file:// targets take "
            "keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly, "
            "keep-within (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///backups#x"),
            "invalid target \"file:///backups#x\": a target has no fragment ('#'; escape it as "
            "%23) (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///back\nups"),
            "invalid target \"file:///back\\x0aups\": it contains a control character (use "
            "file:///absolute/dir, s3://bucket/prefix or azblob://account/container/prefix)");
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

TEST(TargetUrlTest, S3BucketPrefixAndOptions) {
  auto t = ParseTargetUrl(
      "s3://my-backups/ziti//ctrl%201/"
      "?region=eu-west-1&endpoint=https%3A%2F%2Fminio.lan%3A9000&style=path");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->scheme, "s3");
  EXPECT_EQ(t->bucket, "my-backups");
  EXPECT_EQ(t->prefix, "ziti/ctrl 1");
  EXPECT_EQ(
      t->options,
      (std::vector<std::pair<std::string, std::string>>{
          {"region", "eu-west-1"}, {"endpoint", "https://minio.lan:9000"}, {"style", "path"}}));
  EXPECT_EQ(t->Option("endpoint"), "https://minio.lan:9000");
  EXPECT_EQ(t->Option("profile"), "");
  // An endpoint's ':' and '/' need no escape in a query.
  EXPECT_EQ(ParseTargetUrl("s3://b-1?endpoint=http://127.0.0.1:7480")->Option("endpoint"),
            "http://127.0.0.1:7480");
  EXPECT_EQ(ParseTargetUrl("S3://bucket")->prefix, "");
  EXPECT_EQ(ParseTargetUrl("s3://bucket/")->prefix, "");
  EXPECT_EQ(ParseTargetUrl("s3://bucket/a/b?")->prefix, "a/b");
}

TEST(TargetUrlTest, AnyTargetMayCarryItsOwnRetention) {
  auto local = ParseTargetUrl("file:///var/backups?keep-last=24&keep-within=1d");
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(local->path, "/var/backups");
  EXPECT_EQ(local->retention, (std::vector<std::pair<std::string, std::string>>{
                                  {"keep-last", "24"}, {"keep-within", "1d"}}));
  auto remote = ParseTargetUrl("s3://bkt/p?keep-daily=30&region=x&keep-monthly=24");
  ASSERT_TRUE(remote.ok()) << remote.status().ToString();
  EXPECT_EQ(remote->retention, (std::vector<std::pair<std::string, std::string>>{
                                   {"keep-daily", "30"}, {"keep-monthly", "24"}}));
  EXPECT_EQ(remote->options, (std::vector<std::pair<std::string, std::string>>{{"region", "x"}}));
  EXPECT_EQ(Error("file:///b?keep-daily=1&keep-daily=2"),
            "invalid target \"file:///b?keep-daily=1&keep-daily=2\": option \"keep-daily\" is "
            "given twice (use file:///absolute/dir)");
  EXPECT_EQ(Error("file:///b?keep-dialy=1"),
            "invalid target \"file:///b?keep-dialy=1\": unknown option \"keep-dialy\" (did you "
            "mean \"keep-daily\"?); file:// targets take keep-last, keep-hourly, keep-daily, "
            "keep-weekly, keep-monthly, keep-yearly, keep-within (use file:///absolute/dir)");
  // A '?' in a directory name is escaped.
  EXPECT_EQ(Path("file:///what%3Fnow"), "/what?now");
}

TEST(TargetUrlTest, S3MistakesAreRefusedNamingTheUrl) {
  const std::string use = " (use s3://bucket/prefix?region=...&endpoint=https://host:port)";
  EXPECT_EQ(Error("s3://"), "invalid target \"s3://\": no bucket (s3://bucket/prefix)" + use);
  EXPECT_EQ(Error("s3:///prefix"),
            "invalid target \"s3:///prefix\": no bucket (s3://bucket/prefix)" + use);
  EXPECT_EQ(Error("s3://my bucket/x"),
            "invalid target \"s3://my bucket/x\": \"my bucket\" is not a bucket name (3 to 63 "
            "of a-z, 0-9, '.' and '-')" +
                use);
  EXPECT_EQ(Error("s3://bk1/x?regoin=eu-west-1"),
            "invalid target \"s3://bk1/x?regoin=eu-west-1\": unknown option \"regoin\" (did you "
            "mean \"region\"?); s3:// targets take endpoint, region, style, profile, ca-bundle, "
            "object-lock, object-lock-mode, keep-last, keep-hourly, keep-daily, keep-weekly, "
            "keep-monthly, keep-yearly, "
            "keep-within" +
                use);
  EXPECT_EQ(
      Error("s3://bk1/x?region=a&region=b"),
      "invalid target \"s3://bk1/x?region=a&region=b\": option \"region\" is given twice" + use);
  EXPECT_EQ(Error("s3://bk1/x?region="),
            "invalid target \"s3://bk1/x?region=\": option \"region\" has no value" + use);
  EXPECT_EQ(Error("s3://bk1/a/../b"),
            "invalid target \"s3://bk1/a/../b\": \".\" and \"..\" are not allowed in the path; "
            "write the path plainly" +
                use);
  EXPECT_EQ(Error("s3://bk1/a%0d"),
            "invalid target \"s3://bk1/a%0d\": an escape decodes to a control character" + use);
  EXPECT_EQ(Error("s3://bk1/a#frag"),
            "invalid target \"s3://bk1/a#frag\": a target has no fragment ('#'; escape it as "
            "%23)" +
                use);
}

TEST(TargetUrlTest, AzblobAccountContainerPrefixAndOptions) {
  auto t = ParseTargetUrl(
      "azblob://zitibackups/ctrl-1/ziti//ctrl%201/"
      "?endpoint=http://127.0.0.1:10000/devstoreaccount1&ca-bundle=%2Fetc%2Fca.pem");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->scheme, "azblob");
  EXPECT_EQ(t->account, "zitibackups");
  EXPECT_EQ(t->container, "ctrl-1");
  EXPECT_EQ(t->bucket, "");
  EXPECT_EQ(t->prefix, "ziti/ctrl 1");
  EXPECT_EQ(t->options, (std::vector<std::pair<std::string, std::string>>{
                            {"endpoint", "http://127.0.0.1:10000/devstoreaccount1"},
                            {"ca-bundle", "/etc/ca.pem"}}));
  EXPECT_EQ(ParseTargetUrl("AZBLOB://abc/c0c")->prefix, "");
  EXPECT_EQ(ParseTargetUrl("azblob://abc/c0c/")->prefix, "");
  EXPECT_EQ(ParseTargetUrl("azblob://abc/a-b-c/x")->container, "a-b-c");
  EXPECT_EQ(ParseTargetUrl("azblob://abcdefghijklmnopqrstuvwx/" + std::string(63, 'c'))->account,
            "abcdefghijklmnopqrstuvwx");
}

TEST(TargetUrlTest, AzblobMistakesAreRefusedNamingTheUrl) {
  const std::string use = " (use azblob://account/container/prefix?endpoint=https://host:port)";
  const std::string account = " is not a storage account name (3 to 24 of a-z and 0-9)" + use;
  const std::string container =
      "\" is not a container name (3 to 63 of a-z, 0-9 and '-', with a letter or digit on each "
      "side of every '-')" +
      use;
  EXPECT_EQ(Error("azblob://"),
            "invalid target \"azblob://\": no account (azblob://account/container/prefix)" + use);
  EXPECT_EQ(
      Error("azblob://acct"),
      "invalid target \"azblob://acct\": no container (azblob://account/container/prefix)" + use);
  EXPECT_EQ(Error("azblob://acct//x"),
            "invalid target \"azblob://acct//x\": no container "
            "(azblob://account/container/prefix)" +
                use);
  EXPECT_EQ(Error("azblob://MyAccount/c1c"),
            "invalid target \"azblob://MyAccount/c1c\": \"MyAccount\"" + account);
  EXPECT_EQ(Error("azblob://ab/c1c"), "invalid target \"azblob://ab/c1c\": \"ab\"" + account);
  EXPECT_EQ(Error("azblob://abcdefghijklmnopqrstuvwxy/c1c"),
            "invalid target \"azblob://abcdefghijklmnopqrstuvwxy/c1c\": "
            "\"abcdefghijklmnopqrstuvwxy\"" +
                account);
  EXPECT_EQ(Error("azblob://my-acct/c1c"),
            "invalid target \"azblob://my-acct/c1c\": \"my-acct\"" + account);
  for (const std::string& c : std::vector<std::string>{"ab", "Backups", "-abc", "abc-", "a--b",
                                                       "a_b", "a.b", std::string(64, 'c')}) {
    EXPECT_EQ(Error("azblob://acct/" + c + "/p"),
              "invalid target \"azblob://acct/" + c + "/p\": \"" + c + container);
  }
  EXPECT_EQ(Error("azblob://acct/c1c?region=x"),
            "invalid target \"azblob://acct/c1c?region=x\": unknown option \"region\"; "
            "azblob:// targets take endpoint, ca-bundle, keep-last, keep-hourly, keep-daily, "
            "keep-weekly, keep-monthly, keep-yearly, keep-within" +
                use);
  EXPECT_EQ(Error("azblob://acct/c1c?endpiont=x"),
            "invalid target \"azblob://acct/c1c?endpiont=x\": unknown option \"endpiont\" (did "
            "you mean \"endpoint\"?); azblob:// targets take endpoint, ca-bundle, keep-last, "
            "keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly, keep-within" +
                use);
  EXPECT_EQ(Error("azblob://acct/c1c?endpoint=a&endpoint=b"),
            "invalid target \"azblob://acct/c1c?endpoint=a&endpoint=b\": option \"endpoint\" is "
            "given twice" +
                use);
  EXPECT_EQ(Error("azblob://acct/c1c/a/../b"),
            "invalid target \"azblob://acct/c1c/a/../b\": \".\" and \"..\" are not allowed in "
            "the path; write the path plainly" +
                use);
  EXPECT_EQ(Error("azblob://acct/c1c#x"),
            "invalid target \"azblob://acct/c1c#x\": a target has no fragment ('#'; escape it as "
            "%23)" +
                use);
}

}  // namespace
}  // namespace zb::store
