// Randomized, seeded sequences of backups, changes, prunes with random
// policies and lost or stale chain states on a local incremental target,
// in the clear and encrypted (testutil/incremental_sequence.h says what
// each step checks). ZB_RANDOM_SEED replays one seed.
#include <gtest/gtest.h>

#include <cstdlib>

#include "store/local_backend.h"
#include "testutil/age.h"
#include "testutil/incremental_sequence.h"
#include "testutil/run.h"

namespace zb {
namespace {

class IncrementalRandomTest : public ::testing::TestWithParam<std::tuple<unsigned, bool>> {};

TEST_P(IncrementalRandomTest, EveryKeptSnapshotRestoresAfterEveryStep) {
  const auto [param_seed, encrypted] = GetParam();
  testing::SequenceOptions o;
  o.seed = param_seed;
  if (const char* s = std::getenv("ZB_RANDOM_SEED")) o.seed = static_cast<unsigned>(std::atoi(s));
  SCOPED_TRACE("seed " + std::to_string(o.seed));
  if (encrypted) {
    const testing::AgeKeys keys = testing::NewAgeKeys();
    o.recipients = {keys.pub};
    o.identities = {keys.secret};
    o.steps = 150;
  }
  testing::TempDir dir;
  auto env = NewPosixEnv();
  store::LocalBackend chain(*env, dir / "chain"), full(*env, dir / "full");
  testing::RunIncrementalSequence(dir.path(), chain, full, o);
}

INSTANTIATE_TEST_SUITE_P(Seeds, IncrementalRandomTest,
                         ::testing::Values(std::tuple(1u, false), std::tuple(2u, false),
                                           std::tuple(3u, false), std::tuple(4u, true)),
                         [](const auto& info) {
                           return "Seed" + std::to_string(std::get<0>(info.param)) +
                                  (std::get<1>(info.param) ? "Age" : "");
                         });

}  // namespace
}  // namespace zb
