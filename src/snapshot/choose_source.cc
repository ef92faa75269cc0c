#include "snapshot/choose_source.h"

#include "snapshot/cold_source.h"

namespace zb::snapshot {

Result<Method> ParseMethod(const std::string& text) {
  if (text == "auto") return Method::kAuto;
  if (text == "cold") return Method::kCold;
  if (text == "hot") return Method::kHot;
  if (text == "agent") return Method::kAgent;
  return Status::InvalidArgument("unknown snapshot method \"" + text +
                                 "\" (use auto, cold, hot or agent)");
}

Result<std::unique_ptr<Source>> ChooseSource(Env& env, Clock& clock, const std::string& db_path,
                                             const SourceOptions& options) {
  // Fail early and plainly when the DB is not there, whatever the method.
  ZB_ASSIGN_OR_RETURN(FileInfo info, env.Stat(db_path));
  if (info.is_dir) return Status::InvalidArgument(db_path + " is a directory, not a bbolt file");
  switch (options.method) {
    case Method::kCold:
      return std::unique_ptr<Source>(new ColdSource(env, db_path));
    case Method::kHot:
      return std::unique_ptr<Source>(new HotSource(env, clock, db_path, options.hot));
    case Method::kAgent:
      if (options.agent.argv_template.empty()) {
        return Status::InvalidArgument("--method agent needs an agent command (--agent-command)");
      }
      return std::unique_ptr<Source>(new AgentSource(env, options.agent, DirName(db_path)));
    case Method::kAuto:
      break;
  }
  auto lock = env.TryLock(db_path, LockMode::kShared);
  if (lock.ok()) return std::unique_ptr<Source>(new ColdSource(env, db_path, std::move(*lock)));
  if (lock.status().code() != Code::kBusy) return lock.status();
  if (!options.agent.argv_template.empty()) {
    // The controller may refuse (one snapshot-db per minute): then hot.
    return std::unique_ptr<Source>(
        new AgentSource(env, options.agent, DirName(db_path),
                        std::make_unique<HotSource>(env, clock, db_path, options.hot)));
  }
  return std::unique_ptr<Source>(new HotSource(env, clock, db_path, options.hot));
}

}  // namespace zb::snapshot
