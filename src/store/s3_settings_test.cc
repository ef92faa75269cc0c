#include "store/s3_settings.h"

#include <gtest/gtest.h>

#include <map>

#include "store/aws_ini.h"

namespace zb::store {
namespace {

// A fake environment: variables and files in maps.
struct World {
  std::map<std::string, std::string> vars{{"HOME", "/home/op"}};
  std::map<std::string, std::string> files;
  S3Environment Env() const {
    return {[this](const std::string& n) -> std::optional<std::string> {
              auto it = vars.find(n);
              if (it == vars.end()) return std::nullopt;
              return it->second;
            },
            [this](const std::string& p) -> Result<std::string> {
              auto it = files.find(p);
              if (it == files.end()) return Status::NotFound(p);
              return it->second;
            }};
  }
  Result<S3Settings> Resolve(const std::string& url) const {
    auto t = ParseTargetUrl(url);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return ResolveS3Settings(*t, Env());
  }
};

TEST(AwsIniTest, SectionsKeysCommentsAndNestedBlocks) {
  auto ini = ParseAwsIni(
      "# comment\n[default]\naws_access_key_id = AKIA1\n; other\n[profile prod]\n"
      "Region=eu-west-1\r\ns3 =\n  addressing_style = path\n  signature_version = s3v4\n"
      "endpoint_url = http://x:1\n",
      "cfg");
  ASSERT_TRUE(ini.ok()) << ini.status().ToString();
  EXPECT_EQ(*ini, (AwsIni{{"default", {{"aws_access_key_id", "AKIA1"}}},
                          {"profile prod",
                           {{"region", "eu-west-1"},
                            {"s3.addressing_style", "path"},
                            {"s3.signature_version", "s3v4"},
                            {"endpoint_url", "http://x:1"}}}}));
}

TEST(AwsIniTest, BadLinesNameTheFileAndLineButNotTheValue) {
  EXPECT_EQ(ParseAwsIni("[default]\nAKIASECRETVALUE\n", "/h/.aws/credentials").status().message(),
            "/h/.aws/credentials line 2: expected \"key = value\"");
  EXPECT_EQ(ParseAwsIni("a = b\n", "f").status().message(),
            "f line 1: a setting before any [section]");
  EXPECT_EQ(ParseAwsIni("[default\n", "f").status().message(),
            "f line 1: a section header must end with ']'");
}

TEST(S3SettingsTest, EnvironmentCredentialsOnAwsUseVirtualHostStyle) {
  World w;
  w.vars["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  w.vars["AWS_SECRET_ACCESS_KEY"] = "s3cret";
  w.vars["AWS_SESSION_TOKEN"] = "tok";
  w.vars["AWS_REGION"] = "eu-central-1";
  auto s = w.Resolve("s3://ziti-backups/prod/ctrl1");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "AKIAENV");
  EXPECT_EQ(s->credentials.secret_access_key, "s3cret");
  EXPECT_EQ(s->credentials.session_token, "tok");
  EXPECT_EQ(s->region, "eu-central-1");
  EXPECT_FALSE(s->path_style);
  EXPECT_EQ(s->endpoint.scheme, "https");
  EXPECT_EQ(s->endpoint.host, "ziti-backups.s3.eu-central-1.amazonaws.com");
  EXPECT_EQ(s->endpoint.port, 443);
  EXPECT_EQ(s->Describe(), "s3://ziti-backups/prod/ctrl1");
  EXPECT_EQ(s->Key("a.json"), "prod/ctrl1/a.json");
  EXPECT_EQ(s->PathOf("prod/ctrl1/a.json"), "/prod/ctrl1/a.json");
}

TEST(S3SettingsTest, ACustomEndpointIsPathStyleAndTheUrlWins) {
  World w;
  w.vars["AWS_ACCESS_KEY_ID"] = "K";
  w.vars["AWS_SECRET_ACCESS_KEY"] = "S";
  w.vars["AWS_ENDPOINT_URL"] = "https://minio.lan:9000/";
  w.vars["AWS_CA_BUNDLE"] = "/etc/ca.pem";
  auto s = w.Resolve("s3://bkp");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->path_style);
  EXPECT_EQ(s->endpoint.host, "minio.lan");
  EXPECT_EQ(s->endpoint.port, 9000);
  EXPECT_EQ(s->endpoint.ca_bundle, "/etc/ca.pem");
  EXPECT_EQ(s->region, "us-east-1");
  EXPECT_EQ(s->Key("a.json"), "a.json");
  EXPECT_EQ(s->PathOf("a.json"), "/bkp/a.json");

  w.vars["AWS_ENDPOINT_URL_S3"] = "http://[::1]:7480";
  s = w.Resolve("s3://bkp?region=default&ca-bundle=/x.pem");
  EXPECT_EQ(s->endpoint.scheme, "http");
  EXPECT_EQ(s->endpoint.host, "::1");
  EXPECT_EQ(s->endpoint.port, 7480);
  EXPECT_EQ(s->endpoint.ca_bundle, "/x.pem");
  EXPECT_EQ(s->region, "default");

