#include "store/request_runner.h"

namespace zb::store {
namespace {

// Counts what reaches the caller's sink, so a broken download can resume
// where it stopped.
class CountingSink final : public ByteSink {
 public:
  explicit CountingSink(ByteSink& next) : next_(next) {}
  Status Write(ByteSpan data) override {
    ZB_RETURN_IF_ERROR(next_.Write(data));
    bytes_ += data.size();
    return Status::OK();
  }
  Status Finish() override { return next_.Finish(); }
  uint64_t bytes() const { return bytes_; }

 private:
  ByteSink& next_;
  uint64_t bytes_ = 0;
};

}  // namespace

RequestRunner::RequestRunner(net::HttpEndpoint endpoint, net::HttpOptions http, RetryPolicy retry,
                             Clock& clock, std::string target)
    : endpoint_(std::move(endpoint)),
      http_(http),
      retry_(retry),
      clock_(clock),
      target_(std::move(target)),
      rng_(std::random_device{}()) {}

RequestRunner::~RequestRunner() = default;

bool RequestRunner::SendsBody(std::string_view method, ByteSpan body) {
  return !body.empty() || method == "PUT" || method == "POST";
}

Result<std::unique_ptr<net::HttpClient>> RequestRunner::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto created = net::HttpClient::Create(endpoint_, http_);
  if (!created.ok()) return created.status().WithContext(target_);
  return created;
}

void RequestRunner::Release(std::unique_ptr<net::HttpClient> client) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 8) idle_.push_back(std::move(client));
}

void RequestRunner::Backoff(int retry) {
  double r;
  {
    std::lock_guard lock(mu_);
    r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  clock_.SleepFor(RetryDelay(retry_, retry, r));
}

Result<net::HttpResponse> RequestRunner::Do(
    const std::function<Result<net::HttpRequest>()>& sign, ByteSpan body,
    const std::function<bool(const net::HttpResponse&)>& retryable, const std::string& what,
    ByteSink& out, uint64_t max_body, uint64_t* delivered, bool once) {
  if (delivered != nullptr) *delivered = 0;
  const int max_attempts = once ? 1 : retry_.max_attempts;
  for (int attempt = 1;; ++attempt) {
    CountingSink counted(out);
    auto once = [&]() -> Result<net::HttpResponse> {
      ZB_ASSIGN_OR_RETURN(auto client, Acquire());
      ZB_ASSIGN_OR_RETURN(net::HttpRequest req, sign());
      SpanSource source(body);
      if (SendsBody(req.method, body)) {
        req.body = &source;
        req.content_length = body.size();
      }
      auto r = client->Send(req, counted, max_body);
      // A client whose exchange failed may hold a half-read connection.
      if (r.ok()) Release(std::move(client));
      return r;
    };
    auto r = once();
    if (delivered != nullptr) *delivered = counted.bytes();
    const bool last = attempt >= max_attempts || counted.bytes() > 0;
    if (!r.ok()) {
      const bool transient = r.status().retryable() || r.status().code() == Code::kTimeout;
      if (!transient || last) return r.status().WithContext(what);
    } else if (r->success() || last || !retryable(*r)) {
      return r;
    }
    Backoff(attempt);
  }
}

}  // namespace zb::store
