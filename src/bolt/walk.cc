#include "bolt/walk.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace zb::bolt {

int CompareKeys(ByteSpan a, ByteSpan b) {
  const size_t n = std::min(a.size(), b.size());
  if (n > 0) {
    if (int c = std::memcmp(a.data(), b.data(), n); c != 0) return c < 0 ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

namespace {

std::string Num(uint64_t v) { return std::to_string(v); }

// One page on the walk's stack. Frames are reused across pages at the same
// depth so their buffers are allocated once.
struct Frame {
  std::vector<std::byte> buf;
  ByteSpan page;
  PageHeader header;
  Pgid id = 0;  // 0: inline page
  int level = 0;
  uint16_t next = 0;             // next element to visit
  std::optional<ByteSpan> lo;    // keys must be >= lo (closed), from the parent
  std::optional<ByteSpan> hi;    // keys must be < hi (open), from the parent
  std::optional<ByteSpan> prev;  // the previous key on this page
  bool bucket_root = false;      // popping it leaves the bucket
  bool check_keys = true;        // false: keys overlap, so they are not compared
  bool layout_checked = false;   // a misplaced element was found (and reported)
  uint64_t expect = 0;           // where the next element's key should start
};

// Buckets waiting for a walker, in the parallel walk.
class BucketQueue {
 public:
  struct Item {
    BucketPath path;
    BucketHeader header;
  };
  explicit BucketQueue(size_t max_waiting) : max_waiting_(max_waiting) {}

  // Queues a bucket unless enough are waiting already (then the caller
  // walks it itself).
  bool Offer(const BucketPath& path, const BucketHeader& header) {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_waiting_ || failed_) return false;
    queue_.push_back({path, header});
    cv_.notify_one();
    return true;
  }
  // Next bucket to walk; nullopt when nothing is queued or being walked.
  std::optional<Item> Take() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !queue_.empty() || busy_ == 0 || failed_; });
    if (queue_.empty() || failed_) return std::nullopt;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    return item;
  }
  void Done(const Status& s) {
    std::lock_guard lock(mu_);
    --busy_;
    if (!s.ok() && error_.ok()) {
      error_ = s;
      failed_ = true;
    }
    cv_.notify_all();
  }
  Status error() {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  const size_t max_waiting_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  int busy_ = 0;
  bool failed_ = false;
  Status error_;
};

class Walker {
 public:
  Walker(BoltFile& file, const Meta& meta, uint64_t file_size, ConcurrentPageSet& reached,
         TreeVisitor& visitor, const WalkLimits& limits, BucketQueue* queue = nullptr)
      : queue_(queue),
        file_(file),
        meta_(meta),
        file_size_(file_size),
        reached_(reached),
        visitor_(visitor),
        limits_(limits),
        page_size_(file.page_size()),
        file_pages_(file_size / file.page_size()) {}

  Status Run() {
    if (meta_.root.root == 0) {
      Found(FindingKind::kInvalidMeta, 0, "meta names no root bucket page (root 0)");
      return Status::OK();
    }
    return RunBucket({}, meta_.root, "the meta's root bucket");
  }

  // Walks the (non-inline) bucket at `path` and everything below it.
  Status RunBucket(BucketPath path, const BucketHeader& header, const std::string& what) {
    path_ = std::move(path);
    visitor_.EnterBucket(path_, header);
    ZB_ASSIGN_OR_RETURN(bool pushed, PushPage(header.root, 0, std::nullopt, std::nullopt, what));
    if (!pushed) {
      visitor_.LeaveBucket(path_);
      return Status::OK();
    }
    frames_[0].bucket_root = true;
    while (depth_ > 0) {
      Frame& f = frames_[depth_ - 1];
      if (f.next >= f.header.count) {
        Pop();
        continue;
      }
      const uint16_t i = f.next++;
      if (f.header.flags == kBranchPageFlag) {
        ZB_RETURN_IF_ERROR(VisitBranchElement(f, i));
      } else {
        ZB_RETURN_IF_ERROR(VisitLeafElement(f, i));
      }
    }
    return Status::OK();
  }

