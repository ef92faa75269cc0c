// The XML bodies S3 sends and takes: errors, ListObjectsV2 pages,
// multipart uploads (initiate, list, complete), object versions and Object
// Lock (configuration, retention). Parsed with
// Boost.PropertyTree's XML reader; every field is checked before use (a
// size is a decimal that fits, a time is RFC 3339, a key is url-decoded
// exactly once). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "base/result.h"

namespace zb::store {

struct S3ErrorBody {
  std::string code;     // "NoSuchKey"; empty if the body is not an S3 error
  std::string message;  // the server's text, may be empty (Ceph)
};

// An error body; an unreadable one gives empty fields (the status code is
// still the caller's to report).
S3ErrorBody ParseS3Error(std::string_view xml);

struct S3Object {
  std::string key;  // decoded
  uint64_t size = 0;
  TimePoint modified;
};

struct S3ListPage {
  std::vector<S3Object> objects;
  bool truncated = false;
  std::string next_token;  // NextContinuationToken, when truncated
};

// A ListObjectsV2 result requested with encoding-type=url. kIOError naming
// `where` and the field for anything malformed.
Result<S3ListPage> ParseListObjectsV2(std::string_view xml, std::string_view where);

// The UploadId of an InitiateMultipartUploadResult.
Result<std::string> ParseUploadId(std::string_view xml, std::string_view where);

struct S3Upload {
  std::string key;  // decoded
  std::string upload_id;
  TimePoint initiated;
};

struct S3UploadsPage {
  std::vector<S3Upload> uploads;
  bool truncated = false;
  std::string next_key_marker, next_upload_id_marker;
};

// A ListMultipartUploadsResult requested with encoding-type=url.
Result<S3UploadsPage> ParseListMultipartUploads(std::string_view xml, std::string_view where);

// One entry of a ListObjectVersions result: a version or a delete marker.
struct S3Version {
  std::string key;  // decoded
  std::string version_id;
  bool latest = false;
  bool delete_marker = false;
  uint64_t size = 0;  // 0 for a delete marker
  TimePoint modified;
};

struct S3VersionsPage {
  std::vector<S3Version> versions;  // as listed: by key, newest first
  bool truncated = false;
  std::string next_key_marker, next_version_id_marker;
};

// A ListVersionsResult requested with encoding-type=url.
Result<S3VersionsPage> ParseListObjectVersions(std::string_view xml, std::string_view where);

// Whether a GetObjectLockConfiguration answer says Object Lock is enabled.
Result<bool> ParseObjectLockEnabled(std::string_view xml, std::string_view where);

// The PutObjectRetention request body.
std::string RetentionXml(std::string_view mode, TimePoint until);

// The CompleteMultipartUpload request body for parts 1..N with these ETags
// (as the server returned them, quotes included).
std::string CompleteMultipartXml(const std::vector<std::string>& etags);

// Percent-decoding as S3's encoding-type=url does it ('+' is a space).
Result<std::string> UrlDecode(std::string_view text);

}  // namespace zb::store
