#include "store/s3_versions.h"

#include <algorithm>

#include "base/duration.h"
#include "store/http_text.h"

namespace zb::store {
namespace {

constexpr uint64_t kMaxListBody = 16 << 20;
constexpr int kMaxListPages = 1'000'000;
// More versions of one name than this are not ziti-backup's doing.
constexpr size_t kMaxVersionsPerName = 1000;

ByteSpan Bytes(const std::string& s) {
  return ByteSpan(reinterpret_cast<const std::byte*>(s.data()), s.size());
}

}  // namespace

Result<std::map<std::string, S3Versions::Versions>> S3Versions::ListAll(
    const std::string& full, bool markers_too, std::vector<S3Version>* raw) {
  const S3Settings& s = requests_.settings();
  const size_t strip = s.prefix.empty() ? 0 : s.prefix.size() + 1;
  std::map<std::string, Versions> out;
  std::string key_marker, id_marker;
  for (int page = 0;; ++page) {
    if (page >= kMaxListPages) {
      return Status::IOError(Describe() + ": more than " + std::to_string(kMaxListPages) +
                             " pages of versions");
    }
    S3Call call{
        .method = "GET",
        .name = "object versions",
        .query = {
            {"versions", ""}, {"prefix", full}, {"delimiter", "/"}, {"encoding-type", "url"}}};
    if (!key_marker.empty()) call.query.push_back({"key-marker", key_marker});
    if (!id_marker.empty()) call.query.push_back({"version-id-marker", id_marker});
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call, &body, kMaxListBody));
    if (!r.success()) return requests_.Failure(call, r);
    ZB_ASSIGN_OR_RETURN(S3VersionsPage list,
                        ParseListObjectVersions(body, Describe() + ": list versions"));
    for (S3Version& v : list.versions) {
      if (!v.key.starts_with(full)) {
        return Status::IOError(Describe() + ": the server listed \"" + v.key +
                               "\", which is outside the prefix");
      }
      std::string name = v.key.substr(strip);
      if (name.empty() || name.front() == '.' || name.find('/') != std::string::npos) continue;
      Versions& e = out[name];
      if (v.latest) e.hidden = v.delete_marker;
      if (raw != nullptr && (markers_too || !v.delete_marker)) raw->push_back(v);
      if (v.delete_marker) continue;
      if (e.data.size() >= kMaxVersionsPerName) {
        return Status::IOError(Describe() + ": more than " + std::to_string(kMaxVersionsPerName) +
                               " versions of " + name);
      }
      e.data.push_back(std::move(v));
    }
    if (!list.truncated) break;
    if (list.next_key_marker == key_marker && list.next_version_id_marker == id_marker) {
      return Status::IOError(Describe() + ": the server repeated a version marker");
    }
    key_marker = list.next_key_marker;
    id_marker = list.next_version_id_marker;
  }
  for (auto it = out.begin(); it != out.end();) {
    if (it->second.data.empty()) {
      it = out.erase(it);
      continue;
    }
    std::stable_sort(
        it->second.data.begin(), it->second.data.end(),
        [](const S3Version& a, const S3Version& b) { return a.modified > b.modified; });
    ++it;
  }
  return out;
}

Result<std::vector<ObjectInfo>> S3Versions::List(std::string_view prefix) {
  const S3Settings& s = requests_.settings();
  const std::string full =
      s.prefix.empty() ? std::string(prefix) : s.prefix + "/" + std::string(prefix);
  ZB_ASSIGN_OR_RETURN(auto all, ListAll(full, false, nullptr));
  std::vector<ObjectInfo> out;
  for (const auto& [name, v] : all) {
    const S3Version& read = v.data.back();
    out.push_back({name, read.size, read.modified});
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, v] : all) seen_[name] = std::move(v);
  return out;
}

Result<S3Versions::Versions> S3Versions::Lookup(const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = seen_.find(name);
    if (it != seen_.end()) return it->second;
  }
  ZB_ASSIGN_OR_RETURN(auto all, ListAll(requests_.settings().Key(name), false, nullptr));
  auto it = all.find(name);
  if (it == all.end()) return Status::NotFound(Describe() + ": no object " + name);
  std::lock_guard<std::mutex> lock(mu_);
  seen_[name] = it->second;
  return it->second;
}

Result<std::string> S3Versions::ReadVersion(const std::string& name) {
  ZB_ASSIGN_OR_RETURN(Versions v, Lookup(name));
  return v.data.back().version_id;
}

Status S3Versions::DeleteAll(const std::string& name) {
  const std::string key = requests_.settings().Key(name);
  std::vector<S3Version> raw;
  ZB_RETURN_IF_ERROR(ListAll(key, true, &raw).status());
  {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.erase(name);
  }
  // Data first, markers last: a removal the store refuses half way leaves
  // the name readable, as it was.
  std::stable_partition(raw.begin(), raw.end(),
                        [](const S3Version& v) { return !v.delete_marker; });
  for (const S3Version& v : raw) {
    if (v.key != key) continue;
    S3Call call{
        .method = "DELETE",
        .name = name + (v.delete_marker ? " (delete marker " : " (version ") + v.version_id + ")",
        .key = key,
        .query = {{"versionId", v.version_id}}};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
    if (!r.success() && r.status != 404) return requests_.Failure(call, r);
  }
  return Status::OK();
}

