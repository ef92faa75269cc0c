#include "repo/manifest.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace zb::repo {

using nlohmann::json;

namespace {

// An integer field as T. nlohmann's get<T>() converts any number, so a
// negative size wrapped and 2e125 was undefined behaviour (found by
// fuzz/manifest); a value T cannot hold is damage.
template <class T>
T Integer(const json& v, const char* name) {
  if (v.is_number_unsigned() && v.get<uint64_t>() <= uint64_t{std::numeric_limits<T>::max()}) {
    return static_cast<T>(v.get<uint64_t>());
  }
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    const int64_t i = v.get<int64_t>();
    if (i >= int64_t{std::numeric_limits<T>::min()} &&
        (i < 0 || uint64_t(i) <= uint64_t{std::numeric_limits<T>::max()})) {
      return static_cast<T>(i);
    }
  }
  throw std::runtime_error(std::string("field \"") + name +
                           "\" is not an integer in range: " + v.dump());
}

}  // namespace

std::string ManifestToJson(const Manifest& m) {
  json j;
  j["format"] = m.format;
  j["id"] = m.id;
  j["created"] = FormatRfc3339(m.created);
  j["data_object"] = m.data_object;
  j["source"] = m.source;
  j["method"] = m.method;
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
  return j.dump(2) + "\n";
}

Result<Manifest> ParseManifest(std::string_view text, std::string_view object) {
  const std::string where = "manifest " + std::string(object);
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
    m.format = Integer<int>(field(j, "format"), "format");
    if (m.format > kManifestFormat) {
      return Status::Corruption(where + ": format " + std::to_string(m.format) +
                                " is newer than this ziti-backup reads (" +
                                std::to_string(kManifestFormat) + ")");
    }
    m.id = field(j, "id").get<std::string>();
    auto created = ParseRfc3339(field(j, "created").get<std::string>());
    if (!created.ok()) return Status::Corruption(where + ": " + created.status().message());
    m.created = *created;
    m.data_object = field(j, "data_object").get<std::string>();
    m.source = field(j, "source").get<std::string>();
    m.method = field(j, "method").get<std::string>();
    const json& bolt = field(j, "bolt");
    m.page_size = Integer<uint32_t>(field(bolt, "page_size"), "page_size");
    m.txid = Integer<uint64_t>(field(bolt, "txid"), "txid");
    m.high_water = Integer<uint64_t>(field(bolt, "high_water"), "high_water");
    m.plain_size = Integer<uint64_t>(field(field(j, "plain"), "size"), "size");
    m.plain_sha256 = field(field(j, "plain"), "sha256").get<std::string>();
    m.stored_size = Integer<uint64_t>(field(field(j, "stored"), "size"), "size");
    m.stored_sha256 = field(field(j, "stored"), "sha256").get<std::string>();
    m.compression = field(field(j, "compression"), "type").get<std::string>();
    m.compression_level = Integer<int>(field(field(j, "compression"), "level"), "level");
    if (const json& e = field(j, "encryption"); !e.is_null()) {
      m.recipients = field(e, "recipients").get<std::vector<std::string>>();
    }
    m.duration_seconds = field(j, "duration_seconds").get<double>();
    m.tool_version = field(j, "tool_version").get<std::string>();
    m.host = field(j, "host").get<std::string>();
    if (const json& z = field(j, "ziti"); !z.is_null()) {
      ZitiInfo info;
      if (const json& r = field(z, "raft_index"); !r.is_null())
        info.raft_index = Integer<int64_t>(r, "raft_index");
      if (const json& c = field(z, "cluster_id"); !c.is_null())
        info.cluster_id = c.get<std::string>();
      const json& entities = field(z, "entities");
      if (!entities.is_object()) throw std::runtime_error("field \"entities\" is not an object");
      for (const auto& [name, count] : entities.items()) {
        info.entities[name] = Integer<uint64_t>(count, "entities");
      }
      m.ziti = std::move(info);
    }
    for (const std::string* h : {&m.plain_sha256, &m.stored_sha256}) {
      if (h->size() != 64 || h->find_first_not_of("0123456789abcdef") != std::string::npos) {
        return Status::Corruption(where + ": \"" + *h + "\" is not a SHA-256 in hex");
      }
    }
    if (m.compression != "zstd" && m.compression != "none") {
      return Status::Corruption(where + ": unknown compression \"" + m.compression + "\"");
    }
    return m;
  } catch (const std::exception& e) {
    return Status::Corruption(where + ": " + e.what());
  }
}

}  // namespace zb::repo
