#include "store/azure_requests.h"

#include "store/azure_shared_key.h"
#include "store/azure_xml.h"
#include "store/body_streams.h"
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
      clock_(clock),
      options_(options),
      rng_(std::random_device{}()) {}

AzureRequests::~AzureRequests() = default;

std::unique_ptr<net::HttpClient> AzureRequests::Acquire(Status* error) {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto created = net::HttpClient::Create(settings_.endpoint, options_.http);
  if (!created.ok()) {
    *error = created.status().WithContext(settings_.Describe());
    return nullptr;
  }
  return std::move(created).value();
}

void AzureRequests::Release(std::unique_ptr<net::HttpClient> client) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 8) idle_.push_back(std::move(client));
}

void AzureRequests::Backoff(int retry) {
  double r;
  {
    std::lock_guard lock(mu_);
    r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  clock_.SleepFor(RetryDelay(options_.retry, retry, r));
}

std::string AzureRequests::What(const AzureCall& call) const {
  return settings_.Describe() + ": " + call.method + " " +
         (call.name.empty() ? "container " + settings_.container : call.name);
}

Result<net::HttpResponse> AzureRequests::Once(const AzureCall& call, ByteSink& out,
                                              uint64_t max_body) {
  Status error;
  auto client = Acquire(&error);
  if (client == nullptr) return error;
  const std::string path = settings_.PathOf(call.blob);
  net::HttpRequest req;
  req.method = call.method;
  req.headers = call.headers;
  req.headers.push_back({"x-ms-version", kAzureApiVersion});
  SpanSource body(call.body);
  const bool has_body = !call.body.empty() || call.method == "PUT" || call.method == "POST";
  if (has_body) {
    req.body = &body;
    req.content_length = call.body.size();
  }
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
                         .now = clock_.Now()};
    if (has_body) sig.headers.push_back({"Content-Length", std::to_string(call.body.size())});
    ZB_ASSIGN_OR_RETURN(HttpHeaders signed_headers,
                        SignSharedKey(sig, settings_.account, settings_.key));
    req.headers.insert(req.headers.end(), signed_headers.begin(), signed_headers.end());
  }
  req.target = UriEncode(path, false);
  if (!query.empty()) req.target += "?" + query;
  auto r = client->Send(req, out, max_body);
  // A client whose exchange failed may hold a half-read connection.
  if (r.ok()) Release(std::move(client));
  return r;
}

Result<net::HttpResponse> AzureRequests::Do(const AzureCall& call, ByteSink& out, uint64_t max_body,
                                            uint64_t* delivered) {
  if (delivered != nullptr) *delivered = 0;
  for (int attempt = 1;; ++attempt) {
    CountingSink counted(out);
    auto r = Once(call, counted, max_body);
    if (delivered != nullptr) *delivered = counted.bytes();
    const bool last = attempt >= options_.retry.max_attempts || counted.bytes() > 0;
    if (!r.ok()) {
      const bool retryable = r.status().retryable() || r.status().code() == Code::kTimeout;
      if (!retryable || last) return r.status().WithContext(What(call));
    } else if (r->success() || last || !IsRetryableAzureStatus(r->status, AzureErrorCode(*r))) {
      return r;
    }
    Backoff(attempt);
  }
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
