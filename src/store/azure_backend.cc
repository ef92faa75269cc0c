#include "store/azure_backend.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "base/bytes.h"
#include "store/azure_lease.h"
#include "store/azure_xml.h"
#include "store/chunked_upload.h"
#include "store/signing_crypto.h"

namespace zb::store {
namespace {

constexpr int kMaxBlocks = 50000;
constexpr uint64_t kMaxListBody = 16 << 20;  // a page of 5,000 blobs is ~4 MiB
constexpr int kMaxListPages = 1'000'000;

std::string_view Text(ByteSpan data) {
  return std::string_view(reinterpret_cast<const char*>(data.data()), data.size());
}

// The id of block `number` of the upload tagged `tag` (16 hex digits):
// base64 of 24 bytes, so every id has the same length, as the service
// requires of all the blocks of one blob, and no '=' padding.
std::string BlockId(const std::string& tag, int number) {
  char raw[32];
  std::snprintf(raw, sizeof raw, "%s%08d", tag.c_str(), number);
  return EncodeBase64(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(raw), 24));
}

}  // namespace

AzureBackend::AzureBackend(AzureSettings settings, Clock& clock, AzureBackendOptions options)
    : requests_(std::move(settings), clock, options.requests), options_(options) {}

AzureBackend::~AzureBackend() = default;

Status AzureBackend::Put(std::string_view name_view, ByteSource& data) {
  const std::string name(name_view);
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(LeaseLost());
  ZB_RETURN_IF_ERROR(data.Rewind());
  std::vector<std::byte> first(options_.block_size);
  ZB_ASSIGN_OR_RETURN(size_t n, ReadFull(data, first));
  if (n < first.size()) {
    ZB_RETURN_IF_ERROR(LeaseLost());  // the read may have taken long
    return PutSingle(name, ByteSpan(first.data(), n));
  }
  return PutBlocks(name, first, data);
}

Status AzureBackend::PutSingle(const std::string& name, ByteSpan data) {
  AzureCall call{
      .method = "PUT",
      .name = name,
      .blob = requests_.settings().BlobName(name),
      .headers = {{"x-ms-blob-type", "BlockBlob"}, {"Content-MD5", Md5Base64(Text(data))}},
      .body = data};
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
  return r.success() ? Status::OK() : requests_.Failure(call, r);
}

Status AzureBackend::PutBlocks(const std::string& name, std::vector<std::byte>& first,
                               ByteSource& data) {
  const std::string blob = requests_.settings().BlobName(name);
  // A tag per upload: blocks a failed attempt staged are never committed by
  // this one (they are discarded with the rest a week later).
  std::random_device rd;
  char tag[17];
  std::snprintf(tag, sizeof tag, "%08x%08x", rd(), rd());

  auto stage = [&](int number, ByteSpan block) -> Result<std::string> {
    std::string id = BlockId(tag, number);
    AzureCall call{.method = "PUT",
                   .name = name + " (block " + std::to_string(number) + ")",
                   .blob = blob,
                   .query = {{"comp", "block"}, {"blockid", id}},
                   .headers = {{"Content-MD5", Md5Base64(Text(block))}},
                   .body = block};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
    if (!r.success()) return requests_.Failure(call, r);
    return id;
  };
  // Blocks double every 5000, so 50,000 of them hold any object.
  const ChunkPlan plan{.size = options_.block_size,
                       .grow_every = 5000,
                       .max_doublings = 6,
                       .max_chunks = kMaxBlocks,
                       .parallel = options_.parallel_blocks,
                       .noun = "blocks"};
  ZB_ASSIGN_OR_RETURN(const std::vector<std::string> ids,
                      SendInChunks(data, first, plan, Describe() + ": PUT " + name, stage));
  ZB_RETURN_IF_ERROR(LeaseLost());
  const std::string xml = BlockListXml(ids);
  AzureCall commit{.method = "PUT",
                   .name = name,
                   .blob = blob,
                   .query = {{"comp", "blocklist"}},
                   .headers = {{"Content-MD5", Md5Base64(xml)}},
                   .body = AsBytes(xml)};
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(commit));
  return r.success() ? Status::OK() : requests_.Failure(commit, r);
}

