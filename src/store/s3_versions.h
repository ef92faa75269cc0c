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

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/backend.h"
#include "store/object_lock.h"
#include "store/s3_requests.h"
#include "store/s3_xml.h"

namespace zb::store {

class S3Versions {
 public:
  explicit S3Versions(S3Requests& requests) : requests_(requests) {}

  // The objects whose names start with `prefix`, sorted by name, each as
  // its oldest version; names with no version but delete markers are gone.
  Result<std::vector<ObjectInfo>> List(std::string_view prefix);
  // The id of the version of `name` that is read; kNotFound if none.
  Result<std::string> ReadVersion(const std::string& name);
  // Removes every version and delete marker of `name`; ok if there is none.
  Status DeleteAll(const std::string& name);
  Result<LockState> State(const std::string& name);
  Status Extend(const std::string& name, RetentionMode mode, TimePoint until);
  // Locks version `version` of `name` (the current one if ""), as Extend.
  Status LockVersion(const std::string& name, const std::string& version, RetentionMode mode,
                     TimePoint until);
  Status CheckBucket(const LockPolicy& policy);

 private:
  // One name's versions: those with data, newest first, and whether the
  // newest of all is a delete marker.
  struct Versions {
    std::vector<S3Version> data;
    bool hidden = false;
  };
  // Every version under the key prefix `full`, by object name.
  Result<std::map<std::string, Versions>> ListAll(const std::string& full, bool markers_too,
                                                  std::vector<S3Version>* raw);
  // The versions of `name`: as the last listing saw them, else listed now.
  Result<Versions> Lookup(const std::string& name);
  std::string Describe() const { return requests_.settings().Describe(); }

  S3Requests& requests_;
  std::mutex mu_;
  std::map<std::string, Versions> seen_;  // guarded by mu_
};

}  // namespace zb::store
