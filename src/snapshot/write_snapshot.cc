#include "snapshot/write_snapshot.h"

#include <thread>
#include <vector>

#include "snapshot/scrub.h"

namespace zb::snapshot {
namespace {

Status RewriteMetas(WritableFile& out, const bolt::Meta& meta, uint32_t page_size) {
  std::vector<std::byte> page(page_size);
  bolt::EncodeMetaPage(meta, 0, page);
  ZB_RETURN_IF_ERROR(out.WriteAt(0, page));
  bolt::Meta older = meta;
  // As Tx.WriteTo, but txid 0 (a fresh DB whose meta 1 is damaged) must not
  // wrap to the highest txid, which would make slot 1 the latest.
  older.txid = meta.txid > 0 ? meta.txid - 1 : 0;
  bolt::EncodeMetaPage(older, 1, page);
  return out.WriteAt(page_size, page);
}

}  // namespace

Result<WriteResult> WriteSnapshotTo(Clock& clock, Source& source, AtomicFile& out,
                                    const WriteOptions& options, const Verifier& verify) {
  const auto start = clock.Steady();
  source.ScrubWhileCopying(options.scrub);
  ZB_ASSIGN_OR_RETURN(Image image, source.Take(out.file()));

  WriteResult result;
  const bolt::Meta& meta = image.meta;
  ZB_RETURN_IF_ERROR(RewriteMetas(out.file(), meta, image.page_size));
  if (options.scrub) {
    // Most free pages were written as zeroes while copying; zero the rest.
    std::vector<bolt::Pgid> left;
    for (bolt::Pgid id : image.free_pages) {
      if (id >= 2 && id < meta.pgid) {
        ++result.scrubbed_pages;
        if (!image.zeroed.Contains(id)) left.push_back(id);
      }
    }
    ZB_RETURN_IF_ERROR(ZeroPages(out.file(), left, image.page_size, meta.pgid).status());
  }
  result.bytes = meta.pgid * image.page_size;
  ZB_RETURN_IF_ERROR(out.file().Truncate(result.bytes));

  // The check needs the CPU and the fsync only the disk: run them side by
  // side. The file is complete; the check reads it through its own handle.
  Status checked;
  std::thread checker;
  if (verify) checker = std::thread([&] { checked = verify(out.temp_path(), meta); });
  Status synced = options.sync ? out.file().Sync() : Status::OK();
  if (checker.joinable()) checker.join();
  ZB_RETURN_IF_ERROR(synced);
  if (!checked.ok()) {
    return Status(checked.code(), "the " + image.method + " snapshot of txid " +
                                      std::to_string(meta.txid) +
                                      " failed its structural check, nothing was written to " +
                                      out.final_path() + ": " + checked.message());
  }
  result.image = std::move(image);
  result.elapsed = clock.Steady() - start;
  return result;
}

Result<WriteResult> WriteSnapshot(Env& env, Clock& clock, Source& source,
                                  const std::string& out_path, const WriteOptions& options,
                                  const Verifier& verify) {
  const auto start = clock.Steady();
  ZB_RETURN_IF_ERROR(env.CreateDir(DirName(out_path)));
  ZB_ASSIGN_OR_RETURN(auto out, AtomicFile::Create(env, out_path));
  ZB_ASSIGN_OR_RETURN(WriteResult result, WriteSnapshotTo(clock, source, *out, options, verify));
  ZB_RETURN_IF_ERROR(out->Commit());  // its fsync finds nothing left to write
  result.elapsed = clock.Steady() - start;
  return result;
}

}  // namespace zb::snapshot