 private:
  void Found(FindingKind kind, Pgid page, std::string detail) {
    visitor_.Found(Finding{kind, page, std::move(detail)});
  }

  // Where a page was referenced from, for messages.
  std::string From() const {
    if (depth_ == 0) return "";
    const Frame& f = frames_[depth_ - 1];
    return f.id != 0 ? " (from page " + Num(f.id) + ")" : " (from an inline bucket)";
  }

  // Checks the order of `key`, element i of frame f; reports and returns false if wrong.
  void CheckOrder(Frame& f, uint16_t i, ByteSpan key) {
    const Pgid at = f.id;
    const std::string where = (f.id != 0 ? "" : "inline bucket page: ") + std::string("key ") +
                              Num(i) +
                              (f.header.flags == kBranchPageFlag ? " of branch" : " of leaf");
    if (f.prev && CompareKeys(*f.prev, key) >= 0) {
      Found(FindingKind::kKeyOrder, at,
            where + " is not greater than the key before it (keys out of order)");
    } else if (!f.prev && f.lo && CompareKeys(key, *f.lo) < 0) {
      Found(FindingKind::kKeyOrder, at,
            where + " is less than the key that leads to this page in its parent");
    }
    if (f.hi && CompareKeys(key, *f.hi) >= 0) {
      Found(FindingKind::kKeyOrder, at,
            where + " is not less than the next key in the parent (keys out of order)");
    }
    f.prev = key;
  }

  Status VisitBranchElement(Frame& f, uint16_t i) {
    auto e = DecodeBranchElement(f.page, i);
    if (!e) {
      Found(FindingKind::kBadElement, f.id,
            "branch element " + Num(i) + " has a key outside the page");
      f.next = f.header.count;
      return Status::OK();
    }
    if (!f.check_keys) return PushPage(e->child, f.level + 1, {}, {}, "").status();
    CheckOrder(f, i, e->key);
    std::optional<ByteSpan> hi = f.hi;
    if (i + 1 < f.header.count) {
      if (auto next = DecodeBranchElement(f.page, i + 1)) hi = next->key;
    }
    return PushPage(e->child, f.level + 1, e->key, hi, "").status();
  }

  Status VisitLeafElement(Frame& f, uint16_t i) {
    auto e = DecodeLeafElement(f.page, i);
    if (!e) {
      Found(FindingKind::kBadElement, f.id,
            std::string(f.id != 0 ? "" : "inline bucket page: ") + "leaf element " + Num(i) +
                " has a key or value outside the page");
      f.next = f.header.count;
      return Status::OK();
    }
    if (!InPlace(f, i, e->key, e->key.size() + e->value.size()) && !layout_disjoint_) {
      f.next = f.header.count;
      return Status::OK();
    }
    CheckOrder(f, i, e->key);
    if (e->flags & ~kBucketLeafFlag) {
      // bbolt reads only the bucket bit; any other bit is damage it misses.
      Found(FindingKind::kUnknownFlags, f.id,
            std::string(f.id != 0 ? "" : "inline bucket page: ") + "leaf element " + Num(i) +
                " has flags " + Hex(e->flags) + ", with bits bbolt does not define (" +
                Hex(e->flags & ~kBucketLeafFlag) + ")");
    }
    if (!e->is_bucket()) {
      visitor_.Key(path_, e->key, e->value);
      return Status::OK();
    }
    const Pgid at = f.id;
    auto header = DecodeBucketHeader(e->value);
    if (!header) {
      Found(FindingKind::kBadBucket, at,
            "bucket value of leaf element " + Num(i) + " is " + Num(e->value.size()) +
                " bytes, shorter than a bucket header");
      return Status::OK();
    }
    path_.emplace_back(reinterpret_cast<const char*>(e->key.data()), e->key.size());
    if (queue_ != nullptr && header->root != 0 && queue_->Offer(path_, *header)) {
      path_.pop_back();  // another walker takes it
      return Status::OK();
    }
    visitor_.EnterBucket(path_, *header);
    bool pushed = false;
    if (header->root == 0) {
      ZB_ASSIGN_OR_RETURN(pushed, PushInline(InlinePage(e->value), at));
    } else {
      ZB_ASSIGN_OR_RETURN(pushed,
                          PushPage(header->root, 0, std::nullopt, std::nullopt, "bucket root"));
    }
    if (pushed) {
      frames_[depth_ - 1].bucket_root = true;
    } else {
      visitor_.LeaveBucket(path_);
      path_.pop_back();
    }
    return Status::OK();
  }