Status AzureBackend::Get(std::string_view name_view, ByteSink& out) {
  const std::string name(name_view);
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  AzureCall call{.method = "GET", .name = name, .blob = requests_.settings().BlobName(name)};
  uint64_t total = 0;
  for (int resume = 0;; ++resume) {
    call.headers.clear();
    if (total > 0) call.headers.push_back({"x-ms-range", "bytes=" + std::to_string(total) + "-"});
    uint64_t delivered = 0;
    auto r = requests_.Do(call, out, UINT64_MAX, &delivered);
    total += delivered;
    const bool again = delivered > 0 && resume < requests_.retry_policy().max_attempts;
    if (!r.ok()) {
      if (again && r.status().retryable()) continue;  // resume where it broke
      return r.status();
    }
    if (r->status == 404 && AzureErrorCode(*r) != "ContainerNotFound") {
      return Status::NotFound(Describe() + ": no object " + name);
    }
    if (!r->success()) return requests_.Failure(call, *r);
    if (total > delivered && r->status != 206) {
      return Status::IOError(Describe() + ": GET " + name +
                             ": the server ignored the range of a resumed download");
    }
    return Status::OK();
  }
}

Result<std::vector<ObjectInfo>> AzureBackend::List(std::string_view prefix) {
  const AzureSettings& s = requests_.settings();
  const std::string full = s.BlobName(prefix);
  const size_t strip = s.prefix.empty() ? 0 : s.prefix.size() + 1;
  std::vector<ObjectInfo> out;
  std::string marker;
  for (int page = 0;; ++page) {
    if (page >= kMaxListPages) {
      return Status::IOError(Describe() + ": more than " + std::to_string(kMaxListPages) +
                             " pages of blobs");
    }
    AzureCall call{.method = "GET",
                   .query = {{"restype", "container"}, {"comp", "list"}, {"delimiter", "/"}}};
    if (!full.empty()) call.query.push_back({"prefix", full});
    if (!marker.empty()) call.query.push_back({"marker", marker});
    if (options_.list_page_size > 0) {
      call.query.push_back({"maxresults", std::to_string(options_.list_page_size)});
    }
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call, &body, kMaxListBody));
    if (!r.success()) return requests_.Failure(call, r);
    ZB_ASSIGN_OR_RETURN(AzureListPage list, ParseListBlobs(body, Describe() + ": list"));
    for (AzureBlob& b : list.blobs) {
      if (!b.name.starts_with(full)) {
        return Status::IOError(Describe() + ": the server listed \"" + b.name +
                               "\", which is outside the prefix");
      }
      std::string name = b.name.substr(strip);
      if (name.empty() || name.front() == '.' || name.find('/') != std::string::npos) continue;
      out.push_back({std::move(name), b.size, b.modified});
    }
    if (list.next_marker.empty()) break;
    if (list.next_marker == marker) {
      return Status::IOError(Describe() + ": the server repeated a list marker");
    }
    marker = std::move(list.next_marker);
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.name < b.name; });
  return out;
}

Status AzureBackend::Delete(std::string_view name_view) {
  const std::string name(name_view);
  ZB_RETURN_IF_ERROR(ValidateObjectName(name));
  ZB_RETURN_IF_ERROR(LeaseLost());
  AzureCall call{.method = "DELETE", .name = name, .blob = requests_.settings().BlobName(name)};
  ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(call));
  if (r.success() || (r.status == 404 && AzureErrorCode(r) == "BlobNotFound")) {
    return Status::OK();
  }
  return requests_.Failure(call, r);
}

Result<std::unique_ptr<TargetLock>> AzureBackend::TryLock() {
  lease_lost_->store(false);
  return TakeAzureLease(requests_, options_.owner, options_.lease_ttl,
                        [lost = lease_lost_] { lost->store(true); });
}

Status AzureBackend::LeaseLost() const {
  if (!lease_lost_->load()) return Status::OK();
  return Status::Busy(Describe() +
                      ": another ziti-backup took over this run's lease (it stalled "
                      "for longer than the lease time); nothing more is written");
}

Result<uint64_t> AzureBackend::RemoveStaleTemporaries(TimePoint) { return uint64_t{0}; }

}  // namespace zb::store
