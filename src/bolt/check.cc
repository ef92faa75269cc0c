#include "bolt/check.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "base/page_set.h"
#include "bolt/file.h"
#include "bolt/freelist.h"

namespace zb::bolt {
namespace {

std::string Num(uint64_t v) { return std::to_string(v); }

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

class Checker final : public TreeVisitor {
 public:
  Checker(RandomAccessFile& file, TreeVisitor* also) : file_(file), also_(also) {}

  Result<CheckReport> Run() {
    ZB_ASSIGN_OR_RETURN(report_.file_size, file_.Size());
    auto opened = BoltFile::Open(file_);
    if (!opened.ok()) {
      if (opened.status().code() != Code::kCorruption) return opened.status();
      Add(FindingKind::kInvalidMeta, 0, opened.status().message());
      return std::move(report_);
    }
    BoltFile& bolt = *opened;
    report_.page_size = bolt.page_size();
    CheckMetaSlots(bolt);
    auto latest = bolt.ReadLatestMeta();
    if (!latest.ok()) {
      if (latest.status().code() != Code::kCorruption) return latest.status();
      return std::move(report_);  // both metas invalid: already reported
    }
    const Meta meta = latest->meta;
    report_.meta = meta;
    report_.meta_slot = latest->slot;
    if (!CheckMetaFields(meta, bolt.page_size())) return std::move(report_);

    // The page sets cover the pages the file has, never more: a high-water
    // mark past the end (reported above) must not size an allocation.
    bound_ = std::min<uint64_t>(meta.pgid, report_.file_size / bolt.page_size());
    reached_ = ConcurrentPageSet(bound_);
    freed_ = PageSet(bound_);
    reached_.TestAndSet(0);
    reached_.TestAndSet(1);
    report_.freelist_persisted = meta.freelist != kNoFreelist;
    std::vector<Pgid> free_ids;
    if (report_.freelist_persisted) {
      ZB_ASSIGN_OR_RETURN(free_ids, CheckFreelist(bolt, meta));
    }
    ZB_RETURN_IF_ERROR(Walk(bolt, meta));
    // Past the end of the file the high-water mark says nothing about which
    // pages were ever used: the pages between the last one in use and the
    // end of the file would all look lost.
    if (report_.freelist_persisted && bound_ == meta.pgid) {
      ReportUnreachable(meta);
      ZB_RETURN_IF_ERROR(CountPending(bolt, meta, free_ids));
    }
    report_.reachable_pages = reached_.Count();
    // Without a persisted freelist, bbolt rebuilds it at open from what is
    // not reachable; count it the same way.
    report_.free_pages =
        report_.freelist_persisted ? freed_.Count() : bound_ - report_.reachable_pages;
    return std::move(report_);
  }

  // TreeVisitor: the walk's findings, and reachable pages that are also free.
  // In the parallel walk (several threads, no `also_`) findings are only
  // noted; the sequential walk that follows reports them in a stable order.
  void Found(Finding f) override {
    if (parallel_) {
      parallel_found_ = true;
      return;
    }
    if (also_) also_->Found(f);
    Add(f.kind, f.page, std::move(f.detail));
  }
  void Page(const BucketPath& path, const PageVisit& page) override {
    if (!page.is_inline) {
      for (uint64_t k = 0; k <= page.header.overflow; ++k) {
        if (freed_.Contains(page.id + k)) {
          Found(Finding{FindingKind::kFreedButReachable, page.id + k,
                        "reachable and in the freelist"});
        }
      }
    }
    if (also_) also_->Page(path, page);
  }
  void EnterBucket(const BucketPath& path, const BucketHeader& h) override {
    if (also_) also_->EnterBucket(path, h);
  }
  void LeaveBucket(const BucketPath& path) override {
    if (also_) also_->LeaveBucket(path);
  }
  void Key(const BucketPath& path, ByteSpan key, ByteSpan value) override {
    if (also_) also_->Key(path, key, value);
  }

 private:
  // A clean file is walked once on every core; a file with findings is
  // walked again on one thread, so its report is the same on every run.
  Status Walk(BoltFile& bolt, const Meta& meta) {
    const int threads = static_cast<int>(std::min(4u, std::thread::hardware_concurrency()));
    if (also_ == nullptr && threads > 1) {
      ConcurrentPageSet before(bound_);
      for (Pgid id = 0; id < bound_; ++id) {
        if (reached_.Contains(id)) before.TestAndSet(id);
      }
      parallel_ = true;
      Status s = WalkTreeParallel(bolt, meta, report_.file_size, reached_, *this, threads);
      parallel_ = false;
      if (!s.ok() || !parallel_found_) return s;
      reached_ = std::move(before);
    }
    return WalkTree(bolt, meta, report_.file_size, reached_, *this);
  }

