// The structural check a snapshot must pass before it is committed, built
// from bolt::Check for snapshot::WriteSnapshot.
#pragma once

#include "env/env.h"
#include "snapshot/write_snapshot.h"

namespace zb::cli {

snapshot::Verifier MakeSnapshotVerifier(Env& env);

}  // namespace zb::cli
