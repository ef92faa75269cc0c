#include "store/azure_shared_key.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "store/http_text.h"
#include "store/signing_crypto.h"

namespace zb::store {

namespace {

// The standard headers of the string to sign, in its order.
constexpr std::array<std::string_view, 11> kSlots = {"content-encoding",
                                                     "content-language",
                                                     "content-length",
                                                     "content-md5",
                                                     "content-type",
                                                     "date",
                                                     "if-modified-since",
                                                     "if-match",
                                                     "if-none-match",
                                                     "if-unmodified-since",
                                                     "range"};

Status Invalid(std::string_view what) {
  return Status::InvalidArgument("cannot sign the Azure Blob request: " + std::string(what));
}

bool IsAccountName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::string HttpDate(TimePoint t) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilTime c = Zone::Utc().ToCivil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                kDays[IsoWeekday(c.year, c.month, c.day) - 1], c.day, kMonths[c.month - 1], c.year,
                c.hour, c.minute, c.second);
  return buf;
}

std::string CanonicalizedResource(std::string_view account, std::string_view path,
                                  const std::vector<std::pair<std::string, std::string>>& query) {
  std::string out = "/" + std::string(account) + UriEncode(path, false);
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& [name, value] : query) params[AsciiLower(name)].push_back(value);
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    out += "\n" + name + ":";
    for (size_t i = 0; i < values.size(); ++i) out += (i > 0 ? "," : "") + values[i];
  }
  return out;
}

Result<std::string> SharedKeyStringToSign(const AzureBlobRequest& r, std::string_view account) {
  if (!IsAccountName(account)) {
    return Invalid("the account name \"" + std::string(account) +
                   "\" is not lower-case letters and digits");
  }
  if (!IsHttpToken(r.method)) {
    return Invalid("the method \"" + r.method + "\" is not an HTTP method name");
  }
  if (r.path.empty() || r.path[0] != '/') {
    return Invalid("the path \"" + r.path + "\" does not start with '/'");
  }
  for (const auto& [name, value] : r.query) {
    if (HasControlCharacter(name) || HasControlCharacter(value)) {
      return Invalid("the query parameter \"" + UriEncode(name, true) +
                     "\" contains a control character");
    }
  }
  std::map<std::string, std::string> slots;  // standard headers by lower-case name
  std::map<std::string, std::string> ms;     // x-ms-* headers, sorted by name
  for (const auto& [name, value] : r.headers) {
    const std::string lower = AsciiLower(name);
    if (!IsHttpToken(name)) return Invalid("the header name \"" + name + "\" is not a token");
    if (lower == "host" || lower == "authorization" || lower == "x-ms-date") {
      return Invalid("the header " + lower + " is set by the signer, not by the caller");
    }
    if (HasControlCharacter(value)) {
      return Invalid("the value of header " + name + " contains a control character");
    }
    const bool is_ms = lower.rfind("x-ms-", 0) == 0;
    const bool is_slot = std::find(kSlots.begin(), kSlots.end(), lower) != kSlots.end();
    if (!is_ms && !is_slot) continue;  // sent, but not signed
    auto& table = is_ms ? ms : slots;
    if (!table.emplace(lower, is_ms ? CollapseHeaderSpaces(value) : Trim(value)).second) {
      return Invalid("the header " + lower + " is given twice; Shared Key signs each once");
    }
  }
  if (!ms.contains("x-ms-version")) {
    return Invalid("the header x-ms-version is missing; this Shared Key format needs it");
  }
  ms["x-ms-date"] = HttpDate(r.now);

  std::string sts = r.method + "\n";
  for (const std::string_view slot : kSlots) {
    const auto it = slots.find(std::string(slot));
    std::string value = it == slots.end() ? "" : it->second;
    // Since version 2015-02-21 a zero length is signed as an empty line.
    if (slot == "content-length" && value == "0") value.clear();
    sts += value + "\n";
  }
  for (const auto& [name, value] : ms) sts += name + ":" + value + "\n";
  sts += CanonicalizedResource(account, r.path, r.query);
  return sts;
}

Result<HttpHeaders> SignSharedKey(const AzureBlobRequest& request, std::string_view account,
                                  std::string_view account_key_base64) {
  ZB_ASSIGN_OR_RETURN(const std::string sts, SharedKeyStringToSign(request, account));
  std::optional<std::string> key = DecodeBase64(account_key_base64);
  if (!key || key->empty()) {
    return Invalid("the account key of \"" + std::string(account) +
                   "\" is not base64 (one line, padded with '=', as the portal shows it)");
  }
  const Sha256Digest mac = HmacSha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key->data()), key->size()), sts);
  Wipe(*key);
  return HttpHeaders{
      {"x-ms-date", HttpDate(request.now)},
      {"Authorization", "SharedKey " + std::string(account) + ":" + EncodeBase64(mac)}};
}

}  // namespace zb::store
