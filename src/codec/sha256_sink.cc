#include "codec/sha256_sink.h"

#include <openssl/err.h>

#include <array>

namespace zb::codec {
namespace {

// OpenSSL's own reason for the last failure, for the error message.
std::string OpenSslError(const char* what) {
  std::string msg = std::string("sha256: ") + what + " failed";
  const unsigned long err = ERR_get_error();
  if (err != 0) {
    std::array<char, 256> buf{};
    ERR_error_string_n(err, buf.data(), buf.size());
    msg += ": ";
    msg += buf.data();
  }
  ERR_clear_error();
  return msg;
}

}  // namespace

Sha256Sink::Sha256Sink(ByteSink* next) : next_(next), ctx_(EVP_MD_CTX_new()) {
  // A constructor cannot return a Status, so a failed set-up is kept and
  // returned by the first Write or Finish.
  if (ctx_ == nullptr) {
    error_ = Status::Aborted(OpenSslError("EVP_MD_CTX_new"));
  } else if (EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    error_ = Status::Aborted(OpenSslError("EVP_DigestInit_ex"));
  }
}

Status Sha256Sink::Write(ByteSpan data) {
  if (!error_.ok()) return error_;
  if (finished_) return Status::Aborted("sha256: write after finish");
  if (data.empty()) return Status::OK();
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    error_ = Status::Aborted(OpenSslError("EVP_DigestUpdate"));
    return error_;
  }
  bytes_ += data.size();
  if (next_ != nullptr) {
    Status s = next_->Write(data);
    if (!s.ok()) error_ = s;
    return s;
  }
  return Status::OK();
}

Status Sha256Sink::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return Status::Aborted("sha256: finish called twice");
  finished_ = true;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), digest.data(), &len) != 1) {
    error_ = Status::Aborted(OpenSslError("EVP_DigestFinal_ex"));
    return error_;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  if (next_ != nullptr) {
    Status s = next_->Finish();
    if (!s.ok()) {
      error_ = s;
      return s;
    }
  }
  hex_ = std::move(hex);
  return Status::OK();
}

Result<std::string> Sha256Hex(ByteSource& source) {
  Sha256Sink sink(nullptr);
  ZB_ASSIGN_OR_RETURN(uint64_t n, Pump(source, sink));
  (void)n;
  ZB_RETURN_IF_ERROR(sink.Finish());
  return sink.hex();
}

}  // namespace zb::codec
