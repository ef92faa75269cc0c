// ParseTargetUrl: a target as an operator writes it, to what it names.
// Pure; thread-safe. Every error names the URL and says what is accepted.
//   file:///var/backups/ziti           a local directory (absolute path)
//   file://localhost/var/backups/ziti  the same (RFC 8089)
//   file:///mnt/my%20disk              percent-escapes are decoded
//   s3://bucket/ziti/ctrl1             objects "ziti/ctrl1/<name>" in a bucket
//   s3://bucket?region=eu-west-1&endpoint=https://minio.example:9000
//   s3://bucket/ziti?keep-daily=30&keep-monthly=24   its own retention
//   azblob://acct/backups/ziti         blobs "ziti/<name>" in container
//                                      "backups" of storage account "acct"
//   azblob://devstoreaccount1/c?endpoint=http://127.0.0.1:10000/devstoreaccount1
// Refused: another host, a relative path, "." or ".." segments, the root
// directory, a fragment, control characters (raw or escaped), bad escapes,
// an option the scheme does not know (named, with the accepted ones), and
// schemes this version does not store to.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace zb::store {

struct TargetUrl {
  std::string scheme;     // "file", "s3" or "azblob"
  std::string path;       // file: the absolute directory, decoded, no trailing '/'
  std::string bucket;     // s3: the bucket
  std::string account;    // azblob: the storage account
  std::string container;  // azblob: the container
  // s3, azblob: the key prefix, decoded, without leading or trailing '/':
  // objects are "<prefix>/<name>", or "<name>" when it is empty.
  std::string prefix;
  // s3, azblob: the query's options, decoded, in the order written, each
  // named at most once and known to the scheme (kS3Options, kAzblobOptions).
  std::vector<std::pair<std::string, std::string>> options;
  // Any scheme: the target's own retention (kRetentionOptions), decoded,
  // in the order written, unparsed: the caller judges the values.
  std::vector<std::pair<std::string, std::string>> retention;
  bool operator==(const TargetUrl&) const = default;

  // The option's value, or "" if the URL does not set it.
  std::string Option(std::string_view name) const;
};

// The options an s3:// URL may carry: endpoint (a URL), region, style
// (auto, path or virtual), profile (an AWS profile name), ca-bundle (a
// PEM file), and object-lock (a duration) with object-lock-mode
// (store/object_lock.h).
inline constexpr std::string_view kS3Options[] = {
    "endpoint", "region", "style", "profile", "ca-bundle", "object-lock", "object-lock-mode"};

// The retention options any target may carry ("file:///b?keep-daily=1").
inline constexpr std::string_view kRetentionOptions[] = {
    "keep-last",    "keep-hourly", "keep-daily", "keep-weekly",
    "keep-monthly", "keep-yearly", "keep-within"};
// The options an azblob:// URL may carry: endpoint (a URL; with a path of
// the account name for path-style services such as Azurite) and ca-bundle
// (a PEM file). Credentials come from the environment only
// (store/azure_settings.h).
inline constexpr std::string_view kAzblobOptions[] = {"endpoint", "ca-bundle"};

Result<TargetUrl> ParseTargetUrl(std::string_view url);

}  // namespace zb::store
