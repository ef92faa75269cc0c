#include "repo/manifest.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "repo/page_pack.h"
#include "repo/snapshot_id.h"

namespace zb::repo {

using nlohmann::json;

namespace {

// A manifest nests three levels; a text nested much deeper is hostile and
// is refused before a parser recurses into it.
constexpr int kMaxDepth = 16;

// The deepest nesting of arrays and objects in `text`, outside strings;
// stops counting past `limit`.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) break;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// The value of a whole-number field within T's range. nlohmann's get<T>
// would cast a negative number or a float silently (and an out-of-range
// float is undefined behaviour): a manifest is untrusted input.
template <class T>
T Whole(const json& v, const char* name) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i >= 0 || std::numeric_limits<T>::is_signed) {
      if (static_cast<__int128>(i) >= static_cast<__int128>(std::numeric_limits<T>::min()) &&
          static_cast<__int128>(i) <= static_cast<__int128>(std::numeric_limits<T>::max())) {
        return static_cast<T>(i);
      }
    }
  }
  throw std::runtime_error(std::string("field \"") + name + "\" is not a whole number in range");
}

// 64 lowercase hex digits.
bool IsSha256Hex(const std::string& h) {
  return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string_view RoleName(ObjectRole r) {
  switch (r) {
    case ObjectRole::kBase:
      return "base";
    case ObjectRole::kPages:
      return "pages";
    case ObjectRole::kFull:
      break;
  }
  return "full";
}

// The name an object of `role` for `id` has under the manifest's encoding.
std::string NameFor(ObjectRole role, const SnapshotId& id, const std::string& chain,
                    bool compressed, bool encrypted) {
  switch (role) {
    case ObjectRole::kBase:
      return BaseName(id, chain, compressed, encrypted);
    case ObjectRole::kPages:
      return PagesName(id, chain, compressed, encrypted);
    case ObjectRole::kFull:
      break;
  }
  return DataName(id, compressed, encrypted);
}

// Checks the chain fields of a parsed base or incremental manifest; the
// reason it is damaged, or "".
std::string ChainProblem(const Manifest& m) {
  const bool compressed = m.compression == "zstd", encrypted = !m.recipients.empty();
  if (m.objects.empty()) return "lists no objects";
  if (m.kind == SnapshotKind::kBase && m.objects.size() != 1) {
    return "is a base but lists " + std::to_string(m.objects.size()) + " objects";
  }
  if (m.kind == SnapshotKind::kIncremental && m.objects.size() < 2) {
    return "is incremental but lists no page pack";
  }
  if (!ValidPageSize(m.page_size)) {
    return "page size " + std::to_string(m.page_size) + " is not one bbolt has";
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < m.objects.size(); ++i) {
    const StoredObject& o = m.objects[i];
    const std::string what = "object \"" + o.name + "\"";
    const ObjectRole want = i == 0 ? ObjectRole::kBase : ObjectRole::kPages;
    if (o.role != want)
      return what + " has role " + std::string(RoleName(o.role)) + ", expected " +
             std::string(RoleName(want));
    auto name = ParseObjectName(o.name);
    if (!name.ok() || NameFor(o.role, name->id, m.chain, compressed, encrypted) != o.name) {
      return what + " is not a name its role, chain and the manifest's encoding give";
    }
    if (!seen.insert(o.name).second) return what + " is listed twice";
    if (!IsSha256Hex(o.stored_sha256)) {
      return what + ": \"" + o.stored_sha256 + "\" is not a SHA-256 in hex";
    }
    if (o.role == ObjectRole::kBase) {
      if (o.plain_size % m.page_size != 0) return what + " is not a whole number of pages";
    } else {
      const uint64_t per = uint64_t{8} + m.page_size;
      if (o.plain_size < kPagePackHeaderBytes || (o.plain_size - kPagePackHeaderBytes) % per != 0) {
        return what + ": " + std::to_string(o.plain_size) + " bytes is no page pack's size";
      }
      if ((o.plain_size - kPagePackHeaderBytes) / per > o.page_count) {
        return what + " holds more pages than its image has";
      }
    }
  }
  const StoredObject& own = m.objects.back();
  if (own.name != m.data_object || own.stored_size != m.stored_size ||
      own.stored_sha256 != m.stored_sha256) {
    return "its last object is not its data object " + m.data_object;
  }
  if (m.kind == SnapshotKind::kBase && own.plain_size != m.plain_size) {
    return "its base is not its image's size";
  }
  if (m.kind == SnapshotKind::kIncremental) {
    if (own.page_count != m.high_water || own.txid != m.txid) {
      return "its own pack is not made for its image";
    }
    if (!ParseSnapshotId(m.parent).ok()) return "parent \"" + m.parent + "\" is not an id";
  }
  if (m.plain_size != m.high_water * m.page_size) {
    return "its image is not its high-water mark of pages";
  }
  return "";
}

}  // namespace

