// The object storage servers the CTest fixtures start (tests/servers/),
// driven by clients that are not ours: curl's own SigV4 signing against
// Ceph RGW, and a stdlib-only SharedKey signer (tests/servers/azblob.py)
// against Azurite. If these fail, the servers are wrong, not our client.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "testutil/run.h"
#include "testutil/servers.h"

namespace zb {
namespace {

using testing::RunResult;
using testing::ServerEnv;
using testing::TempDir;

// A bucket or container name no other test uses.
std::string UniqueName(const std::string& prefix) {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string s = prefix;
  for (int i = 0; i < 12; ++i) s += kHex[rd() % 16];
  return s;
}

struct Http {
  int status = 0;
  std::string body;
  RunResult run;
};

// curl signing with SigV4 as KEY:SECRET, given in a config file (mode 0600)
// rather than on the command line. RGW wants x-amz-content-sha256, which
// curl 7.88 signs but does not add itself.
class S3Curl {
 public:
  S3Curl(const TempDir& tmp, const std::string& name, const std::string& key,
         const std::string& secret, const std::string& region)
      : config_(tmp / (name + ".curlrc")), region_(region) {
    testing::WriteFileOrDie(config_, "user = \"" + key + ":" + secret + "\"\n");
  }

  Http Do(std::vector<std::string> args) const {
    std::vector<std::string> argv = {"curl",        "-sS",
                                     "-K",          config_,
                                     "--aws-sigv4", "aws:amz:" + region_ + ":s3",
                                     "-H",          "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                                     "-w",          "\n%{http_code}"};
    argv.insert(argv.end(), args.begin(), args.end());
    Http h;
    h.run = testing::Run(argv);
    const size_t nl = h.run.out.rfind('\n');
    if (h.run.exit_code == 0 && nl != std::string::npos) {
      h.status = std::atoi(h.run.out.c_str() + nl + 1);
      h.body = h.run.out.substr(0, nl);
    }
    return h;
  }

 private:
  std::string config_, region_;
};

class RgwSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(rgw_.ok()) << rgw_.error();
    endpoint_ = rgw_.Get("S3_ENDPOINT");
    region_ = rgw_.Get("S3_REGION");
  }
  S3Curl User() const {
    return S3Curl(tmp_, "test", rgw_.Get("S3_ACCESS_KEY_ID"), rgw_.Get("S3_SECRET_ACCESS_KEY"),
                  region_);
  }

