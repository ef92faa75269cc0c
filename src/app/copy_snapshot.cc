#include "app/copy_snapshot.h"

#include <thread>

#include "base/byte_pipe.h"
#include "codec/sha256_sink.h"

namespace zb::app {
namespace {

// Between the download and the upload: enough to keep both busy, small
// next to the upload's own buffers.
constexpr size_t kPipeBytes = 1 << 20;

}  // namespace

Result<uint64_t> CopySnapshot(repo::Repository& from, repo::Repository& to,
                              const repo::Manifest& m) {
  const std::string where = m.id + " from " + from.backend().Describe();
  ZB_ASSIGN_OR_RETURN(const std::string manifest, from.ReadManifest(m.id + ".json"));
  // The text is what gets copied; it must still say what `m` says.
  ZB_ASSIGN_OR_RETURN(const repo::Manifest again, repo::ParseManifest(manifest, m.id + ".json"));
  if (again.stored_sha256 != m.stored_sha256 || again.data_object != m.data_object) {
    return Status::Corruption(where + ": its manifest changed while it was copied");
  }

  // The download runs on its own thread into the pipe, hashed on the way;
  // its verdict is how the pipe ends, so a mismatch reaches the upload as
  // an error before its last read, and every target's Put leaves nothing
  // behind when its source fails.
  BytePipe pipe(kPipeBytes);
  Status fetched;
  auto fetch = [&] {
    codec::Sha256Sink hashed(&pipe.sink());
    // More than the manifest says is damage too: stop reading there.
    LimitSink capped(hashed, m.stored_size,
                     Status::Corruption(where + ": " + m.data_object + " is longer than its " +
                                        std::to_string(m.stored_size) + " bytes"));
    fetched = from.Fetch(m, capped);
    if (fetched.ok()) fetched = hashed.Finish();
    if (fetched.ok() && (capped.bytes() != m.stored_size || hashed.hex() != m.stored_sha256)) {
      fetched = Status::Corruption(
          where + ": " + m.data_object + " does not match its manifest (size " +
          std::to_string(capped.bytes()) + " of " + std::to_string(m.stored_size) +
          ", or its SHA-256); nothing was copied");
    }
    pipe.Close(fetched);
  };
  std::thread download;
  try {
    download = std::thread(fetch);
  } catch (const std::system_error& e) {
    return Status::IOError(where + ": cannot start a thread: " + e.what());
  }
  // However the upload ends (an error, an exception), the download is told
  // to stop and is waited for: an upload that gave up must not leave it
  // waiting for room in the pipe.
  struct StopDownload {
    BytePipe& pipe;
    std::thread& thread;
    ~StopDownload() {
      pipe.Abandon();
      thread.join();
    }
  };
  Status put;
  {
    StopDownload stop{pipe, download};
    put = to.PutData(m.data_object, pipe.source());
  }
  // The download's own error says more than the upload's report of it; an
  // abandoned download's error is only the echo of the upload's.
  if (!fetched.ok() && fetched.code() != Code::kAborted) return fetched;
  ZB_RETURN_IF_ERROR(put);

  StringSource text(manifest);
  ZB_RETURN_IF_ERROR(to.backend().Put(m.id + ".json", text));
  return m.stored_size;
}

}  // namespace zb::app
