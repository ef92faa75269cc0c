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

inline constexpr int kManifestFormat = 1;
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

struct Manifest {
  int format = kManifestFormat;
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
  std::optional<ZitiInfo> ziti;  // OpenZiti controller DBs only
  bool operator==(const Manifest&) const = default;
};

std::string ManifestToJson(const Manifest& m);
// kCorruption naming `object` and the field for anything malformed or
// missing, for a text over kMaxManifestBytes or nested deeper than a
// manifest is, and for a data_object that is not the one name its id and
// encoding give (so nothing read from a manifest can point at another
// snapshot's data or a foreign file), and for a format newer than this
// ziti-backup reads.
Result<Manifest> ParseManifest(std::string_view json, std::string_view object);

// The format a manifest's text declares, when it is a JSON object with a
// whole-number "format" (whatever else is wrong with it): how a manifest of
// a newer ziti-backup is told from a damaged one.
std::optional<int64_t> DeclaredFormat(std::string_view json);

}  // namespace zb::repo
