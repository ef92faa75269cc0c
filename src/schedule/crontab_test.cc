#include "schedule/crontab.h"

#include <gtest/gtest.h>

namespace zb::schedule {
namespace {

TimePoint At(const char* t) { return *ParseRfc3339(t); }

TEST(CrontabTest, EntriesCarryTheEnvironmentAndZoneAboveThem) {
  auto entries = ParseCrontab(
      "# backups of the controller\n"
      "\n"
      "ZITI_CTRL_BACKUP_KEEP_LAST = 5\n"
      "  0 * * * *   /ziti-backup/backup.bash   \n"
      "CRON_TZ=Europe/Berlin\n"
      "ZITI_CTRL_BACKUP_TARGETS=\"file:///backups/daily file:///mnt/offsite\"\n"
      "ZITI_CTRL_BACKUP_KEEP_LAST=9\n"
      "30 2 * * sun backup.bash --keep-last 2 && echo '%done'\n"
      "@every 90s backup.bash\n",
      Zone::Utc());
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 3u);
  const CrontabEntry& hourly = (*entries)[0];
  EXPECT_EQ(hourly.line, 4);
  EXPECT_EQ(hourly.text, "0 * * * *   /ziti-backup/backup.bash");
  EXPECT_EQ(hourly.command, "/ziti-backup/backup.bash");
  EXPECT_EQ(hourly.env, std::vector<std::string>{"ZITI_CTRL_BACKUP_KEEP_LAST=5"});
  EXPECT_EQ(hourly.zone.name(), "UTC");
  EXPECT_EQ(FormatRfc3339(hourly.schedule.Next(At("2026-11-25T10:20:00Z"), hourly.zone)),
            "2026-11-25T11:00:00Z");

  const CrontabEntry& weekly = (*entries)[1];
  EXPECT_EQ(weekly.line, 8);
  EXPECT_EQ(weekly.command, "backup.bash --keep-last 2 && echo '%done'");
  EXPECT_EQ(weekly.env, (std::vector<std::string>{
                            "ZITI_CTRL_BACKUP_TARGETS=file:///backups/daily file:///mnt/offsite",
                            "ZITI_CTRL_BACKUP_KEEP_LAST=9"}));
  EXPECT_EQ(weekly.zone.name(), "Europe/Berlin");
  // Sunday 02:30 in Berlin (CET, UTC+1) is 01:30 UTC.
  EXPECT_EQ(FormatRfc3339(weekly.schedule.Next(At("2026-11-25T10:20:00Z"), weekly.zone)),
            "2026-11-29T01:30:00Z");

  const CrontabEntry& every = (*entries)[2];
  EXPECT_EQ(every.line, 9);
  EXPECT_EQ(every.schedule.expression(), "@every 90s");
  EXPECT_EQ(every.command, "backup.bash");
}

TEST(CrontabTest, MacrosTakeOneWordAndFieldsFive) {
  auto entries =
      ParseCrontab("@daily a b\n@hourly\tc\n*/15 1-3 1,15 jan-jun mon-fri d e f\n", Zone::Utc());
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].schedule.expression(), "@daily");
  EXPECT_EQ((*entries)[0].command, "a b");
  EXPECT_EQ((*entries)[1].command, "c");
  EXPECT_EQ((*entries)[2].schedule.expression(), "*/15 1-3 1,15 jan-jun mon-fri");
  EXPECT_EQ((*entries)[2].command, "d e f");
}

TEST(CrontabTest, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"# nothing\n\nA=1\n",
       "invalid argument: no jobs: every line is empty, a comment or NAME=value"},
      {"0 * * * *\n", "invalid argument: line 1: no command after the schedule \"0 * * * *\""},
      {"@hourly   \n", "invalid argument: line 1: no command after the schedule \"@hourly\""},
      {"\n*/0 * * * * x\n",
       "invalid argument: line 2: schedule \"*/0 * * * *\": minute field \"*/0\": step 0 at "
       "character 3"},
      {"0 * * * * a\nCRON_TZ=Mars/Base\n",
       "invalid argument: line 2: CRON_TZ: unknown time zone \"Mars/Base\" (use a zoneinfo name "
       "like UTC or Europe/Berlin)"},
      {"@every x backup\n", nullptr},
      {"@fortnightly backup\n", nullptr},
  };
  for (const Case& c : cases) {
    auto r = ParseCrontab(c.text, Zone::Utc());
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    if (c.error != nullptr) {
      EXPECT_EQ(r.status().ToString(), c.error);
    } else {
      EXPECT_EQ(r.status().message().rfind("line 1: schedule ", 0), 0u) << r.status().ToString();
    }
  }
}

// A crontab file: read and parsed; a missing or broken one is a
// configuration error whose message starts with the path.
TEST(CrontabTest, ReadCrontabNamesTheFileInEveryError) {
  auto env = NewPosixEnv();
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/zb-crontab-test";
  auto missing = ReadCrontab(*env, dir + "/zb-no-such-crontab", Zone::Utc());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(missing.status().message(), dir + "/zb-no-such-crontab: open " + dir +
                                            "/zb-no-such-crontab: No such file or directory");
  {
    auto f = env->Create(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->WriteAt(0, AsBytes("@daily backup.bash\n61 * * * * x\n")).ok());
  }
  auto broken = ReadCrontab(*env, path, Zone::Utc());
  env->Remove(path).IgnoreError();
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(broken.status().message().rfind(path + ": line 2: schedule \"61 * * * *\": minute", 0),
            0u)
      << broken.status().message();
}

}  // namespace
}  // namespace zb::schedule
