#include "store/target_url.h"

#include <algorithm>
#include <cstdio>

#include "base/suggest.h"

namespace zb::store {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The URL as errors show it: control characters escaped.
std::string Shown(std::string_view url) {
  std::string shown;
  for (unsigned char c : url) {
    if (IsControl(c)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      shown += buf;
    } else {
      shown += static_cast<char>(c);
    }
  }
  return shown;
}

// Percent-decodes `text`; the error says what is wrong, for bad().
Result<std::string> Decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      const int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = hi >= 0 ? HexValue(text[i + 2]) : -1;
      if (lo < 0) return Status::InvalidArgument("\"%\" must start an escape of two hex digits");
      c = static_cast<char>(hi * 16 + lo);
      if (IsControl(static_cast<unsigned char>(c))) {
        return Status::InvalidArgument("an escape decodes to a control character");
      }
      i += 2;
    }
    out += c;
  }
  return out;
}

// The decoded path's segments, without empty ones; "." and ".." refused,
// so that each directory or prefix has one spelling.
Result<std::vector<std::string>> Segments(std::string_view path, std::string_view what) {
  ZB_ASSIGN_OR_RETURN(std::string decoded, Decode(path));
  std::vector<std::string> out;
  for (size_t pos = 0; pos <= decoded.size();) {
    size_t end = decoded.find('/', pos);
    if (end == std::string::npos) end = decoded.size();
    const std::string segment = decoded.substr(pos, end - pos);
    if (segment == "." || segment == "..") {
      return Status::InvalidArgument("\".\" and \"..\" are not allowed in the path; write the " +
                                     std::string(what) + " plainly");
    }
    if (!segment.empty()) out.push_back(segment);
    pos = end + 1;
  }
  return out;
}

Result<TargetUrl> ParseFile(std::string_view rest) {
  const size_t slash = rest.find('/');
  const std::string host = Lower(rest.substr(0, slash));
  if (slash == std::string_view::npos) return Status::InvalidArgument("the path must be absolute");
  if (!host.empty() && host != "localhost") {
    return Status::InvalidArgument("host \"" + host +
                                   "\" is not this machine; a file:// target is local");
  }
  ZB_ASSIGN_OR_RETURN(std::vector<std::string> segments, Segments(rest.substr(slash), "directory"));
  std::string clean;
  for (const std::string& s : segments) clean += "/" + s;
  if (clean.empty()) return Status::InvalidArgument("the root directory cannot be a target");
  TargetUrl t;
  t.scheme = "file";
  t.path = clean;
  return t;
}

// S3's bucket naming rules, loosely: what any S3-compatible service accepts
// (legacy AWS buckets may hold capitals and '_').
bool IsBucketName(std::string_view b) {
  if (b.size() < 3 || b.size() > 255) return false;
  return std::all_of(b.begin(), b.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
  });
}

// The prefix of an object-store URL from its path after the bucket or
// container ("/a//b/" -> "a/b").
Result<std::string> Prefix(std::string_view path) {
  ZB_ASSIGN_OR_RETURN(std::vector<std::string> segments, Segments(path, "path"));
  std::string prefix;
  for (const std::string& s : segments) prefix += (prefix.empty() ? "" : "/") + s;
  return prefix;
}

Result<TargetUrl> ParseS3(std::string_view path) {
  const size_t slash = path.find('/');
  TargetUrl t;
  t.scheme = "s3";
  t.bucket = std::string(path.substr(0, slash));
  if (t.bucket.empty()) return Status::InvalidArgument("no bucket (s3://bucket/prefix)");
  if (!IsBucketName(t.bucket)) {
    return Status::InvalidArgument("\"" + t.bucket +
                                   "\" is not a bucket name (3 to 63 of a-z, 0-9, '.' and '-')");
  }
  if (slash != std::string_view::npos) {
    ZB_ASSIGN_OR_RETURN(t.prefix, Prefix(path.substr(slash)));
  }
  return t;
}

bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Azure's rules: a storage account is 3 to 24 lower-case letters and digits.
bool IsAccountName(std::string_view a) {
  return a.size() >= 3 && a.size() <= 24 && std::all_of(a.begin(), a.end(), IsLowerOrDigit);
}

// A container is 3 to 63 of a-z, 0-9 and '-', and every '-' has a letter
// or digit on each side (so none at either end and no "--").
bool IsContainerName(std::string_view c) {
  if (c.size() < 3 || c.size() > 63) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    if (IsLowerOrDigit(c[i])) continue;
    if (c[i] != '-' || i == 0 || i + 1 == c.size() || !IsLowerOrDigit(c[i - 1]) ||
        !IsLowerOrDigit(c[i + 1])) {
      return false;
    }
  }
  return true;
}

