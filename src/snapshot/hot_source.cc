#include "snapshot/hot_source.h"

#include <algorithm>
#include <cstdio>

#include "base/page_set.h"
#include "bolt/file.h"
#include "bolt/freelist.h"
#include "snapshot/commit_tracker.h"
#include "snapshot/meta_fallback.h"
#include "snapshot/page_copier.h"

namespace zb::snapshot {
namespace {

bool Retryable(const Status& s) { return s.code() == Code::kAborted && s.retryable(); }

Status Retry(std::string why) { return Status(Code::kAborted, std::move(why), true); }

class Attempt {
 public:
  Attempt(Env& env, Clock& clock, bolt::BoltFile& file, WritableFile& out,
          const HotOptions& options, bool scrub)
      : env_(env),
        clock_(clock),
        file_(file),
        out_(out),
        options_(options),
        scrub_(scrub),
        tracker_(file) {}

  Result<Image> Run() {
    ZB_ASSIGN_OR_RETURN(bolt::MetaChoice first, file_.ReadLatestMeta());
    ZB_RETURN_IF_ERROR(file_.CheckHighWater(first.meta));
    first_ = first;
    if (first.meta.freelist == bolt::kNoFreelist) return RunFenced(first.meta);
    ZB_RETURN_IF_ERROR(tracker_.Start());
    ZB_RETURN_IF_ERROR(BulkCopy(tracker_.latest().pgid));
    for (int round = 0; round < options_.max_rounds; ++round) {
      const bolt::Meta target = tracker_.latest();
      ZB_RETURN_IF_ERROR(CopyMaybeWritten(target));
      ZB_RETURN_IF_ERROR(tracker_.Poll());
      if (tracker_.latest() == target) {
        return WithFallback(
            Image{target, file_.page_size(), tracker_.latest_free(), "hot", 1, std::move(zeroed_)});
      }
    }
    return Retry("the writer kept committing through " + std::to_string(options_.max_rounds) +
                 " catch-up rounds");
  }

 private:
  // Copies [0, pgid) in small chunks and looks for commits between chunks,
  // so the tracker sees every commit even when the writer commits in bursts
  // (tens of microseconds apart). One thread on purpose: a separate poller
  // thread competes with the copy for a core and loses exactly when the
  // writer bursts.
  // Pages free in the starting commit are written as zeroes (the scrub,
  // done while copying); catch-up rounds copy over those that come into use.
  Status BulkCopy(bolt::Pgid pgid) {
    zeroed_ = PageSet(pgid);
    if (scrub_) {
      for (bolt::Pgid id : tracker_.latest_free()) {
        if (id >= 2) zeroed_.Insert(id);
      }
    }
    PageCopier copier(file_.file(), out_, file_.page_size(), &zeroed_);
    const uint64_t chunk = std::max<uint64_t>(1, options_.chunk_bytes / file_.page_size());
    for (bolt::Pgid at = 0; at < pgid; at += chunk) {
      ZB_RETURN_IF_ERROR(copier.Copy(at, std::min(chunk, pgid - at), chunk));
      ZB_RETURN_IF_ERROR(tracker_.Poll());
    }
    return Status::OK();
  }

  // Re-copies every page of `target` that may have changed since it was
  // copied: pages the writer may have touched, minus those free in target.
  Status CopyMaybeWritten(const bolt::Meta& target) {
    PageSet todo(target.pgid);
    tracker_.maybe_written().ForEachRun([&](uint64_t first, uint64_t n) {
      for (uint64_t id = first; id < first + n; ++id) todo.Insert(id);
    });
    for (bolt::Pgid id = tracker_.written_floor(); id < target.pgid; ++id) todo.Insert(id);
    for (bolt::Pgid id : tracker_.latest_free()) todo.Erase(id);
    todo.Erase(0);  // meta pages are rewritten from `target` afterwards
    todo.Erase(1);
    Status s;
    todo.ForEachRun([&](uint64_t first, uint64_t n) {
      for (uint64_t id = first; id < first + n; ++id) zeroed_.Erase(id);
      if (s.ok()) s = CopyBytes(first * file_.page_size(), n * file_.page_size());
    });
    return s;
  }

