#include "store/object_lease.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "store/http_text.h"

namespace zb::store {
namespace {

using Seconds = std::chrono::seconds;

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

class ObjectLease final : public TargetLock {
 public:
  ObjectLease(std::unique_ptr<LeaseStore> store, LeaseBody body, std::string etag,
              std::function<void()> on_lost)
      : store_(std::move(store)),
        body_(std::move(body)),
        etag_(std::move(etag)),
        on_lost_(std::move(on_lost)),
        heartbeat_([this](std::stop_token stop) { Heartbeat(stop); }) {}

  ~ObjectLease() override {
    heartbeat_.request_stop();
    heartbeat_.join();
    if (lost_) return;
    // Conditional: where the server honours it, never remove a lease someone
    // else has taken meanwhile.
    store_->Remove(etag_).IgnoreError();
  }

 private:
  void Heartbeat(std::stop_token stop) {
    const Seconds every = Seconds(std::max<int64_t>(1, body_.ttl_seconds / 3));
    while (store_->clock().SleepFor(every, stop)) {
      auto written = store_->Write(Encode(body_, store_->clock().Now()), &etag_);
      if (!written.ok()) continue;  // try again next time; the lease may yet hold
      if (written->empty()) {
        lost_ = true;
        on_lost_();
        return;
      }
      etag_ = *written;
    }
  }

  std::unique_ptr<LeaseStore> store_;
  LeaseBody body_;
  std::string etag_;  // of our last write; only the heartbeat thread writes it
  std::function<void()> on_lost_;
  bool lost_ = false;  // read after join
  std::jthread heartbeat_;
};

}  // namespace

Result<std::unique_ptr<TargetLock>> TakeLease(std::unique_ptr<LeaseStore> store,
                                              const std::string& owner, Seconds ttl,
                                              std::function<void()> on_lost) {
  std::random_device rd;
  char tag[17];
  std::snprintf(tag, sizeof tag, "%08x%08x", rd(), rd());
  const LeaseBody mine{owner + " " + tag, ttl.count()};
  const std::string target = store->Describe();

  // Writes the lease if there is none (no `if_match`) or if it is still
  // that version; its ETag if it is ours now, "" if someone else was first.
  auto write = [&](const std::string* if_match) -> Result<std::string> {
    ZB_ASSIGN_OR_RETURN(std::string etag,
                        store->Write(Encode(mine, store->clock().Now()), if_match));
    if (etag.empty()) return etag;
    // Read it back: on a server that ignored the condition, the last
    // writer is the one that holds it.
    ZB_ASSIGN_OR_RETURN(std::optional<LeaseCopy> back, store->Read());
    if (!back || Decode(back->text, ttl).owner != mine.owner) return std::string();
    return etag;
  };

  for (int attempt = 0; attempt < 3; ++attempt) {
    ZB_ASSIGN_OR_RETURN(std::string created, write(nullptr));
    if (!created.empty()) {
      return std::unique_ptr<TargetLock>(
          new ObjectLease(std::move(store), mine, std::move(created), std::move(on_lost)));
    }
    ZB_ASSIGN_OR_RETURN(std::optional<LeaseCopy> current, store->Read());
    if (!current) continue;  // released meanwhile: try again
    const LeaseBody theirs = Decode(current->text, ttl);
    if (theirs.owner == mine.owner && !current->etag.empty()) {
      // Our own write, whose answer was lost and whose retry then found it.
      return std::unique_ptr<TargetLock>(
          new ObjectLease(std::move(store), mine, current->etag, std::move(on_lost)));
    }
    auto date = ParseHttpDate(current->date);
    auto modified = ParseHttpDate(current->last_modified);
    if (!date.ok() || !modified.ok() || current->etag.empty()) {
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
    ZB_ASSIGN_OR_RETURN(std::string taken, write(&current->etag));
    if (!taken.empty()) {
      return std::unique_ptr<TargetLock>(
          new ObjectLease(std::move(store), mine, std::move(taken), std::move(on_lost)));
    }
  }
  return Status::Busy(target + ": another ziti-backup took the lease at the same moment");
}

}  // namespace zb::store
