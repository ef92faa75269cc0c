#include "bolt/file.h"

namespace zb::bolt {
namespace {

constexpr size_t kProbe = 4096;  // bbolt reads 4 KiB to find a meta

std::string Num(uint64_t v) { return std::to_string(v); }

// The page size of a valid meta at `offset`, or nullopt. `why` says why a
// valid meta was not usable (its page size is outside bbolt's range).
std::optional<uint32_t> PageSizeAt(RandomAccessFile& f, uint64_t offset, std::string* why) {
  std::vector<std::byte> buf(kProbe);
  auto n = f.ReadAt(offset, buf);
  if (!n.ok() || *n < kMinPageBytes) return std::nullopt;
  auto m = DecodeMeta(ByteSpan(buf.data(), *n));
  if (!m || !ValidateMeta(*m).ok()) return std::nullopt;
  if (m->page_size < kMinPageSize || m->page_size > kMaxPageSize) {
    if (why->empty()) {
      *why = "; the meta page at offset " + Num(offset) + " says page size " + Num(m->page_size) +
             ", outside bbolt's range of " + Num(kMinPageSize) + " to " + Num(kMaxPageSize);
    }
    return std::nullopt;
  }
  return m->page_size;
}

}  // namespace

Result<BoltFile> BoltFile::Open(RandomAccessFile& file) {
  ZB_ASSIGN_OR_RETURN(uint64_t size, file.Size());
  std::string why;
  if (auto ps = PageSizeAt(file, 0, &why)) return BoltFile(file, *ps, size);
  for (int i = 0; i <= 14; ++i) {
    uint64_t pos = uint64_t{1024} << i;
    if (size < 1024 || pos >= size - 1024) break;
    if (auto ps = PageSizeAt(file, pos, &why); ps && *ps == pos) return BoltFile(file, *ps, size);
  }
  return Status::Corruption(file.path() + ": not a bbolt file (no valid meta page; size " +
                            Num(size) + " bytes" + why + ")");
}

Result<bool> BoltFile::Holds(uint64_t end_page) {
  if (end_page <= pages()) return true;
  ZB_ASSIGN_OR_RETURN(size_, file_->Size());
  return end_page <= pages();
}

Status BoltFile::CheckHighWater(const Meta& m) {
  ZB_ASSIGN_OR_RETURN(bool inside, Holds(m.pgid));
  if (inside) return Status::OK();
  return Status::Corruption(file_->path() + ": high-water mark " + Num(m.pgid) + " pages (txid " +
                            Num(m.txid) + ") is beyond the file's size of " + Num(pages()) +
                            " pages (" + Num(size_) + " bytes)");
}

std::optional<Meta> BoltFile::ReadMetaSlot(int slot) {
  std::vector<std::byte> buf(kMinPageBytes);
  auto n = file_->ReadAt(uint64_t{page_size_} * slot, buf);
  if (!n.ok() || *n != buf.size()) return std::nullopt;
  return DecodeMeta(buf);
}

Result<MetaChoice> BoltFile::ReadLatestMeta() {
  std::vector<std::byte> buf(2 * kMinPageBytes);
  MutableByteSpan p0(buf.data(), kMinPageBytes), p1(buf.data() + kMinPageBytes, kMinPageBytes);
  ZB_ASSIGN_OR_RETURN(size_t n0, file_->ReadAt(0, p0));
  ZB_ASSIGN_OR_RETURN(size_t n1, file_->ReadAt(page_size_, p1));
  auto r = PickLatest(p0.first(n0), p1.first(n1));
  if (!r.ok()) return r.status().WithContext(file_->path());
  return r;
}

Result<ByteSpan> BoltFile::ReadOnePage(Pgid id, std::vector<std::byte>& buf) {
  // id < pages() bounds id * page_size_ too (no overflow).
  ZB_ASSIGN_OR_RETURN(bool inside, Holds(id < ~uint64_t{0} ? id + 1 : id));
  if (!inside) {
    return Status::Corruption("page " + Num(id) + ": lies past the end of the file (" + Num(size_) +
                              " bytes)");
  }
  buf.resize(page_size_);
  ZB_RETURN_IF_ERROR(file_->ReadExactly(id * page_size_, buf));
  return ByteSpan(buf);
}

Result<ByteSpan> BoltFile::ReadPage(Pgid id, Pgid limit, std::vector<std::byte>& buf) {
  if (id >= limit) {
    return Status::Corruption("page " + Num(id) + ": beyond the high-water mark " + Num(limit));
  }
  ZB_ASSIGN_OR_RETURN(ByteSpan first, ReadOnePage(id, buf));
  const uint64_t overflow = DecodePageHeader(first)->overflow;
  if (overflow > 0) {
    if (overflow >= limit - id) {
      return Status::Corruption("page " + Num(id) + ": overflow " + Num(overflow) +
                                " runs past the high-water mark " + Num(limit));
    }
    // id + overflow + 1 <= limit: no overflow in the sum.
    ZB_ASSIGN_OR_RETURN(bool inside, Holds(id + overflow + 1));
    if (!inside) {
      return Status::Corruption("page " + Num(id) + ": overflow " + Num(overflow) +
                                " runs past the end of the file");
    }
    buf.resize((overflow + 1) * page_size_);
    ZB_RETURN_IF_ERROR(
        file_->ReadExactly((id + 1) * page_size_, MutableByteSpan(buf).subspan(page_size_)));
  }
  return ByteSpan(buf);
}

}  // namespace zb::bolt