  ServerEnv rgw_ = ServerEnv::Load("rgw");
  TempDir tmp_;
  std::string endpoint_, region_;
};

TEST_F(RgwSmokeTest, CurlCreatesABucketPutsGetsAndListsOverHttp) {
  const S3Curl s3 = User();
  const std::string bucket = endpoint_ + "/" + UniqueName("smoke-");
  testing::WriteFileOrDie(tmp_ / "obj", "snapshot bytes\n");

  Http h = s3.Do({"-X", "PUT", bucket});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  h = s3.Do({"-T", tmp_ / "obj", bucket + "/db/one"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  h = s3.Do({bucket + "/db/one"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  EXPECT_EQ(h.body, "snapshot bytes\n");
  // curl 7.88 signs the query as written: it must be in canonical form
  // already (sorted, "/" as %2F).
  h = s3.Do({bucket + "?list-type=2&prefix=db%2F"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  EXPECT_NE(h.body.find("<Key>db/one</Key><LastModified>"), std::string::npos) << h.body;
  EXPECT_NE(h.body.find("<KeyCount>1</KeyCount>"), std::string::npos) << h.body;
  h = s3.Do({bucket + "/db/absent"});
  EXPECT_EQ(h.status, 404) << h.body;
  EXPECT_NE(h.body.find("<Code>NoSuchKey</Code>"), std::string::npos) << h.body;
}

// `rgw dns name = localhost`: the bucket can also be the host name's first label.
TEST_F(RgwSmokeTest, VirtualHostStyleFindsTheBucketInTheHostName) {
  const S3Curl s3 = User();
  const std::string name = UniqueName("vhost-");
  const std::string domain = rgw_.Get("S3_VHOST_DOMAIN");  // localhost:PORT
  const std::string port = domain.substr(domain.find(':') + 1);
  const std::string host = name + ".localhost";
  testing::WriteFileOrDie(tmp_ / "obj", "by host");
  ASSERT_EQ(s3.Do({"-X", "PUT", endpoint_ + "/" + name}).status, 200);
  Http h = s3.Do({"--resolve", host + ":" + port + ":127.0.0.1", "-T", tmp_ / "obj",
                  "http://" + host + ":" + port + "/k"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  h = s3.Do({endpoint_ + "/" + name + "/k"});  // path style sees the same object
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  EXPECT_EQ(h.body, "by host");
}

TEST_F(RgwSmokeTest, HttpsVerifiesWithTheFixtureCaAndFailsWithoutIt) {
  const S3Curl s3 = User();
  const std::string tls = rgw_.Get("S3_TLS_ENDPOINT");
  const std::string ca = rgw_.Get("S3_CA_BUNDLE");
  ASSERT_EQ(tls.rfind("https://127.0.0.1:", 0), 0u) << tls;
  const std::string bucket = tls + "/" + UniqueName("tls-");
  testing::WriteFileOrDie(tmp_ / "obj", "over tls");

  Http h = s3.Do({"--cacert", ca, "-X", "PUT", bucket});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  h = s3.Do({"--cacert", ca, "-T", tmp_ / "obj", bucket + "/o"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  h = s3.Do({"--cacert", ca, bucket + "/o"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  EXPECT_EQ(h.body, "over tls");
  // The certificate names localhost as well as 127.0.0.1.
  const std::string by_name = "https://localhost:" + tls.substr(tls.rfind(':') + 1);
  h = s3.Do({"--cacert", ca, by_name + bucket.substr(tls.size()) + "/o"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;

  // Without the fixture's CA (the system's trust store only): curl's
  // "SSL certificate problem", exit code 60.
  h = s3.Do({bucket + "/o"});
  EXPECT_EQ(h.run.exit_code, 60) << h.run.err;
  EXPECT_NE(h.run.err.find("SSL certificate problem"), std::string::npos) << h.run.err;
}

TEST_F(RgwSmokeTest, TheOtherUserWithAWrongSecretGetsSignatureDoesNotMatch) {
  const S3Curl s3 = User();
  const std::string bucket = endpoint_ + "/" + UniqueName("auth-");
  ASSERT_EQ(s3.Do({"-X", "PUT", bucket}).status, 200);

  const std::string other_key = rgw_.Get("S3_OTHER_ACCESS_KEY_ID");
  std::string wrong = rgw_.Get("S3_OTHER_SECRET_ACCESS_KEY");
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  const S3Curl forger(tmp_, "wrong", other_key, wrong, region_);
  Http h = forger.Do({bucket});
  EXPECT_EQ(h.status, 403) << h.run.err << h.body;
  EXPECT_NE(h.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos) << h.body;
  const S3Curl unknown(tmp_, "unknown", "ZBUNKNOWNKEY00000000", wrong, region_);
  h = unknown.Do({bucket});
  EXPECT_EQ(h.status, 403) << h.body;
  EXPECT_NE(h.body.find("<Code>InvalidAccessKeyId</Code>"), std::string::npos) << h.body;

  // The other user, signing correctly, is still not the bucket's owner.
  const S3Curl other(tmp_, "other", other_key, rgw_.Get("S3_OTHER_SECRET_ACCESS_KEY"), region_);
  h = other.Do({bucket});
  EXPECT_EQ(h.status, 403) << h.run.err << h.body;
  EXPECT_NE(h.body.find("<Code>AccessDenied</Code>"), std::string::npos) << h.body;
}

// The fixture's credentials are random per start: never a fixed test key.
TEST_F(RgwSmokeTest, CredentialsAreRandomAndTheEnvFileIsPrivate) {
  EXPECT_EQ(rgw_.Get("S3_ACCESS_KEY_ID").size(), 20u);
  EXPECT_EQ(rgw_.Get("S3_SECRET_ACCESS_KEY").size(), 40u);
  EXPECT_NE(rgw_.Get("S3_ACCESS_KEY_ID"), rgw_.Get("S3_OTHER_ACCESS_KEY_ID"));
  EXPECT_NE(rgw_.Get("S3_SECRET_ACCESS_KEY"), rgw_.Get("S3_OTHER_SECRET_ACCESS_KEY"));
  struct stat st {};
  ASSERT_EQ(::stat((rgw_.dir() + "/env").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

// azblob.py: SharedKey with the account and key from the environment.
class AzuriteSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(az_.ok()) << az_.error();
    ::setenv("AZURE_STORAGE_ACCOUNT", az_.Get("AZURE_STORAGE_ACCOUNT").c_str(), 1);
    ::setenv("AZURE_STORAGE_KEY", az_.Get("AZURE_STORAGE_KEY").c_str(), 1);
  }
  Http Blob(std::vector<std::string> args) const {
    std::vector<std::string> argv = {"python3",
                                     std::string(ZB_SOURCE_DIR) + "/tests/servers/azblob.py"};
    argv.insert(argv.end(), args.begin(), args.end());
    Http h;
    h.run = testing::Run(argv);
    const size_t at = h.run.err.rfind("status: ");
    if (at != std::string::npos) h.status = std::atoi(h.run.err.c_str() + at + 8);
    h.body = h.run.out;
    return h;
  }

  ServerEnv az_ = ServerEnv::Load("azurite");
  TempDir tmp_;
};

TEST_F(AzuriteSmokeTest, SharedKeyCreatesAContainerPutsGetsAndLists) {
  const std::string container = az_.Get("AZURE_BLOB_ENDPOINT") + "/" + UniqueName("smoke-");
  testing::WriteFileOrDie(tmp_ / "obj", "snapshot bytes\n");
  Http h = Blob({"PUT", container + "?restype=container"});
  ASSERT_EQ(h.status, 201) << h.run.err << h.body;
  h = Blob({"PUT", container + "/db/one", "--data-file", tmp_ / "obj", "--header",
            "x-ms-blob-type: BlockBlob"});
  ASSERT_EQ(h.status, 201) << h.run.err << h.body;
  h = Blob({"GET", container + "/db/one"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  EXPECT_EQ(h.body, "snapshot bytes\n");
  h = Blob({"GET", container + "?restype=container&comp=list&prefix=db/"});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  EXPECT_NE(h.body.find("<Name>db/one</Name>"), std::string::npos) << h.body;
  h = Blob({"GET", container + "/db/absent"});
  EXPECT_EQ(h.status, 404) << h.body;
  EXPECT_NE(h.body.find("BlobNotFound"), std::string::npos) << h.body;
}

TEST_F(AzuriteSmokeTest, HttpsVerifiesWithTheFixtureCaAndFailsWithoutIt) {
  const std::string tls = az_.Get("AZURE_BLOB_TLS_ENDPOINT");
  ASSERT_EQ(tls.rfind("https://127.0.0.1:", 0), 0u) << tls;
  const std::string container = tls + "/" + UniqueName("tls-");
  const std::string ca = az_.Get("AZURE_CA_BUNDLE");
  testing::WriteFileOrDie(tmp_ / "obj", "over tls");
  Http h = Blob({"PUT", container + "?restype=container", "--cafile", ca});
  ASSERT_EQ(h.status, 201) << h.run.err << h.body;
  h = Blob({"PUT", container + "/o", "--data-file", tmp_ / "obj", "--header",
            "x-ms-blob-type: BlockBlob", "--cafile", ca});
  ASSERT_EQ(h.status, 201) << h.run.err << h.body;
  h = Blob({"GET", container + "/o", "--cafile", ca});
  ASSERT_EQ(h.status, 200) << h.run.err << h.body;
  EXPECT_EQ(h.body, "over tls");

  h = Blob({"GET", container + "/o"});  // the system's trust store only
  EXPECT_EQ(h.run.exit_code, 2) << h.run.err;
  EXPECT_NE(h.run.err.find("CERTIFICATE_VERIFY_FAILED"), std::string::npos) << h.run.err;
}

TEST_F(AzuriteSmokeTest, AWrongKeyIsRefused) {
  const std::string list = az_.Get("AZURE_BLOB_ENDPOINT") + "?comp=list";
  ASSERT_EQ(Blob({"GET", list}).status, 200);
  std::string wrong = az_.Get("AZURE_STORAGE_KEY");
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  ::setenv("AZURE_STORAGE_KEY", wrong.c_str(), 1);
  Http h = Blob({"GET", list});
  EXPECT_EQ(h.status, 403) << h.run.err << h.body;
  EXPECT_NE(h.body.find("<Code>AuthorizationFailure</Code>"), std::string::npos) << h.body;
}

}  // namespace
}  // namespace zb
