#include "snapshot/quiescent_copy.h"

#include <thread>

#include "bolt/file.h"
#include "bolt/freelist.h"

namespace zb::snapshot {
namespace {

// The in-kernel copy is bound by one core's memory copying, so two threads
// each copying half finish sooner on a machine with two or more cores.
// Positional reads and writes on the same files from two threads are safe.
Result<uint64_t> CopyInParallel(Env& env, RandomAccessFile& src, WritableFile& out,
                                uint64_t bytes) {
  constexpr uint64_t kMinSplit = 64ull << 20;
  if (bytes < kMinSplit || std::thread::hardware_concurrency() < 2) {
    return env.CopyRange(src, 0, out, 0, bytes);
  }
  const uint64_t half = bytes / 2 / 4096 * 4096;
  Result<uint64_t> second = Status::Aborted("not run");
  std::thread helper([&] { second = env.CopyRange(src, half, out, half, bytes - half); });
  auto first = env.CopyRange(src, 0, out, 0, half);
  helper.join();
  if (!first.ok()) return first;
  if (!second.ok()) return second;
  // A short first half means the file ended early: report where.
  return *first < half ? *first : half + *second;
}

}  // namespace

Result<Image> CopyQuiescent(Env& env, RandomAccessFile& src, WritableFile& out) {
  ZB_ASSIGN_OR_RETURN(bolt::BoltFile file, bolt::BoltFile::Open(src));
  ZB_ASSIGN_OR_RETURN(bolt::MetaChoice latest, file.ReadLatestMeta());
  const bolt::Meta& meta = latest.meta;
  Image image{meta, file.page_size(), {}, "cold", 1};
  auto free_pages = bolt::ReadFreelist(file, meta);
  if (!free_pages.ok()) return free_pages.status().WithContext(src.path());
  image.free_pages = std::move(free_pages).value();
  const uint64_t bytes = meta.pgid * file.page_size();
  ZB_ASSIGN_OR_RETURN(uint64_t copied, CopyInParallel(env, src, out, bytes));
  if (copied != bytes) {
    return Status::Corruption(src.path() + ": file ends at " + std::to_string(copied) +
                              " bytes but its meta (txid " + std::to_string(meta.txid) +
                              ") says pages up to " + std::to_string(meta.pgid) + " (" +
                              std::to_string(bytes) + " bytes) are in use");
  }
  return image;
}

}  // namespace zb::snapshot
