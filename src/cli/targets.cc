#include "cli/targets.h"

#include <unistd.h>

#include <cstdlib>

#include "cli/retention_flags.h"
#include "store/open_backend.h"
#include "store/target_url.h"

namespace zb::cli {

std::string Hostname() {
  char buf[256] = {};
  return ::gethostname(buf, sizeof buf - 1) == 0 ? buf : "";
}

Result<Targets> OpenTargets(CommandContext& ctx, const std::string& given,
                            store::MissingDir missing) {
  std::string urls = given;
  if (urls.find_first_not_of(' ') == std::string::npos) {
    const char* home = std::getenv("ZITI_HOME");
    if (home == nullptr || *home == '\0') {
      return Status::InvalidArgument(
          "no target: set --target or ZITI_CTRL_BACKUP_TARGETS (or ZITI_HOME for "
          "file://$ZITI_HOME/backups)");
    }
    // As a URL: escape what ParseTargetUrl would read as syntax.
    urls = "file://";
    for (char c : std::string(home) + "/backups") {
      static const char kHex[] = "0123456789ABCDEF";
      if (c == '%' || c == '?' || c == '#' || c == ' ') {
        urls += {'%', kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
      } else {
        urls += c;
      }
    }
  }
  const store::OpenContext context{
      .env = ctx.env,
      .clock = ctx.clock,
      .missing = missing,
      .getenv = [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v == nullptr ? std::nullopt : std::optional<std::string>(v);
      },
      .owner = Hostname() + " pid " + std::to_string(ctx.env.Pid())};
  Targets t;
  for (size_t pos = 0; pos < urls.size();) {
    size_t end = urls.find(' ', pos);
    if (end == std::string::npos) end = urls.size();
    if (end > pos) {
      const std::string url = urls.substr(pos, end - pos);
      auto b = store::OpenBackend(context, url);
      if (!b.ok()) return b.status().WithContext("--target / ZITI_CTRL_BACKUP_TARGETS");
      auto own = TargetRetention(store::ParseTargetUrl(url)->retention);
      if (!own.ok()) {
        return own.status().WithContext("--target / ZITI_CTRL_BACKUP_TARGETS: " + (*b)->Describe());
      }
      if (*own) t.policies[b->get()] = **own;
      t.all.push_back(b->get());
      t.owned.push_back(std::move(b).value());
    }
    pos = end + 1;
  }
  return t;
}

const retention::Policy& Targets::PolicyOf(const store::Backend* b,
                                           const retention::Policy& flags) const {
  auto it = policies.find(b);
  return it == policies.end() ? flags : it->second;
}

Status CheckObjectLocks(const std::vector<store::Backend*>& targets) {
  for (store::Backend* b : targets) {
    if (b->locks() == nullptr) continue;
    Status s = b->locks()->CheckBucket();
    if (s.code() == Code::kInvalidArgument) return s;
  }
  return Status::OK();
}

Status NoSuchSnapshot(const std::string& id, const Targets& t) {
  std::string where = t.all.size() > 1 ? "any of " : "";
  for (size_t i = 0; i < t.all.size(); ++i) {
    where += (i > 0 ? ", " : "") + t.all[i]->Describe();
  }
  return Status::InvalidArgument("no snapshot " + id + " in " + where +
                                 " ('ziti-backup list' names the snapshots there)");
}

}  // namespace zb::cli
