// BoltImage: a small bbolt file built byte by byte, for unit tests of code
// that must survive crafted input. It starts as a valid file (page size
// 4096; metas in pages 0 and 1 with txids 3 and 2; an empty freelist in page
// 2; the root bucket's leaf in page 3; high-water mark 4) that tests then
// damage field by field. Value type; not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bolt/meta.h"
#include "bolt/page.h"

namespace zb::testing {

class BoltImage {
 public:
  static constexpr uint32_t kPageSize = 4096;

  explicit BoltImage(uint64_t pages = 4) : bytes(pages * kPageSize) {
    meta.magic = bolt::kMagic;
    meta.version = bolt::kVersion;
    meta.page_size = kPageSize;
    meta.root = {3, 0};
    meta.freelist = 2;
    meta.pgid = 4;
    meta.txid = 3;
    WriteMetas();
    Freelist(2, {});
    Leaf(3, {{"a", "1"}, {"b", "2"}});
  }

  MutableByteSpan Page(uint64_t id, uint64_t n = 1) {
    return MutableByteSpan(bytes).subspan(id * kPageSize, n * kPageSize);
  }

  // Slot 0 holds `meta`, slot 1 the same with txid - 1 (as Tx.WriteTo).
  void WriteMetas() {
    WriteMeta(0, meta);
    bolt::Meta older = meta;
    older.txid = meta.txid - 1;
    WriteMeta(1, older);
  }
  void WriteMeta(int slot, const bolt::Meta& m) { bolt::EncodeMetaPage(m, slot, Page(slot)); }

  void Header(uint64_t id, uint16_t flags, uint16_t count, uint32_t overflow = 0) {
    bolt::EncodePageHeader(bolt::PageHeader{id, flags, count, overflow}, Page(id));
  }

  void Freelist(uint64_t id, const std::vector<uint64_t>& ids) {
    Header(id, bolt::kFreelistPageFlag, static_cast<uint16_t>(ids.size()));
    for (size_t i = 0; i < ids.size(); ++i) StoreLE<uint64_t>(Page(id), 16 + 8 * i, ids[i]);
  }

  // A leaf of `overflow` + 1 pages with plain key/values written the way
  // bbolt writes them: headers, then each key and value back to back.
  void Leaf(uint64_t id, const std::vector<std::pair<std::string, std::string>>& kvs,
            uint32_t overflow = 0) {
    Header(id, bolt::kLeafPageFlag, static_cast<uint16_t>(kvs.size()), overflow);
    MutableByteSpan p = Page(id, overflow + 1);
    size_t data = bolt::kPageHeaderSize + kvs.size() * bolt::kElementSize;
    for (size_t i = 0; i < kvs.size(); ++i) {
      const size_t at = bolt::kPageHeaderSize + i * bolt::kElementSize;
      SetLeafElement(id, i, 0, data - at, kvs[i].first.size(), kvs[i].second.size());
      for (char c : kvs[i].first + kvs[i].second) p[data++] = static_cast<std::byte>(c);
    }
  }

  // Element i of leaf page `id`: flags, pos (from the element), ksize, vsize.
  void SetLeafElement(uint64_t id, size_t i, uint32_t flags, uint32_t pos, uint32_t ksize,
                      uint32_t vsize) {
    const size_t at = bolt::kPageHeaderSize + i * bolt::kElementSize;
    MutableByteSpan p = MutableByteSpan(bytes).subspan(id * kPageSize);
    StoreLE<uint32_t>(p, at, flags);
    StoreLE<uint32_t>(p, at + 4, pos);
    StoreLE<uint32_t>(p, at + 8, ksize);
    StoreLE<uint32_t>(p, at + 12, vsize);
  }

  bolt::Meta meta;
  std::vector<std::byte> bytes;
};

}  // namespace zb::testing
