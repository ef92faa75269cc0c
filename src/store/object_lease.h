// The writer lock of an object-store target: a lease object, since object
// stores have no flock. ".ziti-backup.lease" under the prefix (a dot-name,
// never listed) holds its owner (host, pid, a random tag) and how long it
// lasts. The holder renews it every third of that time; one that is not
// renewed in time has expired, and anyone may take it over. A killed run
// therefore blocks the target for at most one lease time, never forever.
//
// Ages are judged by the server's clock alone (the Date of a response minus
// the lease's Last-Modified), so hosts with skewed clocks agree.
// Two live runs never write together where the server has conditional
// writes (AWS S3, Ceph RGW, MinIO, R2, Azure Blob): the lease is created
// only if there is none (If-None-Match: *) and renewed or taken over only
// if it is still the version last seen (If-Match on its ETag), so of two
// racing writers exactly one wins. A run that finds its lease taken (it
// stalled past the lease time) stops writing: `on_lost` is called and the
// target's writes fail from then on. On a server that ignores If-Match on
// PUT, a takeover race can let two runs both believe they won; the lease is
// read back after taking it, which narrows that to two requests' time.
//
// The store's side is LeaseStore, a few conditional requests on one object,
// so that S3 (s3_lease.h) and Azure Blob (azure_lease.h) share the rules.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "env/clock.h"
#include "store/backend.h"

namespace zb::store {

inline constexpr char kLeaseName[] = ".ziti-backup.lease";

// The lease object as the server last stored it.
struct LeaseCopy {
  std::string text;
  std::string etag;           // as the server sent it, quotes included
  std::string date;           // the response's Date header
  std::string last_modified;  // the object's Last-Modified header
};

// One target's lease object, through conditional requests. Implementations
// turn their service's answers into these outcomes; errors name the target
// and the request, and are ready to show.
class LeaseStore {
 public:
  virtual ~LeaseStore() = default;
  // The target, for messages: "s3://bucket/prefix".
  virtual std::string Describe() const = 0;
  virtual Clock& clock() = 0;
  // Writes `text` as the lease: if there is none when `if_match` is null,
  // else if it is still the version *if_match. Its new ETag if written; ""
  // if the condition failed (a lease is there, or it changed or went away).
  virtual Result<std::string> Write(const std::string& text, const std::string* if_match) = 0;
  // The lease, or nullopt if there is none (kMaxLeaseBytes at most).
  virtual Result<std::optional<LeaseCopy>> Read() = 0;
  // Removes the lease if it is still version `etag`, in one attempt: a
  // lease left behind only makes the next run wait out its expiry.
  virtual Status Remove(const std::string& etag) = 0;
};

// A lease bigger than this is not ours: reading stops there.
inline constexpr uint64_t kMaxLeaseBytes = 64 << 10;

// Takes the lease of `store`'s target. kBusy naming the holder and when its
// lease runs out if another live run holds it. `owner` says who we are
// ("host pid 123"); a random tag is added so that two processes can never
// mistake each other. The returned lock owns `store`, renews the lease
// until destroyed, then removes it.
Result<std::unique_ptr<TargetLock>> TakeLease(std::unique_ptr<LeaseStore> store,
                                              const std::string& owner, std::chrono::seconds ttl,
                                              std::function<void()> on_lost);

}  // namespace zb::store
