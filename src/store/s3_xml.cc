#include "store/s3_xml.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <charconv>
#include <sstream>

namespace zb::store {
namespace {

namespace pt = boost::property_tree;

Result<pt::ptree> Parse(std::string_view xml, std::string_view where) {
  std::istringstream in{std::string(xml)};
  pt::ptree tree;
  try {
    pt::read_xml(in, tree, pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error& e) {
    return Status::IOError(std::string(where) + ": the server's answer is not XML (" + e.message() +
                           ")");
  }
  return tree;
}

Status Malformed(std::string_view where, std::string_view what) {
  return Status::IOError(std::string(where) + ": the server's answer has " + std::string(what));
}

// The text of child `name`, or "" if there is none.
std::string Text(const pt::ptree& node, const char* name) {
  auto child = node.get_child_optional(name);
  return child ? child->data() : "";
}

Result<uint64_t> Number(std::string_view text, std::string_view where, std::string_view field) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    return Malformed(where, "a bad " + std::string(field) + " \"" + std::string(text) + "\"");
  }
  return v;
}

Result<bool> Flag(std::string_view text, std::string_view where, std::string_view field) {
  if (text == "true") return true;
  if (text == "false" || text.empty()) return false;
  return Malformed(where, "a bad " + std::string(field) + " \"" + std::string(text) + "\"");
}

// The url-encoded text of child `name`, decoded; Malformed naming `what`
// when it does not decode, or is empty where `required`.
Result<std::string> Decoded(const pt::ptree& node, const char* name, std::string_view where,
                            std::string_view what, bool required) {
  auto text = UrlDecode(Text(node, name));
  if (!text.ok() || (required && text->empty())) {
    return Malformed(where, "a bad " + std::string(what));
  }
  return text;
}

}  // namespace

