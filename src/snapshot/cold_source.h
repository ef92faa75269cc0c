// ColdSource: the DB is not being written. Takes a shared non-blocking flock
// on the file (a running bbolt writer holds an exclusive one, so a granted
// shared lock proves there is none) and copies under it.
#pragma once

#include <memory>
#include <string>

#include "snapshot/source.h"

namespace zb::snapshot {

class ColdSource final : public Source {
 public:
  // `lock` may be one already taken (auto mode); otherwise Take() takes it
  // and fails with kBusy if a writer holds the file.
  ColdSource(Env& env, std::string db_path, std::unique_ptr<FileLock> lock = nullptr)
      : env_(env), db_path_(std::move(db_path)), lock_(std::move(lock)) {}
  Result<Image> Take(WritableFile& out) override;

 private:
  Env& env_;
  std::string db_path_;
  std::unique_ptr<FileLock> lock_;
};

}  // namespace zb::snapshot
