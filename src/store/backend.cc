#include "store/backend.h"

namespace zb::store {

Status ValidateObjectName(std::string_view name) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("invalid object name \"" + std::string(name) + "\": " + why);
  };
  if (name.empty()) return bad("empty");
  if (name.size() > 200) return bad("longer than 200 characters");
  if (name[0] == '.') return bad("starts with '.'");
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return bad("only letters, digits, '.', '_' and '-' are allowed");
  }
  return Status::OK();
}

}  // namespace zb::store
