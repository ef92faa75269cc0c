// S3Backend: an s3:// target, one object per name under the target's
// prefix ("<prefix>/<name>"), on any S3-compatible service.
//
// Put reads the source once. An object smaller than a part is one signed
// PUT; a larger one (or one of unknown length) is a multipart upload whose
// parts are sent a few at a time while the next is read (memory is a few
// parts however large the object: chunked_upload.h), each signed with its SHA-256 so the server
// rejects a part that changed on the way. Nothing is visible until the upload completes; a failure
// aborts it, and RemoveStaleTemporaries aborts what a killed run left. Get streams and resumes a
// broken download with a Range. List pages through ListObjectsV2 (names under the prefix only: no
// deeper "folders", nothing starting with '.'). TryLock is a lease object (s3_lease.h).
// With object-lock= (object_lock.h) every object is put locked, with the
// Content-MD5 S3 then wants (a multipart upload is locked again once
// complete, for stores that ignore the lock when it starts), and names are
// read, listed and removed through their versions (s3_versions.h).
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>

#include "env/clock.h"
#include "store/backend.h"
#include "store/s3_requests.h"
#include "store/s3_settings.h"
#include "store/s3_versions.h"

namespace zb::store {

struct S3BackendOptions {
  S3Options requests{};
  // Part size of multipart uploads; also the largest single PUT. S3 wants
  // at least 5 MiB for every part but the last, and at most 10,000 parts:
  // the part size doubles every 1,000 parts so that any object fits.
  size_t part_size = 8 << 20;
  // Parts sent at once; memory is this many parts plus the one being read.
  int parallel_parts = 4;
  // How long a lease on the target lasts without a heartbeat.
  std::chrono::seconds lease_ttl{300};
  // Who takes the lease, for the message another run prints ("host pid 12").
  std::string owner = "ziti-backup";
};

class S3Backend final : public Backend, private ObjectLocks {
 public:
  S3Backend(S3Settings settings, Clock& clock, S3BackendOptions options = {});
  ~S3Backend() override;
  Status Put(std::string_view name, ByteSource& data) override;
  Status Get(std::string_view name, ByteSink& out) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view name) override;
  std::string Describe() const override { return requests_.settings().Describe(); }
  Result<std::unique_ptr<TargetLock>> TryLock() override;
  // Aborts the multipart uploads under the prefix started before `before`.
  Result<uint64_t> RemoveStaleTemporaries(TimePoint before) override;
  ObjectLocks* locks() override { return versions_ ? this : nullptr; }

 private:
  // ObjectLocks, when the URL asks for a lock.
  const LockPolicy& policy() const override { return *requests_.settings().lock; }
  Status CheckBucket() override { return versions_->CheckBucket(policy()); }
  Result<LockState> State(std::string_view name) override;
  Result<std::optional<TimePoint>> RemoveUnlessLocked(std::string_view name) override;
  Status Extend(std::string_view name, TimePoint until) override;
  // The headers that lock an object being written now; none without a lock.
  net::HttpHeaders LockHeaders();

  Status PutSingle(const std::string& name, ByteSpan data);
  Status PutMultipart(const std::string& name, std::vector<std::byte>& first, ByteSource& data);
  // Set when another run took over our lease: from then on nothing is written.
  Status LeaseLost() const;
  S3Requests requests_;
  S3BackendOptions options_;
  std::unique_ptr<S3Versions> versions_;  // with a lock only
  std::shared_ptr<std::atomic<bool>> lease_lost_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace zb::store