std::string_view KindName(SnapshotKind k) {
  switch (k) {
    case SnapshotKind::kBase:
      return "base";
    case SnapshotKind::kIncremental:
      return "incremental";
    case SnapshotKind::kFull:
      break;
  }
  return "full";
}

std::vector<StoredObject> ObjectsOf(const Manifest& m) {
  if (m.kind != SnapshotKind::kFull) return m.objects;
  return {StoredObject{m.data_object, ObjectRole::kFull, m.stored_size, m.stored_sha256,
                       m.plain_size, m.high_water, m.txid}};
}

std::string ManifestToJson(const Manifest& m) {
  json j;
  j["format"] = m.format;
  j["sequence"] = m.sequence;
  j["id"] = m.id;
  j["created"] = FormatRfc3339(m.created);
  j["data_object"] = m.data_object;
  j["source"] = m.source;
  j["method"] = m.method;
  j["attempts"] = m.attempts;
  j["meta_fallback"] = m.meta_fallback ? json{{"damaged_txid", m.meta_fallback->damaged_txid},
                                              {"used_txid", m.meta_fallback->used_txid},
                                              {"reason", m.meta_fallback->reason}}
                                       : json(nullptr);
  j["bolt"] = {{"page_size", m.page_size}, {"txid", m.txid}, {"high_water", m.high_water}};
  j["plain"] = {{"size", m.plain_size}, {"sha256", m.plain_sha256}};
  j["stored"] = {{"size", m.stored_size}, {"sha256", m.stored_sha256}};
  j["compression"] = {{"type", m.compression}, {"level", m.compression_level}};
  j["encryption"] =
      m.recipients.empty() ? json(nullptr) : json{{"type", "age"}, {"recipients", m.recipients}};
  j["duration_seconds"] = m.duration_seconds;
  j["tool_version"] = m.tool_version;
  j["host"] = m.host;
  if (m.ziti) {
    j["ziti"] = {{"raft_index", m.ziti->raft_index ? json(*m.ziti->raft_index) : json(nullptr)},
                 {"cluster_id", m.ziti->cluster_id ? json(*m.ziti->cluster_id) : json(nullptr)},
                 {"entities", m.ziti->entities}};
  } else {
    j["ziti"] = nullptr;
  }
  // Older versions ignore it; without a lock the format is as it was.
  if (m.lock) j["lock"] = {{"mode", m.lock->mode}, {"until", FormatRfc3339(m.lock->until)}};
  // Older versions' format stays exactly as it was.
  if (m.kind != SnapshotKind::kFull) {
    j["kind"] = KindName(m.kind);
    j["chain"] = m.chain;
    j["parent"] = m.parent.empty() ? json(nullptr) : json(m.parent);
    j["objects"] = json::array();
    for (const StoredObject& o : m.objects) {
      json e = {{"name", o.name},
                {"role", RoleName(o.role)},
                {"stored_size", o.stored_size},
                {"stored_sha256", o.stored_sha256},
                {"plain_size", o.plain_size}};
      if (o.role == ObjectRole::kPages) {
        e["page_count"] = o.page_count;
        e["txid"] = o.txid;
      }
      j["objects"].push_back(std::move(e));
    }
  }
  return j.dump(2) + "\n";
}