  void Add(FindingKind kind, Pgid page, std::string detail) {
    ++report_.finding_count;
    if (report_.findings.size() < kMaxKeptFindings) {
      report_.findings.push_back(Finding{kind, page, std::move(detail)});
    }
  }

  // Both meta pages must be valid, whichever one is the latest: a torn or
  // damaged meta is damage even while bbolt can fall back to the other.
  void CheckMetaSlots(BoltFile& bolt) {
    for (int slot = 0; slot < 2; ++slot) {
      std::vector<std::byte> buf;
      auto page = bolt.ReadOnePage(slot, buf);
      if (!page.ok()) {
        if (page.status().code() != Code::kCorruption) continue;  // I/O: ReadLatestMeta says
        Add(FindingKind::kTruncated, slot,
            "meta page lies past the end of the file (" + Num(report_.file_size) + " bytes)");
        continue;
      }
      auto h = DecodePageHeader(*page);
      auto m = DecodeMeta(*page);
      if (Status s = ValidateMeta(*m); !s.ok()) {
        Add(FindingKind::kInvalidMeta, slot, "meta page: " + s.message());
      } else if (h->flags & ~kKnownPageFlags) {
        Add(FindingKind::kUnknownFlags, slot,
            "meta page flags " + Hex(h->flags) + " have bits bbolt does not define (" +
                Hex(h->flags & ~kKnownPageFlags) + ")");
      } else if (h->flags != kMetaPageFlag) {
        Add(FindingKind::kInvalidMeta, slot, "meta page has page type " + PageTypeName(h->flags));
      } else if (m->page_size != bolt.page_size()) {
        Add(FindingKind::kInvalidMeta, slot,
            "meta page says page size " + Num(m->page_size) + ", the other says " +
                Num(bolt.page_size()));
      } else if (m->flags != 0) {
        // bbolt never sets them (its meta flags field is unused).
        Add(FindingKind::kUnknownFlags, slot,
            "meta flags " + Hex(m->flags) + " are not 0 (bbolt defines none)");
      }
    }
  }

  // The chosen meta must name pages that can exist.
  bool CheckMetaFields(const Meta& m, uint32_t page_size) {
    bool ok = true;
    if (m.pgid < 3) {
      Add(FindingKind::kInvalidMeta, report_.meta_slot,
          "meta high-water mark " + Num(m.pgid) + " leaves no room for a root page");
      return false;
    }
    if (m.root.root >= m.pgid) {
      Add(FindingKind::kBeyondHighWater, m.root.root,
          "root bucket page is beyond the high-water mark " + Num(m.pgid) + " (meta page " +
              Num(report_.meta_slot) + ")");
    }
    if (m.freelist != kNoFreelist && (m.freelist < 2 || m.freelist >= m.pgid)) {
      Add(m.freelist < 2 ? FindingKind::kInvalidMeta : FindingKind::kBeyondHighWater, m.freelist,
          "freelist page named by meta page " + Num(report_.meta_slot) +
              (m.freelist < 2 ? " is a meta page"
                              : " is beyond the high-water mark " + Num(m.pgid)));
      ok = false;
    }
    // Compared in pages: m.pgid * page_size may not fit in 64 bits.
    const uint64_t file_pages = report_.file_size / page_size;
    if (m.pgid > file_pages) {
      Add(FindingKind::kTruncated, file_pages,
          "high-water mark " + Num(m.pgid) + " pages is beyond the file's size of " +
              Num(file_pages) + " pages (" + Num(report_.file_size) + " bytes)");
    }
    return ok;
  }

