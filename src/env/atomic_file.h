// AtomicFile: the commit point for every file ziti-backup writes in place of
// a name (snapshots, stored objects, restores). Data goes to a file with no
// name in the target's directory (O_TMPFILE); Commit() fsyncs it, links it
// under a temp name, renames that over the final name and fsyncs the
// directory. Until then the final name is untouched and nothing shows in the
// directory; a process killed before Commit leaves nothing behind (the
// kernel frees the file), and one killed inside Commit at most the temp
// name, between its link and its rename. Where the file system has no
// O_TMPFILE the data goes to a named temp file ".<base>.tmp-<pid>-<random>"
// instead, which a later run can recognise and remove. If the object is destroyed
// uncommitted (error, unwinding) its data is gone either way.
// Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "env/env.h"

namespace zb {

class AtomicFile {
 public:
  // An unnamed file (mode 0600) in the directory of `final_path`, else the
  // named temp file. NotRegularFile if `final_path` exists as anything but
  // a regular file (a directory, a FIFO, a device).
  static Result<std::unique_ptr<AtomicFile>> Create(Env& env, const std::string& final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  WritableFile& file() { return *file_; }
  // Where the data can be read before Commit: /proc/self/fd/N for an
  // unnamed file, else the temp file's path.
  const std::string& temp_path() const { return temp_path_; }
  bool unnamed() const { return unnamed_; }
  const std::string& final_path() const { return final_path_; }

  // fsync, (link,) close, rename to the final path, fsync the directory.
  Status Commit();
  // Whether Commit got as far as the rename: the final path holds the new
  // data even if the directory fsync after it failed.
  bool renamed() const { return renamed_; }
  // Closes and drops the data; the final path is untouched.
  void Abandon();

 private:
  AtomicFile(Env& env, std::string final_path, std::string temp_path,
             std::unique_ptr<WritableFile> file, bool unnamed);
  Env& env_;
  std::string final_path_;
  std::string temp_path_;
  std::unique_ptr<WritableFile> file_;
  bool unnamed_;
  std::string linked_;  // an unnamed file's temp name once Commit linked it
  bool done_ = false;
  bool renamed_ = false;
};

// True for names AtomicFile uses for its temp files (so cleanup can find them).
bool IsAtomicTempName(const std::string& base_name);
// The start of every temp name AtomicFile gives a file for `final_path`,
// in its directory: ".<base>.tmp-".
std::string AtomicTempPrefix(const std::string& final_path);

// `bytes` as the whole of `path`, through AtomicFile (its directory made
// first, 0700, if missing).
Status WriteFileAtomically(Env& env, const std::string& path, std::string_view bytes);

}  // namespace zb
