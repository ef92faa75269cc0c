#include "repo/snapshot_id.h"

#include <cstdio>

namespace zb::repo {
namespace {

constexpr size_t kStampLen = 16;  // YYYYMMDDTHHMMSSZ

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string SnapshotId::ToString() const {
  const CivilTime c = Zone::Utc().ToCivil(created);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return db_name + "-" + stamp;
}

Result<SnapshotId> ParseSnapshotId(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("\"" + std::string(text) +
                                   "\" is not a snapshot id (<db-name>-YYYYMMDDTHHMMSSZ)");
  };
  if (text.size() < kStampLen + 2 || text[text.size() - kStampLen - 1] != '-') return bad();
  const std::string_view stamp = text.substr(text.size() - kStampLen);
  CivilTime c;
  if (!Digits(stamp, 0, 4, &c.year) || !Digits(stamp, 4, 2, &c.month) ||
      !Digits(stamp, 6, 2, &c.day) || stamp[8] != 'T' || !Digits(stamp, 9, 2, &c.hour) ||
      !Digits(stamp, 11, 2, &c.minute) || !Digits(stamp, 13, 2, &c.second) || stamp[15] != 'Z') {
    return bad();
  }
  SnapshotId id{std::string(text.substr(0, text.size() - kStampLen - 1)), Zone::Utc().FromCivil(c)};
  if (Zone::Utc().ToCivil(id.created) != c) return bad();  // 2026-02-30 and the like
  for (char ch : id.db_name) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '.' || ch == '_' || ch == '-')) {
      return bad();
    }
  }
  if (id.db_name.empty() || id.db_name[0] == '.') return bad();
  return id;
}

std::string DbNameFromPath(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  if (EndsWith(name, ".db")) name.resize(name.size() - 3);
  for (char& ch : name) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '.' || ch == '_' || ch == '-')) {
      ch = '_';
    }
  }
  if (name.empty() || name[0] == '.') name = "db" + name;
  return name;
}

SnapshotId MakeSnapshotId(const std::string& db_name, TimePoint created) {
  return SnapshotId{db_name, std::chrono::floor<std::chrono::seconds>(created)};
}

std::string ObjectName::ToString() const {
  switch (kind) {
    case ObjectKind::kManifest:
      return ManifestName(id);
    case ObjectKind::kBase:
      return BaseName(id, chain, compressed, encrypted);
    case ObjectKind::kPages:
      return PagesName(id, chain, compressed, encrypted);
    case ObjectKind::kData:
      break;
  }
  return DataName(id, compressed, encrypted);
}

std::string ManifestName(const SnapshotId& id) { return id.ToString() + ".json"; }

namespace {

std::string Encoded(std::string name, bool compressed, bool encrypted) {
  return name + (compressed ? ".zst" : "") + (encrypted ? ".age" : "");
}

}  // namespace

std::string DataName(const SnapshotId& id, bool compressed, bool encrypted) {
  return Encoded(id.ToString() + ".db", compressed, encrypted);
}

std::string BaseName(const SnapshotId& id, const std::string& chain, bool compressed,
                     bool encrypted) {
  return Encoded(id.ToString() + ".base-" + chain, compressed, encrypted);
}

std::string PagesName(const SnapshotId& id, const std::string& chain, bool compressed,
                      bool encrypted) {
  return Encoded(id.ToString() + ".pages-" + chain, compressed, encrypted);
}

bool ValidChainTag(std::string_view tag) {
  return tag.size() == 16 && tag.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Result<ObjectName> ParseObjectName(std::string_view name) {
  ObjectName out;
  std::string_view rest = name;
  if (EndsWith(rest, ".json")) {
    out.kind = ObjectKind::kManifest;
    rest.remove_suffix(5);
  } else {
    out.kind = ObjectKind::kData;
    if (EndsWith(rest, ".age")) {
      out.encrypted = true;
      rest.remove_suffix(4);
    }
    if (EndsWith(rest, ".zst")) {
      out.compressed = true;
      rest.remove_suffix(4);
    }
    // ".base-<chain>" / ".pages-<chain>": the last dot-separated part.
    const size_t dot = rest.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? "" : rest.substr(dot + 1);
    const size_t dash = last.find('-');
    const std::string_view kind = last.substr(0, dash);
    if (last == "db") {
      rest.remove_suffix(3);
    } else if ((kind == "base" || kind == "pages") && dash != std::string_view::npos &&
               ValidChainTag(last.substr(dash + 1))) {
      out.kind = kind == "base" ? ObjectKind::kBase : ObjectKind::kPages;
      out.chain = std::string(last.substr(dash + 1));
      rest.remove_suffix(last.size() + 1);
    } else {
      return Status::InvalidArgument("\"" + std::string(name) + "\" is not a snapshot object");
    }
  }
  auto id = ParseSnapshotId(rest);
  if (!id.ok()) {
    return Status::InvalidArgument("\"" + std::string(name) + "\" is not a snapshot object");
  }
  out.id = std::move(id).value();
  return out;
}

}  // namespace zb::repo
