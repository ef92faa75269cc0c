#include "store/azure_shared_key.h"

#include <gtest/gtest.h>

#include <chrono>

namespace zb::store {
namespace {

using namespace std::chrono_literals;

// Azurite's well-known development account (Microsoft's published emulator
// key, not a secret).
constexpr char kDevAccount[] = "devstoreaccount1";
constexpr char kDevKey[] =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

TimePoint June25() { return std::chrono::sys_days{std::chrono::June / 25 / 2026} + 4min + 36s; }

// The example of "Authorize with Shared Key" (Azure Storage REST API
// reference), section "Blob, Queue, and File services (Shared Key
// authorization)": Get Container Metadata at version 2009-09-19. The page's
// string to sign has the account twice, as a path-style URL gives it. The
// signature is this key's HMAC of that text, computed independently with
// Python's hmac, hashlib and base64 (the page gives none).
TEST(AzureSharedKeyTest, MicrosoftDocsGetContainerMetadata) {
  AzureBlobRequest r;
  r.method = "GET";
  r.path = "/myaccount/mycontainer";
  r.query = {{"restype", "container"}, {"comp", "metadata"}, {"timeout", "20"}};
  r.headers = {{"x-ms-version", "2009-09-19"}};
  r.now = std::chrono::sys_days{std::chrono::October / 11 / 2009} + 21h + 49min + 13s;
  auto sts = SharedKeyStringToSign(r, "myaccount");
  ASSERT_TRUE(sts.ok()) << sts.status().ToString();
  EXPECT_EQ(*sts,
            "GET\n\n\n\n\n\n\n\n\n\n\n\n"
            "x-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\nx-ms-version:2009-09-19\n"
            "/myaccount/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
  auto h = SignSharedKey(r, "myaccount", kDevKey);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(*h,
            (HttpHeaders{{"x-ms-date", "Sun, 11 Oct 2009 21:49:13 GMT"},
                         {"Authorization",
                          "SharedKey myaccount:Su5rvibNeMxB7A4I87rOtEgCDtdICsL8v5H+yJs0W+M="}}));
}

// The canonicalized resource examples of the same page (version 2009-09-19
// and later), on <account>.blob.core.windows.net.
TEST(AzureSharedKeyTest, MicrosoftDocsCanonicalizedResources) {
  EXPECT_EQ(CanonicalizedResource("myaccount", "/mycontainer",
                                  {{"restype", "container"}, {"comp", "metadata"}}),
            "/myaccount/mycontainer\ncomp:metadata\nrestype:container");
  EXPECT_EQ(CanonicalizedResource("myaccount", "/mycontainer",
                                  {{"restype", "container"},
                                   {"comp", "list"},
                                   {"include", "snapshots"},
                                   {"include", "metadata"},
                                   {"include", "uncommittedblobs"}}),
            "/myaccount/mycontainer\ncomp:list\ninclude:metadata,snapshots,uncommittedblobs\n"
            "restype:container");
  // A secondary endpoint (myaccount-secondary.blob...) still signs the account.
  EXPECT_EQ(CanonicalizedResource("myaccount", "/mycontainer/myblob", {}),
            "/myaccount/mycontainer/myblob");
}

TEST(AzureSharedKeyTest, ResourceEncodesThePathOnceAndLowersQueryNames) {
  EXPECT_EQ(CanonicalizedResource("a1", "/", {{"comp", "list"}}), "/a1/\ncomp:list");
  EXPECT_EQ(CanonicalizedResource("a1", "/c/x y+%.db", {{"Comp", "block"}, {"BlockId", "QQ=="}}),
            "/a1/c/x%20y%2B%25.db\nblockid:QQ==\ncomp:block");
  // Names differing only in case are one parameter; values stay as given.
  EXPECT_EQ(CanonicalizedResource("a1", "/c", {{"Include", "b"}, {"include", "A"}}),
            "/a1/c\ninclude:A,b");
}

// A Put Blob to Azurite, path style, with the fields our backend sends. The
// text follows the documented format field by field; the signature was
// computed independently with Python's hmac over the same text.
TEST(AzureSharedKeyTest, AzuritePutBlob) {
  AzureBlobRequest r;
  r.method = "PUT";
  r.path = "/devstoreaccount1/zb-test/ziti ctrl/2026-06-25.db";
  r.headers = {{"Content-Length", "5"},         {"Content-Type", "application/octet-stream"},
               {"x-ms-blob-type", "BlockBlob"}, {"X-MS-Version", "2025-01-05"},
               {"If-None-Match", "*"},          {"User-Agent", "ziti-backup"}};  // sent, not signed
  r.now = June25();
  auto sts = SharedKeyStringToSign(r, kDevAccount);
  ASSERT_TRUE(sts.ok()) << sts.status().ToString();
  EXPECT_EQ(*sts,
            "PUT\n\n\n5\n\napplication/octet-stream\n\n\n\n*\n\n\n"
            "x-ms-blob-type:BlockBlob\nx-ms-date:Thu, 25 Jun 2026 00:04:36 GMT\n"
            "x-ms-version:2025-01-05\n"
            "/devstoreaccount1/devstoreaccount1/zb-test/ziti%20ctrl/2026-06-25.db");
  auto h = SignSharedKey(r, kDevAccount, kDevKey);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(*h, (HttpHeaders{{"x-ms-date", "Thu, 25 Jun 2026 00:04:36 GMT"},
                             {"Authorization",
                              "SharedKey devstoreaccount1:"
                              "1pkt0QqyhPRIVSoF5mcQjjr/kNXu2zPepy0pjwRU4As="}}));
}

TEST(AzureSharedKeyTest, AzuriteListBlobsWithZeroLength) {
  AzureBlobRequest r;
  r.method = "GET";
  r.path = "/devstoreaccount1/zb-test";
  r.query = {{"restype", "container"},
             {"comp", "list"},
             {"prefix", "ziti ctrl/"},
             {"marker", "2!80!MDAwMDEx"}};
  r.headers = {{"x-ms-version", "2025-01-05"}, {"Content-Length", "0"}};
  r.now = June25();
  auto sts = SharedKeyStringToSign(r, kDevAccount);
  ASSERT_TRUE(sts.ok()) << sts.status().ToString();
  // Content-Length 0 is an empty line; query values are signed decoded.
  EXPECT_EQ(*sts,
            "GET\n\n\n\n\n\n\n\n\n\n\n\n"
            "x-ms-date:Thu, 25 Jun 2026 00:04:36 GMT\nx-ms-version:2025-01-05\n"
            "/devstoreaccount1/devstoreaccount1/zb-test\ncomp:list\nmarker:2!80!MDAwMDEx\n"
            "prefix:ziti ctrl/\nrestype:container");
  auto h = SignSharedKey(r, kDevAccount, kDevKey);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->back().second,
            "SharedKey devstoreaccount1:i2PurYeQjXXMvSdlqqD20Z+BPrI6IJlUzuNy7IyWo2g=");
}

TEST(AzureSharedKeyTest, EachStandardHeaderHasItsOwnLine) {
  AzureBlobRequest r;
  r.method = "PUT";
  r.path = "/c/b";
  r.headers = {{"Range", "bytes=0-9"},        {"If-Unmodified-Since", "i"},
               {"If-None-Match", "h"},        {"If-Match", "g"},
               {"If-Modified-Since", "f"},    {"Date", "e"},
               {"Content-Type", "d"},         {"Content-MD5", "c"},
               {"Content-Length", " 10 "},    {"Content-Language", "b"},
               {"Content-Encoding", "a"},     {"x-ms-meta-Note", "  two \t  words  "},
               {"x-ms-version", "2025-01-05"}};
  r.now = June25();
  auto sts = SharedKeyStringToSign(r, "acct");
  ASSERT_TRUE(sts.ok()) << sts.status().ToString();
  EXPECT_EQ(*sts,
            "PUT\na\nb\n10\nc\nd\ne\nf\ng\nh\ni\nbytes=0-9\n"
            "x-ms-date:Thu, 25 Jun 2026 00:04:36 GMT\nx-ms-meta-note:two words\n"
            "x-ms-version:2025-01-05\n/acct/c/b");
}

TEST(AzureSharedKeyTest, HttpDateIsRfc1123InGmt) {
  EXPECT_EQ(HttpDate(std::chrono::sys_days{std::chrono::February / 29 / 2028} + 23h + 59min + 59s +
                     999ms),
            "Tue, 29 Feb 2028 23:59:59 GMT");
  EXPECT_EQ(HttpDate(std::chrono::sys_days{std::chrono::January / 1 / 2027} + 7h + 5s),
            "Fri, 01 Jan 2027 07:00:05 GMT");
}

// Every error names the field at fault and never the key or a header value.
TEST(AzureSharedKeyTest, ErrorsNameTheFieldButNeverTheKey) {
  AzureBlobRequest ok;
  ok.method = "GET";
  ok.path = "/c/b";
  ok.headers = {{"x-ms-version", "2025-01-05"}};
  ok.now = June25();
  ASSERT_TRUE(SignSharedKey(ok, kDevAccount, kDevKey).ok());
  const auto error = [](const AzureBlobRequest& r, std::string_view account, std::string_view key) {
    auto h = SignSharedKey(r, account, key);
    EXPECT_FALSE(h.ok());
    if (h.ok()) return std::string();
    const std::string m = h.status().ToString();
    EXPECT_EQ(m.find("SECRETKEY"), std::string::npos) << m;
    EXPECT_EQ(m.find("Eby8vdM0"), std::string::npos) << m;
    EXPECT_EQ(m.find("VALUE"), std::string::npos) << m;
    EXPECT_EQ(h.status().code(), Code::kInvalidArgument);
    return h.status().message();
  };
  const std::string not_base64 =
      "cannot sign the Azure Blob request: the account key of \"devstoreaccount1\" is not base64 "
      "(one line, padded with '=', as the portal shows it)";
  EXPECT_EQ(error(ok, kDevAccount, "SECRETKEY!"), not_base64);
  EXPECT_EQ(error(ok, kDevAccount, "SECRETKEY"), not_base64);     // not a multiple of 4
  EXPECT_EQ(error(ok, kDevAccount, "SECRETKEY==="), not_base64);  // padding inside
  EXPECT_EQ(error(ok, kDevAccount, std::string(kDevKey) + "\n"), not_base64);
  EXPECT_EQ(error(ok, kDevAccount, std::string(" ") + kDevKey), not_base64);
  EXPECT_EQ(error(ok, kDevAccount, std::string(kDevKey).substr(0, 86)), not_base64);  // no "=="
  EXPECT_EQ(error(ok, kDevAccount, ""), not_base64);
  EXPECT_EQ(error(ok, "DevStore", kDevKey),
            "cannot sign the Azure Blob request: the account name \"DevStore\" is not lower-case "
            "letters and digits");

  AzureBlobRequest r = ok;
  r.headers = {};
  EXPECT_EQ(error(r, kDevAccount, kDevKey),
            "cannot sign the Azure Blob request: the header x-ms-version is missing; this Shared "
            "Key format needs it");
  r.headers = {{"x-ms-version", "2025-01-05"}, {"x-ms-meta-a", "VALUE\r\nX-Evil: 1"}};
  EXPECT_EQ(error(r, kDevAccount, kDevKey),
            "cannot sign the Azure Blob request: the value of header x-ms-meta-a contains a "
            "control character");
  r.headers = {{"x-ms-version", "2025-01-05"}, {"X-MS-Version", "2025-01-05"}};
  EXPECT_EQ(error(r, kDevAccount, kDevKey),
            "cannot sign the Azure Blob request: the header x-ms-version is given twice; Shared "
            "Key signs each once");
  r.headers = {{"x-ms-version", "2025-01-05"}, {"x-ms-date", "VALUE"}};
  EXPECT_EQ(error(r, kDevAccount, kDevKey),
            "cannot sign the Azure Blob request: the header x-ms-date is set by the signer, not "
            "by the caller");
  r = ok;
  r.query = {{"prefix", "VALUE\n"}};
  EXPECT_EQ(error(r, kDevAccount, kDevKey),
            "cannot sign the Azure Blob request: the query parameter \"prefix\" contains a "
            "control character");
  r = ok;
  r.path = "c/b";
  EXPECT_EQ(error(r, kDevAccount, kDevKey),
            "cannot sign the Azure Blob request: the path \"c/b\" does not start with '/'");
}

}  // namespace
}  // namespace zb::store
