// AzureBackend: an azblob:// target, one block blob per name under the
// target's prefix ("<prefix>/<name>") in one container of Azure Blob
// Storage (or Azurite).
//
// Put reads the source once. An object smaller than a block is one Put
// Blob; a larger one is staged as blocks, a few at once while the next is
// read (memory is a few blocks however large the object: chunked_upload.h),
// then committed by Put Block List. Every body carries its Content-MD5, so
// the service refuses bytes that changed on the way. Nothing is visible
// until the commit, which replaces the blob atomically. Get streams and
// resumes a broken download with x-ms-range. List pages through List Blobs
// (names under the prefix only: no deeper "folders", nothing starting with
// '.'). TryLock is a lease blob (azure_lease.h). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "env/clock.h"
#include "store/azure_requests.h"
#include "store/azure_settings.h"
#include "store/backend.h"

namespace zb::store {

struct AzureBackendOptions {
  AzureOptions requests{};
  // Block size of staged uploads; also the largest single Put Blob. A blob
  // holds at most 50,000 blocks: the size doubles every 5,000 blocks so
  // that any object fits.
  size_t block_size = 8 << 20;
  // Blocks staged at once; memory is this many blocks plus the one being read.
  int parallel_blocks = 4;
  // Blobs asked for per List Blobs page; 0: the service's default (5,000).
  int list_page_size = 0;
  // How long a lease on the target lasts without a heartbeat.
  std::chrono::seconds lease_ttl{300};
  // Who takes the lease, for the message another run prints ("host pid 12").
  std::string owner = "ziti-backup";
};

class AzureBackend final : public Backend {
 public:
  AzureBackend(AzureSettings settings, Clock& clock, AzureBackendOptions options = {});
  ~AzureBackend() override;
  Status Put(std::string_view name, ByteSource& data) override;
  Status Get(std::string_view name, ByteSink& out) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view name) override;
  std::string Describe() const override { return requests_.settings().Describe(); }
  Result<std::unique_ptr<TargetLock>> TryLock() override;
  // Blocks of an interrupted Put are never listed, hold no name, and the
  // service discards uncommitted blocks a week after they were staged:
  // there is nothing to remove, so this returns 0.
  Result<uint64_t> RemoveStaleTemporaries(TimePoint before) override;

 private:
  Status PutSingle(const std::string& name, ByteSpan data);
  Status PutBlocks(const std::string& name, std::vector<std::byte>& first, ByteSource& data);
  // Set when another run took over our lease: from then on nothing is written.
  Status LeaseLost() const;
  AzureRequests requests_;
  AzureBackendOptions options_;
  std::shared_ptr<std::atomic<bool>> lease_lost_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace zb::store
