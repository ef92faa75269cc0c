#include "store/s3_versions.h"

#include "base/bytes.h"
#include "base/duration.h"
#include "store/http_text.h"

namespace zb::store {
namespace {

constexpr uint64_t kMaxListBody = 16 << 20;
constexpr int kMaxListPages = 1'000'000;

}  // namespace

Status ForEachVersion(S3Requests& requests, const std::string& prefix, bool delimit, bool once,
                      const std::function<Status(S3Version&)>& each) {
  const std::string describe = requests.settings().Describe();
  std::string key_marker, id_marker;
  for (int page = 0;; ++page) {
    if (page >= kMaxListPages) {
      return Status::IOError(describe + ": more than " + std::to_string(kMaxListPages) +
                             " pages of versions");
    }
    S3Call call{.method = "GET",
                .name = "object versions",
                .query = {{"versions", ""}, {"prefix", prefix}, {"encoding-type", "url"}},
                .once = once};
    if (delimit) call.query.push_back({"delimiter", "/"});
    if (!key_marker.empty()) call.query.push_back({"key-marker", key_marker});
    if (!id_marker.empty()) call.query.push_back({"version-id-marker", id_marker});
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests.Do(call, &body, kMaxListBody));
    if (!r.success()) return requests.Failure(call, r);
    ZB_ASSIGN_OR_RETURN(S3VersionsPage list,
                        ParseListObjectVersions(body, describe + ": list versions"));
    for (S3Version& v : list.versions) {
      if (!v.key.starts_with(prefix)) {
        return Status::IOError(describe + ": the server listed \"" + v.key +
                               "\", which is outside the prefix");
      }
      ZB_RETURN_IF_ERROR(each(v));
    }
    if (!list.truncated) return Status::OK();
    if (list.next_key_marker == key_marker && list.next_version_id_marker == id_marker) {
      return Status::IOError(describe + ": the server repeated a version marker");
    }
    key_marker = list.next_key_marker;
    id_marker = list.next_version_id_marker;
  }
}

Result<std::map<std::string, S3Versions::Versions>> S3Versions::ListAll(const std::string& full) {
  const S3Settings& s = requests_.settings();
  const size_t strip = s.prefix.empty() ? 0 : s.prefix.size() + 1;
  std::map<std::string, Versions> out;
  std::map<std::string, bool> hidden;
  ZB_RETURN_IF_ERROR(ForEachVersion(requests_, full, true, false, [&](S3Version& v) {
    std::string name = v.key.substr(strip);
    if (name.empty() || name.front() == '.' || name.find('/') != std::string::npos) {
      return Status::OK();
    }
    if (v.latest) hidden[name] = v.delete_marker;
    if (v.delete_marker) return Status::OK();
    // Versions come newest first; the oldest wins, and of two at the same
    // time the one listed later.
    auto [it, first] = out.try_emplace(name);
    if (first || v.modified <= it->second.read.modified) it->second.read = std::move(v);
    return Status::OK();
  }));
  for (auto& [name, v] : out) v.hidden = hidden[name];
  return out;
}

Result<std::vector<ObjectInfo>> S3Versions::List(std::string_view prefix) {
  ZB_ASSIGN_OR_RETURN(auto all, ListAll(requests_.settings().Key(prefix)));
  std::vector<ObjectInfo> out;
  for (const auto& [name, v] : all) out.push_back({name, v.read.size, v.read.modified});
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
  ZB_ASSIGN_OR_RETURN(auto all, ListAll(requests_.settings().Key(name)));
  auto it = all.find(name);
  if (it == all.end()) return Status::NotFound(Describe() + ": no object " + name);
  std::lock_guard<std::mutex> lock(mu_);
  seen_[name] = it->second;
  return it->second;
}

Result<std::string> S3Versions::ReadVersion(const std::string& name) {
  ZB_ASSIGN_OR_RETURN(Versions v, Lookup(name));
  return v.read.version_id;
}

Result<std::optional<TimePoint>> S3Versions::RemoveAll(const std::string& name) {
  const std::string key = requests_.settings().Key(name);
  {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.erase(name);
  }
  std::optional<TimePoint> held;
  // Each page's entries go as they are listed: removing them does not move
  // the markers of the pages after.
  Status listed = ForEachVersion(requests_, key, false, false, [&](S3Version& v) {
    if (v.key != key) return Status::OK();
    S3Call call{
        .method = "DELETE",
        .name = name + (v.delete_marker ? " (delete marker " : " (version ") + v.version_id + ")",
        .key = key,
        .query = {{"versionId", v.version_id}}};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
    if (r.success() || r.status == 404) return Status::OK();
    if (r.status == 403 && !v.delete_marker) {
      // Refused: locked (by the store's clock), or not allowed at all.
      auto state = Head(name, v.version_id);
      if (state.ok() && state->locked()) {
        held = state->until;
        return Status::Aborted("locked");  // stops the listing; not an error
      }
    }
    return requests_.Failure(call, r);
  });
  if (held) return held;
  ZB_RETURN_IF_ERROR(listed);
  return std::optional<TimePoint>();
}

Status S3Versions::DeleteAll(const std::string& name) {
  ZB_ASSIGN_OR_RETURN(std::optional<TimePoint> held, RemoveAll(name));
  if (!held) return Status::OK();
  return Status::IOError(Describe() + ": DELETE " + name + ": a version is locked until " +
                         FormatRfc3339(*held));
}

Result<LockState> S3Versions::Head(const std::string& name, const std::string& version) {
  S3Call head{.method = "HEAD",
              .name = version.empty() ? name : name + " (version " + version + ")",
              .key = requests_.settings().Key(name)};
  if (!version.empty()) head.query.push_back({"versionId", version});
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(head));
  if (r.status == 404) return Status::NotFound(Describe() + ": no object " + name);
  if (!r.success()) return requests_.Failure(head, r);
  LockState state;
  state.server_now = requests_.clock().Now();
  if (auto date = r.Header("Date")) {
    if (auto t = ParseHttpDate(*date); t.ok()) state.server_now = *t;
  }
  if (auto until_text = r.Header("x-amz-object-lock-retain-until-date")) {
    auto until = ParseRfc3339(*until_text);
    if (!until.ok()) {
      return Status::IOError(Describe() + ": HEAD " + name + ": a bad retain-until date \"" +
                             *until_text + "\"");
    }
    state.until = *until;
    state.mode = r.Header("x-amz-object-lock-mode").value_or("");
  }
  return state;
}

Result<LockState> S3Versions::State(const std::string& name) {
  ZB_ASSIGN_OR_RETURN(Versions v, Lookup(name));
  ZB_ASSIGN_OR_RETURN(LockState state, Head(name, v.read.version_id));
  state.hidden = v.hidden;
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
              .body = AsBytes(xml),
              .content_md5 = true};
  if (!version.empty()) call.query.push_back({"versionId", version});
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
  if (r.success()) return Status::OK();
  if (r.status == 403) {
    // Refused as a shortening when it is already locked for longer (an
    // earlier run re-locked it), or as a change of mode.
    auto current = Head(name, version);
    if (current.ok() && current->until && *current->until >= until) return Status::OK();
    // A lock keeps its mode (the URL's mode changed since): compliance
    // cannot become governance, and governance becomes compliance only with
    // a right the host should not have. It is extended as it is.
    for (RetentionMode other : {RetentionMode::kCompliance, RetentionMode::kGovernance}) {
      if (current.ok() && other != mode && current->mode == RetentionModeName(other)) {
        return LockVersion(name, version, other, until);
      }
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