Result<std::string> UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      auto hex = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
      };
      const int hi = i + 2 < text.size() ? hex(text[i + 1]) : -1;
      const int lo = hi >= 0 ? hex(text[i + 2]) : -1;
      if (lo < 0) return Status::InvalidArgument("bad percent-escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

S3ErrorBody ParseS3Error(std::string_view xml) {
  auto tree = Parse(xml, "");
  if (!tree.ok()) return {};
  auto error = tree->get_child_optional("Error");
  if (!error) return {};
  return {Text(*error, "Code"), Text(*error, "Message")};
}

Result<S3ListPage> ParseListObjectsV2(std::string_view xml, std::string_view where) {
  ZB_ASSIGN_OR_RETURN(pt::ptree tree, Parse(xml, where));
  auto result = tree.get_child_optional("ListBucketResult");
  if (!result) return Malformed(where, "no ListBucketResult");
  S3ListPage page;
  ZB_ASSIGN_OR_RETURN(page.truncated, Flag(Text(*result, "IsTruncated"), where, "IsTruncated"));
  page.next_token = Text(*result, "NextContinuationToken");
  if (page.truncated && page.next_token.empty()) {
    return Malformed(where, "IsTruncated without a NextContinuationToken");
  }
  for (const auto& [name, node] : *result) {
    if (name != "Contents") continue;
    S3Object o;
    ZB_ASSIGN_OR_RETURN(o.key, Decoded(node, "Key", where, "Key", true));
    ZB_ASSIGN_OR_RETURN(o.size, Number(Text(node, "Size"), where, "Size"));
    auto modified = ParseRfc3339(Text(node, "LastModified"));
    if (!modified.ok()) return Malformed(where, "a bad LastModified of " + o.key);
    o.modified = *modified;
    page.objects.push_back(std::move(o));
  }
  return page;
}

Result<std::string> ParseUploadId(std::string_view xml, std::string_view where) {
  ZB_ASSIGN_OR_RETURN(pt::ptree tree, Parse(xml, where));
  std::string id = tree.get("InitiateMultipartUploadResult.UploadId", "");
  if (id.empty()) return Malformed(where, "no UploadId");
  return id;
}

Result<S3UploadsPage> ParseListMultipartUploads(std::string_view xml, std::string_view where) {
  ZB_ASSIGN_OR_RETURN(pt::ptree tree, Parse(xml, where));
  auto result = tree.get_child_optional("ListMultipartUploadsResult");
  if (!result) return Malformed(where, "no ListMultipartUploadsResult");
  S3UploadsPage page;
  ZB_ASSIGN_OR_RETURN(page.truncated, Flag(Text(*result, "IsTruncated"), where, "IsTruncated"));
  ZB_ASSIGN_OR_RETURN(page.next_key_marker,
                      Decoded(*result, "NextKeyMarker", where, "NextKeyMarker", false));
  page.next_upload_id_marker = Text(*result, "NextUploadIdMarker");
  if (page.truncated && page.next_key_marker.empty() && page.next_upload_id_marker.empty()) {
    return Malformed(where, "IsTruncated without a next marker");
  }
  for (const auto& [name, node] : *result) {
    if (name != "Upload") continue;
    S3Upload u;
    ZB_ASSIGN_OR_RETURN(u.key, Decoded(node, "Key", where, "upload Key", true));
    u.upload_id = Text(node, "UploadId");
    if (u.upload_id.empty()) return Malformed(where, "an Upload without an UploadId");
    auto initiated = ParseRfc3339(Text(node, "Initiated"));
    if (!initiated.ok()) return Malformed(where, "a bad Initiated time of " + u.key);
    u.initiated = *initiated;
    page.uploads.push_back(std::move(u));
  }
  return page;
}

Result<S3VersionsPage> ParseListObjectVersions(std::string_view xml, std::string_view where) {
  ZB_ASSIGN_OR_RETURN(pt::ptree tree, Parse(xml, where));
  auto result = tree.get_child_optional("ListVersionsResult");
  if (!result) return Malformed(where, "no ListVersionsResult");
  S3VersionsPage page;
  ZB_ASSIGN_OR_RETURN(page.truncated, Flag(Text(*result, "IsTruncated"), where, "IsTruncated"));
  ZB_ASSIGN_OR_RETURN(page.next_key_marker,
                      Decoded(*result, "NextKeyMarker", where, "NextKeyMarker", false));
  page.next_version_id_marker = Text(*result, "NextVersionIdMarker");
  if (page.truncated && page.next_key_marker.empty()) {
    return Malformed(where, "IsTruncated without a NextKeyMarker");
  }
  for (const auto& [name, node] : *result) {
    if (name != "Version" && name != "DeleteMarker") continue;
    S3Version v;
    v.delete_marker = name == "DeleteMarker";
    ZB_ASSIGN_OR_RETURN(v.key, Decoded(node, "Key", where, "version Key", true));
    v.version_id = Text(node, "VersionId");
    if (v.version_id.empty()) return Malformed(where, "a version of " + v.key + " without an id");
    ZB_ASSIGN_OR_RETURN(v.latest, Flag(Text(node, "IsLatest"), where, "IsLatest"));
    if (!v.delete_marker) {
      ZB_ASSIGN_OR_RETURN(v.size, Number(Text(node, "Size"), where, "Size"));
    }
    auto modified = ParseRfc3339(Text(node, "LastModified"));
    if (!modified.ok()) return Malformed(where, "a bad LastModified of " + v.key);
    v.modified = *modified;
    page.versions.push_back(std::move(v));
  }
  return page;
}

Result<bool> ParseObjectLockEnabled(std::string_view xml, std::string_view where) {
  ZB_ASSIGN_OR_RETURN(pt::ptree tree, Parse(xml, where));
  auto result = tree.get_child_optional("ObjectLockConfiguration");
  if (!result) return Malformed(where, "no ObjectLockConfiguration");
  return Text(*result, "ObjectLockEnabled") == "Enabled";
}

std::string RetentionXml(std::string_view mode, TimePoint until) {
  return "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>" + std::string(mode) +
         "</Mode><RetainUntilDate>" + FormatRfc3339(until) + "</RetainUntilDate></Retention>";
}

std::string CompleteMultipartXml(const std::vector<std::string>& etags) {
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    // ETags are hex in quotes; escape the quotes as XML wants them anyway.
    std::string etag;
    for (char c : etags[i]) {
      etag += c == '"'   ? std::string("&quot;")
              : c == '&' ? "&amp;"
              : c == '<' ? "&lt;"
                         : std::string(1, c);
    }
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etag +
           "</ETag></Part>";
  }
  return xml + "</CompleteMultipartUpload>";
}

}  // namespace zb::store
