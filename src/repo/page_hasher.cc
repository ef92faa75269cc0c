#include "repo/page_hasher.h"

#include <openssl/rand.h>

namespace zb::repo {

Result<PageHasher> PageHasher::Create(const PageHashKey& key) {
  PageHasher h;
  h.keyed_.reset(EVP_MD_CTX_new());
  h.page_.reset(EVP_MD_CTX_new());
  if (!h.keyed_ || !h.page_ || EVP_DigestInit_ex(h.keyed_.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(h.keyed_.get(), key.data(), key.size()) != 1) {
    return Status::Aborted("page hash: OpenSSL could not set up SHA-256");
  }
  return h;
}

Result<PageHash> PageHasher::Of(ByteSpan page) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_MD_CTX_copy_ex(page_.get(), keyed_.get()) != 1 ||
      EVP_DigestUpdate(page_.get(), page.data(), page.size()) != 1 ||
      EVP_DigestFinal_ex(page_.get(), digest, &len) != 1) {
    return Status::Aborted("page hash: SHA-256 failed");
  }
  PageHash h;
  std::copy_n(reinterpret_cast<const std::byte*>(digest), h.size(), h.begin());
  return h;
}

Result<PageHashKey> NewPageHashKey() {
  PageHashKey key;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    return Status::IOError("no random bytes for a page hash key");
  }
  return key;
}

}  // namespace zb::repo
