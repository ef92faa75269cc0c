#include "store/azure_lease.h"

#include "base/bytes.h"
#include "store/signing_crypto.h"

namespace zb::store {
namespace {

class AzureLeaseStore final : public LeaseStore {
 public:
  explicit AzureLeaseStore(AzureRequests& requests)
      : requests_(requests), blob_(requests.settings().BlobName(kLeaseName)) {}

  std::string Describe() const override { return requests_.settings().Describe(); }
  Clock& clock() override { return requests_.clock(); }

  Result<std::string> Write(const std::string& text, const std::string* if_match) override {
    AzureCall put{.method = "PUT",
                  .name = kLeaseName,
                  .blob = blob_,
                  .headers = {{"x-ms-blob-type", "BlockBlob"}, {"Content-MD5", Md5Base64(text)}},
                  .body = AsBytes(text)};
    if (if_match == nullptr) {
      put.headers.push_back({"If-None-Match", "*"});
    } else {
      put.headers.push_back({"If-Match", *if_match});  // quoted, as the service sent it
    }
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(put));
    const std::string code = AzureErrorCode(r);
    // Someone else's lease is there (Azure answers 409 to If-None-Match: *
    // on a blob that exists, others 412), or it changed or went away.
    if (r.status == 412 || (r.status == 409 && code == "BlobAlreadyExists") ||
        (if_match != nullptr && r.status == 404 && code == "BlobNotFound")) {
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
    AzureCall get{.method = "GET", .name = kLeaseName, .blob = blob_};
    std::string body;
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(get, &body, kMaxLeaseBytes));
    if (r.status == 404 && AzureErrorCode(r) == "BlobNotFound") return std::optional<LeaseCopy>();
    if (!r.success()) return requests_.Failure(get, r);
    return std::optional<LeaseCopy>(LeaseCopy{std::move(body), r.Header("ETag").value_or(""),
                                              r.Header("Date").value_or(""),
                                              r.Header("Last-Modified").value_or("")});
  }

  Status Remove(const std::string& etag) override {
    AzureCall release{.method = "DELETE",
                      .name = kLeaseName,
                      .blob = blob_,
                      .headers = {{"If-Match", etag}},
                      .once = true};
    ZB_ASSIGN_OR_RETURN(net::HttpResponse r, requests_.Do(release));
    return r.success() ? Status::OK() : requests_.Failure(release, r);
  }

 private:
  AzureRequests& requests_;
  const std::string blob_;
};

}  // namespace

Result<std::unique_ptr<TargetLock>> TakeAzureLease(AzureRequests& requests,
                                                   const std::string& owner,
                                                   std::chrono::seconds ttl,
                                                   std::function<void()> on_lost) {
  return TakeLease(std::make_unique<AzureLeaseStore>(requests), owner, ttl, std::move(on_lost));
}

}  // namespace zb::store
