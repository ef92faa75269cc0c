#include "store/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "store/http_text.h"
#include "store/signing_crypto.h"

namespace zb::store {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

Status Invalid(std::string_view what) {
  return Status::InvalidArgument("cannot sign the S3 request: " + std::string(what));
}

bool IsLowerHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Region and service names go into the credential scope, which is split on
// '/' and ended by ','; AWS's names are all lower case, digits and '-'.
bool IsScopePart(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string DateStamp(TimePoint t) { return AmzDate(t).substr(0, 8); }

std::string Scope(TimePoint now, std::string_view region, std::string_view service) {
  return DateStamp(now) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
}

struct Canonical {
  std::string request;
  std::string signed_headers;  // "host;range;x-amz-content-sha256;x-amz-date"
};

Result<Canonical> Canonicalize(const SigV4Request& r, std::string_view session_token) {
  if (!IsHttpToken(r.method)) {
    return Invalid("the method \"" + r.method + "\" is not an HTTP method name");
  }
  if (r.host.empty() || HasControlCharacter(r.host) ||
      r.host.find_first_of(" \t/") != std::string::npos) {
    return Invalid("the host \"" + r.host + "\" is empty or holds a space, '/' or control byte");
  }
  if (r.path.empty() || r.path[0] != '/') {
    return Invalid("the path \"" + r.path + "\" does not start with '/'");
  }
  if (!IsLowerHex64(r.payload_sha256) && r.payload_sha256 != kUnsignedPayload) {
    return Invalid("the payload hash \"" + r.payload_sha256 +
                   "\" is neither 64 lowercase hex digits nor UNSIGNED-PAYLOAD");
  }
  if (HasControlCharacter(session_token)) {
    return Invalid("the session token contains a control character");
  }

  // Lower-cased name -> values in the order given; std::map sorts the names.
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : r.headers) {
    const std::string lower = AsciiLower(name);
    if (!IsHttpToken(name)) return Invalid("the header name \"" + name + "\" is not a token");
    if (lower == "host" || lower == "authorization" || lower == "x-amz-date" ||
        lower == "x-amz-content-sha256" || lower == "x-amz-security-token") {
      return Invalid("the header " + lower + " is set by the signer, not by the caller");
    }
    if (HasControlCharacter(value)) {
      return Invalid("the value of header " + name + " contains a control character");
    }
    auto [it, fresh] = headers.try_emplace(lower, CollapseHeaderSpaces(value));
    if (!fresh) it->second += "," + CollapseHeaderSpaces(value);
  }
  headers["host"] = r.host;
  headers["x-amz-date"] = AmzDate(r.now);
  if (r.content_sha256_header) headers["x-amz-content-sha256"] = r.payload_sha256;
  if (!session_token.empty()) headers["x-amz-security-token"] = std::string(session_token);

  Canonical c;
  c.request = r.method + "\n" + UriEncode(r.path, false) + "\n" + CanonicalQuery(r.query) + "\n";
  for (const auto& [name, value] : headers) {
    c.request += name + ":" + value + "\n";
    if (!c.signed_headers.empty()) c.signed_headers += ';';
    c.signed_headers += name;
  }
  c.request += "\n" + c.signed_headers + "\n" + r.payload_sha256;
  return c;
}

}  // namespace

std::string AmzDate(TimePoint t) {
  const CivilTime c = Zone::Utc().ToCivil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query) {
  // Sorted by encoded name, then encoded value; a bare name signs as "name=".
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(UriEncode(name, true), UriEncode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (i > 0) out += '&';
    out += encoded[i].first + "=" + encoded[i].second;
  }
  return out;
}

Result<std::string> CanonicalRequest(const SigV4Request& request, std::string_view session_token) {
  ZB_ASSIGN_OR_RETURN(Canonical c, Canonicalize(request, session_token));
  return std::move(c.request);
}

std::string StringToSign(std::string_view canonical_request, TimePoint now, std::string_view region,
                         std::string_view service) {
  return std::string(kAlgorithm) + "\n" + AmzDate(now) + "\n" + Scope(now, region, service) + "\n" +
         Sha256Hex(canonical_request);
}

std::string SigV4Signature(std::string_view secret_access_key, TimePoint now,
                           std::string_view region, std::string_view service,
                           std::string_view string_to_sign) {
  std::string key = "AWS4" + std::string(secret_access_key);
  const auto bytes = [](const std::string& s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  Sha256Digest k = HmacSha256(bytes(key), DateStamp(now));
  Wipe(key);
  k = HmacSha256(k, region);
  k = HmacSha256(k, service);
  k = HmacSha256(k, "aws4_request");
  const Sha256Digest signature = HmacSha256(k, string_to_sign);
  OPENSSL_cleanse(k.data(), k.size());
  return LowerHex(signature);
}

Result<HttpHeaders> SignV4(const SigV4Request& request, const AwsCredentials& credentials,
                           std::string_view region, std::string_view service) {
  const std::string& id = credentials.access_key_id;
  if (id.empty() || HasControlCharacter(id) || id.find_first_of(" \t,/=") != std::string::npos) {
    return Invalid("the access key id is empty or holds a space, ',', '/', '=' or control byte");
  }
  if (credentials.secret_access_key.empty()) return Invalid("the secret access key is empty");
  if (!IsScopePart(region)) {
    return Invalid("the region \"" + std::string(region) +
                   "\" is not lower-case letters, digits and '-'");
  }
  if (!IsScopePart(service)) {
    return Invalid("the service \"" + std::string(service) +
                   "\" is not lower-case letters, digits and '-'");
  }
  ZB_ASSIGN_OR_RETURN(Canonical c, Canonicalize(request, credentials.session_token));
  const std::string signature =
      SigV4Signature(credentials.secret_access_key, request.now, region, service,
                     StringToSign(c.request, request.now, region, service));

  HttpHeaders out;
  out.emplace_back("x-amz-date", AmzDate(request.now));
  if (request.content_sha256_header) {
    out.emplace_back("x-amz-content-sha256", request.payload_sha256);
  }
  if (!credentials.session_token.empty()) {
    out.emplace_back("x-amz-security-token", credentials.session_token);
  }
  out.emplace_back("Authorization", std::string(kAlgorithm) + " Credential=" + id + "/" +
                                        Scope(request.now, region, service) + ", SignedHeaders=" +
                                        c.signed_headers + ", Signature=" + signature);
  return out;
}

}  // namespace zb::store
