#include "snapshot/quiescent_copy.h"

#include "bolt/file.h"
#include "bolt/freelist.h"
#include "snapshot/meta_fallback.h"
#include "snapshot/page_copier.h"

namespace zb::snapshot {

Result<Image> CopyQuiescent(Env& env, RandomAccessFile& src, WritableFile& out, bool scrub) {
  ZB_ASSIGN_OR_RETURN(bolt::BoltFile file, bolt::BoltFile::Open(src));
  ZB_ASSIGN_OR_RETURN(bolt::MetaChoice latest, file.ReadLatestMeta());
  const bolt::Meta& meta = latest.meta;
  // Before anything is sized by the high-water mark.
  ZB_RETURN_IF_ERROR(file.CheckHighWater(meta));
  Image image{meta, file.page_size(), {}, "cold", 1, {}};
  ZB_ASSIGN_OR_RETURN(image.meta_fallback, CheckMetaFallback(src.path(), latest, file.pages()));
  auto free_pages = bolt::ReadFreelist(file, meta);
  if (!free_pages.ok()) return free_pages.status().WithContext(src.path());
  image.free_pages = std::move(free_pages).value();
  const uint64_t bytes = meta.pgid * file.page_size();  // CheckHighWater: inside the file
  if (!scrub) {
    ZB_ASSIGN_OR_RETURN(uint64_t copied, env.CopyRange(src, 0, out, 0, bytes));
    if (copied != bytes) return Status::Corruption(src.path() + ": file shrank while copied");
    return image;
  }
  image.zeroed = PageSet(meta.pgid);
  for (bolt::Pgid id : image.free_pages) {
    if (id >= 2) image.zeroed.Insert(id);
  }
  // 64 KiB chunks: 1 MiB ones made the 1 GiB copy two to three times slower
  // (measured), the buffer no longer fitting in the CPU's cache.
  PageCopier copier(src, out, file.page_size(), &image.zeroed);
  ZB_RETURN_IF_ERROR(copier.Copy(0, meta.pgid, (64 << 10) / file.page_size()));
  return image;
}

}  // namespace zb::snapshot
