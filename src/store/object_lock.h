// Object Lock: a target whose objects nobody can delete or overwrite for a
// while, not even with the credentials that wrote them (S3 Object Lock:
// AWS, MinIO, Ceph RGW, Wasabi, Backblaze B2). A host lost to an attacker
// can then neither destroy its backups nor make them unreadable until the
// lock of each runs out (docs/object-lock.md).
//
// The target's URL asks for it: object-lock=<duration> and, optionally,
// object-lock-mode=compliance (the default: nobody can shorten it) or
// governance (an account with s3:BypassGovernanceRetention can). Every
// object a backup writes is then locked until at least now + duration.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/civil_time.h"
#include "base/result.h"
#include "store/target_url.h"

namespace zb::store {

enum class RetentionMode { kCompliance, kGovernance };
// As S3 spells it: "COMPLIANCE", "GOVERNANCE".
std::string_view RetentionModeName(RetentionMode m);

struct LockPolicy {
  RetentionMode mode = RetentionMode::kCompliance;
  std::chrono::seconds duration{0};
  // Objects are locked an eighth longer than asked, so that the objects an
  // incremental chain shares are re-locked once in that eighth rather than
  // on every run.
  std::chrono::seconds margin() const { return duration / 8; }
  // The retain-until date of an object written or re-locked at `now`.
  TimePoint RetainUntil(TimePoint now) const;
  // "30d compliance", for messages.
  std::string ToString() const;
  bool operator==(const LockPolicy&) const = default;
};

// The lock a URL asks for (options object-lock and object-lock-mode);
// nullopt when it asks for none. kInvalidArgument saying what is accepted.
Result<std::optional<LockPolicy>> ParseLockPolicy(const TargetUrl& url);

// The lock of one stored object, as the store reports it.
struct LockState {
  std::string mode;                // "COMPLIANCE", "GOVERNANCE"; "" when none
  std::optional<TimePoint> until;  // the latest retain-until of its versions
  TimePoint server_now;            // the store's clock when it answered
  // Someone deleted it without a version (a delete marker hides it); the
  // locked version is still there, and ziti-backup reads through.
  bool hidden = false;
  // Judged by the store's clock, which is the one that enforces it.
  bool locked() const { return until.has_value() && *until > server_now; }
};

// What a target with Object Lock does beyond Backend. Thread-safe.
class ObjectLocks {
 public:
  virtual ~ObjectLocks() = default;
  virtual const LockPolicy& policy() const = 0;
  // OK when the bucket has Object Lock enabled; kInvalidArgument saying
  // how to make such a bucket when it has not (exit 2: nothing would be
  // protected).
  virtual Status CheckBucket() = 0;
  // The lock of object `name` (the version the target reads); kNotFound if
  // there is no such object.
  virtual Result<LockState> State(std::string_view name) = 0;
  // Removes every version of `name`, as Backend::Delete; when the store
  // refuses one because it is locked (someone else's version may be),
  // until when, instead of an error.
  virtual Result<std::optional<TimePoint>> RemoveUnlessLocked(std::string_view name) = 0;
  // Makes the version of `name` that the target reads locked until at
  // least `until`; a lock already longer stays.
  virtual Status Extend(std::string_view name, TimePoint until) = 0;
};

}  // namespace zb::store
