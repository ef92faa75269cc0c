// How the daemon paces snapshots through the controller's agent: the
// controller makes at most one snapshot-db per minute, counted from the last
// one it made. The daemon remembers when the last run that used the agent
// ended (after the agent's call) and, for the next run:
//   method agent: waits until kAgentMinGap after that end;
//   method auto:  skips the agent this once (cold or hot instead).
// Measured on the steady clock: a wall clock that steps has no effect.
#pragma once

#include <optional>

#include "base/duration.h"
#include "snapshot/choose_source.h"

namespace zb::app {

// One minute, and a second for the controller's own rounding.
inline constexpr Duration kAgentMinGap = std::chrono::seconds(61);

struct AgentPace {
  bool use_agent = true;  // false: auto goes without the agent this run
  Duration wait{0};       // sleep this long before the run
};

// Whether a run with `method` asks the controller's agent first (`has_agent`:
// an agent command is configured).
bool UsesAgent(snapshot::Method method, bool has_agent);

// `has_agent`: an agent command is configured; `since_agent`: how long ago
// the last run that used the agent ended (nullopt: none has).
AgentPace PaceAgent(snapshot::Method method, bool has_agent, std::optional<Duration> since_agent);

}  // namespace zb::app
