#include "net/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <cstdlib>

namespace zb::net {
namespace {

// Where distributions keep their CA bundle (Go's crypto/x509 root_linux.go).
constexpr const char* kSystemBundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Gentoo, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL, UBI
    "/etc/ssl/ca-bundle.pem",                             // openSUSE
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // CentOS, RHEL 7
    "/etc/ssl/cert.pem",                                  // Alpine
};

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

void LoadSystemStore(SSL_CTX* ctx) {
  // Best effort: a machine without any store fails verification later, with
  // OpenSSL's reason ("unable to get local issuer certificate").
  SSL_CTX_set_default_verify_paths(ctx);
  if (std::getenv("SSL_CERT_FILE") == nullptr) {
    for (const char* path : kSystemBundles) {
      if (SSL_CTX_load_verify_locations(ctx, path, nullptr) == 1) break;
    }
  }
  ERR_clear_error();
}

}  // namespace

Result<std::unique_ptr<boost::asio::ssl::context>> NewTlsContext(const HttpEndpoint& endpoint) {
  auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return Status::IOError("TLS: cannot require TLS 1.2: " + OpenSslError());
  }
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (!endpoint.verify) {
    SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
    return ctx;
  }
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  if (endpoint.ca_bundle.empty()) {
    LoadSystemStore(native);
  } else if (SSL_CTX_load_verify_locations(native, endpoint.ca_bundle.c_str(), nullptr) != 1) {
    return Status::InvalidArgument("CA bundle " + endpoint.ca_bundle +
                                   ": cannot load: " + OpenSslError());
  }
  return ctx;
}

Status SetTlsPeerName(SSL* ssl, const std::string& host) {
  boost::system::error_code not_ip;
  boost::asio::ip::make_address(host, not_ip);
  if (!not_ip) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      return Status::InvalidArgument("TLS: cannot check the IP address " + host);
    }
    return Status::OK();
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
    return Status::InvalidArgument("TLS: cannot send the server name " + host);
  }
  // "*.example.com" matches one label only, as browsers do.
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(ssl, host.c_str()) != 1) {
    return Status::InvalidArgument("TLS: cannot check the host name " + host);
  }
  return Status::OK();
}

std::string TlsVerifyFailure(SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return "";
  return X509_verify_cert_error_string(result);
}

}  // namespace zb::net
