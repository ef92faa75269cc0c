#include "store/mem_backend.h"

namespace zb::store {

Status MemBackend::Put(std::string_view name, ByteSource& data) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(data.Rewind());
  StringSink sink;
  ZB_RETURN_IF_ERROR(Pump(data, sink).status());  // nothing is stored unless all was read
  std::lock_guard lock(mu_);
  objects_[std::string(name)] = Object{sink.data(), clock_.Now()};
  return Status::OK();
}

Status MemBackend::Get(std::string_view name, ByteSink& out) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  std::string data;
  {
    std::lock_guard lock(mu_);
    auto it = objects_.find(name);
    if (it == objects_.end()) {
      return Status::NotFound("mem://: no object " + std::string(name));
    }
    data = it->second.data;
  }
  return out.Write(AsBytes(data));
}

Result<std::vector<ObjectInfo>> MemBackend::List(std::string_view prefix) {
  std::lock_guard lock(mu_);
  std::vector<ObjectInfo> out;
  for (auto it = objects_.lower_bound(prefix);
       it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back({it->first, it->second.data.size(), it->second.modified});
  }
  return out;
}

Status MemBackend::Delete(std::string_view name) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  std::lock_guard lock(mu_);
  if (auto it = objects_.find(name); it != objects_.end()) objects_.erase(it);
  return Status::OK();
}

}  // namespace zb::store