  void Pop() {
    Frame& f = frames_[--depth_];
    if (f.bucket_root) {
      f.bucket_root = false;
      visitor_.LeaveBucket(path_);
      if (!path_.empty()) path_.pop_back();
    }
  }

  Frame* NewFrame(Pgid id) {
    if (depth_ >= limits_.max_depth) {
      Found(FindingKind::kTooDeep, id,
            "more than " + Num(limits_.max_depth) + " pages deep" + From() + "; not walked");
      return nullptr;
    }
    if (frames_.size() <= depth_) frames_.resize(depth_ + 1);
    Frame& f = frames_[depth_];
    f.next = 0;
    f.lo = f.hi = f.prev = std::nullopt;
    f.bucket_root = false;
    f.check_keys = true;
    f.layout_checked = false;
    f.expect = 0;
    return &f;
  }

  // A bucket stored inside its parent's leaf value.
  Result<bool> PushInline(ByteSpan page, Pgid parent) {
    auto h = DecodePageHeader(page);
    if (!h) {
      Found(FindingKind::kBadBucket, parent,
            "inline bucket value has no room for its page (" + Num(page.size()) + " bytes)");
      return false;
    }
    if (h->flags & ~kKnownPageFlags) {
      Found(FindingKind::kUnknownFlags, parent,
            "inline bucket page: " + UnknownFlags(h->flags) + ", expected leaf");
      return false;
    }
    if (h->flags != kLeafPageFlag) {
      Found(FindingKind::kWrongType, parent,
            "inline bucket page is " + PageTypeName(h->flags) + ", not leaf");
      return false;
    }
    if (uint64_t{h->count} * kElementSize > page.size() - kPageHeaderSize) {
      Found(FindingKind::kBadElement, parent,
            "inline bucket page claims " + Num(h->count) + " elements, more than fit");
      return false;
    }
    Frame* f = NewFrame(parent);
    if (f == nullptr) return false;
    // The page lies in the parent frame's buffer, which stays as it is while
    // this frame is on the stack. Not copying it keeps a chain of nested
    // inline buckets at one copy of the page, not one per level.
    f->page = page;
    f->header = *h;
    f->id = 0;
    f->level = 0;
    visitor_.Page(path_, PageVisit{0, *h, 0, true, page.size()});
    ++depth_;
    return true;
  }