  // Reads the freelist and marks its ids free and its own pages reachable.
  Result<std::vector<Pgid>> CheckFreelist(BoltFile& bolt, const Meta& meta) {
    const Pgid id = meta.freelist;
    std::vector<std::byte> buf;
    if (id >= report_.file_size / bolt.page_size()) {
      Add(FindingKind::kTruncated, id, "freelist page lies past the end of the file");
      reached_.TestAndSet(id);
      return std::vector<Pgid>{};
    }
    ZB_ASSIGN_OR_RETURN(ByteSpan first, bolt.ReadOnePage(id, buf));
    PageHeader h = *DecodePageHeader(first);
    reached_.TestAndSet(id);
    if (h.id != id) {
      Add(FindingKind::kIdMismatch, id, "freelist page header says it is page " + Num(h.id));
      return std::vector<Pgid>{};
    }
    if (h.flags & ~kKnownPageFlags) {
      Add(FindingKind::kUnknownFlags, id,
          "freelist page flags " + Hex(h.flags) + " have bits bbolt does not define (" +
              Hex(h.flags & ~kKnownPageFlags) + ")");
      return std::vector<Pgid>{};
    }
    if (h.flags != kFreelistPageFlag) {
      Add(FindingKind::kWrongType, id, "is " + PageTypeName(h.flags) + ", expected freelist");
      return std::vector<Pgid>{};
    }
    if (h.overflow >= meta.pgid - id) {
      Add(FindingKind::kBeyondHighWater, id,
          "freelist overflow of " + Num(h.overflow) + " pages runs past the high-water mark " +
              Num(meta.pgid));
      return std::vector<Pgid>{};
    }
    if (h.overflow + uint64_t{1} > MaxFreelistPages(bolt.page_size(), bolt.pages())) {
      Add(FindingKind::kBadFreelist, id,
          "freelist overflow of " + Num(h.overflow) +
              " pages is more than a list of every page in the file needs");
      return std::vector<Pgid>{};
    }
    // Only the pages the file has: the count is the file's word.
    const uint64_t marked = std::min<uint64_t>(h.overflow, bound_ > id ? bound_ - id - 1 : 0);
    for (uint64_t k = 1; k <= marked; ++k) reached_.TestAndSet(id + k);
    auto page = bolt.ReadPage(id, meta.pgid, buf);
    if (!page.ok()) {
      if (page.status().code() != Code::kCorruption) return page.status();
      Add(FindingKind::kTruncated, id, "freelist: " + page.status().message());
      return std::vector<Pgid>{};
    }
    auto ids = DecodeFreelist(*page);
    if (!ids.ok()) {
      Add(FindingKind::kBadFreelist, id, ids.status().message());
      return std::vector<Pgid>{};
    }
    uint64_t beyond = 0;
    for (size_t i = 0; i < ids->size(); ++i) {
      const Pgid f = (*ids)[i];
      if (f < 2 || f >= meta.pgid) {
        if (beyond++ < 10) {
          Add(FindingKind::kBadFreelist, id,
              "lists page " + Num(f) +
                  (f < 2 ? ", a meta page" : ", beyond the high-water mark " + Num(meta.pgid)));
        }
        continue;
      }
      if (i > 0 && (*ids)[i - 1] == f) {
        Add(FindingKind::kFreedTwice, f, "already freed (listed twice in the freelist)");
        continue;
      }
      if (reached_.Contains(f)) {
        Add(FindingKind::kFreedButReachable, f, "the freelist's own page is listed as free");
      }
      freed_.Insert(f);
    }
    if (beyond > 10) {
      Add(FindingKind::kBadFreelist, id, "lists " + Num(beyond - 10) + " more impossible page ids");
    }
    return std::move(ids).value();
  }

  // Pages below the high-water mark that are neither reachable nor free, as
  // one finding per run of consecutive pages.
  void ReportUnreachable(const Meta& meta) {
    PageSet lost(bound_);
    for (Pgid id = 2; id < bound_; ++id) {
      if (!reached_.Contains(id) && !freed_.Contains(id)) lost.Insert(id);
    }
    report_.unreachable_pages = lost.Count();
    lost.ForEachRun([&](uint64_t first, uint64_t n) {
      if (n == 1) {
        Add(FindingKind::kUnreachableUnfreed, first, "unreachable and not in the freelist");
      } else {
        Add(FindingKind::kUnreachableUnfreed, first,
            "unreachable and not in the freelist, like the " + Num(n - 1) +
                " pages after it (through page " + Num(first + n - 1) + ")");
      }
    });
  }

  Status CountPending(BoltFile& bolt, const Meta& meta, const std::vector<Pgid>& free_ids) {
    auto other = bolt.ReadMetaSlot(1 - report_.meta_slot);
    if (!other || !ValidateMeta(*other).ok() || other->txid + 1 != meta.txid ||
        other->freelist == kNoFreelist || other->freelist >= other->pgid ||
        other->pgid > meta.pgid) {
      return Status::OK();
    }
    auto older = ReadFreelist(bolt, *other);
    if (!older.ok()) return older.status().code() == Code::kIOError ? older.status() : Status::OK();
    for (Pgid id : free_ids) {
      if (!std::binary_search(older->begin(), older->end(), id)) ++report_.pending_pages;
    }
    return Status::OK();
  }

  RandomAccessFile& file_;
  TreeVisitor* also_;
  CheckReport report_;
  ConcurrentPageSet reached_;
  PageSet freed_;
  uint64_t bound_ = 0;  // pages the sets cover: the high-water mark, at most the file's pages
  bool parallel_ = false;
  std::atomic<bool> parallel_found_{false};
};

}  // namespace

Result<CheckReport> Check(RandomAccessFile& file, TreeVisitor* also) {
  return Checker(file, also).Run();
}

}  // namespace zb::bolt
