// RemoveOnExit: removes a file a run made for itself (the controller's
// agent snapshot, a restore's side file) when the scope ends, whatever the
// outcome; a removal that fails is left to the next run's cleanup of dead
// runs' files. Not thread-safe.
#pragma once

#include <string>

#include "env/env.h"

namespace zb {

class RemoveOnExit {
 public:
  RemoveOnExit(Env& env, std::string path) : env_(env), path_(std::move(path)) {}
  ~RemoveOnExit() { env_.Remove(path_).IgnoreError(); }
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;

 private:
  Env& env_;
  std::string path_;
};

}  // namespace zb
