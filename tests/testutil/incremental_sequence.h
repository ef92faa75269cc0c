// A randomized, seeded sequence of steps on an incremental target: real
// bbolt changes to the DB, incremental backups, prunes with random
// retention policies, a lost chain state, a stale one (a run that died
// between its manifest and its state). Time is a fake clock that moves
// minutes to days per step, so hourly, daily and monthly retention all
// act. After every step, every kept snapshot restores byte for byte to the
// image a full backup of the same DB state gave (in `full`, through the
// full-snapshot path), and `chain` holds nothing that no kept snapshot
// names. Failures are gtest failures, with the step and what it did.
// Shared by the local and the object storage tests.
#pragma once

#include <string>
#include <vector>

#include "codec/age_key.h"
#include "store/backend.h"

namespace zb::testing {

struct SequenceOptions {
  unsigned seed = 1;
  int steps = 300;
  std::vector<codec::PublicKey> recipients;  // none: not encrypted
  std::vector<codec::SecretKey> identities;
};

// `dir`: a scratch directory of the test's own (the DB, the chain state).
void RunIncrementalSequence(const std::string& dir, store::Backend& chain, store::Backend& full,
                            const SequenceOptions& options);

}  // namespace zb::testing
