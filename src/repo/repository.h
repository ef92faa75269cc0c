// Repository: snapshots on top of one Backend (spec §5, §6). A snapshot is
// a data object plus its manifest; the manifest is written last and removed
// first, so at every moment a listed snapshot has complete data, and a crash
// can only leave data without a manifest (an orphan), which is not a
// snapshot and is cleaned up once no run can still be writing it.
//
// Nothing is ever removed on the strength of a field read from a stored
// object: the names a snapshot owns are derived from its id (<id>.json and
// <id>.db[.zst][.age]), and a manifest that cannot be read makes its
// snapshot damaged, never its data an orphan.
//
// The incremental format's objects (<id>.base.*, <id>.pages.*) are shared:
// any number of manifests may list them. They are removed by mark and
// sweep: only when no manifest left names them, and never while a manifest
// that cannot be read exists, since it could name anything. A manifest's
// list can only keep an object (docs/incremental.md).
//
// A manifest is written once and never changed in place, so List keeps the
// text of each manifest it read (by name, size and time of last change):
// a run that lists a target several times (the sequence, the prune, the
// catch-up) reads each manifest from an object store once.
// Thread-safe if the Backend is.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
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

// A snapshot whose manifest exists but cannot be read: a bit flip, a
// truncated write, a manifest that names data it does not own, or one of a
// newer format than this ziti-backup reads. Its objects are kept.
struct DamagedSnapshot {
  std::string id;
  std::string manifest;                   // the manifest's object name
  std::vector<std::string> data_objects;  // the id's data objects present
  Status why;
  bool newer_format = false;  // written by a newer ziti-backup: not damage
};

struct Listing {
  // In creation order, oldest first: by the manifests' sequence, then
  // creation time and id (manifests of versions without a sequence first).
  std::vector<SnapshotEntry> snapshots;
  std::vector<DamagedSnapshot> damaged;  // damaged and newer-format ones
  // Data objects of ids that have no manifest at all (left by a run that
  // died before its commit point), and objects of incremental chains that
  // no readable manifest names (when no damaged one exists).
  std::vector<store::ObjectInfo> orphans;
  // Every object of an incremental chain present, named or not.
  std::vector<store::ObjectInfo> chain_objects;
  // Objects whose names are not ziti-backup's: never touched.
  std::vector<store::ObjectInfo> foreign;

  // The sequence a new manifest in this target takes: after every one here.
  uint64_t NextSequence() const;
  // Damaged snapshots only (newer-format ones are not damage).
  size_t DamagedCount() const;
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
  // The manifest of `id`; kNotFound naming it, kCorruption if damaged.
  Result<Manifest> Load(const std::string& id);
  // Streams the data object of `m` into `out` (not finished).
  Status Fetch(const Manifest& m, ByteSink& out);
  // Streams object `name`, which snapshot `who` needs, into `out` (not
  // finished); a missing one is kCorruption naming both.
  Status FetchObject(const std::string& name, const std::string& who, ByteSink& out);
  // Removes the snapshot `id`: its manifest first, then every data object
  // name derived from the id. Never a name read from a stored object.
  Status Remove(const SnapshotId& id);
  // What a prune that removes the snapshots `dropped` may then delete, of
  // what changed last before `before`: the orphans, and the chain objects
  // that only dropped snapshots name. None of the latter while `l` holds a
  // damaged or newer-format manifest.
  static std::vector<store::ObjectInfo> Unneeded(const Listing& l,
                                                 const std::set<std::string>& dropped,
                                                 TimePoint before);
  // The text of manifest object `name` (<id>.json) as stored, read with a
  // size cap: what a copy to another target writes unchanged.
  Result<std::string> ReadManifest(const std::string& name);
  // The same as the last List read it, without reading it again; read from
  // the store when that List did not.
  Result<std::string> ListedManifest(const std::string& name);

 private:
  // The text of manifest `o`, from the cache when `o` has not changed.
  Result<std::string> ReadListedManifest(const store::ObjectInfo& o);

  store::Backend& backend_;
  std::mutex mu_;
  std::map<std::string, std::pair<store::ObjectInfo, std::string>> manifests_;  // guarded by mu_
};

// Every data object name an id can own, in the order Remove deletes them.
std::vector<std::string> DataNamesOf(const SnapshotId& id);

}  // namespace zb::repo
