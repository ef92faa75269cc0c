#include "app/copy_snapshot.h"

#include "codec/sha256_sink.h"
#include "env/atomic_file.h"
#include "env/file_sink.h"
#include "env/file_source.h"
#include "snapshot/source.h"

namespace zb::app {

Result<uint64_t> CopySnapshot(Env& env, repo::Repository& from, repo::Repository& to,
                              const repo::Manifest& m, const std::string& work_dir) {
  const std::string where = m.id + " from " + from.backend().Describe();
  ZB_ASSIGN_OR_RETURN(const std::string manifest, from.ReadManifest(m.id + ".json"));
  // The text is what gets copied; it must still say what `m` says.
  ZB_ASSIGN_OR_RETURN(const repo::Manifest again, repo::ParseManifest(manifest, m.id + ".json"));
  if (again.stored_sha256 != m.stored_sha256 || again.data_object != m.data_object) {
    return Status::Corruption(where + ": its manifest changed while it was copied");
  }

  ZB_RETURN_IF_ERROR(env.CreateDir(work_dir));
  ZB_ASSIGN_OR_RETURN(
      auto scratch,
      AtomicFile::Create(env, snapshot::RunFileName(work_dir, env.Pid(), m.id + ".copy")));
  FileSink file(scratch->file());
  codec::Sha256Sink hashed(&file);
  // More than the manifest says is damage too: stop reading there.
  LimitSink capped(hashed, m.stored_size,
                   Status::Corruption(where + ": " + m.data_object + " is longer than its " +
                                      std::to_string(m.stored_size) + " bytes"));
  ZB_RETURN_IF_ERROR(from.Fetch(m, capped));
  ZB_RETURN_IF_ERROR(hashed.Finish());
  if (capped.bytes() != m.stored_size || hashed.hex() != m.stored_sha256) {
    return Status::Corruption(where + ": " + m.data_object + " does not match its manifest (size " +
                              std::to_string(capped.bytes()) + " of " +
                              std::to_string(m.stored_size) +
                              ", or its SHA-256); nothing was copied");
  }

  ZB_ASSIGN_OR_RETURN(auto readable, env.OpenForRead(scratch->temp_path()));
  FileSource data(*readable);
  ZB_RETURN_IF_ERROR(to.PutData(m.data_object, data));
  StringSource text(manifest);
  ZB_RETURN_IF_ERROR(to.backend().Put(m.id + ".json", text));
  return m.stored_size;
}

}  // namespace zb::app