  // Files without a persisted freelist: the whole copy between two looks.
  Result<Image> RunFenced(const bolt::Meta& meta) {
    ZB_RETURN_IF_ERROR(CopyBytes(0, meta.pgid * file_.page_size()));
    ZB_ASSIGN_OR_RETURN(bolt::MetaChoice after, file_.ReadLatestMeta());
    if (!(after.meta == meta)) {
      return Retry("txid " + std::to_string(after.meta.txid) + " was committed during the copy " +
                   "(this file has no persisted freelist, so commits cannot be tracked)");
    }
    return WithFallback(Image{meta, file_.page_size(), {}, "hot", 1, {}});
  }

  // A damaged newer meta counts only when it was there, unchanged, when the
  // attempt began and after the copy: one read while the writer writes it
  // can look damaged for an instant.
  Result<Image> WithFallback(Image image) {
    if (!bolt::DetectMetaFallback(first_, file_.pages())) return image;
    ZB_ASSIGN_OR_RETURN(bolt::MetaChoice end, file_.ReadLatestMeta());
    if (!(first_.meta == image.meta && end.meta == image.meta && end.other == first_.other)) {
      return image;
    }
    ZB_ASSIGN_OR_RETURN(image.meta_fallback,
                        CheckMetaFallback(file_.file().path(), end, file_.pages()));
    return image;
  }

  Status CopyBytes(uint64_t off, uint64_t len) {
    ZB_ASSIGN_OR_RETURN(uint64_t n, env_.CopyRange(file_.file(), off, out_, off, len));
    if (n != len) {
      return Status::Corruption(file_.file().path() + ": file ends at " + std::to_string(off + n) +
                                " bytes, inside the pages its meta says are in use");
    }
    return Status::OK();
  }

  Env& env_;
  Clock& clock_;
  bolt::BoltFile& file_;
  WritableFile& out_;
  const HotOptions& options_;
  const bool scrub_;
  CommitTracker tracker_;
  PageSet zeroed_;          // pages written as zeroes and not copied over since
  bolt::MetaChoice first_;  // the meta when the attempt began
};

}  // namespace

Result<Image> HotSource::Take(WritableFile& out) {
  ZB_ASSIGN_OR_RETURN(auto src, env_.OpenForRead(db_path_));
  ZB_ASSIGN_OR_RETURN(bolt::BoltFile file, bolt::BoltFile::Open(*src));
  const auto start = clock_.Steady();
  // The commit rate for the error message comes from txids, which count the
  // commits we missed too.
  ZB_ASSIGN_OR_RETURN(bolt::MetaChoice first, file.ReadLatestMeta());
  auto backoff = options_.first_backoff;
  // The previous look at the writer, for the commit rate each retry reports.
  uint64_t seen_txid = first.meta.txid;
  auto seen_at = start;
  auto report_retry = [&](int attempt, const Status& why) {
    RetryInfo info{.attempt = attempt, .why = why, .backoff = backoff};
    const auto now_at = clock_.Steady();
    if (auto now = file.ReadLatestMeta(); now.ok()) {
      info.commits = now->meta.txid > seen_txid ? now->meta.txid - seen_txid : 0;
      const double secs = std::chrono::duration<double>(now_at - seen_at).count();
      info.commits_per_second = secs > 0 ? info.commits / secs : 0.0;
      seen_txid = now->meta.txid;
      seen_at = now_at;
    }
    options_.on_retry(info);
  };
  Status last;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    Attempt a(env_, clock_, file, out, options_, scrub_);
    auto image = a.Run();
    if (image.ok()) {
      image->attempts = attempt;
      return image;
    }
    if (!Retryable(image.status())) return image.status();
    last = image.status();
    if (attempt < options_.max_attempts) {
      if (options_.on_retry) report_retry(attempt, last);
      if (!clock_.SleepFor(backoff)) return Status::Aborted("stopped during hot snapshot");
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
  const double secs = std::chrono::duration<double>(clock_.Steady() - start).count();
  auto now = file.ReadLatestMeta();
  const uint64_t commits = now.ok() ? now->meta.txid - first.meta.txid : 0;
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.0f", secs > 0 ? commits / secs : 0.0);
  return Status::Aborted(
      "hot snapshot of " + db_path_ + " gave up after " + std::to_string(options_.max_attempts) +
      " attempts in " + std::to_string(static_cast<int>(secs * 1000)) + "ms; the writer " +
      "committed about " + rate + " transactions/s while we copied; last " +
      "attempt: " + last.message() + ". Use --method agent (ask the controller) or cold (stop it)");
}

}  // namespace zb::snapshot
