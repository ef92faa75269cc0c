// AtomicFile: the commit point for every file ziti-backup writes in place of
// a name (snapshots, restores). Data goes to a temp file in the target's
// directory; Commit() fsyncs it, renames it over the final name and fsyncs
// the directory. Until then the final name is untouched; if the object is
// destroyed uncommitted (error, crash unwinding) the temp file is removed.
// Not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "env/env.h"

namespace zb {

class AtomicFile {
 public:
  // Creates "<dir>/.<base>.tmp-<pid>-<random>" (mode 0600) next to `final_path`.
  static Result<std::unique_ptr<AtomicFile>> Create(Env& env, const std::string& final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  WritableFile& file() { return *file_; }
  const std::string& temp_path() const { return temp_path_; }
  const std::string& final_path() const { return final_path_; }

  // fsync, close, rename to the final path, fsync the directory.
  Status Commit();
  // Closes and removes the temp file; the final path is untouched.
  void Abandon();

 private:
  AtomicFile(Env& env, std::string final_path, std::string temp_path,
             std::unique_ptr<WritableFile> file);
  Env& env_;
  std::string final_path_;
  std::string temp_path_;
  std::unique_ptr<WritableFile> file_;
  bool done_ = false;
};

// True for names AtomicFile uses for its temp files (so cleanup can find them).
bool IsAtomicTempName(const std::string& base_name);

}  // namespace zb
