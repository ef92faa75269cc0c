#include "bolt/file.h"

namespace zb::bolt {
namespace {

constexpr size_t kProbe = 4096;  // bbolt reads 4 KiB to find a meta
// A valid meta with a page size outside this range is treated as damage:
// bbolt supports 1 KiB .. 16 MiB in practice, and 0 would divide by zero.
constexpr uint32_t kMinPageSize = 512;
constexpr uint32_t kMaxPageSize = 256u << 20;

std::optional<uint32_t> PageSizeAt(RandomAccessFile& f, uint64_t offset) {
  std::vector<std::byte> buf(kProbe);
  auto n = f.ReadAt(offset, buf);
  if (!n.ok() || *n < kMinPageBytes) return std::nullopt;
  auto m = DecodeMeta(ByteSpan(buf.data(), *n));
  if (!m || !ValidateMeta(*m).ok()) return std::nullopt;
  if (m->page_size < kMinPageSize || m->page_size > kMaxPageSize) return std::nullopt;
  return m->page_size;
}

// The page size comes from the file (up to kMaxPageSize), so a page's
// buffer must not be allocated before the file is known to hold the page:
// a 12 KiB file whose meta says 160 MiB pages made `check` allocate (and
// zero) 160 MiB per page read (found by fuzz/bolt_check). Ordinary page
// sizes skip the Size() call, so reading a real DB costs no more.
constexpr uint32_t kTrustedPageSize = 64 << 10;

Status PagesInFile(RandomAccessFile& f, uint32_t page_size, Pgid id, uint64_t pages) {
  if (page_size <= kTrustedPageSize) return Status::OK();
  ZB_ASSIGN_OR_RETURN(uint64_t size, f.Size());
  if (id >= size / page_size || pages > size / page_size - id) {
    return Status::Corruption(f.path() + ": page " + std::to_string(id) + " (" +
                              std::to_string(pages) + " of " + std::to_string(page_size) +
                              " bytes) lies past the end of the file (" + std::to_string(size) +
                              " bytes)");
  }
  return Status::OK();
}

}  // namespace

Result<BoltFile> BoltFile::Open(RandomAccessFile& file) {
  ZB_ASSIGN_OR_RETURN(uint64_t size, file.Size());
  if (auto ps = PageSizeAt(file, 0)) return BoltFile(file, *ps);
  for (int i = 0; i <= 14; ++i) {
    uint64_t pos = uint64_t{1024} << i;
    if (size < 1024 || pos >= size - 1024) break;
    if (auto ps = PageSizeAt(file, pos); ps && *ps == pos) return BoltFile(file, *ps);
  }
  return Status::Corruption(file.path() + ": not a bbolt file (no valid meta page; size " +
                            std::to_string(size) + " bytes)");
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
  ZB_RETURN_IF_ERROR(PagesInFile(*file_, page_size_, id, 1));
  buf.resize(page_size_);
  ZB_RETURN_IF_ERROR(file_->ReadExactly(id * page_size_, buf));
  return ByteSpan(buf);
}

Result<ByteSpan> BoltFile::ReadPage(Pgid id, Pgid limit, std::vector<std::byte>& buf) {
  if (id >= limit) {
    return Status::Corruption("page " + std::to_string(id) + ": beyond the high-water mark " +
                              std::to_string(limit));
  }
  ZB_RETURN_IF_ERROR(PagesInFile(*file_, page_size_, id, 1));
  buf.resize(page_size_);
  ZB_RETURN_IF_ERROR(file_->ReadExactly(id * page_size_, buf));
  auto h = DecodePageHeader(buf);
  uint64_t overflow = h->overflow;
  if (overflow > 0) {
    if (overflow >= limit - id) {
      return Status::Corruption("page " + std::to_string(id) + ": overflow " +
                                std::to_string(overflow) + " runs past the high-water mark " +
                                std::to_string(limit));
    }
    ZB_ASSIGN_OR_RETURN(uint64_t size, file_->Size());
    if ((id + overflow + 1) * page_size_ > size) {
      return Status::Corruption("page " + std::to_string(id) + ": overflow " +
                                std::to_string(overflow) + " runs past the end of the file");
    }
    buf.resize((overflow + 1) * page_size_);
    ZB_RETURN_IF_ERROR(
        file_->ReadExactly((id + 1) * page_size_, MutableByteSpan(buf).subspan(page_size_)));
  }
  return ByteSpan(buf);
}

}  // namespace zb::bolt
