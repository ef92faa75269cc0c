// Azure Storage Shared Key authorization for the Blob service, in the format
// of version 2009-09-19 and later: the string to sign, its HMAC-SHA256 with
// the account key, and the Authorization header. Pure functions of their
// inputs (the time is an input too); no network; thread-safe.
//
// The canonicalized resource is "/" + account + the request's encoded path,
// so a path-style request (Azurite: /devstoreaccount1/container/blob) signs
// "/devstoreaccount1/devstoreaccount1/container/blob", as the service expects.
//
// Secrets: the account key goes only into the HMAC, and appears in no error.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"
#include "store/http_text.h"

namespace zb::store {

struct AzureBlobRequest {
  std::string method;  // "PUT"
  // The raw, unencoded path: "/container/blob name" on <account>.blob.core.
  // windows.net, "/devstoreaccount1/container/blob name" on Azurite. The
  // client must send UriEncode(path, false) (store/http_text.h), which is
  // what is signed.
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;  // unencoded name, value
  // Every header the request sends but Host, x-ms-date and Authorization,
  // any case, each name once: x-ms-version (required), Content-Length,
  // Content-Type, Range, x-ms-blob-type, ...
  HttpHeaders headers;
  TimePoint now;
};

// The HTTP date of x-ms-date: "Sun, 11 Oct 2009 21:49:13 GMT".
std::string HttpDate(TimePoint t);

// "/" + account + UriEncode(path), then "\nname:value" for each query
// parameter: names lower-cased and sorted, the values of a repeated name
// sorted and joined by ','.
std::string CanonicalizedResource(std::string_view account, std::string_view path,
                                  const std::vector<std::pair<std::string, std::string>>& query);

// VERB, the eleven standard header slots (Content-Length empty when 0), the
// canonicalized x-ms-* headers including the x-ms-date SignSharedKey adds,
// and the canonicalized resource. kInvalidArgument naming the field for a
// request that cannot be signed as given.
Result<std::string> SharedKeyStringToSign(const AzureBlobRequest& request,
                                          std::string_view account);

// The headers to add: x-ms-date, then Authorization "SharedKey account:sig"
// with sig = base64(HMAC-SHA256(base64-decoded key, string to sign)).
Result<HttpHeaders> SignSharedKey(const AzureBlobRequest& request, std::string_view account,
                                  std::string_view account_key_base64);

}  // namespace zb::store