  static std::string Hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
  }
  static std::string UnknownFlags(uint16_t flags) {
    return "page flags " + Hex(flags) + " have bits bbolt does not define (" +
           Hex(flags & ~kKnownPageFlags) + ")";
  }

  // Whether leaf element i's key and value, `size` bytes from `key`, lie where
  // bbolt writes them: right after the element before, the first anywhere
  // after the element headers. One comparison per element; the first
  // element that is not in place has the whole page looked at (CheckLayout),
  // which reports it and sets layout_disjoint_. The elements before it were
  // in place, so their bytes were read once each.
  bool InPlace(Frame& f, uint16_t i, ByteSpan key, uint64_t size) {
    const uint64_t begin = static_cast<uint64_t>(key.data() - f.page.data());
    const bool in_place = i == 0
                              ? begin >= kPageHeaderSize + uint64_t{f.header.count} * kElementSize
                              : begin == f.expect;
    f.expect = begin + size;
    if (in_place || f.layout_checked) return true;
    f.layout_checked = true;
    layout_disjoint_ = CheckLayout(f.page, f.header, f.id, f.id != 0 ? "" : "inline bucket page: ");
    return false;
  }

  // Reports where the elements' keys and values are not where bbolt writes
  // them. Returns whether they are disjoint: if not, visiting them could read
  // the same bytes once per element, so a leaf's elements from the first
  // misplaced one on are not walked and a branch's keys are not compared
  // (its children are still walked: they are pages, each walked once).
  bool CheckLayout(ByteSpan page, const PageHeader& h, Pgid id, const std::string& where) {
    const ElementLayout l = CheckElementLayout(page, h);
    if (l.problem == ElementLayout::Problem::kNone) return true;
    const bool branch = h.flags == kBranchPageFlag;
    const std::string what = std::string(branch ? "branch" : "leaf") + " element " +
                             Num(l.element) + "'s " + (branch ? "key" : "key and value");
    const std::string bytes = "bytes " + Num(l.begin) + ".." + Num(l.end) + " of the page";
    const std::string overlap = branch ? ") overlaps " : ") overlap ";
    const std::string skipped = l.disjoint ? ""
                                : branch   ? "; the page's keys are not compared"
                                           : "; from it on, the page's elements are not walked";
    switch (l.problem) {
      case ElementLayout::Problem::kOverlapsHeaders:
        Found(FindingKind::kOverlappingElements, id,
              where + what + " (" + bytes + overlap + "the element headers (bytes 16.." +
                  Num(kPageHeaderSize + uint64_t{h.count} * kElementSize) + ")" + skipped);
        break;
      case ElementLayout::Problem::kOverlapsElement:
        Found(FindingKind::kOverlappingElements, id,
              where + what + " (" + bytes + overlap + "element " + Num(l.other) + "'s" + skipped);
        break;
      default:
        Found(FindingKind::kNoncontiguousElements, id,
              where + what + (branch ? " starts" : " start") + " at byte " + Num(l.begin) +
                  " of the page, not at byte " + Num(l.expected) + " right after element " +
                  Num(l.element - 1) + "'s (bbolt writes them back to back)" +
                  (l.disjoint ? "" : "; other elements overlap" + skipped));
        break;
    }
    return l.disjoint;
  }

  // Reads page `id` and pushes it; false (with a finding) if it cannot be walked.
  Result<bool> PushPage(Pgid id, int level, std::optional<ByteSpan> lo, std::optional<ByteSpan> hi,
                        const std::string& what) {
    const std::string from = From();
    if (id < 2) {
      Found(FindingKind::kWrongType, id,
            "meta page referenced as a tree page" + (what.empty() ? "" : " by " + what) + from);
      return false;
    }
    if (id >= meta_.pgid) {
      Found(FindingKind::kBeyondHighWater, id,
            "beyond the high-water mark " + Num(meta_.pgid) + from);
      return false;
    }
    // Before the page set: it only covers pages inside the file, and this
    // bounds id * page_size_.
    if (id >= file_pages_) {
      Found(FindingKind::kTruncated, id,
            "lies past the end of the file (" + Num(file_size_) + " bytes)" + from);
      return false;
    }
    if (!reached_.TestAndSet(id)) {
      Found(FindingKind::kReachedTwice, id, "multiple references" + from);
      return false;
    }
    const uint64_t off = id * page_size_;
    Frame* f = NewFrame(id);
    if (f == nullptr) return false;
    f->buf.resize(page_size_);
    ZB_RETURN_IF_ERROR(file_.file().ReadExactly(off, f->buf));
    PageHeader h = *DecodePageHeader(f->buf);
    if (h.id != id) {
      Found(FindingKind::kIdMismatch, id, "page header says it is page " + Num(h.id) + from);
      return false;
    }
    const uint64_t overflow = h.overflow;
    if (overflow >= meta_.pgid - id) {
      Found(FindingKind::kBeyondHighWater, id,
            "overflow of " + Num(overflow) + " pages runs past the high-water mark " +
                Num(meta_.pgid) + from);
      return false;
    }
    const uint64_t bytes = (overflow + 1) * page_size_;
    if (bytes > limits_.max_page_bytes) {
      Found(FindingKind::kBadElement, id,
            "overflow of " + Num(overflow) + " pages is larger than " +
                Num(limits_.max_page_bytes >> 20) + " MiB" + from);
      return false;
    }
    if (off + bytes > file_size_) {
      Found(FindingKind::kTruncated, id,
            "overflow of " + Num(overflow) + " pages runs past the end of the file (" +
                Num(file_size_) + " bytes)" + from);
      return false;
    }
    for (uint64_t k = 1; k <= overflow; ++k) {
      if (!reached_.TestAndSet(id + k)) {
        Found(FindingKind::kReachedTwice, id + k,
              "multiple references (as overflow of page " + Num(id) + ")");
      }
    }
    const bool branch = h.flags == kBranchPageFlag, leaf = h.flags == kLeafPageFlag;
    if (h.flags & ~kKnownPageFlags) {
      Found(FindingKind::kUnknownFlags, id,
            UnknownFlags(h.flags) + ", expected branch or leaf" + from);
      visitor_.Page(path_, PageVisit{id, h, level, false, bytes});
      return false;
    }
    if (!branch && !leaf) {
      Found(FindingKind::kWrongType, id,
            "is " + PageTypeName(h.flags) + ", expected branch or leaf" + from);
      visitor_.Page(path_, PageVisit{id, h, level, false, bytes});
      return false;
    }
    if (overflow > 0) {
      f->buf.resize(bytes);
      ZB_RETURN_IF_ERROR(
          file_.file().ReadExactly(off + page_size_, MutableByteSpan(f->buf).subspan(page_size_)));
    }
    if (uint64_t{h.count} * kElementSize > bytes - kPageHeaderSize) {
      Found(FindingKind::kBadElement, id,
            "claims " + Num(h.count) + " elements, more than fit in " + Num(bytes) + " bytes");
      return false;
    }
    if (branch && h.count == 0) {
      Found(FindingKind::kBadElement, id, "branch page with no elements" + from);
      return false;
    }
    visitor_.Page(path_, PageVisit{id, h, level, false, bytes});
    f->page = f->buf;
    if (branch) {
      // A branch's next key bounds the child before it is visited, so its
      // layout is looked at whole, now (branch pages are few). Leaves are
      // looked at element by element (InPlace).
      f->layout_checked = true;
      f->check_keys = CheckLayout(f->page, h, id, "");
    }
    f->header = h;
    f->id = id;
    f->level = level;
    f->lo = lo;
    f->hi = hi;
    ++depth_;
    return true;
  }

  BucketQueue* queue_;
  BoltFile& file_;
  const Meta& meta_;
  const uint64_t file_size_;
  ConcurrentPageSet& reached_;
  TreeVisitor& visitor_;
  const WalkLimits& limits_;
  const uint64_t page_size_;
  const uint64_t file_pages_;    // whole pages in the file
  bool layout_disjoint_ = true;  // CheckLayout's verdict on the page it looked at last
  // frames_[0, depth_) is the stack. std::deque would also do; a vector is
  // fine because a Frame's key spans point into heap buffers, which stay put
  // when the vector grows.
  std::vector<Frame> frames_;
  size_t depth_ = 0;
  BucketPath path_;
};

}  // namespace

