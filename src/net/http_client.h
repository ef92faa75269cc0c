// HttpClient: HTTP/1.1 over one keep-alive connection to one endpoint, for
// the object-store backends (S3, Azure Blob). Bodies stream both ways through
// ByteSource/ByteSink with a fixed 64 KiB buffer, so memory does not grow
// with object size. Not thread-safe: one client per concurrent request.
//
// Why it looks like this: it is Boost.Beast + Asio over the OpenSSL we
// already link statically, because Debian's libcurl cannot be linked into the
// self-contained release binary (GSSAPI, GnuTLS, ...). TLS is 1.2 or later
// and verifies the chain (a CA bundle or the system store) and the host name
// or IP address (SNI for names). Every connect, read and write has a deadline,
// so a hung server is a kTimeout, never a hang. Transport errors are kIOError
// or kTimeout naming host:port and the step that failed, marked retryable
// when trying again can help; the status code of a response is the caller's
// to judge. Requests are never resent once the body source has been read
// from: the caller rewinds it and retries. Headers are never logged or put in
// errors (they carry signatures), nor is the query string.
// Not supported: proxies, Expect: 100-continue, chunked uploads, HTTP/2.
#pragma once

#include <memory>

#include "base/result.h"
#include "base/stream.h"
#include "net/http_message.h"

namespace zb::net {

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // A client for `endpoint`; connects on the first Send. kInvalidArgument for
  // an unknown scheme or a CA bundle that cannot be loaded.
  static Result<std::unique_ptr<HttpClient>> Create(const HttpEndpoint& endpoint,
                                                    const HttpOptions& options);

  // Sends `req` and reads the response. A 2xx body is written to `out`
  // (without finishing it), at most `max_body` bytes: a longer one is a
  // kIOError and nothing past the limit is written. Any other status returns
  // ok with its body in HttpResponse::error_body. Reuses the connection when
  // the server keeps it open, and reconnects transparently when the server
  // had closed it before the request went out.
  virtual Result<HttpResponse> Send(const HttpRequest& req, ByteSink& out, uint64_t max_body) = 0;
};

}  // namespace zb::net
