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
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "bolt/page.h"
#include "testutil/bolt_image.h"
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

// Peak RSS allowed for one command on a hostile file: 64 MiB, or 768 MiB
// under AddressSanitizer, whose shadow memory and quarantine of freed
// blocks come on top (the unbounded cases took GiBs).
#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxRssKib = 768 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr long kMaxRssKib = 768 * 1024;
#else
constexpr long kMaxRssKib = 64 * 1024;
#endif
#else
constexpr long kMaxRssKib = 64 * 1024;
#endif

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

namespace zb {
namespace {

// The damages beyond bbolt's own check and the hostile numbers, each with
// the exact lines `check` must print (their page ids and offsets come from
// the damage's description, which names them). Every command stays within
// 64 MiB on them, and `inspect` fails where `check` does.
class CorpusExactTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const std::string ziti = *dir_ / "ziti.db", wide = *dir_ / "wide.db";
    ASSERT_EQ(
        RunBoltgen({"gen", "--out", ziti, "--size", "2MiB", "--churn", "--seed", "7"}).exit_code,
        0);
    ASSERT_EQ(RunBoltgen({"gen", "--out", wide, "--size", "1MiB", "--shape", "wide", "--seed", "7"})
                  .exit_code,
              0);
    std::filesystem::create_directory(*dir_ / "out");
    auto c = RunBoltgen({"corrupt", "--in", ziti, "--in", wide, "--out-dir", *dir_ / "corpus"});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    for (const auto& d : ParseCorpusList(c.out)) {
      const std::string name = d.file.substr(d.file.find('-') + 1);
      damages_[name.substr(0, name.size() - 3)] = {*dir_ / "corpus/" + d.file, d.description};
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    damages_.clear();
  }

  struct File {
    std::string path;
    std::string description;
  };
  static const File& Get(const std::string& name) {
    auto it = damages_.find(name);
    if (it == damages_.end()) throw std::runtime_error("no damage " + name);
    return it->second;
  }
  // The numbers of `re` in the damage's description.
  static std::vector<std::string> Numbers(const File& f, const std::string& re) {
    std::smatch m;
    if (!std::regex_search(f.description, m, std::regex(re))) {
      ADD_FAILURE() << "description \"" << f.description << "\" does not match " << re;
      return std::vector<std::string>(8, "?");
    }
    return std::vector<std::string>(m.begin() + 1, m.end());
  }
  static RunResult Check(const File& f) {
    auto r = testing::RunZb({"check", f.path});
    EXPECT_EQ(r.exit_code, 3) << f.path << "\n" << r.out << r.err;
    EXPECT_LE(r.max_rss_kib, kMaxRssKib) << f.path;
    return r;
  }
  static std::string Size(const File& f) {
    return std::to_string(std::filesystem::file_size(f.path));
  }

