#include "store/s3_requests.h"

#include "store/body_streams.h"
#include "store/http_text.h"
#include "store/s3_xml.h"
#include "store/signing_crypto.h"
#include "store/sigv4.h"

namespace zb::store {
namespace {

std::string ErrorCode(const net::HttpResponse& r) { return ParseS3Error(r.error_body).code; }

}  // namespace

bool IsRetryableS3Status(int status, std::string_view code) {
  return status == 500 || status == 502 || status == 503 || status == 504 || status == 429 ||
         code == "SlowDown" || code == "RequestTimeout" || code == "InternalError";
}

S3Requests::S3Requests(S3Settings settings, Clock& clock, S3Options options)
    : settings_(std::move(settings)),
      clock_(clock),
      options_(options),
      rng_(std::random_device{}()) {}

S3Requests::~S3Requests() = default;

std::unique_ptr<net::HttpClient> S3Requests::Acquire(Status* error) {
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

void S3Requests::Release(std::unique_ptr<net::HttpClient> client) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 8) idle_.push_back(std::move(client));
}

void S3Requests::Backoff(int retry) {
  double r;
  {
    std::lock_guard lock(mu_);
    r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  clock_.SleepFor(RetryDelay(options_.retry, retry, r));
}

Result<net::HttpResponse> S3Requests::Once(const S3Call& call, ByteSink& out, uint64_t max_body) {
  Status error;
  auto client = Acquire(&error);
  if (client == nullptr) return error;
  SigV4Request sig;
  sig.method = call.method;
  sig.host = net::HostHeader(settings_.endpoint);
  sig.path = call.key.empty() ? (settings_.path_style ? "/" + settings_.bucket : "/")
                              : settings_.PathOf(call.key);
  sig.query = call.query;
  sig.headers = call.headers;
  sig.payload_sha256 = Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(call.body.data()), call.body.size()));
  sig.now = clock_.Now();
  ZB_ASSIGN_OR_RETURN(HttpHeaders signed_headers,
                      SignV4(sig, settings_.credentials, settings_.region));
  net::HttpRequest req;
  req.method = call.method;
  req.target = UriEncode(sig.path, false);
  const std::string query = CanonicalQuery(call.query);
  if (!query.empty()) req.target += "?" + query;
  req.headers = call.headers;
  req.headers.insert(req.headers.end(), signed_headers.begin(), signed_headers.end());
  SpanSource body(call.body);
  if (!call.body.empty() || call.method == "PUT" || call.method == "POST") {
    req.body = &body;
    req.content_length = call.body.size();
  }
  auto r = client->Send(req, out, max_body);
  // A client whose exchange failed may hold a half-read connection.
  if (r.ok()) Release(std::move(client));
  return r;
}

Result<net::HttpResponse> S3Requests::Do(const S3Call& call, ByteSink& out, uint64_t max_body,
                                         uint64_t* delivered) {
  if (delivered != nullptr) *delivered = 0;
  for (int attempt = 1;; ++attempt) {
    CountingSink counted(out);
    auto r = Once(call, counted, max_body);
    if (delivered != nullptr) *delivered = counted.bytes();
    const bool last = attempt >= options_.retry.max_attempts || counted.bytes() > 0;
    if (!r.ok()) {
      const bool retryable = r.status().retryable() || r.status().code() == Code::kTimeout;
      if (!retryable || last) {
        return r.status().WithContext(
            settings_.Describe() + ": " + call.method + " " +
            (call.name.empty() ? "bucket " + settings_.bucket : call.name));
      }
    } else if (r->success() || last || !IsRetryableS3Status(r->status, ErrorCode(*r))) {
      return r;
    }
    Backoff(attempt);
  }
}

Result<net::HttpResponse> S3Requests::Do(const S3Call& call, std::string* body, uint64_t max_body) {
  StringSink sink;
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, Do(call, sink, max_body));
  if (body != nullptr) *body = sink.data();
  return r;
}

Status S3Requests::Failure(const S3Call& call, const net::HttpResponse& r) const {
  const S3ErrorBody e = ParseS3Error(r.error_body);
  const std::string what = settings_.Describe() + ": " + call.method + " " +
                           (call.name.empty() ? "bucket " + settings_.bucket : call.name);
  if (e.code == "NoSuchBucket") {
    return Status::NotFound(what + ": bucket \"" + settings_.bucket + "\" does not exist at " +
                            net::HostPort(settings_.endpoint) +
                            " (create it first; ziti-backup does not create buckets)");
  }
  std::string m = what + ": HTTP " + std::to_string(r.status);
  if (!e.code.empty()) m += " " + e.code;
  if (!e.message.empty()) m += ": " + e.message;
  if (auto id = r.Header("x-amz-request-id")) m += " (request id " + *id + ")";
  return Status::IOError(m, IsRetryableS3Status(r.status, e.code));
}

}  // namespace zb::store
