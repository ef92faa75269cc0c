// Repository: snapshots on top of one Backend (spec §5, §6). A snapshot is
// a data object plus its manifest; the manifest is written last and removed
// first, so at every moment a listed snapshot has complete data, and a crash
// can only leave data without a manifest (an orphan), which is not a
// snapshot and is cleaned up once it is older than a day.
// Thread-safe if the Backend is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/stream.h"
#include "repo/manifest.h"
#include "repo/snapshot_id.h"
#include "store/backend.h"

namespace zb::repo {

struct SnapshotEntry {
  Manifest manifest;
  uint64_t manifest_size = 0;
};

struct Listing {
  std::vector<SnapshotEntry> snapshots;  // oldest first (ids sort by time)
  // Manifests that could not be read: named with the reason. They are not
  // snapshots; `list` shows them as damaged, `verify` fails on them.
  std::vector<std::pair<std::string, Status>> damaged;
  // Data objects with no manifest, and objects that are not ours.
  std::vector<store::ObjectInfo> orphans;
};

class Repository {
 public:
  explicit Repository(store::Backend& backend) : backend_(backend) {}

  store::Backend& backend() { return backend_; }

  // Puts the data object, then the manifest (the commit point).
  Status Store(const Manifest& m, ByteSource& data);
  // The same in two steps, for a writer that learns the manifest's
  // checksums while the data goes up: PutData, then Commit.
  Status PutData(const std::string& data_object, ByteSource& data);
  Status Commit(const Manifest& m);
  Result<Listing> List();
  // The manifest of `id`; kNotFound naming it.
  Result<Manifest> Load(const std::string& id);
  // Streams the data object of `m` into `out` (not finished).
  Status Fetch(const Manifest& m, ByteSink& out);
  // Removes the manifest, then the data object.
  Status Remove(const Manifest& m);
  // Data objects without a manifest whose last change is before `before`.
  std::vector<store::ObjectInfo> OrphansOlderThan(const Listing& l, TimePoint before) const;

 private:
  store::Backend& backend_;
};

}  // namespace zb::repo
