#include "store/s3_lease.h"

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "store/http_text.h"
#include "store/s3_xml.h"

namespace zb::store {
namespace {

using Seconds = std::chrono::seconds;

constexpr uint64_t kMaxLeaseBytes = 64 << 10;

struct LeaseBody {
  std::string owner;
  int64_t ttl_seconds = 0;
};

std::string Encode(const LeaseBody& b, TimePoint now) {
  return nlohmann::json{
      {"owner", b.owner}, {"ttl_seconds", b.ttl_seconds}, {"renewed", FormatRfc3339(now)}}
      .dump();
}

// A lease we cannot read still counts, for the longest time we allow.
LeaseBody Decode(const std::string& text, Seconds fallback_ttl) {
  LeaseBody b{"an unreadable lease", fallback_ttl.count()};
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return b;
  if (j.contains("owner") && j["owner"].is_string()) b.owner = j["owner"].get<std::string>();
  if (j.contains("ttl_seconds") && j["ttl_seconds"].is_number_integer()) {
    // Bounded both ways: a lease cannot claim the target for a year.
    b.ttl_seconds = std::clamp<int64_t>(j["ttl_seconds"].get<int64_t>(), 1, 24 * 3600);
  }
  return b;
}

ByteSpan Bytes(const std::string& s) {
  return ByteSpan(reinterpret_cast<const std::byte*>(s.data()), s.size());
}

// PUT `text` as the lease if it is still the version `etag`: 412 if it is
// not. RFC 9110 quotes an ETag in If-Match, and AWS S3 takes it so; Ceph
// RGW 16 matches only the bare hash. So a 412 is checked: if the lease is
// still that version, the server wants the other spelling, which is tried.
Result<net::HttpResponse> PutIfMatch(S3Requests& requests, const std::string& text,
                                     const std::string& etag) {
  const std::string key = requests.settings().Key(kLeaseName);
  std::string bare = etag;
  if (bare.size() >= 2 && bare.front() == '"' && bare.back() == '"') {
    bare = bare.substr(1, bare.size() - 2);
  }
  for (const std::string& form : {"\"" + bare + "\"", bare}) {
    S3Call put{.method = "PUT",
               .name = kLeaseName,
               .key = key,
               .headers = {{"If-Match", form}},
               .body = Bytes(text)};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests.Do(put));
    if (r.status != 412 || form == bare) return r;
    S3Call head{.method = "HEAD", .name = kLeaseName, .key = key};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse now, requests.Do(head));
    if (!now.success() || now.Header("ETag").value_or("") != etag) return r;
  }
  return Status::IOError("unreachable");
}

class S3Lease final : public TargetLock {
 public:
  S3Lease(S3Requests& requests, LeaseBody body, std::string etag, std::function<void()> on_lost)
      : requests_(requests),
        body_(std::move(body)),
        etag_(std::move(etag)),
        on_lost_(std::move(on_lost)),
        heartbeat_([this](std::stop_token stop) { Heartbeat(stop); }) {}

  ~S3Lease() override {
    heartbeat_.request_stop();
    heartbeat_.join();
    if (lost_) return;
    // If-Match: where the server honours it, never delete a lease someone
    // else has taken meanwhile.
    S3Call release{.method = "DELETE",
                   .name = kLeaseName,
                   .key = requests_.settings().Key(kLeaseName),
                   .headers = {{"If-Match", etag_}}};
    requests_.Do(release).status().IgnoreError();
  }

 private:
  void Heartbeat(std::stop_token stop) {
    const Seconds every = Seconds(std::max<int64_t>(1, body_.ttl_seconds / 3));
    while (requests_.clock().SleepFor(every, stop)) {
      const std::string text = Encode(body_, requests_.clock().Now());
      auto r = PutIfMatch(requests_, text, etag_);
      if (!r.ok()) continue;  // try again next time; the lease may yet hold
      if (r->status == 412 || r->status == 404) {
        lost_ = true;
        on_lost_();
        return;
      }
      if (auto etag = r->Header("ETag"); r->success() && etag) etag_ = *etag;
    }
  }

