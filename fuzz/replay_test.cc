// Replays every committed fuzz input, the seeds in fuzz/corpus/<target>/
// and the inputs that once crashed in fuzz/regressions/<target>/, through
// the same entry points the libFuzzer targets call, here built with g++:
// a bug the fuzzer found stays fixed in ctest. An entry aborts on a
// violated property, which fails this test; each input is named on stderr
// before it runs, so the failing one is the last name printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <vector>

#include "fuzz/entries.h"

namespace zb::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Inputs(const std::string& folder, const std::string& target) {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(ZB_SOURCE_DIR) / "fuzz" / folder / target;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename() != ".gitkeep") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class FuzzReplayTest : public ::testing::TestWithParam<Target> {};

}  // namespace

// How gtest names a parameter in its output.
void PrintTo(const Target& t, std::ostream* os) { *os << t.name; }

namespace {

TEST_P(FuzzReplayTest, CorpusAndRegressionsPass) {
  const Target& t = GetParam();
  const auto seeds = Inputs("corpus", t.name);
  EXPECT_FALSE(seeds.empty()) << "no seed corpus in fuzz/corpus/" << t.name;
  auto files = seeds;
  for (auto& f : Inputs("regressions", t.name)) files.push_back(f);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    ASSERT_TRUE(in) << f;
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replaying %s\n", f.c_str());
    t.run(ByteSpan(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()));
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplayTest,
                         ::testing::ValuesIn(Targets().begin(), Targets().end()),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace zb::fuzz