Result<Manifest> ParseManifest(std::string_view text, std::string_view object) {
  const std::string where = "manifest " + std::string(object);
  if (text.size() > kMaxManifestBytes) {
    return Status::Corruption(where + ": " + std::to_string(text.size()) +
                              " bytes, more than a manifest can be");
  }
  if (NestingDepth(text, kMaxDepth) > kMaxDepth) {
    return Status::Corruption(where + ": nested deeper than a manifest is");
  }
  // nlohmann throws; nothing here lets an exception leave this function.
  try {
    const json j = json::parse(text);
    auto field = [&](const json& parent, const char* name) -> const json& {
      if (!parent.is_object() || !parent.contains(name)) {
        throw std::runtime_error(std::string("missing field \"") + name + "\"");
      }
      return parent.at(name);
    };
    Manifest m;
    m.format = Whole<int>(field(j, "format"), "format");
    if (m.format > kManifestFormat) {
      return Status::Corruption(where + ": format " + std::to_string(m.format) +
                                " is newer than this ziti-backup reads (" +
                                std::to_string(kManifestFormat) + ")");
    }
    if (j.contains("sequence")) m.sequence = Whole<uint64_t>(j.at("sequence"), "sequence");
    if (m.sequence > kMaxSequence) {
      return Status::Corruption(where + ": sequence " + std::to_string(m.sequence) +
                                " is beyond any real count");
    }
    m.id = field(j, "id").get<std::string>();
    auto created = ParseRfc3339(field(j, "created").get<std::string>());
    if (!created.ok()) return Status::Corruption(where + ": " + created.status().message());
    m.created = *created;
    m.data_object = field(j, "data_object").get<std::string>();
    m.source = field(j, "source").get<std::string>();
    m.method = field(j, "method").get<std::string>();
    if (j.contains("attempts")) m.attempts = Whole<int>(j.at("attempts"), "attempts");
    if (j.contains("meta_fallback") && !j.at("meta_fallback").is_null()) {
      const json& f = j.at("meta_fallback");
      m.meta_fallback = MetaFallback{Whole<uint64_t>(field(f, "damaged_txid"), "damaged_txid"),
                                     Whole<uint64_t>(field(f, "used_txid"), "used_txid"),
                                     field(f, "reason").get<std::string>()};
    }
    const json& bolt = field(j, "bolt");
    m.page_size = Whole<uint32_t>(field(bolt, "page_size"), "page_size");
    m.txid = Whole<uint64_t>(field(bolt, "txid"), "txid");
    m.high_water = Whole<uint64_t>(field(bolt, "high_water"), "high_water");
    m.plain_size = Whole<uint64_t>(field(field(j, "plain"), "size"), "size");
    m.plain_sha256 = field(field(j, "plain"), "sha256").get<std::string>();
    m.stored_size = Whole<uint64_t>(field(field(j, "stored"), "size"), "size");
    m.stored_sha256 = field(field(j, "stored"), "sha256").get<std::string>();
    m.compression = field(field(j, "compression"), "type").get<std::string>();
    m.compression_level = Whole<int>(field(field(j, "compression"), "level"), "level");
    if (const json& e = field(j, "encryption"); !e.is_null()) {
      // Only age, to at least one recipient, each named by a fingerprint:
      // these strings reach operators' terminals in errors.
      if (field(e, "type") != "age") throw std::runtime_error("encryption type is not \"age\"");
      m.recipients = field(e, "recipients").get<std::vector<std::string>>();
      if (m.recipients.empty()) throw std::runtime_error("encryption without recipients");
      for (const std::string& r : m.recipients) {
        const bool hex = r.size() == 23 && r.starts_with("sha256:") &&
                         r.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
        if (!hex) throw std::runtime_error("a recipient that is not a sha256: fingerprint");
      }
    }
    if (const json& d = field(j, "duration_seconds"); d.is_number()) {
      m.duration_seconds = d.get<double>();
    } else {
      throw std::runtime_error("field \"duration_seconds\" is not a number");
    }
    m.tool_version = field(j, "tool_version").get<std::string>();
    m.host = field(j, "host").get<std::string>();
    if (const json& z = field(j, "ziti"); !z.is_null()) {
      ZitiInfo info;
      if (const json& r = field(z, "raft_index"); !r.is_null()) {
        info.raft_index = Whole<int64_t>(r, "raft_index");
      }
      if (const json& c = field(z, "cluster_id"); !c.is_null())
        info.cluster_id = c.get<std::string>();
      const json& entities = field(z, "entities");
      if (!entities.is_object()) throw std::runtime_error("field \"entities\" is not an object");
      for (const auto& [name, count] : entities.items()) {
        info.entities[name] = Whole<uint64_t>(count, "entities");
      }
      m.ziti = std::move(info);
    }
    if (j.contains("lock")) {
      const json& l = field(j, "lock");
      ManifestLock lock{field(l, "mode").get<std::string>(), {}};
      if (lock.mode != "COMPLIANCE" && lock.mode != "GOVERNANCE") {
        return Status::Corruption(where + ": unknown lock mode \"" + lock.mode + "\"");
      }
      auto until = ParseRfc3339(field(l, "until").get<std::string>());
      if (!until.ok()) return Status::Corruption(where + ": " + until.status().message());
      lock.until = *until;
      m.lock = std::move(lock);
    }
    for (const std::string* h : {&m.plain_sha256, &m.stored_sha256}) {
      if (!IsSha256Hex(*h)) {
        return Status::Corruption(where + ": \"" + *h + "\" is not a SHA-256 in hex");
      }
    }
    if (m.compression != "zstd" && m.compression != "none") {
      return Status::Corruption(where + ": unknown compression \"" + m.compression + "\"");
    }
    if (m.format >= kChainManifestFormat) {
      const std::string kind = field(j, "kind").get<std::string>();
      if (kind == "base") {
        m.kind = SnapshotKind::kBase;
      } else if (kind == "incremental") {
        m.kind = SnapshotKind::kIncremental;
        m.parent = field(j, "parent").get<std::string>();
      } else {
        return Status::Corruption(where + ": unknown kind \"" + kind + "\"");
      }
      m.chain = field(j, "chain").get<std::string>();
      const json& objects = field(j, "objects");
      if (!objects.is_array()) throw std::runtime_error("field \"objects\" is not a list");
      for (const json& e : objects) {
        StoredObject o;
        o.name = field(e, "name").get<std::string>();
        const std::string role = field(e, "role").get<std::string>();
        if (role != "base" && role != "pages") {
          return Status::Corruption(where + ": unknown role \"" + role + "\"");
        }
        o.role = role == "base" ? ObjectRole::kBase : ObjectRole::kPages;
        o.stored_size = Whole<uint64_t>(field(e, "stored_size"), "stored_size");
        o.stored_sha256 = field(e, "stored_sha256").get<std::string>();
        o.plain_size = Whole<uint64_t>(field(e, "plain_size"), "plain_size");
        if (o.role == ObjectRole::kPages) {
          o.page_count = Whole<uint64_t>(field(e, "page_count"), "page_count");
          o.txid = Whole<uint64_t>(field(e, "txid"), "txid");
        }
        m.objects.push_back(std::move(o));
      }
    }
    // Every name the manifest implies is derived from its id: the data
    // object must be the one name the id, its kind and the encoding give.
    auto id = ParseSnapshotId(m.id);
    if (!id.ok()) return Status::Corruption(where + ": " + id.status().message());
    const ObjectRole own = m.kind == SnapshotKind::kFull   ? ObjectRole::kFull
                           : m.kind == SnapshotKind::kBase ? ObjectRole::kBase
                                                           : ObjectRole::kPages;
    if (m.kind != SnapshotKind::kFull && !ValidChainTag(m.chain)) {
      return Status::Corruption(where + ": chain \"" + m.chain + "\" is not 16 hex digits");
    }
    const std::string data =
        NameFor(own, *id, m.chain, m.compression == "zstd", !m.recipients.empty());
    if (m.data_object != data) {
      return Status::Corruption(where + ": data_object \"" + m.data_object + "\" is not " + data +
                                ", the name its id and encoding give");
    }
    if (m.kind != SnapshotKind::kFull) {
      if (std::string why = ChainProblem(m); !why.empty()) {
        return Status::Corruption(where + ": " + why);
      }
    }
    return m;
  } catch (const std::exception& e) {
    return Status::Corruption(where + ": " + e.what());
  }
}

std::optional<int64_t> DeclaredFormat(std::string_view text) {
  if (text.size() > kMaxManifestBytes || NestingDepth(text, kMaxDepth) > kMaxDepth) {
    return std::nullopt;
  }
  try {
    const json j = json::parse(text);
    if (j.is_object() && j.contains("format") && j.at("format").is_number_integer()) {
      return j.at("format").get<int64_t>();
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace zb::repo