Status WalkTree(BoltFile& file, const Meta& meta, uint64_t file_size, ConcurrentPageSet& reached,
                TreeVisitor& visitor, const WalkLimits& limits) {
  return Walker(file, meta, file_size, reached, visitor, limits).Run();
}

Status WalkTreeParallel(BoltFile& file, const Meta& meta, uint64_t file_size,
                        ConcurrentPageSet& reached, TreeVisitor& visitor, int threads,
                        const WalkLimits& limits) {
  if (threads < 2 || meta.root.root == 0) {
    return WalkTree(file, meta, file_size, reached, visitor, limits);
  }
  BucketQueue queue(2 * static_cast<size_t>(threads));
  auto work = [&] {
    while (auto item = queue.Take()) {
      Walker w(file, meta, file_size, reached, visitor, limits, &queue);
      queue.Done(item->path.empty()
                     ? w.Run()
                     : w.RunBucket(std::move(item->path), item->header, "bucket root"));
    }
  };
  if (!queue.Offer({}, meta.root)) return Status::Aborted("bucket queue refused the root");
  std::vector<std::thread> helpers;
  for (int i = 1; i < threads; ++i) helpers.emplace_back(work);
  work();
  for (auto& t : helpers) t.join();
  return queue.error();
}

}  // namespace zb::bolt
