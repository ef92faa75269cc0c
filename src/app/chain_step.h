// ChainStep: what an incremental backup stores in one target
// (docs/incremental.md): a pack of the pages that changed since the chain
// head the host's state describes, or a new base when there is no usable
// state or the chain has grown past the rebase rule. PlanChainStep decides
// (and says why a base); with a usable state it reads the staged image
// once to hash its pages under the chain's key. A base starts a new chain
// with a new key, whose page hashes (HashImage) need not wait: the caller
// takes them beside the base's upload. The state file is written only
// after the manifest is stored (SaveChainState), so it is never ahead of
// the target.
// Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "env/env.h"
#include "repo/chain_state.h"
#include "repo/manifest.h"
#include "repo/rebase_rule.h"
#include "repo/repository.h"

namespace zb::app {

struct ChainStep {
  repo::SnapshotKind kind = repo::SnapshotKind::kBase;
  std::string reason;           // a base's: why the chain starts over
  repo::Manifest head;          // incremental: the parent
  std::vector<uint64_t> pages;  // incremental: the pages its pack holds
  // The state once this snapshot is stored: its key, its hashes (a base's:
  // still to be taken), with the head still to be filled in.
  repo::ChainState next;
  std::string image_sha256;  // incremental: of the staged image, read on the way
  std::string chain;         // the chain's tag, for its objects' names
};

struct ChainInputs {
  std::string state_path;
  std::string db;
  std::string target;  // Backend::Describe()
  uint32_t page_size = 0;
  std::string compression;              // the run's: "zstd" or "none"
  std::vector<std::string> recipients;  // the run's fingerprints
  repo::RebaseRule rule;
};

// The state file of `db` in `target`, in `dir`: one per pair, so several
// targets' chains and several DBs on one host never mix.
std::string ChainStatePath(const std::string& dir, const std::string& db,
                           const std::string& target);

// Errors only for what makes the backup itself impossible (the staged
// image cannot be read, no randomness for a key); a missing, damaged or
// stale state is a base with its reason.
Result<ChainStep> PlanChainStep(Env& env, repo::Repository& repo, const repo::Listing& listing,
                                RandomAccessFile& image, const ChainInputs& in);

// The keyed hash of every page of `image`; every byte read also goes to
// `also` when given (repo::HashPages).
Result<std::vector<repo::PageHash>> HashImage(RandomAccessFile& image, uint32_t page_size,
                                              const repo::PageHashKey& key,
                                              ByteSink* also = nullptr);

// Replaces the state file: temp, fsync, rename, 0600.
Status SaveChainState(Env& env, const std::string& path, const repo::ChainState& state);

}  // namespace zb::app
