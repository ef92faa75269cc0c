// AWS Signature Version 4 in the Authorization header, with S3's rules: the
// request's path is encoded once (never twice) and never normalized, and
// x-amz-content-sha256 is signed and sent. Pure functions of their inputs (the
// time is an input too); no network; thread-safe.
//
// Secrets: the secret access key goes only into HMAC keys, and neither it nor
// the session token appears in any error message.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"
#include "store/http_text.h"

namespace zb::store {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary (STS) credentials
};

struct SigV4Request {
  std::string method;  // "PUT"
  // As sent in Host: "bucket.s3.eu-west-1.amazonaws.com" or "127.0.0.1:7480".
  std::string host;
  // The raw, unencoded path: "/bucket/key with space". The client must send
  // UriEncode(path, false) (store/http_text.h), which is what is signed.
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;  // unencoded name, value
  // The other headers to sign and send (Range, Content-Type, x-amz-*), any
  // case. Not host or the ones SignV4 adds. A repeated name is signed as
  // one header with its values joined by ',', in this order.
  HttpHeaders headers;
  std::string payload_sha256;  // 64 lowercase hex digits, or "UNSIGNED-PAYLOAD"
  TimePoint now;
  // S3 requires x-amz-content-sha256 on every request. Other AWS services do
  // not use it; false only lets the generic SigV4 test suite check the rest.
  bool content_sha256_header = true;
};

// The x-amz-date value: "20130524T000000Z".
std::string AmzDate(TimePoint t);

// The query string as signed, which is also how the client sends it:
// encoded with UriEncode(.., true), sorted, "name=value" joined by '&'.
std::string CanonicalQuery(const std::vector<std::pair<std::string, std::string>>& query);

// The canonical request of AWS's step 1, including the headers SignV4 adds
// (x-amz-date, x-amz-content-sha256, x-amz-security-token if the token is
// not empty). kInvalidArgument for a request that cannot be signed or sent
// as given; the message names the field, never the token.
Result<std::string> CanonicalRequest(const SigV4Request& request, std::string_view session_token);

// "AWS4-HMAC-SHA256\n<amz date>\n<date>/<region>/<service>/aws4_request\n<sha256 hex>".
std::string StringToSign(std::string_view canonical_request, TimePoint now, std::string_view region,
                         std::string_view service);

// HMAC-SHA256 of the string to sign with the key derived from "AWS4" + secret
// through the date, region, service and "aws4_request"; lowercase hex.
std::string SigV4Signature(std::string_view secret_access_key, TimePoint now,
                           std::string_view region, std::string_view service,
                           std::string_view string_to_sign);

// The headers to add to the request, in this order: x-amz-date,
// x-amz-content-sha256 (unless turned off), x-amz-security-token (with a
// session token), Authorization. The request's own headers and Host are
// sent as given.
Result<HttpHeaders> SignV4(const SigV4Request& request, const AwsCredentials& credentials,
                           std::string_view region, std::string_view service = "s3");

}  // namespace zb::store
