// Snapshot ids and object names (spec §5): every name ziti-backup stores is
// built and parsed here, and nowhere else (leveldb's filename.cc).
//   id        <db-name>-<UTC YYYYMMDDTHHMMSSZ>      ctrl-ha-20260625T000436Z
//   manifest  <id>.json                             written last: the commit point
//   data      <id>.db[.zst][.age]                   a full snapshot's image
//   base      <id>.base-<chain>[.zst][.age]         the image an incremental chain starts from
//   pages     <id>.pages-<chain>[.zst][.age]        an incremental snapshot's page pack
// <chain> is 16 lowercase hex digits naming one chain: each target grows
// its own chain, so one run's packs in two targets differ, and the tag
// keeps their names apart when a copy brings one target's chain to the
// other.
// Ids sort by time within one DB name. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/civil_time.h"
#include "base/result.h"

namespace zb::repo {

struct SnapshotId {
  std::string db_name;  // "ctrl-ha"
  TimePoint created;    // whole seconds, UTC
  std::string ToString() const;
  bool operator==(const SnapshotId&) const = default;
};

// "ctrl-ha-20260625T000436Z" -> {ctrl-ha, 2026-06-25T00:04:36Z}.
// kInvalidArgument naming the text if it is not an id.
Result<SnapshotId> ParseSnapshotId(std::string_view text);

// The DB name for ids: the file's base name without ".db", with every
// character outside [A-Za-z0-9._-] replaced by '_' ("ctrl-ha.db" -> "ctrl-ha").
std::string DbNameFromPath(const std::string& path);

// Truncates to whole seconds.
SnapshotId MakeSnapshotId(const std::string& db_name, TimePoint created);

// kBase and kPages are the incremental format's (docs/incremental.md): any
// number of manifests may name them, so they are removed only when none
// does, never with the snapshot whose id they carry.
enum class ObjectKind { kManifest, kData, kBase, kPages };

struct ObjectName {
  SnapshotId id;
  ObjectKind kind = ObjectKind::kData;
  bool compressed = false;  // .zst
  bool encrypted = false;   // .age
  std::string chain;        // kBase, kPages: the chain's tag
  std::string ToString() const;
};

std::string ManifestName(const SnapshotId& id);
std::string DataName(const SnapshotId& id, bool compressed, bool encrypted);
std::string BaseName(const SnapshotId& id, const std::string& chain, bool compressed,
                     bool encrypted);
std::string PagesName(const SnapshotId& id, const std::string& chain, bool compressed,
                      bool encrypted);
// Whether `tag` is a chain's tag: 16 lowercase hex digits.
bool ValidChainTag(std::string_view tag);
// Parses any name above; kInvalidArgument for other names (locks, foreign files).
Result<ObjectName> ParseObjectName(std::string_view name);

}  // namespace zb::repo