  static TempDir* dir_;
  static std::map<std::string, File> damages_;
};

TempDir* CorpusExactTest::dir_ = nullptr;
std::map<std::string, CorpusExactTest::File> CorpusExactTest::damages_;

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n') + 1); }

// Before: a bad_alloc after allocating many GiB (2^40), a page set whose
// size wrapped to nothing (2^64-1).
TEST_F(CorpusExactTest, AHighWaterMarkPastTheFileIsOneFinding) {
  for (const char* name : {"metas-pgid-huge", "metas-pgid-max"}) {
    const File& f = Get(name);
    auto n = Numbers(f, "set to ([0-9]+) .*the file has ([0-9]+) pages");
    EXPECT_EQ(Check(f).out, "page " + n[1] + ": high-water mark " + n[0] +
                                " pages is beyond the file's size of " + n[1] + " pages (" +
                                Size(f) + " bytes)\n");
  }
}

TEST_F(CorpusExactTest, APageSizePastBboltsRangeIsNotTrusted) {
  const File& f = Get("metas-pagesize-256mib");
  EXPECT_EQ(Check(f).out, "page 0: " + f.path + ": not a bbolt file (no valid meta page; size " +
                              Size(f) +
                              " bytes; the meta page at offset 0 says page size 268435456, "
                              "outside bbolt's range of 1024 to 16777216)\n");
}

TEST_F(CorpusExactTest, AFreelistLongerThanAnyListOfTheFilesPagesIsNotRead) {
  const File& f = Get("freelist-overflow-covers-file");
  auto n = Numbers(f, "freelist page ([0-9]+): overflow 0 -> ([0-9]+)");
  EXPECT_EQ(FirstLine(Check(f).out), "page " + n[0] + ": freelist overflow of " + n[1] +
                                         " pages is more than a list of every page in the file "
                                         "needs\n");
}

// Before: every key compared in full with the one before it, 480 GB of
// comparisons for this 8 MiB page (a minute on a test machine).
TEST_F(CorpusExactTest, OverlappingKeysAreOneFindingNotAComparisonEach) {
  const File& f = Get("leaf-elements-overlap-quadratic");
  auto n = Numbers(
      f, "leaf page ([0-9]+) appended.*element 1's key and value are bytes ([0-9]+)\\.\\.([0-9]+)");
  const std::string line = "page " + n[0] + ": leaf element 1's key and value (bytes " + n[1] +
                           ".." + n[2] +
                           " of the page) overlap element 0's; from it on, the page's "
                           "elements are not walked\n";
  EXPECT_NE(Check(f).out.find(line), std::string::npos) << line;
}

TEST_F(CorpusExactTest, ElementLayoutsBboltNeverWrites) {
  {
    const File& f = Get("leaf-element-overlaps-previous");
    auto n = Numbers(f, "leaf page ([0-9]+): .* at bytes ([0-9]+)\\.\\.([0-9]+) of the page");
    EXPECT_EQ(Check(f).out, "page " + n[0] + ": leaf element 2's key and value (bytes " + n[1] +
                                ".." + n[2] +
                                " of the page) overlap element 1's; from it on, the page's "
                                "elements are not walked\n");
  }
  {
    const File& f = Get("leaf-element-overlaps-headers");
    auto n = Numbers(f,
                     "leaf page ([0-9]+): .*\\(bytes 16\\.\\.([0-9]+)\\), at bytes "
                     "([0-9]+)\\.\\.([0-9]+) of the page");
    EXPECT_EQ(Check(f).out, "page " + n[0] + ": leaf element 1's key and value (bytes " + n[2] +
                                ".." + n[3] +
                                " of the page) overlap the element headers (bytes 16.." + n[1] +
                                "); from it on, the page's elements are not walked\n");
  }
  {
    const File& f = Get("leaf-element-gap");
    auto n = Numbers(f,
                     "leaf page ([0-9]+): element ([0-9]+)'s .* to bytes ([0-9]+)\\.\\.[0-9]+ of "
                     "the page \\(a gap after element ([0-9]+)'s, which end at byte ([0-9]+)\\)");
    EXPECT_EQ(Check(f).out, "page " + n[0] + ": leaf element " + n[1] +
                                "'s key and value start at byte " + n[2] +
                                " of the page, not at byte " + n[4] + " right after element " +
                                n[3] + "'s (bbolt writes them back to back)\n");
  }
  {
    const File& f = Get("branch-element-overlaps-previous");
    auto n = Numbers(f, "branch page ([0-9]+): .* at bytes ([0-9]+)\\.\\.([0-9]+) of the page");
    EXPECT_EQ(Check(f).out, "page " + n[0] + ": branch element 2's key (bytes " + n[1] + ".." +
                                n[2] +
                                " of the page) overlaps element 1's; the page's keys are not "
                                "compared\n");
  }
}

TEST_F(CorpusExactTest, FlagBitsBboltDoesNotDefine) {
  {
    const File& f = Get("leaf-element-flags-unknown");
    auto n = Numbers(f, "leaf page ([0-9]+):");
    EXPECT_EQ(Check(f).out, "page " + n[0] +
                                ": leaf element 1 has flags 0x4, with bits bbolt does not "
                                "define (0x4)\n");
  }
  {
    const File& f = Get("leaf-flags-extra-bit");
    auto n = Numbers(f, "leaf page ([0-9]+) \\(referenced from page ([0-9]+)\\)");
    EXPECT_EQ(Check(f).out, "page " + n[0] +
                                ": page flags 0x42 have bits bbolt does not define (0x40), "
                                "expected branch or leaf" +
                                (n[1] == "0" ? "" : " (from page " + n[1] + ")") + "\n");
  }
  {
    const File& f = Get("freelist-flags-unknown-bit");
    auto n = Numbers(f, "freelist page ([0-9]+):");
    EXPECT_EQ(
        FirstLine(Check(f).out),
        "page " + n[0] + ": freelist page flags 0x90 have bits bbolt does not define (0x80)\n");
  }
  EXPECT_EQ(Check(Get("metas-flags-set")).out,
            "page 0: meta flags 0x1 are not 0 (bbolt defines none)\n"
            "page 1: meta flags 0x1 are not 0 (bbolt defines none)\n");
  EXPECT_EQ(Check(Get("metas-page-flags-unknown")).out,
            "page 0: meta page flags 0x44 have bits bbolt does not define (0x40)\n"
            "page 1: meta page flags 0x44 have bits bbolt does not define (0x40)\n");
}

TEST_F(CorpusExactTest, JsonNamesTheNewKinds) {
  auto kinds = [](const File& f) {
    auto r = testing::RunZb({"check", "--json", f.path});
    EXPECT_EQ(r.exit_code, 3);
    std::set<std::string> k;
    const auto j = nlohmann::json::parse(r.out);  // outlives the loop
    for (const auto& x : j["findings"]) k.insert(x["kind"].get<std::string>());
    return k;
  };
  EXPECT_EQ(kinds(Get("leaf-element-overlaps-previous")),
            std::set<std::string>{"overlapping-elements"});
  EXPECT_EQ(kinds(Get("leaf-element-gap")), std::set<std::string>{"noncontiguous-elements"});
  EXPECT_EQ(kinds(Get("metas-flags-set")), std::set<std::string>{"unknown-flags"});
  EXPECT_EQ(kinds(Get("metas-pgid-huge")), std::set<std::string>{"truncated"});
}

// Before: inspect printed its numbers, warned, and exited 0.
TEST_F(CorpusExactTest, InspectFailsWhereCheckDoes) {
  const File& f = Get("leaf-element-gap");
  auto r = testing::RunZb({"inspect", f.path});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("page size    4096\n"), std::string::npos) << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("txid +([0-9]+)"))) << r.out;
  EXPECT_EQ(r.err, "ziti-backup: corruption: " + f.path + ": 1 structural finding (txid " +
                       m[1].str() + "); the numbers may be incomplete (run 'ziti-backup check " +
                       f.path + "')\n");
  auto j = testing::RunZb({"inspect", "--json", f.path});
  EXPECT_EQ(j.exit_code, 3);
  EXPECT_EQ(nlohmann::json::parse(j.out)["findings"], 1);
}

