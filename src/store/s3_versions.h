// S3Versions: a bucket with Object Lock (which is always versioned) as
// ziti-backup reads and cleans it.
//
// ziti-backup writes each name once, so the oldest version of a name is the
// one it wrote: anything newer came from someone else (an attacker's
// overwrite), and a delete marker only hides it (an attacker's plain
// DELETE, or `aws s3 rm --recursive`). So a listing goes through delete
// markers and names the oldest version of each name, and reads fetch that
// version. Removing an object removes every version and marker, which the
// store refuses for a version still locked. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/backend.h"
#include "store/object_lock.h"
#include "store/s3_requests.h"
#include "store/s3_xml.h"

namespace zb::store {

// Pages through ListObjectVersions under key prefix `prefix` (delimited at
// '/' when `delimit`; each request in one attempt when `once`), calling
// `each` for every version and delete marker in listed order; an error
// from `each` stops it and is returned.
Status ForEachVersion(S3Requests& requests, const std::string& prefix, bool delimit, bool once,
                      const std::function<Status(S3Version&)>& each);

class S3Versions {
 public:
  explicit S3Versions(S3Requests& requests) : requests_(requests) {}

  // The objects whose names start with `prefix`, sorted by name, each as
  // its oldest version; names with no version but delete markers are gone.
  Result<std::vector<ObjectInfo>> List(std::string_view prefix);
  // The id of the version of `name` that is read; kNotFound if none.
  Result<std::string> ReadVersion(const std::string& name);
  // Removes every version and delete marker of `name`; ok if there is none.
  // When the store refuses a version because it is locked: until when (the
  // versions removed before it stay removed).
  Result<std::optional<TimePoint>> RemoveAll(const std::string& name);
  // RemoveAll, with a refusal as an error naming the date.
  Status DeleteAll(const std::string& name);
  // The lock of the version of `name` that is read.
  Result<LockState> State(const std::string& name);
  Status Extend(const std::string& name, RetentionMode mode, TimePoint until);
  // Locks version `version` of `name` (the current one if ""), as Extend.
  Status LockVersion(const std::string& name, const std::string& version, RetentionMode mode,
                     TimePoint until);
  Status CheckBucket(const LockPolicy& policy);

 private:
  // What a name's versions come to: the one read (the oldest with data),
  // and whether the newest of all is a delete marker. However many
  // versions someone piled on a name, only these are kept.
  struct Versions {
    S3Version read;
    bool hidden = false;
  };
  // The names under the key prefix `full` that have a version with data.
  Result<std::map<std::string, Versions>> ListAll(const std::string& full);
  // The versions of `name`: as the last listing saw them, else listed now.
  Result<Versions> Lookup(const std::string& name);
  // The lock of version `version` of `name` (the current one if "") by a
  // HEAD: no `until` when it has no retain-until.
  Result<LockState> Head(const std::string& name, const std::string& version);
  std::string Describe() const { return requests_.settings().Describe(); }

  S3Requests& requests_;
  std::mutex mu_;
  std::map<std::string, Versions> seen_;  // guarded by mu_
};

}  // namespace zb::store
