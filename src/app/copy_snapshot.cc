#include "app/copy_snapshot.h"

#include <algorithm>
#include <thread>

#include "base/byte_pipe.h"
#include "codec/sha256_sink.h"

namespace zb::app {
namespace {

// Between the download and the upload: enough to keep both busy, small
// next to the upload's own buffers.
constexpr size_t kPipeBytes = 1 << 20;

// One object of `m` from `from` to `to`, streamed and checked against what
// the manifest says of it.
Status CopyObject(repo::Repository& from, repo::Repository& to, const repo::StoredObject& o,
                  const std::string& id, const std::string& where) {
  // The download runs on its own thread into the pipe, hashed on the way;
  // its verdict is how the pipe ends, so a mismatch reaches the upload as
  // an error before its last read, and every target's Put leaves nothing
  // behind when its source fails.
  BytePipe pipe(kPipeBytes);
  Status fetched;
  auto fetch = [&] {
    codec::Sha256Sink hashed(&pipe.sink());
    // More than the manifest says is damage too: stop reading there.
    LimitSink capped(hashed, o.stored_size,
                     Status::Corruption(where + ": " + o.name + " is longer than its " +
                                        std::to_string(o.stored_size) + " bytes"));
    fetched = from.FetchObject(o.name, "snapshot " + id, capped);
    if (fetched.ok()) fetched = hashed.Finish();
    if (fetched.ok() && (capped.bytes() != o.stored_size || hashed.hex() != o.stored_sha256)) {
      fetched = Status::Corruption(where + ": " + o.name + " does not match its manifest (size " +
                                   std::to_string(capped.bytes()) + " of " +
                                   std::to_string(o.stored_size) +
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
    put = to.PutData(o.name, pipe.source());
  }
  // The download's own error says more than the upload's report of it; an
  // abandoned download's error is only the echo of the upload's.
  if (!fetched.ok() && fetched.code() != Code::kAborted) return fetched;
  return put;
}

// An object of `m` the lock-protected destination already held: locked
// again, if need be, for as long as what is copied now (judged by the
// store's clock, which enforces it).
Status KeepLocked(store::ObjectLocks& locks, const std::string& name) {
  ZB_ASSIGN_OR_RETURN(store::LockState state, locks.State(name));
  const store::LockPolicy& policy = locks.policy();
  if (state.until && *state.until >= state.server_now + policy.duration) return Status::OK();
  return locks.Extend(name, policy.RetainUntil(state.server_now));
}

}  // namespace

Result<uint64_t> CopySnapshot(repo::Repository& from, repo::Repository& to,
                              const repo::Manifest& m) {
  const std::string where = m.id + " from " + from.backend().Describe();
  ZB_ASSIGN_OR_RETURN(const std::string manifest, from.ReadManifest(m.id + ".json"));
  // The text is what gets copied; it must still say what `m` says.
  ZB_ASSIGN_OR_RETURN(const repo::Manifest again, repo::ParseManifest(manifest, m.id + ".json"));
  if (again != m) return Status::Corruption(where + ": its manifest changed while it was copied");
  // A chain's object the destination holds already (another snapshot of
  // the chain brought it) is shared, not written again: one listing tells.
  std::vector<store::ObjectInfo> there;
  if (m.kind != repo::SnapshotKind::kFull) {
    ZB_ASSIGN_OR_RETURN(there, to.backend().List(""));
  }
  uint64_t copied = 0;
  for (const repo::StoredObject& o : repo::ObjectsOf(m)) {
    const bool held = std::any_of(there.begin(), there.end(), [&](const store::ObjectInfo& i) {
      return i.name == o.name && i.size == o.stored_size;
    });
    if (held) {
      if (store::ObjectLocks* locks = to.backend().locks()) {
        ZB_RETURN_IF_ERROR(KeepLocked(*locks, o.name));
      }
      continue;
    }
    ZB_RETURN_IF_ERROR(CopyObject(from, to, o, m.id, where));
    copied += o.stored_size;
  }
  StringSource text(manifest);
  ZB_RETURN_IF_ERROR(to.backend().Put(m.id + ".json", text));
  return copied;
}

}  // namespace zb::app
