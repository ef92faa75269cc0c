// The XML bodies Azure Blob sends and takes: errors, List Blobs pages and
// the Put Block List request. Parsed with Boost.PropertyTree's XML reader;
// every field is checked before use (a size is a decimal that fits, a time
// is an HTTP date, a name marked Encoded="true" is percent-decoded once).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"

namespace zb::store {

struct AzureErrorBody {
  std::string code;     // "AuthenticationFailed"; empty if the body is not an error
  std::string message;  // its first line: the rest is "RequestId:...\nTime:..."
};

// An error body; an unreadable one gives empty fields (the status code is
// still the caller's to report).
AzureErrorBody ParseAzureError(std::string_view xml);

struct AzureBlob {
  std::string name;  // decoded
  uint64_t size = 0;
  TimePoint modified;
};

struct AzureListPage {
  std::vector<AzureBlob> blobs;  // BlobPrefix entries ("folders") are left out
  std::string next_marker;       // empty on the last page
};

// A List Blobs result (EnumerationResults). kIOError naming `where` and the
// field for anything malformed.
Result<AzureListPage> ParseListBlobs(std::string_view xml, std::string_view where);

// The Put Block List request body committing these block ids, in order.
std::string BlockListXml(const std::vector<std::string>& block_ids);

}  // namespace zb::store
