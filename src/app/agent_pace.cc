#include "app/agent_pace.h"

#include <algorithm>

namespace zb::app {

AgentPace PaceAgent(snapshot::Method method, bool has_agent, std::optional<Duration> since_agent) {
  const bool agent_run =
      method == snapshot::Method::kAgent || (method == snapshot::Method::kAuto && has_agent);
  if (!agent_run || !since_agent || *since_agent >= kAgentMinGap) return {};
  if (method == snapshot::Method::kAuto) return {.use_agent = false};
  return {.wait = kAgentMinGap - std::max(Duration(0), *since_agent)};
}

}  // namespace zb::app
