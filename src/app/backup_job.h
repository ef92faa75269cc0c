// RunBackup: the `backup` use case (spec §2, §5, §6): one consistent
// snapshot of the DB, checked, then streamed to every target (sha256 ->
// zstd -> age -> sha256 in one pass, data object first, manifest last as the
// commit point), then retention in each target the snapshot reached.
// A target that failed is not pruned; orphaned data objects older than a
// day are removed. Every step is one log event. Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/log.h"
#include "base/civil_time.h"
#include "base/duration.h"
#include "codec/age_key.h"
#include "env/clock.h"
#include "env/env.h"
#include "repo/rebase_rule.h"
#include "retention/policy.h"
#include "snapshot/choose_source.h"
#include "store/backend.h"

namespace zb::app {

struct BackupOptions {
  std::string db;
  snapshot::SourceOptions source;
  int zstd_level = 3;  // 0: store uncompressed
  // age recipients: every stored object is encrypted to all of them (a host
  // that backs up holds only these public keys). None: not encrypted.
  std::vector<codec::PublicKey> recipients;
  retention::Policy policy = retention::Policy::Default();
  // The targets with their own retention (keep-* in the URL), which prune
  // them instead of `policy`.
  std::map<const store::Backend*, retention::Policy> target_policies;
  Zone zone = Zone::Utc();
  std::string work_dir;  // where the snapshot is staged; empty: the DB's directory
  std::string tool_version;
  std::string host;
  // When a target is locked by another run: wait for it (polling) instead
  // of failing with kBusy.
  bool wait = false;
  // Page-level increments (docs/incremental.md): each target gets a pack
  // of the pages that changed since its chain head, or a new base with a
  // backup.full event saying why.
  bool incremental = false;
  // Where the per-target chain state is kept; empty: the work directory.
  std::string state_dir;
  repo::RebaseRule rebase;
};

struct TargetOutcome {
  std::string target;  // Describe()
  Status status;
  uint64_t removed = 0;  // snapshots pruned
  int caught_up = 0;     // snapshots it missed, copied from another target
};

struct BackupOutcome {
  std::string id;
  uint64_t txid = 0;
  std::optional<int64_t> raft_index;
  std::string method;
  uint64_t plain_bytes = 0;
  uint64_t stored_bytes = 0;  // in the first target that took it
  Duration elapsed{0};
  std::vector<TargetOutcome> targets;
  int succeeded() const;
};

// kInvalidArgument for a bad policy or level; the snapshot's error if no
// snapshot could be taken. Otherwise an outcome: the caller decides between
// ok, partial (exit 5) and failed from its targets.
Result<BackupOutcome> RunBackup(Env& env, Clock& clock, const std::vector<store::Backend*>& targets,
                                const BackupOptions& options, Log& log);

}  // namespace zb::app
