// Backend: a dumb object store, names to bytes (spec §5; restic's backend,
// litestream's replica client). It knows nothing of snapshots, manifests or
// encryption; src/repo builds those on top. Every implementation passes the
// one conformance suite in tests/testutil/backend_conformance.h.
// Implementations are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"
#include "base/stream.h"
#include "store/object_lock.h"

namespace zb::store {

struct ObjectInfo {
  std::string name;
  uint64_t size = 0;
  TimePoint modified;
  bool operator==(const ObjectInfo&) const = default;
};

// A held lock on a target; released when destroyed.
class TargetLock {
 public:
  virtual ~TargetLock() = default;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Stores `data` under `name`, replacing any object of that name. Atomic:
  // readers and List see the old object or the complete new one, never a
  // part; a failed Put leaves no trace. `data` is rewound before use, so a
  // wrapper may call Put again to retry.
  virtual Status Put(std::string_view name, ByteSource& data) = 0;
  // Writes the object's bytes into `out` (without finishing it). kNotFound
  // naming the object if there is none.
  virtual Status Get(std::string_view name, ByteSink& out) = 0;
  // The objects whose names start with `prefix`, sorted by name.
  virtual Result<std::vector<ObjectInfo>> List(std::string_view prefix) = 0;
  // Removes the object; ok if it is already gone.
  virtual Status Delete(std::string_view name) = 0;
  // The target as an operator wrote it, for messages: "file:///backups".
  virtual std::string Describe() const = 0;
  // Takes the target's writer lock without waiting: kBusy naming the target
  // if another ziti-backup holds it. Released when the returned object is
  // destroyed. Default: nothing to lock (a nullptr lock).
  virtual Result<std::unique_ptr<TargetLock>> TryLock() { return std::unique_ptr<TargetLock>(); }
  // Removes what interrupted Puts left behind (never listed as objects)
  // that was last changed before `before`; returns how many. Default: none.
  virtual Result<uint64_t> RemoveStaleTemporaries(TimePoint before) { return uint64_t{0}; }
  // The target's Object Lock (store/object_lock.h); nullptr when it has
  // none, which is the default.
  virtual ObjectLocks* locks() { return nullptr; }
};

// Object names are flat: 1..200 of [A-Za-z0-9._-], not starting with '.'
// (names starting with '.' are reserved for temp files). kInvalidArgument
// naming the name otherwise.
Status ValidateObjectName(std::string_view name);

}  // namespace zb::store
