#include "snapshot/cold_source.h"

#include "snapshot/quiescent_copy.h"

namespace zb::snapshot {

Result<Image> ColdSource::Take(WritableFile& out) {
  if (lock_ == nullptr) {
    auto lock = env_.TryLock(db_path_, LockMode::kShared);
    if (!lock.ok()) {
      if (lock.status().code() == Code::kBusy) {
        return Status::Busy(db_path_ +
                            " is in use: a running writer holds its lock, so a cold copy is "
                            "not possible; use --method hot or agent, or stop the controller");
      }
      return lock.status();
    }
    lock_ = std::move(lock).value();
  }
  ZB_ASSIGN_OR_RETURN(auto src, env_.OpenForRead(db_path_));
  auto image = CopyQuiescent(env_, *src, out, scrub_);
  lock_.reset();
  return image;
}

}  // namespace zb::snapshot
