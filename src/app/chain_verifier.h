// VerifyChains: the snapshots of incremental chains in one target checked
// as a restore would check them, reading each stored object once per run
// (docs/incremental.md, "verify"). A restore reads a chain newest first;
// verify instead rebuilds it forwards: the base's image, then each pack's
// pages written over it (and the file cut to that pack's image), so after
// each object the file is the image of the snapshot that object completes,
// which is checked there (SHA-256 against its manifest, bbolt's structure,
// the txid). The snapshots' object lists form a tree (a branch is a chain
// that went on from an older head); it is walked depth first, and where
// it branches the image is copied for each branch but the last, so no
// object is read twice.
//
// Without an identity for an encrypted chain, hash_only checks each
// object's stored size and SHA-256, once, and each snapshot fails with the
// first of its objects that does not match. Either way a missing or
// damaged object fails exactly the snapshots that list it.
// Not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "codec/age_key.h"
#include "env/env.h"
#include "repo/repository.h"

namespace zb::app {

struct ChainCheck {
  std::string scratch_dir;  // a directory of our own for the image being rebuilt
  std::span<const codec::SecretKey> identities;
  bool hash_only = false;
  // Run on the rebuilt image of each snapshot that passed (verify
  // --restore-test takes bbolt's lock on it).
  std::function<Status(const std::string& path)> also;
};

// The verdict for each snapshot in `snapshots` (base or incremental), by
// id. Errors that are not about the data (the target cannot be read) are
// verdicts too, with their own codes.
std::map<std::string, Status> VerifyChains(Env& env, repo::Repository& repo,
                                           const std::vector<repo::Manifest>& snapshots,
                                           const ChainCheck& check);

}  // namespace zb::app
