// Source: one way of producing a consistent image of a bbolt file (cold,
// hot or agent, spec §4). A Source only fills `out` with pages; the common
// finishing (meta rewrite, scrub, check, atomic commit) is WriteSnapshot's.
// Sources are single-use and not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/page_set.h"
#include "base/result.h"
#include "bolt/meta.h"
#include "env/env.h"

namespace zb::snapshot {

// Files a run keeps beside the DB while it works (the agent's snapshot,
// backup's staged copy where it needs a name) start with this and our pid,
// ".ziti-backup-<pid>-...", so a later run can remove those of a dead run.
inline constexpr std::string_view kRunFilePrefix = ".ziti-backup-";

// "<dir>/.ziti-backup-<pid>-<what>.db": a run file of process `pid`.
inline std::string RunFileName(const std::string& dir, int pid, const std::string& what) {
  return dir + "/" + std::string(kRunFilePrefix) + std::to_string(pid) + "-" + what + ".db";
}

// What a Source leaves in its output file: pages [0, meta.pgid) hold a
// consistent image of the transaction `meta` committed (meta pages aside,
// which WriteSnapshot rewrites from `meta`).
struct Image {
  bolt::Meta meta;
  uint32_t page_size = 0;
  // Pages free in `meta`'s freelist, sorted; empty when the freelist is not
  // persisted (NoFreelistSync).
  std::vector<bolt::Pgid> free_pages;
  std::string method;  // "cold", "hot" or "agent"
  int attempts = 1;
  // Pages the source wrote as zeroes (free pages scrubbed while copying);
  // WriteSnapshot zeroes only the free pages not in it.
  PageSet zeroed;
  // Set when the DB's newest meta page was damaged and `meta` is the
  // transaction before it (see meta_fallback.h).
  std::optional<bolt::MetaFallback> meta_fallback = std::nullopt;
};

class Source {
 public:
  virtual ~Source() = default;
  virtual Result<Image> Take(WritableFile& out) = 0;

  // Whether to write free pages as zeroes while copying (--no-scrub turns
  // it off and keeps their old contents). WriteSnapshot sets it.
  void ScrubWhileCopying(bool on) { scrub_ = on; }

 protected:
  bool scrub_ = true;
};

}  // namespace zb::snapshot