Result<TargetUrl> ParseAzblob(std::string_view path) {
  const size_t slash = path.find('/');
  TargetUrl t;
  t.scheme = "azblob";
  t.account = std::string(path.substr(0, slash));
  if (t.account.empty()) {
    return Status::InvalidArgument("no account (azblob://account/container/prefix)");
  }
  if (!IsAccountName(t.account)) {
    return Status::InvalidArgument("\"" + t.account +
                                   "\" is not a storage account name (3 to 24 of a-z and 0-9)");
  }
  const std::string_view after = slash == std::string_view::npos ? "" : path.substr(slash + 1);
  const size_t slash2 = after.find('/');
  t.container = std::string(after.substr(0, slash2));
  if (t.container.empty()) {
    return Status::InvalidArgument("no container (azblob://account/container/prefix)");
  }
  if (!IsContainerName(t.container)) {
    return Status::InvalidArgument("\"" + t.container +
                                   "\" is not a container name (3 to 63 of a-z, 0-9 and '-', "
                                   "with a letter or digit on each side of every '-')");
  }
  if (slash2 != std::string_view::npos) {
    ZB_ASSIGN_OR_RETURN(t.prefix, Prefix(after.substr(slash2)));
  }
  return t;
}

// The query's name=value pairs into t.retention (keep-*, any scheme) and
// t.options (those the scheme knows, `known`).
Status ParseQuery(std::string_view query, const std::vector<std::string>& known, TargetUrl& t) {
  std::vector<std::string> accepted = known;
  accepted.insert(accepted.end(), std::begin(kRetentionOptions), std::end(kRetentionOptions));
  for (size_t pos = 0; pos <= query.size();) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    ZB_ASSIGN_OR_RETURN(std::string name, Decode(pair.substr(0, eq)));
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      std::string m = "unknown option \"" + name + "\"";
      const auto close = ClosestMatches(name, accepted);
      if (!close.empty()) m += " (did you mean \"" + close.front() + "\"?)";
      m += "; " + t.scheme + ":// targets take ";
      for (size_t i = 0; i < accepted.size(); ++i) m += (i > 0 ? ", " : "") + accepted[i];
      return Status::InvalidArgument(m);
    }
    const bool keep = name.starts_with("keep-");
    auto& into = keep ? t.retention : t.options;
    for (const auto& [k, v] : into) {
      if (k == name) return Status::InvalidArgument("option \"" + name + "\" is given twice");
    }
    std::string value;
    if (eq != std::string_view::npos) {
      ZB_ASSIGN_OR_RETURN(value, Decode(pair.substr(eq + 1)));
    }
    if (value.empty()) return Status::InvalidArgument("option \"" + name + "\" has no value");
    into.emplace_back(std::move(name), std::move(value));
  }
  return Status::OK();
}

}  // namespace

std::string TargetUrl::Option(std::string_view name) const {
  for (const auto& [k, v] : options) {
    if (k == name) return v;
  }
  return "";
}

Result<TargetUrl> ParseTargetUrl(std::string_view url) {
  std::string use = "file:///absolute/dir, s3://bucket/prefix or azblob://account/container/prefix";
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid target \"" + Shown(url) + "\": " + why + " (use " +
                                   use + ")");
  };
  for (unsigned char c : url) {
    if (IsControl(c)) return bad("it contains a control character");
  }
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return bad("no scheme");
  const std::string scheme = Lower(url.substr(0, colon));
  const std::string_view rest = url.substr(colon + 3);
  const size_t q = rest.find('?');
  const std::string_view path = rest.substr(0, q);
  Result<TargetUrl> parsed = Status::InvalidArgument("");
  std::vector<std::string> known;
  if (scheme == "file") {
    use = "file:///absolute/dir";
    parsed = ParseFile(path);
  } else if (scheme == "s3") {
    use = "s3://bucket/prefix?region=...&endpoint=https://host:port";
    parsed = ParseS3(path);
    known.assign(std::begin(kS3Options), std::end(kS3Options));
  } else if (scheme == "azblob") {
    use = "azblob://account/container/prefix?endpoint=https://host:port";
    parsed = ParseAzblob(path);
    known.assign(std::begin(kAzblobOptions), std::end(kAzblobOptions));
  } else {
    return bad("unknown scheme \"" + scheme + "\"");
  }
  if (rest.find('#') != std::string_view::npos) {
    return bad("a target has no fragment ('#'; escape it as %23)");
  }
  if (parsed.ok() && q != std::string_view::npos) {
    if (Status s = ParseQuery(rest.substr(q + 1), known, *parsed); !s.ok()) parsed = s;
  }
  if (!parsed.ok()) return bad(parsed.status().message());
  return parsed;
}

}  // namespace zb::store
