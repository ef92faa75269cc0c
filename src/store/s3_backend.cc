#include "store/s3_backend.h"

#include <algorithm>

#include "base/bytes.h"
#include "store/chunked_upload.h"
#include "store/s3_lease.h"
#include "store/s3_xml.h"

namespace zb::store {
namespace {

constexpr int kMaxParts = 10000;
constexpr uint64_t kMaxListBody = 16 << 20;  // one page of 1000 keys is ~300 KiB
constexpr int kMaxListPages = 1'000'000;

}  // namespace

S3Backend::S3Backend(S3Settings settings, Clock& clock, S3BackendOptions options)
    : requests_(std::move(settings), clock, options.requests), options_(options) {
  if (requests_.settings().lock) versions_ = std::make_unique<S3Versions>(requests_);
}

net::HttpHeaders S3Backend::LockHeaders() {
  if (!versions_) return {};
  return {{"x-amz-object-lock-mode", std::string(RetentionModeName(policy().mode))},
          {"x-amz-object-lock-retain-until-date",
           FormatRfc3339(policy().RetainUntil(requests_.clock().Now()))}};
}

Result<LockState> S3Backend::State(std::string_view name) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  return versions_->State(std::string(name));
}

Result<std::optional<TimePoint>> S3Backend::RemoveUnlessLocked(std::string_view name) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(LeaseLost());
  return versions_->RemoveAll(std::string(name));
}

Status S3Backend::Extend(std::string_view name, TimePoint until) {
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(LeaseLost());
  return versions_->Extend(std::string(name), policy().mode, until);
}

S3Backend::~S3Backend() = default;

Status S3Backend::Put(std::string_view name_view, ByteSource& data) {
  const std::string name(name_view);
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(LeaseLost());
  ZB_RETURN_IF_ERROR(data.Rewind());
  std::vector<std::byte> first(options_.part_size);
  ZB_ASSIGN_OR_RETURN(size_t n, ReadFull(data, first));
  if (n < first.size()) {
    ZB_RETURN_IF_ERROR(LeaseLost());  // the read may have taken long
    return PutSingle(name, ByteSpan(first.data(), n));
  }
  return PutMultipart(name, first, data);
}

Status S3Backend::PutSingle(const std::string& name, ByteSpan data) {
  S3Call call{.method = "PUT",
              .name = name,
              .key = requests_.settings().Key(name),
              .headers = LockHeaders(),
              .body = data,
              .content_md5 = versions_ != nullptr};
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
  return r.success() ? Status::OK() : requests_.Failure(call, r);
}

