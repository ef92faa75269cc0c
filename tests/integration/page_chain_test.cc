// The incremental format's pieces (docs/incremental.md) end to end on real
// bbolt files, before any command uses them: snapshots of a DB that real
// bbolt changed between them, their keyed page hashes, packs of the pages
// that changed, and each snapshot's image rebuilt from the first snapshot
// (the base) and the chain of packs after it, newest first: byte for byte
// the snapshot, and bbolt's own check passes on it.
#include <gtest/gtest.h>

#include "bolt/file.h"
#include "env/env.h"
#include "repo/chain_state.h"
#include "repo/image_assembler.h"
#include "repo/page_hashes.h"
#include "repo/page_pack.h"
#include "testutil/run.h"

namespace zb {
namespace {

using testing::RunBoltgen;
using testing::RunZb;

struct Snap {
  std::string path;
  repo::PagePackHeader image;  // page size, page count, txid
  std::vector<repo::PageHash> hashes;
};

TEST(PageChainTest, EverySnapshotIsRebuiltFromTheBaseAndItsPacks) {
  testing::TempDir dir;
  auto env = NewPosixEnv();
  const std::string db = dir / "ctrl.db";
  ASSERT_EQ(RunBoltgen({"gen", "--out", db, "--size", "6MiB", "--shape", "ziti", "--seed", "4"})
                .exit_code,
            0);
  auto key = repo::NewPageHashKey();
  ASSERT_TRUE(key.ok());
  auto hasher = repo::PageHasher::Create(*key);
  ASSERT_TRUE(hasher.ok());

  // Snapshot 0 is the base; 1 to 4 follow edits of 5 % of the records.
  std::vector<Snap> snaps;
  std::vector<std::string> packs;  // packs[i - 1]: the pages that changed from i - 1 to i
  for (int i = 0; i < 5; ++i) {
    if (i > 0) {
      ASSERT_EQ(
          RunBoltgen({"change", "--db", db, "--fraction", "0.05", "--seed", std::to_string(i)})
              .exit_code,
          0);
    }
    Snap s{dir / ("snap-" + std::to_string(i) + ".db")};
    ASSERT_EQ(RunZb({"snapshot", "--method", "cold", db, s.path}).exit_code, 0);
    auto file = env->OpenForRead(s.path);
    ASSERT_TRUE(file.ok());
    auto bolt = bolt::BoltFile::Open(**file);
    ASSERT_TRUE(bolt.ok()) << bolt.status().ToString();
    auto meta = bolt->ReadLatestMeta();
    ASSERT_TRUE(meta.ok());
    s.image = {meta->meta.page_size, meta->meta.pgid, meta->meta.txid};
    auto hashes = repo::HashPages(**file, s.image.page_size, *hasher);
    ASSERT_TRUE(hashes.ok()) << hashes.status().ToString();
    ASSERT_EQ(hashes->size(), s.image.page_count) << "a snapshot is its image, no more";
    s.hashes = std::move(*hashes);
    if (i > 0) {
      const std::vector<uint64_t> changed = repo::ChangedPages(snaps.back().hashes, s.hashes);
      EXPECT_GT(changed.size(), 0u);
      EXPECT_LT(changed.size(), s.image.page_count / 2) << "an increment, not a copy";
      repo::PagePackSource pack(s.image, changed, [&](uint64_t n, MutableByteSpan out) {
        return (*file)->ReadExactly(n * s.image.page_size, out);
      });
      StringSink bytes;
      ASSERT_TRUE(Pump(pack, bytes).ok());
      packs.push_back(bytes.data());
    }
    snaps.push_back(std::move(s));
  }

  const std::string base = testing::ReadFileOrDie(snaps[0].path);
  for (size_t i = 1; i < snaps.size(); ++i) {
    const std::string out_path = dir / ("rebuilt-" + std::to_string(i) + ".db");
    auto out = env->Create(out_path);
    ASSERT_TRUE(out.ok());
    repo::ImageAssembler a(**out, snaps[i].image);
    for (size_t p = i; p >= 1; --p) {  // newest first
      auto sink = a.PackSink("pack " + std::to_string(p), snaps[p].image);
      ASSERT_TRUE(sink->Write(AsBytes(packs[p - 1])).ok());
      ASSERT_TRUE(sink->Finish().ok());
    }
    auto base_sink = a.BaseSink("base");
    ASSERT_TRUE(base_sink->Write(AsBytes(base)).ok());
    ASSERT_TRUE(base_sink->Finish().ok());
    ASSERT_TRUE(a.Finish().ok());
    ASSERT_TRUE((*out)->Close().ok());
    EXPECT_EQ(testing::ReadFileOrDie(out_path), testing::ReadFileOrDie(snaps[i].path))
        << "snapshot " << i << " rebuilt from the base and " << i << " packs";
    auto check = RunBoltgen({"check", out_path});
    EXPECT_EQ(check.exit_code, 0) << check.out;
  }
}

}  // namespace
}  // namespace zb