  s = w.Resolve("s3://bkp?endpoint=http://10.0.0.5&style=virtual");
  EXPECT_EQ(s->endpoint.host, "bkp.10.0.0.5");
  EXPECT_EQ(s->endpoint.port, 80);
  EXPECT_FALSE(s->path_style);
}

TEST(S3SettingsTest, ProfilesFromTheSharedFiles) {
  World w;
  w.files["/home/op/.aws/credentials"] =
      "[default]\naws_access_key_id = DEFKEY\naws_secret_access_key = DEFSECRET\n"
      "[r2]\naws_access_key_id = R2KEY\naws_secret_access_key = R2SECRET\n";
  w.files["/home/op/.aws/config"] =
      "[default]\nregion = us-west-2\n[profile r2]\nregion = auto\n"
      "endpoint_url = https://acct.r2.cloudflarestorage.com\ns3 =\n  addressing_style = virtual\n";
  auto s = w.Resolve("s3://b1b1");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->credentials.access_key_id, "DEFKEY");
  EXPECT_EQ(s->region, "us-west-2");
  EXPECT_EQ(s->endpoint.host, "b1b1.s3.us-west-2.amazonaws.com");

  w.vars["AWS_PROFILE"] = "r2";
  s = w.Resolve("s3://b1b1");
  EXPECT_EQ(s->credentials.access_key_id, "R2KEY");
  EXPECT_EQ(s->credentials.secret_access_key, "R2SECRET");
  EXPECT_EQ(s->region, "auto");
  EXPECT_EQ(s->endpoint.host, "b1b1.acct.r2.cloudflarestorage.com");

  // profile= in the URL beats the environment's keys: each target its own.
  w.vars["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  w.vars["AWS_SECRET_ACCESS_KEY"] = "ENVSECRET";
  EXPECT_EQ(w.Resolve("s3://b1b1?profile=default")->credentials.access_key_id, "DEFKEY");
  EXPECT_EQ(w.Resolve("s3://b1b1")->credentials.access_key_id, "ENVKEY");

  // Other file locations.
  w.vars.erase("AWS_ACCESS_KEY_ID");
  w.vars.erase("AWS_SECRET_ACCESS_KEY");
  w.vars["AWS_SHARED_CREDENTIALS_FILE"] = "/run/secrets/aws";
  w.files["/run/secrets/aws"] = "[r2]\naws_access_key_id = K2\naws_secret_access_key = S2\n";
  EXPECT_EQ(w.Resolve("s3://b1b1")->credentials.access_key_id, "K2");
}

TEST(S3SettingsTest, MistakesAreClearAndNeverShowASecret) {
  World w;
  EXPECT_EQ(w.Resolve("s3://b1b1/p").status().message(),
            "s3://b1b1/p: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
            "aws_access_key_id and aws_secret_access_key in profile \"default\" in "
            "/home/op/.aws/credentials or /home/op/.aws/config (instance roles and SSO are not "
            "read)");
  w.vars["AWS_ACCESS_KEY_ID"] = "AKIAONLY";
  EXPECT_EQ(w.Resolve("s3://b1b1").status().message(),
            "s3://b1b1: AWS_SECRET_ACCESS_KEY is not set, but AWS_ACCESS_KEY_ID is; set both");
  w.vars["AWS_SECRET_ACCESS_KEY"] = "SECRETVALUE";
  auto s = w.Resolve("s3://b1b1?endpoint=ftp://x");
  EXPECT_EQ(s.status().message(),
            "s3://b1b1: endpoint \"ftp://x\" must start with https:// or http://");
  EXPECT_EQ(w.Resolve("s3://b1b1?endpoint=https://h:0").status().message(),
            "s3://b1b1: endpoint \"https://h:0\": the port must be 1 to 65535");
  EXPECT_EQ(w.Resolve("s3://b1b1?endpoint=https://h/path").status().message(),
            "s3://b1b1: endpoint \"https://h/path\" must be only scheme://host[:port], with no "
            "path, query or user");
  EXPECT_EQ(w.Resolve("s3://b1b1?style=host").status().message(),
            "s3://b1b1: style \"host\" must be auto, path or virtual");
  EXPECT_EQ(w.Resolve("s3://my.bucket?style=virtual").status().message(),
            "s3://my.bucket: bucket \"my.bucket\" has a dot, which no TLS certificate of a virtual "
            "host covers; use style=path");
  EXPECT_TRUE(w.Resolve("s3://my.bucket")->path_style) << "auto picks path style for dots";
  w.vars["AWS_SECRET_ACCESS_KEY"] = "SECRET\nVALUE";
  EXPECT_EQ(w.Resolve("s3://b1b1").status().message(),
            "s3://b1b1: the S3 credentials hold a control character");
  w.vars["AWS_SECRET_ACCESS_KEY"] = "x";
  w.files["/home/op/.aws/credentials"] = "[default]\nSECRETVALUE\n";
  w.vars.erase("AWS_ACCESS_KEY_ID");
  w.vars.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(w.Resolve("s3://b1b1").status().message(),
            "s3://b1b1: /home/op/.aws/credentials line 2: expected \"key = value\"");
  w.files["/home/op/.aws/credentials"] = "[default]\naws_access_key_id = K\n";
  EXPECT_EQ(w.Resolve("s3://b1b1").status().message(),
            "s3://b1b1: aws_access_key_id and aws_secret_access_key must both be set in profile "
            "\"default\" in /home/op/.aws/credentials or /home/op/.aws/config");
}

}  // namespace
}  // namespace zb::store
