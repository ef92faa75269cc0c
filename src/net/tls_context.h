// The OpenSSL side of an https connection: the client context (TLS 1.2+,
// the trusted CAs) and, per connection, the name the server must prove.
// Internal to src/net (it exposes Asio types).
//
// The system store: OpenSSL's default paths (which honour SSL_CERT_FILE and
// SSL_CERT_DIR) are those of the distribution OpenSSL was built on, Debian's
// /usr/lib/ssl, which the controller image (UBI 9) lacks. So the first
// bundle found at the usual places (Debian, RHEL, SUSE, Alpine: the list Go's
// crypto/x509 uses) is loaded too, unless SSL_CERT_FILE names one.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "base/result.h"
#include "net/http_message.h"

typedef struct ssl_st SSL;

namespace zb::net {

// kInvalidArgument naming the file if `endpoint.ca_bundle` cannot be loaded.
Result<std::unique_ptr<boost::asio::ssl::context>> NewTlsContext(const HttpEndpoint& endpoint);

// Before the handshake: SNI (for a DNS name; RFC 6066 forbids IP addresses
// there) and the identity the certificate must carry, a DNS name or an IP
// address SAN.
Status SetTlsPeerName(SSL* ssl, const std::string& host);

// After a failed handshake: OpenSSL's reason the chain or name was refused
// ("certificate has expired", "hostname mismatch"), or "" if verification
// was not what failed.
std::string TlsVerifyFailure(SSL* ssl);

}  // namespace zb::net