Result<LockState> S3Versions::State(const std::string& name) {
  ZB_ASSIGN_OR_RETURN(Versions v, Lookup(name));
  LockState state;
  state.hidden = v.hidden;
  const std::string key = requests_.settings().Key(name);
  for (const S3Version& version : v.data) {
    S3Call head{.method = "HEAD",
                .name = name + " (version " + version.version_id + ")",
                .key = key,
                .query = {{"versionId", version.version_id}}};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(head));
    if (r.status == 404) continue;  // removed meanwhile
    if (!r.success()) return requests_.Failure(head, r);
    if (auto date = r.Header("Date")) {
      if (auto t = ParseHttpDate(*date); t.ok()) state.server_now = *t;
    }
    auto until_text = r.Header("x-amz-object-lock-retain-until-date");
    if (!until_text) continue;
    auto until = ParseRfc3339(*until_text);
    if (!until.ok()) {
      return Status::IOError(Describe() + ": HEAD " + name + ": a bad retain-until date \"" +
                             *until_text + "\"");
    }
    if (!state.until || *until > *state.until) {
      state.until = *until;
      state.mode = r.Header("x-amz-object-lock-mode").value_or("");
    }
  }
  if (state.server_now == TimePoint{}) state.server_now = requests_.clock().Now();
  return state;
}

Status S3Versions::Extend(const std::string& name, RetentionMode mode, TimePoint until) {
  ZB_ASSIGN_OR_RETURN(std::string version, ReadVersion(name));
  return LockVersion(name, version, mode, until);
}

Status S3Versions::LockVersion(const std::string& name, const std::string& version,
                               RetentionMode mode, TimePoint until) {
  const std::string xml = RetentionXml(RetentionModeName(mode), until);
  S3Call call{.method = "PUT",
              .name = name + " (retention)",
              .key = requests_.settings().Key(name),
              .query = {{"retention", ""}},
              .body = Bytes(xml),
              .content_md5 = true};
  if (!version.empty()) call.query.push_back({"versionId", version});
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
  if (r.success()) return Status::OK();
  if (r.status == 403) {
    // Refused as a shortening when it is already locked for longer (an
    // earlier run re-locked it, or compliance where we asked governance).
    S3Call head{.method = "HEAD", .name = name, .key = call.key};
    if (!version.empty()) head.query.push_back({"versionId", version});
    ZB_ASSIGN_OR_RETURN(net::HttpResponse h, requests_.Do(head));
    auto now = h.Header("x-amz-object-lock-retain-until-date");
    auto current = now ? ParseRfc3339(*now) : Result<TimePoint>(Status::NotFound(""));
    if (h.success() && current.ok() && *current >= until) return Status::OK();
    // A compliance lock cannot become governance (the URL's mode changed):
    // it is extended as it is, the stricter of the two.
    if (h.success() && mode != RetentionMode::kCompliance &&
        h.Header("x-amz-object-lock-mode").value_or("") == "COMPLIANCE") {
      return LockVersion(name, version, RetentionMode::kCompliance, until);
    }
  }
  return requests_.Failure(call, r);
}

Status S3Versions::CheckBucket(const LockPolicy& policy) {
  S3Call call{.method = "GET", .name = "", .query = {{"object-lock", ""}}};
  std::string body;
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call, &body));
  const std::string& bucket = requests_.settings().bucket;
  bool enabled = false;
  if (r.success()) {
    ZB_ASSIGN_OR_RETURN(enabled,
                        ParseObjectLockEnabled(body, Describe() + ": object lock configuration"));
  } else if (r.status != 404 ||
             ParseS3Error(r.error_body).code != "ObjectLockConfigurationNotFoundError") {
    return requests_.Failure(call, r).WithContext(
        "object-lock=" + FormatDuration(policy.duration) +
        " (reading the bucket's Object Lock configuration needs "
        "s3:GetBucketObjectLockConfiguration)");
  }
  if (enabled) return Status::OK();
  return Status::InvalidArgument(
      Describe() + ": object-lock=" + FormatDuration(policy.duration) + " needs a bucket with " +
      "Object Lock enabled, and bucket \"" + bucket +
      "\" has none, so nothing written there could be protected. Object Lock is chosen when a "
      "bucket is created: aws s3api create-bucket --bucket NAME --object-lock-enabled-for-bucket "
      "(AWS can also enable it on an existing versioned bucket: aws s3api "
      "put-object-lock-configuration --bucket " +
      bucket +
      " --object-lock-configuration ObjectLockEnabled=Enabled). Leave the bucket without a "
      "default retention: ziti-backup locks each object itself.");
}

}  // namespace zb::store
