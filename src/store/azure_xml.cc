#include "store/azure_xml.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <charconv>
#include <optional>
#include <sstream>

#include "store/http_text.h"

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

std::string Text(const pt::ptree& node, const char* name) {
  auto child = node.get_child_optional(name);
  return child ? child->data() : "";
}

int Hex(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

// Percent-decoding of a name the service marked Encoded="true" (it holds a
// character XML 1.0 cannot carry); '+' is itself, as in a path.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int hi = i + 2 < text.size() ? Hex(text[i + 1]) : -1;
    const int lo = hi >= 0 ? Hex(text[i + 2]) : -1;
    if (lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

AzureErrorBody ParseAzureError(std::string_view xml) {
  // The body of a HEAD or of some proxies is empty: no error, not a failure.
  auto tree = Parse(xml, "");
  if (!tree.ok()) return {};
  auto error = tree->get_child_optional("Error");
  if (!error) return {};
  std::string message = Text(*error, "Message");
  message = message.substr(0, message.find_first_of("\r\n"));
  return {Text(*error, "Code"), message};
}

Result<AzureListPage> ParseListBlobs(std::string_view xml, std::string_view where) {
  ZB_ASSIGN_OR_RETURN(pt::ptree tree, Parse(xml, where));
  auto result = tree.get_child_optional("EnumerationResults");
  if (!result) return Malformed(where, "no EnumerationResults");
  AzureListPage page;
  page.next_marker = Text(*result, "NextMarker");
  auto blobs = result->get_child_optional("Blobs");
  if (!blobs) return page;  // an empty page may leave the element out
  for (const auto& [element, node] : *blobs) {
    if (element != "Blob") continue;  // BlobPrefix: a deeper "folder"
    auto name_node = node.get_child_optional("Name");
    if (!name_node || name_node->data().empty()) return Malformed(where, "a Blob without a Name");
    AzureBlob b;
    b.name = name_node->data();
    if (name_node->get("<xmlattr>.Encoded", "") == "true") {
      auto decoded = PercentDecode(b.name);
      if (!decoded) return Malformed(where, "a bad encoded Name");
      b.name = std::move(*decoded);
    }
    auto props = node.get_child_optional("Properties");
    if (!props) return Malformed(where, "no Properties for " + b.name);
    const std::string size = Text(*props, "Content-Length");
    auto [p, ec] = std::from_chars(size.data(), size.data() + size.size(), b.size);
    if (size.empty() || ec != std::errc() || p != size.data() + size.size()) {
      return Malformed(where, "a bad Content-Length \"" + size + "\" of " + b.name);
    }
    auto modified = ParseHttpDate(Text(*props, "Last-Modified"));
    if (!modified.ok()) return Malformed(where, "a bad Last-Modified of " + b.name);
    b.modified = *modified;
    page.blobs.push_back(std::move(b));
  }
  return page;
}

std::string BlockListXml(const std::vector<std::string>& block_ids) {
  // Block ids are base64: nothing in them needs escaping in XML.
  std::string xml = R"(<?xml version="1.0" encoding="utf-8"?><BlockList>)";
  for (const std::string& id : block_ids) xml += "<Latest>" + id + "</Latest>";
  return xml + "</BlockList>";
}

}  // namespace zb::store
