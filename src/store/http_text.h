// The text rules of an HTTP/1.1 request that both request signers (SigV4 for
// S3, Shared Key for Azure Blob) canonicalize: RFC 3986 percent-encoding,
// header field names and header values. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"

namespace zb::store {

// Header fields in the order they are sent; a name may repeat.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes every byte except the unreserved A-Z a-z 0-9 - _ . ~, with
// uppercase hex digits: "a b+c" -> "a%20b%2Bc". With encode_slash false, '/'
// is kept, as in a path. This is S3's UriEncode, and the one encoding our
// client sends, so the signed path and the sent path are the same bytes.
std::string UriEncode(std::string_view text, bool encode_slash);

// RFC 9110 token characters (a method or a header field name), non-empty.
bool IsHttpToken(std::string_view text);

// ASCII lower case; other bytes unchanged.
std::string AsciiLower(std::string_view text);

// True if the value holds a control character other than a tab (CR and LF
// above all): such a value could end the header and start another one.
bool HasControlCharacter(std::string_view value);

// A header value as both signers canonicalize it: leading and trailing
// spaces and tabs removed, each inner run of them turned into one space.
std::string CollapseHeaderSpaces(std::string_view value);

// An HTTP date in RFC 9110's preferred form, "Sun, 06 Nov 1994 08:49:37 GMT"
// (what S3 and Azure send in Date and Last-Modified). kInvalidArgument for
// anything else.
Result<TimePoint> ParseHttpDate(std::string_view text);

}  // namespace zb::store
