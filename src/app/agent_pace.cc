#include "app/agent_pace.h"

#include <algorithm>

namespace zb::app {

bool UsesAgent(snapshot::Method method, bool has_agent) {
  return method == snapshot::Method::kAgent || (method == snapshot::Method::kAuto && has_agent);
}

AgentPace PaceAgent(snapshot::Method method, bool has_agent, std::optional<Duration> since_agent) {
  if (!UsesAgent(method, has_agent) || !since_agent || *since_agent >= kAgentMinGap) return {};
  if (method == snapshot::Method::kAuto) return {.use_agent = false};
  return {.wait = kAgentMinGap - std::max(Duration(0), *since_agent)};
}

}  // namespace zb::app
