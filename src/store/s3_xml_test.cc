#include "store/s3_xml.h"

#include <gtest/gtest.h>

#include "store/http_text.h"

namespace zb::store {
namespace {

TEST(S3XmlTest, ErrorCodeAndMessage) {
  const auto e = ParseS3Error(
      R"(<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>tx1</RequestId></Error>)");
  EXPECT_EQ(e.code, "NoSuchKey");
  EXPECT_EQ(e.message, "The specified key does not exist.");
  EXPECT_EQ(ParseS3Error("not xml <").code, "");
  EXPECT_EQ(ParseS3Error("").code, "");
}

TEST(S3XmlTest, AListPageWithUrlEncodedKeys) {
  auto page = ParseListObjectsV2(
      R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
<IsTruncated>true</IsTruncated><NextContinuationToken>tok/+=</NextContinuationToken>
<Contents><Key>p/a%20b+c.json</Key><LastModified>2026-12-02T01:40:00.123Z</LastModified><Size>42</Size></Contents>
<Contents><Key>p/x.db</Key><LastModified>2026-12-02T01:40:01Z</LastModified><Size>18446744073709551615</Size></Contents>
<CommonPrefixes><Prefix>p/sub/</Prefix></CommonPrefixes></ListBucketResult>)",
      "s3://b/p: list");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "tok/+=");
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "p/a b c.json");
  EXPECT_EQ(page->objects[0].size, 42u);
  EXPECT_EQ(FormatRfc3339(page->objects[0].modified), "2026-12-02T01:40:00Z");
  EXPECT_EQ(page->objects[1].size, UINT64_MAX);
}

TEST(S3XmlTest, MalformedPagesAreErrorsNamingTheField) {
  auto err = [](const std::string& xml) {
    return ParseListObjectsV2(xml, "s3://b: list").status().message();
  };
  EXPECT_EQ(err("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"),
            "s3://b: list: the server's answer has IsTruncated without a NextContinuationToken");
  EXPECT_EQ(err("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
                "</ListBucketResult>"),
            "s3://b: list: the server's answer has a bad Size \"-1\"");
  EXPECT_EQ(err("<ListBucketResult><Contents><Key>k</Key><Size>18446744073709551616</Size>"
                "</Contents></ListBucketResult>"),
            "s3://b: list: the server's answer has a bad Size \"18446744073709551616\"");
  EXPECT_EQ(err("<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday"
                "</LastModified></Contents></ListBucketResult>"),
            "s3://b: list: the server's answer has a bad LastModified of k");
  EXPECT_EQ(err("<ListBucketResult><Contents><Key>%zz</Key></Contents></ListBucketResult>"),
            "s3://b: list: the server's answer has a bad Key");
  EXPECT_EQ(err("<Other/>"), "s3://b: list: the server's answer has no ListBucketResult");
  EXPECT_TRUE(
      err("<ListBucketResult>").starts_with("s3://b: list: the server's answer is not XML"));
}