  S3Requests& requests_;
  LeaseBody body_;
  std::string etag_;  // of our last write; only the heartbeat thread writes it
  std::function<void()> on_lost_;
  bool lost_ = false;  // read after join
  std::jthread heartbeat_;
};

}  // namespace

Result<std::unique_ptr<TargetLock>> TakeS3Lease(S3Requests& requests, const std::string& owner,
                                                Seconds ttl, std::function<void()> on_lost) {
  std::random_device rd;
  char tag[17];
  std::snprintf(tag, sizeof tag, "%08x%08x", rd(), rd());
  const LeaseBody mine{owner + " " + tag, ttl.count()};
  const std::string key = requests.settings().Key(kLeaseName);
  const std::string target = requests.settings().Describe();

  // Writes the lease if there is none (no `if_match`) or if it is still
  // that version; its ETag if it is ours now, "" if someone else was first.
  auto write = [&](const std::string* if_match) -> Result<std::string> {
    const std::string text = Encode(mine, requests.clock().Now());
    S3Call put{.method = "PUT",
               .name = kLeaseName,
               .key = key,
               .headers = {{"If-None-Match", "*"}},
               .body = Bytes(text)};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, if_match == nullptr
                                                 ? requests.Do(put)
                                                 : PutIfMatch(requests, text, *if_match));
    if (r.status == 412) return std::string();
    if (!r.success()) return requests.Failure(put, r);
    auto etag = r.Header("ETag");
    if (!etag || etag->empty()) {
      return Status::IOError(target + ": PUT " + kLeaseName + ": the server sent no ETag");
    }
    // Read it back: on a server that ignored the condition, the last
    // writer is the one that holds it.
    S3Call get{.method = "GET", .name = kLeaseName, .key = key};
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse back, requests.Do(get, &body, kMaxLeaseBytes));
    if (!back.success() || Decode(body, ttl).owner != mine.owner) return std::string();
    return *etag;
  };
  auto held = [&](std::string etag) -> std::unique_ptr<TargetLock> {
    return std::make_unique<S3Lease>(requests, mine, std::move(etag), std::move(on_lost));
  };

  for (int attempt = 0; attempt < 3; ++attempt) {
    ZB_ASSIGN_OR_RETURN(std::string created, write(nullptr));
    if (!created.empty()) return held(created);
    S3Call get{.method = "GET", .name = kLeaseName, .key = key};
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests.Do(get, &body, kMaxLeaseBytes));
    if (r.status == 404) continue;  // released meanwhile: try again
    if (!r.success()) return requests.Failure(get, r);
    const LeaseBody theirs = Decode(body, ttl);
    auto date = ParseHttpDate(r.Header("Date").value_or(""));
    auto modified = ParseHttpDate(r.Header("Last-Modified").value_or(""));
    const auto etag = r.Header("ETag");
    if (!date.ok() || !modified.ok() || !etag) {
      return Status::IOError(target + ": GET " + kLeaseName +
                             ": the server sent no Date, Last-Modified or ETag to judge it by");
    }
    const auto age = std::chrono::duration_cast<Seconds>(*date - *modified);
    if (age.count() <= theirs.ttl_seconds) {
      return Status::Busy(target + " is locked by " + theirs.owner + " (lease renewed " +
                          std::to_string(std::max<int64_t>(0, age.count())) +
                          " s ago, expires in " + std::to_string(theirs.ttl_seconds - age.count()) +
                          " s); another ziti-backup is writing there");
    }
    // Expired: take it over, unless someone else just did.
    ZB_ASSIGN_OR_RETURN(std::string taken, write(&*etag));
    if (!taken.empty()) return held(taken);
  }
  return Status::Busy(target + ": another ziti-backup took the lease at the same moment");
}

}  // namespace zb::store
