// One raw HTTP exchange with a server of ours on loopback, for the metrics
// endpoint's tests.
#pragma once

#include <string>

namespace zb::testing {

// Sends `request` to 127.0.0.1:port and returns everything the server wrote
// until it closed the connection; "connect failed" if nothing listens.
std::string HttpExchange(int port, const std::string& request);

}  // namespace zb::testing
