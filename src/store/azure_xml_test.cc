#include "store/azure_xml.h"

#include <gtest/gtest.h>

namespace zb::store {
namespace {

TEST(AzureXmlTest, ErrorCodeAndTheFirstLineOfItsMessage) {
  // As the service sends it: the message goes on with the request id and time.
  const auto e = ParseAzureError(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed"
      "</Code><Message>Server failed to authenticate the request. Make sure the value of "
      "Authorization header is formed correctly including the signature.\n"
      "RequestId:0c1a\nTime:2026-01-02T03:04:05.6789012Z</Message><AuthenticationErrorDetail>"
      "The MAC signature found in the HTTP request 'x' is not the same as any computed "
      "signature.</AuthenticationErrorDetail></Error>");
  EXPECT_EQ(e.code, "AuthenticationFailed");
  EXPECT_EQ(e.message,
            "Server failed to authenticate the request. Make sure the value of Authorization "
            "header is formed correctly including the signature.");
  EXPECT_EQ(ParseAzureError("not xml <").code, "");
  EXPECT_EQ(ParseAzureError("").code, "");
}

TEST(AzureXmlTest, AListPageSkipsFoldersAndDecodesEncodedNames) {
  auto page = ParseListBlobs(
      R"(<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://127.0.0.1:10000/devstoreaccount1" ContainerName="c1c"><Prefix>p/</Prefix><MaxResults>2</MaxResults><Delimiter>/</Delimiter>
<Blobs><Blob><Name>p/a &amp; b.json</Name><Properties><Creation-Time>Fri, 02 Jan 2026 03:04:05 GMT</Creation-Time><Last-Modified>Fri, 02 Jan 2026 03:04:06 GMT</Last-Modified><Etag>0x8D</Etag><Content-Length>42</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
<BlobPrefix><Name>p/sub/</Name></BlobPrefix>
<Blob><Name Encoded="true">p/x%01y.db</Name><Properties><Last-Modified>Fri, 02 Jan 2026 03:04:07 GMT</Last-Modified><Content-Length>18446744073709551615</Content-Length></Properties></Blob></Blobs>
<NextMarker>2!88!MDAwMDE2IXAveC5kYiEw</NextMarker></EnumerationResults>)",
      "azblob://a/c1c/p: list");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->next_marker, "2!88!MDAwMDE2IXAveC5kYiEw");
  ASSERT_EQ(page->blobs.size(), 2u);
  EXPECT_EQ(page->blobs[0].name, "p/a & b.json");
  EXPECT_EQ(page->blobs[0].size, 42u);
  EXPECT_EQ(FormatRfc3339(page->blobs[0].modified), "2026-01-02T03:04:06Z");
  EXPECT_EQ(page->blobs[1].name, "p/x\x01y.db");
  EXPECT_EQ(page->blobs[1].size, UINT64_MAX);

  auto last =
      ParseListBlobs(R"(<EnumerationResults><Blobs /><NextMarker /></EnumerationResults>)", "w");
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_TRUE(last->blobs.empty());
  EXPECT_EQ(last->next_marker, "");
}

TEST(AzureXmlTest, MalformedPagesAreErrorsNamingTheField) {
  auto err = [](const std::string& blob) {
    return ParseListBlobs("<EnumerationResults><Blobs>" + blob + "</Blobs></EnumerationResults>",
                          "azblob://a/c1c: list")
        .status()
        .message();
  };
  const std::string props =
      "<Properties><Last-Modified>Fri, 02 Jan 2026 03:04:07 GMT</Last-Modified>";
  EXPECT_EQ(err("<Blob><Name></Name></Blob>"),
            "azblob://a/c1c: list: the server's answer has a Blob without a Name");
  EXPECT_EQ(err("<Blob><Name>x</Name></Blob>"),
            "azblob://a/c1c: list: the server's answer has no Properties for x");
  EXPECT_EQ(err("<Blob><Name>x</Name>" + props +
                "<Content-Length>-1</Content-Length></Properties>"
                "</Blob>"),
            "azblob://a/c1c: list: the server's answer has a bad Content-Length \"-1\" of x");
  EXPECT_EQ(err("<Blob><Name>x</Name>" + props +
                "<Content-Length>18446744073709551616</Content-Length></Properties></Blob>"),
            "azblob://a/c1c: list: the server's answer has a bad Content-Length "
            "\"18446744073709551616\" of x");
  EXPECT_EQ(err("<Blob><Name>x</Name><Properties><Last-Modified>2026-01-02</Last-Modified>"
                "<Content-Length>1</Content-Length></Properties></Blob>"),
            "azblob://a/c1c: list: the server's answer has a bad Last-Modified of x");
  EXPECT_EQ(err("<Blob><Name Encoded=\"true\">%zz</Name></Blob>"),
            "azblob://a/c1c: list: the server's answer has a bad encoded Name");
  EXPECT_EQ(ParseListBlobs("<Other/>", "w").status().message(),
            "w: the server's answer has no EnumerationResults");
  EXPECT_TRUE(ParseListBlobs("<unclosed", "w")
                  .status()
                  .message()
                  .starts_with("w: the server's answer is not XML ("));
}

TEST(AzureXmlTest, TheBlockListCommitsTheIdsInOrder) {
  EXPECT_EQ(BlockListXml({"QUFB", "QkJC"}),
            R"(<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>QUFB</Latest>)"
            R"(<Latest>QkJC</Latest></BlockList>)");
}

}  // namespace
}  // namespace zb::store
