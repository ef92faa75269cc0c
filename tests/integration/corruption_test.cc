// `ziti-backup check` against the corruption corpus: `boltgen corrupt` damages
// two clean DBs written by the real bbolt in 50+ ways (meta, branch, leaf and
// freelist pages, truncation, page ids past the end, cycles, pages reached
// twice, unsorted keys, wrong page types, bad element offsets and overflow
// counts). Our check must report every damaged file (exit 3, findings on
// stdout) and never crash, hang or read out of bounds: scripts/test.sh runs
// this test again under ASan + UBSan. bbolt's own verdict (`boltgen check`)
// is shown beside ours when a file is missed. bbolt lays pages out in a
// different order on each run (it spills sub-buckets in map order), so the
// damaged page ids differ from run to run; each description names them.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <regex>
#include <sstream>

#include "testutil/run.h"

namespace zb {
namespace {

using namespace std::chrono_literals;
using testing::RunBoltgen;
using testing::RunResult;
using testing::TempDir;

// One line of `boltgen corrupt`'s output: "<file name> <description>".
struct Damage {
  std::string file;
  std::string description;
};

std::vector<Damage> ParseCorpusList(const std::string& out) {
  std::vector<Damage> damages;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    auto space = line.find(' ');
    if (space == std::string::npos) continue;
    damages.push_back({line.substr(0, space), line.substr(space + 1)});
  }
  return damages;
}

// The first `max_lines` lines of `text`, and how many more there were.
std::string Head(const std::string& text, int max_lines = 8) {
  std::istringstream in(text);
  std::string line, head;
  int n = 0;
  while (std::getline(in, line)) {
    if (n++ < max_lines) head += "    " + line + "\n";
  }
  if (n > max_lines) head += "    ... (" + std::to_string(n - max_lines) + " more lines)\n";
  return head;
}

bool TimedOut(const RunResult& r) {
  return r.err.find("[test harness: timed out]") != std::string::npos;
}

bool HasSanitizerReport(const std::string& err) {
  return err.find("Sanitizer") != std::string::npos ||
         err.find("runtime error:") != std::string::npos;
}

// Findings are printed one per line on stdout, each naming a page id.
// Returns how many lines do, and the first non-empty line that does not.
std::pair<int, std::string> FindingLines(const std::string& out) {
  static const std::regex kNamesPage("\\bpage [0-9]+");
  std::istringstream in(out);
  std::string line, odd;
  int n = 0;
  while (std::getline(in, line)) {
    if (std::regex_search(line, kNamesPage)) {
      ++n;
    } else if (odd.empty() && line.find_first_not_of(" \t") != std::string::npos) {
      odd = line;
    }
  }
  return {n, odd};
}

std::string Describe(const std::string& who, const RunResult& r) {
  std::string verdict = TimedOut(r) ? "did not finish" : "exit " + std::to_string(r.exit_code);
  return who + " (" + verdict + "):\n  stdout:\n" + Head(r.out) + "  stderr:\n" + Head(r.err);
}

// bbolt follows a cycle of page pointers for ever: its verdict on a file is
// only waited for this long. Ours must always finish.
constexpr auto kBboltTimeout = 5s;
constexpr auto kCheckTimeout = 60s;

TEST(CorruptionCorpusTest, CheckReportsEveryDamagedFileAndNeverCrashes) {
  TempDir dir;
  const std::string ziti = dir / "ziti.db", wide = dir / "wide.db", corpus = dir / "corpus";
  // ziti shape with churn: branch pages, nested and inline buckets, overflow
  // values, a multi-id freelist. wide: a three-level tree, for the cycle
  // through two levels.
  auto gen_ziti = RunBoltgen({"gen", "--out", ziti, "--size", "2MiB", "--churn", "--seed", "7"});
  ASSERT_EQ(gen_ziti.exit_code, 0) << gen_ziti.err;
  auto gen_wide =
      RunBoltgen({"gen", "--out", wide, "--size", "1MiB", "--shape", "wide", "--seed", "7"});
  ASSERT_EQ(gen_wide.exit_code, 0) << gen_wide.err;

  for (const auto& base : {ziti, wide}) {
    auto bbolt = testing::PeerCheckFile(base);
    EXPECT_EQ(bbolt.exit_code, 0) << base << ":\n" << bbolt.raw;
    auto ours = testing::Run({testing::ZbPath(), "check", base}, kCheckTimeout);
    EXPECT_EQ(ours.exit_code, 0) << base << ":\n" << Describe("ziti-backup check", ours);
    EXPECT_FALSE(HasSanitizerReport(ours.err)) << ours.err;
  }

  auto corrupt = RunBoltgen({"corrupt", "--in", ziti, "--in", wide, "--out-dir", corpus});
  ASSERT_EQ(corrupt.exit_code, 0) << corrupt.err;
  auto damages = ParseCorpusList(corrupt.out);
  ASSERT_GE(damages.size(), 50u) << corrupt.out;
  ASSERT_EQ(testing::ListDir(corpus).size(), damages.size()) << corrupt.out;

  int bbolt_errors = 0, bbolt_refused = 0, bbolt_clean = 0, bbolt_unfinished = 0, missed = 0;
  for (const auto& d : damages) {
    const std::string path = corpus + "/" + d.file;
    auto bbolt = testing::Run({testing::BoltgenPath(), "check", path}, kBboltTimeout);
    auto ours = testing::Run({testing::ZbPath(), "check", path}, kCheckTimeout);
    if (TimedOut(bbolt)) {
      ++bbolt_unfinished;
    } else if (bbolt.exit_code == 1) {
      ++bbolt_errors;
    } else if (bbolt.exit_code == 2) {
      ++bbolt_refused;
    } else {
      ++bbolt_clean;
    }
    const std::string context =
        "file: " + path + " (kept if ZB_KEEP_TEMP is set)\ndamage: " + d.description + "\n" +
        Describe("bbolt (boltgen check)", bbolt) + Describe("ziti-backup check", ours);
    EXPECT_FALSE(TimedOut(ours)) << context;
    EXPECT_FALSE(HasSanitizerReport(ours.err)) << context;
    EXPECT_EQ(ours.exit_code, 3) << context;
    if (ours.exit_code == 3) {
      auto [findings, odd] = FindingLines(ours.out);
      EXPECT_GE(findings, 1) << "no finding naming a page on stdout\n" << context;
      EXPECT_EQ(odd, "") << "a stdout line that names no page\n" << context;
    }
    missed += ours.exit_code != 3;
  }
  std::cout << damages.size() << " damaged files; ziti-backup check missed " << missed
            << "; bbolt: " << bbolt_errors << " with errors, " << bbolt_refused
            << " refused to open, " << bbolt_clean
            << " clean (one meta damaged: bbolt uses the other), " << bbolt_unfinished
            << " did not finish within " << kBboltTimeout.count() << "s (cycles)\n";
}

}  // namespace
}  // namespace zb