Status S3Backend::PutMultipart(const std::string& name, std::vector<std::byte>& first,
                               ByteSource& data) {
  const std::string key = requests_.settings().Key(name);
  S3Call create{.method = "POST",
                .name = name,
                .key = key,
                .query = {{"uploads", ""}},
                .headers = LockHeaders()};
  std::string body;
  ZB_ASSIGN_OR_RETURN(net::HttpResponse created, requests_.Do(create, &body));
  if (!created.success()) return requests_.Failure(create, created);
  ZB_ASSIGN_OR_RETURN(const std::string upload_id,
                      ParseUploadId(body, Describe() + ": POST " + name + "?uploads"));

  auto upload_part = [&](int number, ByteSpan part) -> Result<std::string> {
    S3Call call{.method = "PUT",
                .name = name + " (part " + std::to_string(number) + ")",
                .key = key,
                .query = {{"partNumber", std::to_string(number)}, {"uploadId", upload_id}},
                .body = part,
                .content_md5 = versions_ != nullptr};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
    if (!r.success()) return requests_.Failure(call, r);
    auto etag = r.Header("ETag");
    if (!etag || etag->empty()) {
      return Status::IOError(Describe() + ": PUT " + call.name + ": the server sent no ETag");
    }
    return *etag;
  };
  // Parts double every 1000, so 10,000 of them hold any object.
  const ChunkPlan plan{.size = options_.part_size,
                       .grow_every = 1000,
                       .max_doublings = 9,
                       .max_chunks = kMaxParts,
                       .parallel = options_.parallel_parts,
                       .noun = "parts"};
  Result<std::vector<std::string>> etags =
      SendInChunks(data, first, plan, Describe() + ": PUT " + name, upload_part);
  Status uploaded = etags.status();
  if (uploaded.ok()) uploaded = LeaseLost();
  if (uploaded.ok()) {
    const std::string xml = CompleteMultipartXml(*etags);
    S3Call complete{.method = "POST",
                    .name = name,
                    .key = key,
                    .query = {{"uploadId", upload_id}},
                    .body = AsBytes(xml)};
    auto r = requests_.Do(complete, &body);
    if (!r.ok()) {
      uploaded = r.status();
    } else if (!r->success()) {
      uploaded = requests_.Failure(complete, *r);
    } else if (!ParseS3Error(body).code.empty()) {
      // CompleteMultipartUpload may fail after its 200 has been sent.
      net::HttpResponse late = *r;
      late.error_body = body;
      uploaded = requests_.Failure(complete, late);
    } else if (versions_) {
      // Not every store applies the lock headers of CreateMultipartUpload
      // (Ceph RGW 16 ignores them): the completed object is locked here.
      return versions_->LockVersion(name, r->Header("x-amz-version-id").value_or(""), policy().mode,
                                    policy().RetainUntil(requests_.clock().Now()));
    } else {
      return Status::OK();
    }
  }
  // Nothing half-done stays behind when we can help it; when the abort
  // fails too, RemoveStaleTemporaries finds the upload later.
  S3Call abort{.method = "DELETE",
               .name = name,
               .key = key,
               .query = {{"uploadId", upload_id}},
               .once = true};
  requests_.Do(abort).status().IgnoreError();
  return uploaded;
}

Status S3Backend::Get(std::string_view name_view, ByteSink& out) {
  const std::string name(name_view);
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  S3Call call{.method = "GET", .name = name, .key = requests_.settings().Key(name)};
  if (versions_) {
    ZB_ASSIGN_OR_RETURN(std::string version, versions_->ReadVersion(name));
    call.query.push_back({"versionId", version});
  }
  uint64_t total = 0;
  for (int resume = 0;; ++resume) {
    call.headers.clear();
    if (total > 0) call.headers.push_back({"Range", "bytes=" + std::to_string(total) + "-"});
    uint64_t delivered = 0;
    auto r = requests_.Do(call, out, UINT64_MAX, &delivered);
    total += delivered;
    const bool again = delivered > 0 && resume < requests_.retry_policy().max_attempts;
    if (!r.ok()) {
      if (again && r.status().retryable()) continue;  // resume where it broke
      return r.status();
    }
    if (r->status == 404 && ParseS3Error(r->error_body).code != "NoSuchBucket") {
      return Status::NotFound(Describe() + ": no object " + name);
    }
    if (!r->success()) return requests_.Failure(call, *r);
    if (total > delivered && r->status != 206) {
      return Status::IOError(Describe() + ": GET " + name +
                             ": the server ignored the Range of a resumed download");
    }
    return Status::OK();
  }
}

