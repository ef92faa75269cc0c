// A shared access signature (SAS) token for Azure Blob: a query string the
// service already signed ("sv=...&sig=..."), appended to each request's query
// instead of a Shared Key Authorization header. Nothing to sign here; this
// only checks that the token is a query string and normalizes it. Pure;
// thread-safe.
//
// Secrets: the token grants access, so no error repeats it or any part of it.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace zb::store {

// The token without a leading '?' (one is allowed, as the portal shows it
// with one). kInvalidArgument, without the token, unless it is '&'-separated
// name=value pairs of URI characters with valid %XX escapes, and has a sig.
Result<std::string> NormalizeSasToken(std::string_view token);

}  // namespace zb::store
