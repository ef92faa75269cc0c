#include "net/transport_error.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include "base/duration.h"

namespace zb::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

}  // namespace

bool PeerClosed(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

Status TransportError(std::string_view context, std::string_view step,
                      const boost::system::error_code& ec, std::chrono::milliseconds deadline) {
  std::string prefix = std::string(context) + ": " + std::string(step) + ": ";
  if (ec == boost::beast::error::timeout) {
    return Status(Code::kTimeout, prefix + "timed out after " + FormatDuration(deadline),
                  /*retryable=*/true);
  }
  if (PeerClosed(ec)) {
    return Status::IOError(prefix + "connection closed by the server (" + ec.message() + ")",
                           /*retryable=*/true);
  }
  if (ec == http::error::partial_message) {
    return Status::IOError(prefix + "connection closed by the server mid-message",
                           /*retryable=*/true);
  }
  if (ec == http::error::header_limit) {
    return Status::IOError(prefix + "response header too large");
  }
  // Other system errors (refused, unreachable, ...) are the network's and may
  // pass, as may a DNS server's temporary failure; an unknown name and
  // protocol errors (TLS alerts, malformed HTTP) will repeat.
  const bool retryable = ec.category() == boost::system::system_category() ||
                         ec.category() == asio::error::get_misc_category() ||
                         ec == asio::error::host_not_found_try_again;
  return Status::IOError(prefix + ec.message(), retryable);
}

}  // namespace zb::net
