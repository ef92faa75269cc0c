// Manifest: what a stored snapshot is (spec §5), as JSON. The manifest is
// written after the data object and is the commit point: data without a
// manifest is not a snapshot. It records everything needed to verify the
// data object and to restore it without ziti-backup (compression and
// encryption are standard zstd and age). Recipient fingerprints only, never
// keys. Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"

namespace zb::repo {

// A full snapshot's manifest says format 1, which every version reads and
// prunes. Incremental chains' manifests say 2: a version that does not know
// them lists them and leaves them alone (docs/incremental.md).
inline constexpr int kFullManifestFormat = 1;
inline constexpr int kChainManifestFormat = 2;
// The newest format this version reads.
inline constexpr int kManifestFormat = kChainManifestFormat;
// Manifests are a few KiB; anything larger is damage or hostile, and is not
// read into memory.
inline constexpr uint64_t kMaxManifestBytes = 1 << 20;
// The highest creation sequence a manifest may carry: far beyond any real
// count, and leaves room to add one without overflow.
inline constexpr uint64_t kMaxSequence = uint64_t{1} << 53;

struct ZitiInfo {
  std::optional<int64_t> raft_index;
  std::optional<std::string> cluster_id;
  std::map<std::string, uint64_t> entities;
  bool operator==(const ZitiInfo&) const = default;
};

// The live file's newest meta page was damaged, so the snapshot holds the
// transaction before it (what bbolt itself would open).
struct MetaFallback {
  uint64_t damaged_txid = 0;  // what the damaged meta page claims
  uint64_t used_txid = 0;     // the transaction the snapshot holds
  std::string reason;         // why the newest meta was rejected
  bool operator==(const MetaFallback&) const = default;
};

// full: its data object is the whole image. base: the same, named so that
// incremental snapshots may keep needing it after it is pruned.
// incremental: a page pack over the chain its objects list.
enum class SnapshotKind { kFull, kBase, kIncremental };
std::string_view KindName(SnapshotKind k);

enum class ObjectRole { kFull, kBase, kPages };

// One object a snapshot needs, as its manifest lists it. Every object of a
// chain has the encoding of the manifest that lists it (a change of
// compression or recipients starts a new chain), so its name says how to
// decode it.
struct StoredObject {
  std::string name;
  ObjectRole role = ObjectRole::kFull;
  uint64_t stored_size = 0;
  std::string stored_sha256;
  uint64_t plain_size = 0;
  // A pack's: the page count and txid of the image it was made for, which
  // its header repeats.
  uint64_t page_count = 0;
  uint64_t txid = 0;
  bool operator==(const StoredObject&) const = default;
};

// The Object Lock this manifest's own object was written with, in the
// target that wrote it (store/object_lock.h): its retain-until is at least
// `until`. It can only keep a snapshot longer, never remove one sooner.
struct ManifestLock {
  std::string mode;  // "COMPLIANCE" or "GOVERNANCE"
  TimePoint until;
  bool operator==(const ManifestLock&) const = default;
};

struct Manifest {
  int format = kFullManifestFormat;
  SnapshotKind kind = SnapshotKind::kFull;
  // Creation order in the target: one more than every manifest the target
  // held when this one was written. Orders snapshots whatever the clock
  // did; 0 in manifests of versions before it existed (ordered first).
  uint64_t sequence = 0;
  std::string id;           // "ctrl-ha-20260625T000436Z"
  TimePoint created;        // whole seconds
  std::string data_object;  // "ctrl-ha-20260625T000436Z.db.zst"
  std::string source;       // the DB path the snapshot was taken from
  std::string method;       // cold, hot, agent
  int attempts = 1;         // copies the method needed (hot retries)
  std::optional<MetaFallback> meta_fallback;
  uint32_t page_size = 0;
  uint64_t txid = 0;
  uint64_t high_water = 0;  // pages
  uint64_t plain_size = 0;
  std::string plain_sha256;  // of the bbolt file
  uint64_t stored_size = 0;
  std::string stored_sha256;  // of the data object as stored
  std::string compression;    // "zstd" or "none"
  int compression_level = 0;
  std::vector<std::string> recipients;  // age recipient fingerprints; empty: not encrypted
  double duration_seconds = 0;
  std::string tool_version;
  std::string host;
  std::optional<ZitiInfo> ziti;      // OpenZiti controller DBs only
  std::optional<ManifestLock> lock;  // written to a target with object-lock=
  // Base and incremental: the tag of the chain, which every object's
  // name carries (snapshot_id.h).
  std::string chain;
  // Incremental only: the snapshot its pack was computed against.
  std::string parent;
  // Base and incremental: every object a restore needs, base first, then
  // each pack oldest first; the last is data_object. Empty for a full one.
  std::vector<StoredObject> objects;
  bool operator==(const Manifest&) const = default;
};

// What a restore, a verify or a copy of `m` reads: its objects, or its one
// data object for a full snapshot (plain_size is the image's).
std::vector<StoredObject> ObjectsOf(const Manifest& m);

std::string ManifestToJson(const Manifest& m);
// kCorruption naming `object` and the field for anything malformed or
// missing, for a text over kMaxManifestBytes or nested deeper than a
// manifest is, and for a data_object that is not the one name its id and
// encoding give (so nothing read from a manifest can point at another
// snapshot's data or a foreign file), and for a format newer than this
// ziti-backup reads. The objects of a chain are checked the same way: each
// name is the one its id, role and the manifest's encoding give, the last
// is data_object with its sizes and hash, and every size is one its role
// can have.
Result<Manifest> ParseManifest(std::string_view json, std::string_view object);

// The format a manifest's text declares, when it is a JSON object with a
// whole-number "format" (whatever else is wrong with it): how a manifest of
// a newer ziti-backup is told from a damaged one.
std::optional<int64_t> DeclaredFormat(std::string_view json);

}  // namespace zb::repo
