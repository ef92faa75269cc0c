// Crontab files for `daemon --crontab` (spec §7), as Vixie cron / cronie
// read a user crontab:
//   # comment                      blank lines and comments are skipped
//   NAME=value                     environment for the lines below it
//   CRON_TZ=Europe/Berlin          time zone for the lines below it
//   0 * * * * backup.bash          five fields, then the command
//   @daily backup.bash --keep-last 7
//   @every 15m backup.bash
// The command is the rest of the line, for /bin/sh -c; '%' is not special
// (cron's stdin feature) and there is no user field (that is /etc/crontab's
// format). Values may be quoted with ' or ". A pure function of the text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"
#include "env/env.h"
#include "schedule/cron.h"

namespace zb::schedule {

struct CrontabEntry {
  int line = 0;      // 1-based line number, for logs ("crontab:3")
  std::string text;  // the line as written
  Schedule schedule;
  std::string command;
  std::vector<std::string> env;  // "NAME=value" in force for this line, in order
  Zone zone;                     // CRON_TZ in force, else the default zone
};

// kInvalidArgument naming the line: `line 3: schedule "*/0 * * * *": ...`,
// `line 5: CRON_TZ: unknown time zone "Mars/Base"`, `line 7: no command`.
// A crontab with no entries is refused too (a daemon that never runs).
Result<std::vector<CrontabEntry>> ParseCrontab(std::string_view text, const Zone& default_zone);

// ParseCrontab of the file at `path` (at most 1 MiB). Every error is
// kInvalidArgument (a missing or broken crontab is configuration) and its
// message starts with the path: `/etc/crontab: line 3: ...`.
Result<std::vector<CrontabEntry>> ReadCrontab(Env& env, const std::string& path,
                                              const Zone& default_zone);

}  // namespace zb::schedule