Result<std::vector<ObjectInfo>> S3Backend::List(std::string_view prefix) {
  if (versions_) return versions_->List(prefix);
  const S3Settings& s = requests_.settings();
  const std::string full = s.Key(prefix);
  const size_t strip = s.prefix.empty() ? 0 : s.prefix.size() + 1;
  std::vector<ObjectInfo> out;
  std::string token;
  for (int page = 0;; ++page) {
    if (page >= kMaxListPages) {
      return Status::IOError(Describe() + ": more than " + std::to_string(kMaxListPages) +
                             " pages of objects");
    }
    S3Call call{
        .method = "GET",
        .query = {
            {"list-type", "2"}, {"prefix", full}, {"delimiter", "/"}, {"encoding-type", "url"}}};
    if (!token.empty()) call.query.push_back({"continuation-token", token});
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call, &body, kMaxListBody));
    if (!r.success()) return requests_.Failure(call, r);
    ZB_ASSIGN_OR_RETURN(S3ListPage list, ParseListObjectsV2(body, Describe() + ": list"));
    for (S3Object& o : list.objects) {
      if (!o.key.starts_with(full)) {
        return Status::IOError(Describe() + ": the server listed \"" + o.key +
                               "\", which is outside the prefix");
      }
      std::string name = o.key.substr(strip);
      if (name.empty() || name.front() == '.' || name.find('/') != std::string::npos) continue;
      out.push_back({std::move(name), o.size, o.modified});
    }
    if (!list.truncated) break;
    if (list.next_token == token) {
      return Status::IOError(Describe() + ": the server repeated a continuation token");
    }
    token = list.next_token;
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.name < b.name; });
  return out;
}

Status S3Backend::Delete(std::string_view name_view) {
  const std::string name(name_view);
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(LeaseLost());
  if (versions_) return versions_->DeleteAll(name);
  S3Call call{.method = "DELETE", .name = name, .key = requests_.settings().Key(name)};
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
  if (r.success() || (r.status == 404 && ParseS3Error(r.error_body).code == "NoSuchKey")) {
    return Status::OK();
  }
  return requests_.Failure(call, r);
}

Result<std::unique_ptr<TargetLock>> S3Backend::TryLock() {
  lease_lost_->store(false);
  return TakeS3Lease(requests_, options_.owner, options_.lease_ttl,
                     [lost = lease_lost_] { lost->store(true); });
}

Status S3Backend::LeaseLost() const {
  if (!lease_lost_->load()) return Status::OK();
  return Status::Busy(Describe() +
                      ": another ziti-backup took over this run's lease (it stalled "
                      "for longer than the lease time); nothing more is written");
}

Result<uint64_t> S3Backend::RemoveStaleTemporaries(TimePoint before) {
  const S3Settings& s = requests_.settings();
  const std::string full = s.Key("");
  uint64_t removed = 0;
  std::string key_marker, id_marker;
  for (int page = 0; page < kMaxListPages; ++page) {
    S3Call call{.method = "GET",
                .name = "multipart uploads",
                .query = {{"uploads", ""}, {"prefix", full}, {"encoding-type", "url"}}};
    if (!key_marker.empty()) call.query.push_back({"key-marker", key_marker});
    if (!id_marker.empty()) call.query.push_back({"upload-id-marker", id_marker});
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call, &body, kMaxListBody));
    if (!r.success()) return requests_.Failure(call, r);
    ZB_ASSIGN_OR_RETURN(S3UploadsPage uploads,
                        ParseListMultipartUploads(body, Describe() + ": list uploads"));
    for (const S3Upload& u : uploads.uploads) {
      if (u.initiated >= before || !u.key.starts_with(full)) continue;
      const std::string name = u.key.substr(full.size());
      S3Call abort{.method = "DELETE",
                   .name = name + " (unfinished upload)",
                   .key = u.key,
                   .query = {{"uploadId", u.upload_id}}};
      ZB_ASSIGN_OR_RETURN(net::HttpResponse a, requests_.Do(abort));
      if (!a.success() && a.status != 404) return requests_.Failure(abort, a);
      ++removed;
    }
    if (!uploads.truncated) return removed;
    if (uploads.next_key_marker == key_marker && uploads.next_upload_id_marker == id_marker) {
      return Status::IOError(Describe() + ": the server repeated an upload marker");
    }
    key_marker = uploads.next_key_marker;
    id_marker = uploads.next_upload_id_marker;
  }
  return Status::IOError(Describe() + ": too many pages of multipart uploads");
}

}  // namespace zb::store
