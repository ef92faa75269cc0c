// How list, prune, verify and status describe a snapshot whose manifest
// cannot be read, so the operator sees the same words everywhere.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "repo/repository.h"

namespace zb::cli {

// "damaged: manifest x.json: ...; its objects are kept" or "written by a
// newer ziti-backup: ...; never touched".
std::string DamagedReason(const repo::DamagedSnapshot& d);
// [{id, manifest, data_objects, error, newer_format}]
nlohmann::json DamagedJson(const std::vector<repo::DamagedSnapshot>& damaged);

}  // namespace zb::cli
