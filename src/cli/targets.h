// The targets a command works on: --target / ZITI_CTRL_BACKUP_TARGETS
// (space-separated URLs), else file://$ZITI_HOME/backups. Shared by every
// command that reads or writes a target.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "retention/policy.h"
#include "store/backend.h"
#include "store/local_backend.h"

namespace zb::cli {

struct Targets {
  std::vector<std::unique_ptr<store::Backend>> owned;
  std::vector<store::Backend*> all;
  // The targets with their own retention (keep-* in the URL).
  std::map<const store::Backend*, retention::Policy> policies;
  // The policy of `b`: its own, else `flags`.
  const retention::Policy& PolicyOf(const store::Backend* b, const retention::Policy& flags) const;
};

// `missing`: what a local target does when its directory does not exist
// (store::MissingDir): kFail for commands that only read.
Result<Targets> OpenTargets(CommandContext& ctx, const std::string& urls,
                            store::MissingDir missing);

// For the commands that write (backup, daemon, prune, copy's --to): each
// target with object-lock= must be a bucket with Object Lock enabled, else
// kInvalidArgument (exit 2) saying how to make one. A target that cannot be
// asked (unreachable) is not judged here: its run fails as it would anyway.
Status CheckObjectLocks(const std::vector<store::Backend*>& targets);

// The error of `verify ID` and `restore ID` when no target holds snapshot
// `id`: a usage error (exit 2), since the command line names something that
// is not there; it names every target looked in.
Status NoSuchSnapshot(const std::string& id, const Targets& t);

// This machine's name ("" if it has none): for manifests and leases.
std::string Hostname();

}  // namespace zb::cli
