// SnapshotVerifier: the check a snapshot must pass before it counts, for
// snapshot::WriteSnapshot: bolt::Check finds nothing and the copy holds the
// txid the source reported. Given `ziti`, the same walk also reads the
// OpenZiti summary (backup puts it in the manifest).
#pragma once

#include <optional>

#include "bolt/ziti_summary.h"
#include "env/env.h"
#include "snapshot/write_snapshot.h"

namespace zb::app {

snapshot::Verifier SnapshotVerifier(Env& env, std::optional<bolt::ZitiSummary>* ziti = nullptr);

}  // namespace zb::app
