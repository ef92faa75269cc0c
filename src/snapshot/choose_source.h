// Picks the snapshot method (spec §4): cold, hot, agent, or auto = cold if
// the DB's lock is free, else agent if a command is configured (hot when
// the agent cannot make a file, see AgentSource), else hot.
#pragma once

#include <memory>
#include <string>

#include "env/clock.h"
#include "snapshot/agent_source.h"
#include "snapshot/hot_source.h"
#include "snapshot/source.h"

namespace zb::snapshot {

enum class Method { kAuto, kCold, kHot, kAgent };

// "auto", "cold", "hot", "agent"; anything else is kInvalidArgument naming it.
Result<Method> ParseMethod(const std::string& text);

struct SourceOptions {
  Method method = Method::kAuto;
  AgentOptions agent;  // agent.argv_template empty: no agent configured
  HotOptions hot;
};

Result<std::unique_ptr<Source>> ChooseSource(Env& env, Clock& clock, const std::string& db_path,
                                             const SourceOptions& options);

}  // namespace zb::snapshot