// Every command that reads a DB stays small on the hostile files; snapshot
// refuses them with exit 3 and writes nothing.
TEST_F(CorpusExactTest, CheckInspectAndSnapshotStaySmallAndRefuseHostileFiles) {
  for (const char* name : {"metas-pgid-huge", "metas-pgid-max", "metas-pagesize-256mib",
                           "freelist-overflow-covers-file", "leaf-elements-overlap-quadratic"}) {
    const File& f = Get(name);
    for (std::vector<std::string> args :
         {std::vector<std::string>{"check", f.path},
          {"inspect", f.path},
          {"snapshot", "--method", "cold", f.path, *dir_ / "out/snap.db"},
          {"snapshot", "--method", "hot", "--hot-attempts", "1", f.path, *dir_ / "out/snap.db"}}) {
      auto r = testing::RunZb(args);
      EXPECT_EQ(r.exit_code, 3) << name << " " << args[0] << ": " << r.err;
      EXPECT_LE(r.max_rss_kib, kMaxRssKib) << name << " " << args[0];
      EXPECT_EQ(testing::ListDir(*dir_ / "out"), std::vector<std::string>{}) << name;
    }
  }
  const File& f = Get("metas-pgid-huge");
  auto n = Numbers(f, "the file has ([0-9]+) pages");
  for (const char* method : {"cold", "hot"}) {
    auto r = testing::RunZb({"snapshot", "--method", method, f.path, *dir_ / "out/snap.db"});
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.err, m, std::regex("\\(txid ([0-9]+)\\)"))) << r.err;
    EXPECT_EQ(r.err, "ziti-backup: corruption: " + f.path +
                         ": high-water mark 1099511627776 pages (txid " + m[1].str() +
                         ") is beyond the file's size of " + n[0] + " pages (" + Size(f) +
                         " bytes)\n");
  }
}

}  // namespace
}  // namespace zb

