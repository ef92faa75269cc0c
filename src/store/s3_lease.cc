#include "store/s3_lease.h"

#include <optional>

#include "base/bytes.h"
#include "store/s3_versions.h"
#include "store/s3_xml.h"

namespace zb::store {
namespace {

class S3LeaseStore final : public LeaseStore {
 public:
  explicit S3LeaseStore(S3Requests& requests)
      : requests_(requests), key_(requests.settings().Key(kLeaseName)) {}

  std::string Describe() const override { return requests_.settings().Describe(); }
  Clock& clock() override { return requests_.clock(); }

  Result<std::string> Write(const std::string& text, const std::string* if_match) override {
    S3Call put{.method = "PUT",
               .name = kLeaseName,
               .key = key_,
               .headers = {{"If-None-Match", "*"}},
               .body = AsBytes(text)};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r,
                        if_match == nullptr ? requests_.Do(put) : PutIfMatch(text, *if_match));
    if (r.status == 412) return std::string();
    // Gone meanwhile: not ours to renew (a missing bucket is an error).
    if (if_match != nullptr && r.status == 404 &&
        ParseS3Error(r.error_body).code != "NoSuchBucket") {
      return std::string();
    }
    if (!r.success()) return requests_.Failure(put, r);
    auto etag = r.Header("ETag");
    if (!etag || etag->empty()) {
      return Status::IOError(Describe() + ": PUT " + kLeaseName + ": the server sent no ETag");
    }
    return *etag;
  }

  Result<std::optional<LeaseCopy>> Read() override {
    S3Call get{.method = "GET", .name = kLeaseName, .key = key_};
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(get, &body, kMaxLeaseBytes));
    if (r.status == 404 && ParseS3Error(r.error_body).code != "NoSuchBucket") {
      return std::optional<LeaseCopy>();
    }
    if (!r.success()) return requests_.Failure(get, r);
    return std::optional<LeaseCopy>(LeaseCopy{std::move(body), r.Header("ETag").value_or(""),
                                              r.Header("Date").value_or(""),
                                              r.Header("Last-Modified").value_or("")});
  }

  Status Remove(const std::string& etag) override {
    S3Call release{.method = "DELETE",
                   .name = kLeaseName,
                   .key = key_,
                   .headers = {{"If-Match", etag}},
                   .once = true};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(release));
    if (!r.success()) return requests_.Failure(release, r);
    if (requests_.settings().lock) RemoveOldVersions();
    return Status::OK();
  }

 private:
  // PUT `text` as the lease if it is still the version `etag`: 412 if it is
  // not. RFC 9110 quotes an ETag in If-Match, and AWS S3 takes it so; Ceph
  // RGW 16 matches only the bare hash. So a 412 is checked: if the lease is
  // still that version, the server wants the other spelling, which is tried.
  Result<net::HttpResponse> PutIfMatch(const std::string& text, const std::string& etag) {
    std::string bare = etag;
    if (bare.size() >= 2 && bare.front() == '"' && bare.back() == '"') {
      bare = bare.substr(1, bare.size() - 2);
    }
    for (const std::string& form : {"\"" + bare + "\"", bare}) {
      S3Call put{.method = "PUT",
                 .name = kLeaseName,
                 .key = key_,
                 .headers = {{"If-Match", form}},
                 .body = AsBytes(text)};
      ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(put));
      if (r.status != 412 || form == bare) return r;
      S3Call head{.method = "HEAD", .name = kLeaseName, .key = key_};
      ZB_ASSIGN_OR_RETURN(net::HttpResponse now, requests_.Do(head));
      if (!now.success() || now.Header("ETag").value_or("") != etag) return r;
    }
    return Status::IOError("unreachable");
  }

  // A bucket with Object Lock is versioned: each renewal left a version and
  // the release a delete marker, which would pile up run after run. A
  // courtesy, in single attempts: the versions before the newest, then the
  // newest if it is our delete marker (never a live lease another run has
  // written since, which is the newest).
  void RemoveOldVersions() {
    // Our marker goes last, and only when every older version is gone:
    // removing it with one left would make that old lease current again.
    std::optional<std::string> marker;
    bool all_gone = true;
    Status listed = ForEachVersion(requests_, key_, false, /*once=*/true, [&](S3Version& v) {
      if (v.key != key_) return Status::OK();
      if (v.latest) {
        if (v.delete_marker) marker = v.version_id;
        return Status::OK();  // else a live lease of another run
      }
      auto r = requests_.Do(RemoveVersion(v.version_id));
      all_gone = all_gone && r.ok() && (r->success() || r->status == 404);
      return Status::OK();
    });
    if (marker && all_gone && listed.ok()) {
      requests_.Do(RemoveVersion(*marker)).status().IgnoreError();
    }
  }

  S3Call RemoveVersion(const std::string& version) const {
    return S3Call{.method = "DELETE",
                  .name = kLeaseName,
                  .key = key_,
                  .query = {{"versionId", version}},
                  .once = true};
  }

  S3Requests& requests_;
  const std::string key_;
};

}  // namespace

Result<std::unique_ptr<TargetLock>> TakeS3Lease(S3Requests& requests, const std::string& owner,
                                                std::chrono::seconds ttl,
                                                std::function<void()> on_lost) {
  return TakeLease(std::make_unique<S3LeaseStore>(requests), owner, ttl, std::move(on_lost));
}

}  // namespace zb::store
