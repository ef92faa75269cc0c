// What an Asio/Beast error_code means to a caller: a Status naming the
// connection and the step that failed, kTimeout for a deadline, and the
// retryable bit where trying again can help. Internal to src/net.
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace zb::net {

// `context` names the connection and request ("127.0.0.1:9000: PUT /b/k"),
// `step` what was under way ("connect", "read response header"), and
// `deadline` the limit a beast timeout ran into.
Status TransportError(std::string_view context, std::string_view step,
                      const boost::system::error_code& ec, std::chrono::milliseconds deadline);

// The server closed or reset the connection (before any byte of a response
// arrived, for the read steps): on a reused connection this is what an idle
// close racing our request looks like.
bool PeerClosed(const boost::system::error_code& ec);

}  // namespace zb::net