namespace zb {
namespace {

// 1000 buckets nested inline in one another, each named by 4000 bytes, in
// a 4 MiB leaf: bbolt never writes buckets inside inline ones, but nothing
// in the format forbids them. The walk copied each inline page into its
// frame (one copy per level) and inspect kept every bucket's full path:
// depth * name bytes each, about 2 GB for this 4 MiB file.
TEST(HostileFileTest, DeeplyNestedBucketsWithLongNamesStaySmall) {
  constexpr int kDepth = 1000;
  constexpr size_t kName = 4000;
  // Innermost first: an inline page is a leaf header, one bucket element,
  // its name, then the bucket header and the inline page of the next level.
  std::vector<std::byte> page(16);
  bolt::EncodePageHeader(bolt::PageHeader{0, bolt::kLeafPageFlag, 0, 0}, page);
  for (int level = kDepth; level >= 1; --level) {
    std::vector<std::byte> value(16);  // bucket header: root 0 (inline), sequence 0
    value.insert(value.end(), page.begin(), page.end());
    std::vector<std::byte> outer(32);
    bolt::EncodePageHeader(bolt::PageHeader{0, bolt::kLeafPageFlag, 1, 0}, outer);
    StoreLE<uint32_t>(outer, 16, bolt::kBucketLeafFlag);
    StoreLE<uint32_t>(outer, 20, 16);  // pos: right after the element
    StoreLE<uint32_t>(outer, 24, kName);
    StoreLE<uint32_t>(outer, 28, static_cast<uint32_t>(value.size()));
    outer.insert(outer.end(), kName, static_cast<std::byte>('a' + level % 26));
    outer.insert(outer.end(), value.begin(), value.end());
    page = std::move(outer);
  }
  // The root bucket's leaf (page 3) is the outermost page, with its id and
  // enough overflow pages to hold it.
  const uint64_t pages =
      (page.size() + testing::BoltImage::kPageSize - 1) / testing::BoltImage::kPageSize;
  testing::BoltImage img(3 + pages);
  img.meta.pgid = 3 + pages;
  img.WriteMetas();
  std::copy(page.begin(), page.end(), img.Page(3, pages).begin());
  bolt::EncodePageHeader(
      bolt::PageHeader{3, bolt::kLeafPageFlag, 1, static_cast<uint32_t>(pages - 1)}, img.Page(3));
  TempDir dir;
  const std::string db = dir / "nested.db";
  testing::WriteFileOrDie(
      db, std::string(reinterpret_cast<const char*>(img.bytes.data()), img.bytes.size()));

  auto check = testing::RunZb({"check", db});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_LE(check.max_rss_kib, kMaxRssKib);
  auto inspect = testing::RunZb({"inspect", "--depth", "0", db});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_LE(inspect.max_rss_kib, kMaxRssKib);
  EXPECT_NE(inspect.out.find("keys         0 in 1000 buckets (nested up to 1000 deep)\n"),
            std::string::npos)
      << inspect.out.substr(0, 2000);
}

}  // namespace
}  // namespace zb