TEST(S3XmlTest, MultipartUploads) {
  EXPECT_EQ(*ParseUploadId("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                           "<UploadId>2~abc</UploadId></InitiateMultipartUploadResult>",
                           "w"),
            "2~abc");
  EXPECT_EQ(ParseUploadId("<InitiateMultipartUploadResult/>", "w").status().message(),
            "w: the server's answer has no UploadId");
  auto page = ParseListMultipartUploads(
      "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated><Upload><Key>p/a.db</Key>"
      "<UploadId>u1</UploadId><Initiated>2026-12-01T00:00:00.000Z</Initiated></Upload>"
      "</ListMultipartUploadsResult>",
      "w");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->uploads.size(), 1u);
  EXPECT_EQ(page->uploads[0].key, "p/a.db");
  EXPECT_EQ(page->uploads[0].upload_id, "u1");
  EXPECT_EQ(FormatRfc3339(page->uploads[0].initiated), "2026-12-01T00:00:00Z");
  EXPECT_EQ(CompleteMultipartXml({"\"e1\"", "\"e2\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag>"
            "</Part><Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

TEST(HttpDateTest, ImfFixdateOnly) {
  EXPECT_EQ(FormatRfc3339(*ParseHttpDate("Wed, 02 Dec 2026 01:40:09 GMT")), "2026-12-02T01:40:09Z");
  EXPECT_EQ(ParseHttpDate("Wed, 02 Dek 2026 01:40:09 GMT").status().message(),
            "not an HTTP date: \"Wed, 02 Dek 2026 01:40:09 GMT\"");
  EXPECT_FALSE(ParseHttpDate("Wed, 32 Dec 2026 01:40:09 GMT").ok());
  EXPECT_FALSE(ParseHttpDate("Wednesday, 02-Dec-26 01:40:09 GMT").ok());
  EXPECT_FALSE(ParseHttpDate("").ok());
}

TEST(S3XmlTest, VersionsAndDeleteMarkersInListedOrder) {
  auto page = ParseListObjectVersions(
      R"(<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
<IsTruncated>true</IsTruncated><NextKeyMarker>p/b%20c.json</NextKeyMarker><NextVersionIdMarker>-v3</NextVersionIdMarker>
<DeleteMarker><Key>p/a.json</Key><VersionId>m1</VersionId><IsLatest>true</IsLatest><LastModified>2026-12-02T01:40:02Z</LastModified></DeleteMarker>
<Version><Key>p/a.json</Key><VersionId>-v1</VersionId><IsLatest>false</IsLatest><LastModified>2026-12-02T01:40:00.5Z</LastModified><Size>42</Size></Version>
<Version><Key>p/b%20c.json</Key><VersionId>-v3</VersionId><IsLatest>true</IsLatest><LastModified>2026-12-02T01:40:01Z</LastModified><Size>7</Size></Version>
</ListVersionsResult>)",
      "s3://b/p: list versions");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_key_marker, "p/b c.json");
  EXPECT_EQ(page->next_version_id_marker, "-v3");
  ASSERT_EQ(page->versions.size(), 3u);
  EXPECT_EQ(page->versions[0].key, "p/a.json");
  EXPECT_TRUE(page->versions[0].delete_marker);
  EXPECT_TRUE(page->versions[0].latest);
  EXPECT_EQ(page->versions[1].version_id, "-v1");
  EXPECT_FALSE(page->versions[1].delete_marker);
  EXPECT_FALSE(page->versions[1].latest);
  EXPECT_EQ(page->versions[1].size, 42u);
  EXPECT_EQ(FormatRfc3339(page->versions[1].modified), "2026-12-02T01:40:00Z");
  EXPECT_EQ(page->versions[2].key, "p/b c.json");
}

TEST(S3XmlTest, MalformedVersionListsAreRefused) {
  auto bad = [](const std::string& inner) {
    return ParseListObjectVersions("<ListVersionsResult>" + inner + "</ListVersionsResult>", "w")
        .status()
        .message();
  };
  EXPECT_EQ(bad("<IsTruncated>true</IsTruncated>"),
            "w: the server's answer has IsTruncated without a NextKeyMarker");
  EXPECT_EQ(bad("<Version><Key>k</Key><IsLatest>true</IsLatest><LastModified>2026-12-02T01:40:"
                "00Z</LastModified><Size>1</Size></Version>"),
            "w: the server's answer has a version of k without an id");
  EXPECT_EQ(bad("<Version><Key>k</Key><VersionId>v</VersionId><LastModified>2026-12-02T01:40:"
                "00Z</LastModified><Size>-1</Size></Version>"),
            "w: the server's answer has a bad Size \"-1\"");
  EXPECT_EQ(ParseListObjectVersions("<Other/>", "w").status().message(),
            "w: the server's answer has no ListVersionsResult");
}

TEST(S3XmlTest, ObjectLockConfigurationAndRetention) {
  EXPECT_TRUE(*ParseObjectLockEnabled(
      R"(<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>)",
      "w"));
  EXPECT_FALSE(*ParseObjectLockEnabled("<ObjectLockConfiguration/>", "w"));
  EXPECT_FALSE(ParseObjectLockEnabled("<Error/>", "w").ok());
  EXPECT_EQ(RetentionXml("COMPLIANCE", *ParseRfc3339("2026-12-31T00:00:00Z")),
            "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>COMPLIANCE</"
            "Mode><RetainUntilDate>2026-12-31T00:00:00Z</RetainUntilDate></Retention>");
}

}  // namespace
}  // namespace zb::store
