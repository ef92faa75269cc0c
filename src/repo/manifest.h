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

struct ZitiInfo {
  std::optional<int64_t> raft_index;
  std::optional<std::string> cluster_id;
  std::map<std::string, uint64_t> entities;
  bool operator==(const ZitiInfo&) const = default;
};

struct Manifest {
  int format = kManifestFormat;
  std::string id;           // "ctrl-ha-20260625T000436Z"
  TimePoint created;        // whole seconds
  std::string data_object;  // "ctrl-ha-20260625T000436Z.db.zst"
  std::string source;       // the DB path the snapshot was taken from
  std::string method;       // cold, hot, agent
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
// missing, and for a format newer than this ziti-backup reads.
Result<Manifest> ParseManifest(std::string_view json, std::string_view object);

}  // namespace zb::repo
