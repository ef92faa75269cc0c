#include "store/s3_requests.h"

#include "store/http_text.h"
#include "store/s3_xml.h"
#include "store/signing_crypto.h"
#include "store/sigv4.h"

namespace zb::store {

bool IsRetryableS3Status(int status, std::string_view code) {
  return status == 500 || status == 502 || status == 503 || status == 504 || status == 429 ||
         code == "SlowDown" || code == "RequestTimeout" || code == "InternalError";
}

S3Requests::S3Requests(S3Settings settings, Clock& clock, S3Options options)
    : settings_(std::move(settings)),
      runner_(settings_.endpoint, options.http, options.retry, clock, settings_.Describe()) {}

S3Requests::~S3Requests() = default;

std::string S3Requests::What(const S3Call& call) const {
  return settings_.Describe() + ": " + call.method + " " +
         (call.name.empty() ? "bucket " + settings_.bucket : call.name);
}

Result<net::HttpRequest> S3Requests::Sign(const S3Call& call) {
  SigV4Request sig;
  sig.method = call.method;
  sig.host = net::HostHeader(settings_.endpoint);
  sig.path = call.key.empty() ? (settings_.path_style ? "/" + settings_.bucket : "/")
                              : settings_.PathOf(call.key);
  sig.query = call.query;
  sig.headers = call.headers;
  if (call.content_md5) {
    sig.headers.push_back(
        {"Content-MD5", Md5Base64(std::string_view(reinterpret_cast<const char*>(call.body.data()),
                                                   call.body.size()))});
  }
  sig.payload_sha256 = Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(call.body.data()), call.body.size()));
  sig.now = runner_.clock().Now();
  ZB_ASSIGN_OR_RETURN(HttpHeaders signed_headers,
                      SignV4(sig, settings_.credentials, settings_.region));
  net::HttpRequest req;
  req.method = call.method;
  req.target = UriEncode(sig.path, false);
  const std::string query = CanonicalQuery(call.query);
  if (!query.empty()) req.target += "?" + query;
  req.headers = sig.headers;
  req.headers.insert(req.headers.end(), signed_headers.begin(), signed_headers.end());
  return req;
}

Result<net::HttpResponse> S3Requests::Do(const S3Call& call, ByteSink& out, uint64_t max_body,
                                         uint64_t* delivered) {
  return runner_.Do([&] { return Sign(call); }, call.body,
                    [](const net::HttpResponse& r) {
                      return IsRetryableS3Status(r.status, ParseS3Error(r.error_body).code);
                    },
                    What(call), out, max_body, delivered, call.once);
}

Result<net::HttpResponse> S3Requests::Do(const S3Call& call, std::string* body, uint64_t max_body) {
  StringSink sink;
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, Do(call, sink, max_body));
  if (body != nullptr) *body = sink.data();
  return r;
}

Status S3Requests::Failure(const S3Call& call, const net::HttpResponse& r) const {
  const S3ErrorBody e = ParseS3Error(r.error_body);
  const std::string what = What(call);
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
