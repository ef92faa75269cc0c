// ParseEndpointUrl: the endpoint= of an object-store target (or the
// variable that sets it), "https://host:port", to where requests connect.
// Pure; thread-safe.
#pragma once

#include <string_view>

#include "base/result.h"
#include "net/http_message.h"

namespace zb::store {

// "http[s]://host[:port][/]" to an endpoint (IPv6 in brackets); no path,
// query or user. kInvalidArgument saying what is wrong with it.
Result<net::HttpEndpoint> ParseEndpointUrl(std::string_view url);

}  // namespace zb::store
