#include "store/azure_requests.h"

#include "store/azure_shared_key.h"
#include "store/azure_xml.h"
#include "store/http_text.h"

namespace zb::store {

std::string AzureErrorCode(const net::HttpResponse& r) {
  if (auto code = r.Header("x-ms-error-code"); code && !code->empty()) return *code;
  return ParseAzureError(r.error_body).code;
}

bool IsRetryableAzureStatus(int status, std::string_view code) {
  return status == 500 || status == 502 || status == 503 || status == 504 || status == 429 ||
         code == "ServerBusy" || code == "OperationTimedOut" || code == "InternalError";
}

AzureRequests::AzureRequests(AzureSettings settings, Clock& clock, AzureOptions options)
    : settings_(std::move(settings)),
      runner_(settings_.endpoint, options.http, options.retry, clock, settings_.Describe()) {}

AzureRequests::~AzureRequests() = default;

std::string AzureRequests::What(const AzureCall& call) const {
  return settings_.Describe() + ": " + call.method + " " +
         (call.name.empty() ? "container " + settings_.container : call.name);
}

Result<net::HttpRequest> AzureRequests::Sign(const AzureCall& call) {
  const std::string path = settings_.PathOf(call.blob);
  net::HttpRequest req;
  req.method = call.method;
  req.headers = call.headers;
  req.headers.push_back({"x-ms-version", kAzureApiVersion});
  std::string query;
  for (const auto& [name, value] : call.query) {
    query += (query.empty() ? "" : "&") + UriEncode(name, true) + "=" + UriEncode(value, true);
  }
  if (!settings_.sas_token.empty()) {
    query += (query.empty() ? "" : "&") + settings_.sas_token;
  } else {
    // The client adds Content-Length itself, but Shared Key signs it.
    AzureBlobRequest sig{.method = call.method,
                         .path = path,
                         .query = call.query,
                         .headers = req.headers,
                         .now = runner_.clock().Now()};
    if (RequestRunner::SendsBody(call.method, call.body))
      sig.headers.push_back({"Content-Length", std::to_string(call.body.size())});
    ZB_ASSIGN_OR_RETURN(HttpHeaders signed_headers,
                        SignSharedKey(sig, settings_.account, settings_.key));
    req.headers.insert(req.headers.end(), signed_headers.begin(), signed_headers.end());
  }
  req.target = UriEncode(path, false);
  if (!query.empty()) req.target += "?" + query;
  return req;
}

Result<net::HttpResponse> AzureRequests::Do(const AzureCall& call, ByteSink& out, uint64_t max_body,
                                            uint64_t* delivered) {
  return runner_.Do([&] { return Sign(call); }, call.body,
                    [](const net::HttpResponse& r) {
                      return IsRetryableAzureStatus(r.status, AzureErrorCode(r));
                    },
                    What(call), out, max_body, delivered, call.once);
}

Result<net::HttpResponse> AzureRequests::Do(const AzureCall& call, std::string* body,
                                            uint64_t max_body) {
  StringSink sink;
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, Do(call, sink, max_body));
  if (body != nullptr) *body = sink.data();
  return r;
}

Status AzureRequests::Failure(const AzureCall& call, const net::HttpResponse& r) const {
  const std::string code = AzureErrorCode(r);
  const std::string what = What(call);
  if (code == "ContainerNotFound") {
    return Status::NotFound(what + ": container \"" + settings_.container +
                            "\" does not exist in account \"" + settings_.account + "\" at " +
                            net::HostPort(settings_.endpoint) +
                            " (create it first; ziti-backup does not create containers)");
  }
  std::string m = what + ": HTTP " + std::to_string(r.status);
  if (!code.empty()) m += " " + code;
  const std::string message = ParseAzureError(r.error_body).message;
  if (!message.empty()) m += ": " + message;
  if (auto id = r.Header("x-ms-request-id")) m += " (request id " + *id + ")";
  return Status::IOError(m, IsRetryableAzureStatus(r.status, code));
}

}  // namespace zb::store