namespace zb {
namespace {

// The check walks a clean file on several threads and walks again on one
// when it finds anything, so a damaged file's report never depends on
// timing: the same lines in the same order on every run.
TEST(CorruptionReportTest, SameReportOnEveryRun) {
  testing::TempDir dir;
  const std::string db = dir / "ziti.db", wide = dir / "wide.db", corpus = dir / "corpus";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db, "--size", "2MiB", "--churn", "--seed", "7"})
                .exit_code,
            0);
  ASSERT_EQ(testing::RunBoltgen(
                {"gen", "--out", wide, "--size", "1MiB", "--shape", "wide", "--seed", "7"})
                .exit_code,
            0);
  std::filesystem::create_directory(corpus);
  auto c = testing::RunBoltgen({"corrupt", "--in", db, "--in", wide, "--out-dir", corpus});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  int compared = 0;
  for (const auto& name : testing::ListDir(corpus)) {
    if (name.find("twice") == std::string::npos && name.find("cycle") == std::string::npos &&
        name.find("same") == std::string::npos && name.find("shared") == std::string::npos &&
        name.find("listed") == std::string::npos) {
      continue;
    }
    const std::string file = corpus + "/" + name;
    auto first = testing::RunZb({"check", file});
    EXPECT_EQ(first.exit_code, 3) << name;
    for (int i = 0; i < 4; ++i) {
      auto again = testing::RunZb({"check", file});
      EXPECT_EQ(again.out, first.out) << name;
    }
    ++compared;
  }
  EXPECT_GE(compared, 3);
}

}  // namespace
}  // namespace zb
