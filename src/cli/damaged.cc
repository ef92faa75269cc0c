#include "cli/damaged.h"

namespace zb::cli {

std::string DamagedReason(const repo::DamagedSnapshot& d) {
  if (d.newer_format) {
    return "written by a newer ziti-backup: " + d.why.message() + "; never touched";
  }
  std::string kept = "; it has no data object";
  if (!d.data_objects.empty()) {
    kept = "; kept with its data";
    for (const std::string& name : d.data_objects) kept += " " + name;
  }
  return "damaged: " + d.why.message() + kept;
}

nlohmann::json DamagedJson(const std::vector<repo::DamagedSnapshot>& damaged) {
  nlohmann::json out = nlohmann::json::array();
  for (const repo::DamagedSnapshot& d : damaged) {
    out.push_back({{"id", d.id},
                   {"manifest", d.manifest},
                   {"data_objects", d.data_objects},
                   {"error", d.why.message()},
                   {"newer_format", d.newer_format}});
  }
  return out;
}

}  // namespace zb::cli
