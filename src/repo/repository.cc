#include "repo/repository.h"

#include <algorithm>
#include <map>
#include <set>

namespace zb::repo {

uint64_t Listing::NextSequence() const {
  uint64_t highest = 0;
  for (const SnapshotEntry& s : snapshots) highest = std::max(highest, s.manifest.sequence);
  return highest + 1;  // ParseManifest caps sequences far below overflow
}

size_t Listing::DamagedCount() const {
  return std::count_if(damaged.begin(), damaged.end(),
                       [](const DamagedSnapshot& d) { return !d.newer_format; });
}

std::vector<std::string> DataNamesOf(const SnapshotId& id) {
  return {DataName(id, true, false), DataName(id, false, false), DataName(id, true, true),
          DataName(id, false, true)};
}

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

Result<std::string> Repository::ReadManifest(const std::string& name) {
  StringSink text;
  LimitSink capped(
      text, kMaxManifestBytes,
      Status::Corruption("manifest " + name + ": more than " + std::to_string(kMaxManifestBytes) +
                         " bytes, more than a manifest can be"));
  ZB_RETURN_IF_ERROR(backend_.Get(name, capped));
  return text.data();
}

Result<Manifest> Repository::Load(const std::string& id) {
  const std::string name = id + ".json";
  auto text = ReadManifest(name);
  if (text.status().code() == Code::kNotFound) {
    return Status::NotFound("no snapshot " + id + " in " + backend_.Describe());
  }
  ZB_RETURN_IF_ERROR(text.status());
  ZB_ASSIGN_OR_RETURN(Manifest m, ParseManifest(*text, name));
  if (m.id != id) {
    return Status::Corruption("manifest " + name + " names snapshot " + m.id);
  }
  return m;
}

Result<Listing> Repository::List() {
  ZB_ASSIGN_OR_RETURN(std::vector<store::ObjectInfo> objects, backend_.List(""));
  Listing out;
  // Every id with a manifest object, readable or not: its data is never an
  // orphan, whatever the manifest says.
  std::set<std::string> with_manifest;
  std::map<std::string, std::vector<std::string>> data_of;  // id -> data objects present
  for (const store::ObjectInfo& o : objects) {
    auto name = ParseObjectName(o.name);
    if (!name.ok()) {
      out.foreign.push_back(o);
      continue;
    }
    const std::string id = name->id.ToString();
    if (name->kind == ObjectKind::kManifest) {
      with_manifest.insert(id);
    } else {
      data_of[id].push_back(o.name);
      if (name->kind != ObjectKind::kData) out.chain_objects.push_back(o);
    }
  }
  for (const store::ObjectInfo& o : objects) {
    auto name = ParseObjectName(o.name);
    if (!name.ok() || name->kind != ObjectKind::kManifest) continue;
    const std::string id = name->id.ToString();
    auto text = ReadListedManifest(o);
    if (text.status().code() == Code::kNotFound) {
      continue;  // removed since the listing (a prune elsewhere)
    }
    Result<Manifest> m = text.ok() ? ParseManifest(*text, o.name) : Result<Manifest>(text.status());
    if (m.ok() && m->id != id) {
      m = Status::Corruption("manifest " + o.name + " names snapshot " + m->id);
    }
    if (!m.ok()) {
      DamagedSnapshot d{id, o.name, data_of[id], m.status(), false};
      if (text.ok()) {
        if (auto format = DeclaredFormat(*text); format && *format > kManifestFormat) {
          d.newer_format = true;
        }
      }
      out.damaged.push_back(std::move(d));
      continue;
    }
    out.snapshots.push_back({std::move(m).value(), o.size});
  }
  std::stable_sort(out.snapshots.begin(), out.snapshots.end(),
                   [](const SnapshotEntry& a, const SnapshotEntry& b) {
                     const Manifest &x = a.manifest, &y = b.manifest;
                     if (x.sequence != y.sequence) return x.sequence < y.sequence;
                     if (x.created != y.created) return x.created < y.created;
                     return x.id < y.id;
                   });
  for (const store::ObjectInfo& o : objects) {
    auto name = ParseObjectName(o.name);
    if (name.ok() && name->kind == ObjectKind::kData && !with_manifest.count(name->id.ToString())) {
      out.orphans.push_back(o);
    }
  }
  for (store::ObjectInfo& o : Unneeded(out, {}, TimePoint::max())) {
    if (std::find(out.orphans.begin(), out.orphans.end(), o) == out.orphans.end()) {
      out.orphans.push_back(std::move(o));
    }
  }
  // Forget the manifests that are gone (pruned here or elsewhere).
  std::lock_guard lock(mu_);
  std::erase_if(manifests_, [&](const auto& entry) {
    const auto id = ParseObjectName(entry.first);
    return !id.ok() || with_manifest.count(id->id.ToString()) == 0;
  });
  return out;
}

Status Repository::Fetch(const Manifest& m, ByteSink& out) {
  return FetchObject(m.data_object, "snapshot " + m.id, out);
}

Status Repository::FetchObject(const std::string& name, const std::string& who, ByteSink& out) {
  Status s = backend_.Get(name, out);
  if (s.code() == Code::kNotFound) {
    return Status::Corruption(who + ": its data object " + name + " is missing from " +
                              backend_.Describe());
  }
  return s;
}

Result<std::string> Repository::ListedManifest(const std::string& name) {
  {
    std::lock_guard lock(mu_);
    if (auto it = manifests_.find(name); it != manifests_.end()) return it->second.second;
  }
  return ReadManifest(name);
}

Result<std::string> Repository::ReadListedManifest(const store::ObjectInfo& o) {
  {
    std::lock_guard lock(mu_);
    if (auto it = manifests_.find(o.name); it != manifests_.end() && it->second.first == o) {
      return it->second.second;
    }
  }
  ZB_ASSIGN_OR_RETURN(std::string text, ReadManifest(o.name));
  std::lock_guard lock(mu_);
  manifests_[o.name] = {o, text};
  return text;
}

Status Repository::Remove(const SnapshotId& id) {
  {
    std::lock_guard lock(mu_);
    manifests_.erase(ManifestName(id));
  }
  ZB_RETURN_IF_ERROR(backend_.Delete(ManifestName(id)));
  for (const std::string& name : DataNamesOf(id)) ZB_RETURN_IF_ERROR(backend_.Delete(name));
  return Status::OK();
}

std::vector<store::ObjectInfo> Repository::Unneeded(const Listing& l,
                                                    const std::set<std::string>& dropped,
                                                    TimePoint before) {
  std::vector<store::ObjectInfo> out;
  for (const auto& o : l.orphans) {
    if (o.modified < before) out.push_back(o);
  }
  if (!l.damaged.empty()) return out;  // a manifest we cannot read could name anything
  std::set<std::string> named;
  for (const SnapshotEntry& s : l.snapshots) {
    if (dropped.count(s.manifest.id)) continue;
    for (const StoredObject& o : s.manifest.objects) named.insert(o.name);
  }
  for (const auto& o : l.chain_objects) {
    if (named.count(o.name) || o.modified >= before) continue;
    if (std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
  }
  return out;
}

}  // namespace zb::repo
