#include "repo/repository.h"

#include <map>
#include <set>

namespace zb::repo {

Status Repository::Store(const Manifest& m, ByteSource& data) {
  ZB_RETURN_IF_ERROR(PutData(m.data_object, data));
  return Commit(m);
}

Status Repository::PutData(const std::string& data_object, ByteSource& data) {
  return backend_.Put(data_object, data);
}

Status Repository::Commit(const Manifest& m) {
  StringSource manifest(ManifestToJson(m));
  return backend_.Put(m.id + ".json", manifest);
}

Result<Manifest> Repository::Load(const std::string& id) {
  const std::string name = id + ".json";
  StringSink sink;
  Status s = backend_.Get(name, sink);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("no snapshot " + id + " in " + backend_.Describe());
  }
  ZB_RETURN_IF_ERROR(s);
  ZB_ASSIGN_OR_RETURN(Manifest m, ParseManifest(sink.data(), name));
  if (m.id != id) {
    return Status::Corruption("manifest " + name + " names snapshot " + m.id);
  }
  return m;
}

Result<Listing> Repository::List() {
  ZB_ASSIGN_OR_RETURN(std::vector<store::ObjectInfo> objects, backend_.List(""));
  Listing out;
  std::set<std::string> referenced;
  for (const store::ObjectInfo& o : objects) {
    auto name = ParseObjectName(o.name);
    if (!name.ok() || name->kind != ObjectKind::kManifest) continue;
    auto m = Load(name->id.ToString());
    if (!m.ok()) {
      out.damaged.emplace_back(o.name, m.status());
      continue;
    }
    referenced.insert(m->data_object);
    out.snapshots.push_back({std::move(m).value(), o.size});
  }
  for (const store::ObjectInfo& o : objects) {
    auto name = ParseObjectName(o.name);
    if (name.ok() && name->kind == ObjectKind::kManifest) continue;
    if (!referenced.count(o.name)) out.orphans.push_back(o);
  }
  return out;
}

Status Repository::Fetch(const Manifest& m, ByteSink& out) {
  Status s = backend_.Get(m.data_object, out);
  if (s.code() == Code::kNotFound) {
    return Status::Corruption("snapshot " + m.id + ": its data object " + m.data_object +
                              " is missing from " + backend_.Describe());
  }
  return s;
}

Status Repository::Remove(const Manifest& m) {
  ZB_RETURN_IF_ERROR(backend_.Delete(m.id + ".json"));
  return backend_.Delete(m.data_object);
}

std::vector<store::ObjectInfo> Repository::OrphansOlderThan(const Listing& l,
                                                            TimePoint before) const {
  std::vector<store::ObjectInfo> out;
  for (const auto& o : l.orphans) {
    // Only our own data objects: a lock file or anything foreign stays.
    auto name = ParseObjectName(o.name);
    if (name.ok() && name->kind == ObjectKind::kData && o.modified < before) out.push_back(o);
  }
  return out;
}

}  // namespace zb::repo
