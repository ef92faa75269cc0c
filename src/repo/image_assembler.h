// ImageAssembler: rebuilds the image of an incremental snapshot from its
// chain (docs/incremental.md, "Restore"). The objects come newest first,
// each decoded once from start to end: packs through PackSink, then the
// base's full image through BaseSink. The first copy of a page seen is the
// newest and is written at page x page size; older copies are skipped (a
// bitmap, one bit per page). Finish checks that every page of the image
// came from somewhere and cuts the file to the image's size. The page
// count comes from a manifest, so nothing is sized by it: the bitmap grows
// in blocks as pages are written, bounded by the bytes actually decoded.
// Not thread-safe.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/stream.h"
#include "env/env.h"
#include "repo/page_pack.h"

namespace zb::repo {

class ImageAssembler {
 public:
  // `image`: the snapshot's page size, page count and txid, from its
  // manifest.
  ImageAssembler(WritableFile& out, PagePackHeader image);
  ImageAssembler(const ImageAssembler&) = delete;
  ImageAssembler& operator=(const ImageAssembler&) = delete;

  // A sink for one pack's decoded bytes; `what` names it in errors. `pack`
  // is what the manifest says of the image the pack was made for (an older
  // snapshot's, for all but the newest pack): the pack must say the same
  // (PagePackSink checks), with the image's page size. Its pages past the
  // image are not written (the DB shrank since).
  std::unique_ptr<ByteSink> PackSink(const std::string& what, PagePackHeader pack);
  // A sink for the base's decoded image: its pages the packs did not
  // bring. Pages past the snapshot's image are not written.
  std::unique_ptr<ByteSink> BaseSink(const std::string& what);
  // kCorruption naming the first page nothing brought; else the file cut
  // to page count x page size.
  Status Finish();

  // Also feeds `hash` the image in page order, so that no second pass over
  // the file is needed for its checksum: as the base streams in (in page
  // order), each page comes from the base's bytes or, where a pack brought
  // it, is read back from `readback` (the output file); pages past the
  // base's end are read back in Finish, which finishes `hash`. Call before
  // the first sink is made.
  void HashInOrder(ByteSink& hash, RandomAccessFile& readback);

  uint64_t pages_written() const { return written_count_; }

 private:
  class Base;
  // Writes pages [first, first + n) from `bytes` where not yet written,
  // in runs.
  Status Place(uint64_t first, ByteSpan bytes);
  // The base's pages [first, first + n): hashed in order (when asked),
  // then placed.
  Status PlaceBase(uint64_t first, ByteSpan bytes);
  // Hashes pages [hashed_, end) as they are in the output file.
  Status HashReadBack(uint64_t end);

  static constexpr uint64_t kBlockPages = 1 << 16;
  using Block = std::array<uint64_t, kBlockPages / 64>;
  bool Written(uint64_t page) const;
  void MarkWritten(uint64_t page);

  WritableFile& out_;
  const PagePackHeader image_;
  std::map<uint64_t, std::unique_ptr<Block>> written_;  // by page / kBlockPages
  uint64_t written_count_ = 0;
  ByteSink* hash_ = nullptr;
  RandomAccessFile* readback_ = nullptr;
  uint64_t hashed_ = 0;  // pages [0, hashed_) are in hash_
  std::vector<std::byte> readback_buf_;
};

}  // namespace zb::repo
