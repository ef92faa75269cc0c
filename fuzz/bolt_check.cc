// The page walker and `check` on arbitrary bytes, as `check` and `inspect`
// run them on a DB file (and restore on what it decompressed).
#include <vector>

#include "bolt/check.h"
#include "bolt/meta.h"
#include "bolt/stats.h"
#include "bolt/tee_visitor.h"
#include "bolt/ziti_summary.h"
#include "fuzz/entries.h"
#include "fuzz/mem_env.h"
#include "fuzz/require.h"

namespace zb::fuzz {
namespace {

std::string Num(uint64_t v) { return std::to_string(v); }

// A meta page carries a checksum, which a random mutation almost never
// keeps right, so the fuzzer would stop at "checksum mismatch" and never
// learn what a meta may claim (high-water mark, root, freelist, page size).
// For inputs of odd size (half of them; the extra byte is past the last
// page) both meta checksums are made right first.
std::vector<std::byte> WithMetaChecksumsMadeRight(ByteSpan data) {
  std::vector<std::byte> b(data.begin(), data.end());
  auto fix = [&](uint64_t page) {
    const uint64_t meta = page + bolt::kPageHeaderSize;
    if (meta + bolt::kMetaSize > b.size()) return;
    const uint64_t sum = bolt::Fnv1a64(ByteSpan(b).subspan(meta, bolt::kMetaChecksumOffset));
    StoreLE<uint64_t>(b, meta + bolt::kMetaChecksumOffset, sum);
  };
  fix(0);
  // Meta 1 is where meta 0's page size says (the page size field is the
  // third of the meta).
  fix(LoadLE<uint32_t>(b, bolt::kPageHeaderSize + 8).value_or(0));
  return b;
}

}  // namespace

void BoltCheck(ByteSpan input) {
  std::vector<std::byte> fixed;
  if (input.size() % 2 == 1) fixed = WithMetaChecksumsMadeRight(input);
  const ByteSpan data = fixed.empty() ? input : ByteSpan(fixed);
  MemFile file("fuzz.db", data);
  bolt::StatsCollector stats(0);
  bolt::ZitiCollector ziti;
  bolt::TeeVisitor both(stats, ziti);
  // A file in memory cannot fail to read, so an error is a bug: damage must
  // come back as findings.
  auto r = bolt::Check(file, &both);
  Require(r.ok(), "Check returned an error instead of findings: " + r.status().ToString());
  Require(r->findings.size() <= bolt::kMaxKeptFindings && r->findings.size() <= r->finding_count &&
              (r->finding_count == 0) == r->findings.empty(),
          "findings kept " + Num(r->findings.size()) + " of " + Num(r->finding_count));
  Require(r->meta || !r->clean(), "no valid meta page, yet no finding");
  Require(r->file_size == data.size(), "file size " + Num(r->file_size));

  // What inspect prints from the collectors.
  const bolt::DbStats& s = stats.stats();
  Require(s.buckets.size() == s.buckets_total,
          "stats list " + Num(s.buckets.size()) + " of " + Num(s.buckets_total) + " buckets");
  bolt::ForEachPath(s, [](const bolt::BucketStats& b, const bolt::BucketPath& path) {
    Require(b.depth >= 1 && path.size() == static_cast<size_t>(b.depth),
            "bucket depth " + Num(static_cast<uint64_t>(b.depth)) + " with a path of " +
                Num(path.size()));
    (void)bolt::PrintableName(path.back());
  });
  (void)ziti.summary();

  if (!r->clean()) return;
  // A clean file: every page below the high-water mark is in use or free,
  // exactly once.
  Require(r->reachable_pages + r->free_pages == r->meta->pgid && r->unreachable_pages == 0 &&
              r->pending_pages <= r->free_pages,
          "clean, yet " + Num(r->reachable_pages) + " reachable + " + Num(r->free_pages) +
              " free pages of " + Num(r->meta->pgid));
  // Without a visitor, a clean file is walked on several threads; it must
  // come to the same report.
  auto p = bolt::Check(file);
  Require(p.ok() && p->clean() && p->reachable_pages == r->reachable_pages &&
              p->free_pages == r->free_pages && p->pending_pages == r->pending_pages,
          "the parallel walk disagrees with the sequential one");
}

}  // namespace zb::fuzz
