// PageHasher: the keyed hash an incremental backup compares pages by (the
// first 16 bytes of SHA-256(key || page); why that one and why keyed:
// docs/incremental.md). Not thread-safe: one hasher per thread.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <memory>

#include "base/bytes.h"
#include "base/result.h"

namespace zb::repo {

inline constexpr size_t kPageHashKeyBytes = 64;  // one SHA-256 block
using PageHashKey = std::array<std::byte, kPageHashKeyBytes>;
using PageHash = std::array<std::byte, 16>;

class PageHasher {
 public:
  // kAborted if OpenSSL cannot set up SHA-256.
  static Result<PageHasher> Create(const PageHashKey& key);
  Result<PageHash> Of(ByteSpan page);

 private:
  PageHasher() = default;
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  // The context after the key: each page starts from a copy of it.
  std::unique_ptr<EVP_MD_CTX, CtxFree> keyed_, page_;
};

// A fresh random key (from the OS's CSPRNG).
Result<PageHashKey> NewPageHashKey();

}  // namespace zb::repo
