// MemBackend: objects in memory, for tests and dry runs. Modification times
// come from the Clock it is given, so tests can age objects. Thread-safe.
#pragma once

#include <map>
#include <mutex>

#include "env/clock.h"
#include "store/backend.h"

namespace zb::store {

class MemBackend final : public Backend {
 public:
  explicit MemBackend(Clock& clock) : clock_(clock) {}
  Status Put(std::string_view name, ByteSource& data) override;
  Status Get(std::string_view name, ByteSink& out) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view name) override;
  std::string Describe() const override { return "mem://"; }

 private:
  struct Object {
    std::string data;
    TimePoint modified;
  };
  Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Object, std::less<>> objects_;
};

}  // namespace zb::store
