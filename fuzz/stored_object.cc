// A stored data object as verify and restore decode it (app/restore_file.cc):
// zstd -d -> SHA-256 of the plain bytes -> the restored file (here a sink
// that counts). Restore puts age decryption in front of zstd for encrypted
// objects; that stage has its own target (age_decrypt): a fuzzer cannot
// forge authenticated chunks, so chaining the two here would only ever
// reach zstd with nothing.
#include "codec/sha256_sink.h"
#include "codec/zstd_sink.h"
#include "fuzz/entries.h"
#include "fuzz/require.h"

namespace zb::fuzz {
namespace {

// Restore stops at the manifest's plain size; the fuzz target stands in a
// manifest that says 16 MiB, so a bomb costs time in proportion to that,
// not to what the frame claims.
constexpr uint64_t kPlainLimit = 16 << 20;

class CountingSink final : public ByteSink {
 public:
  Status Write(ByteSpan data) override {
    if (finished_) return Status::Aborted("write after finish");
    bytes_ += data.size();
    if (bytes_ > kPlainLimit) return Status::Corruption("more plain bytes than the manifest says");
    return Status::OK();
  }
  Status Finish() override {
    finished_ = true;
    return Status::OK();
  }
  uint64_t bytes() const { return bytes_; }

 private:
  uint64_t bytes_ = 0;
  bool finished_ = false;
};

struct Outcome {
  Status status;
  uint64_t bytes = 0;
  std::string sha256;
};

// Decodes `data` written in pieces of `chunk` bytes (0: all at once).
Outcome Decode(ByteSpan data, size_t chunk) {
  CountingSink out;
  codec::Sha256Sink plain(&out);
  codec::ZstdDecompressSink zstd(plain);
  Outcome o;
  const size_t step = chunk == 0 ? std::max<size_t>(data.size(), 1) : chunk;
  for (size_t off = 0; off < data.size() && o.status.ok(); off += step) {
    o.status = zstd.Write(data.subspan(off, std::min(step, data.size() - off)));
  }
  if (o.status.ok()) o.status = zstd.Finish();
  o.bytes = out.bytes();
  if (o.status.ok()) o.sha256 = plain.hex();
  return o;
}

}  // namespace

void StoredObject(ByteSpan data) {
  const Outcome whole = Decode(data, 0);
  Require(whole.status.ok() || whole.status.code() == Code::kCorruption,
          "a bad object must be kCorruption: " + whole.status.ToString());
  Require(whole.bytes <= kPlainLimit + (128 << 10), "decoding went on past the limit");
  // The backend hands the object over in pieces of any size; the outcome
  // must not depend on where they are cut.
  const size_t chunk = data.empty() ? 1 : 1 + std::to_integer<size_t>(data[data.size() - 1]) % 61;
  const Outcome pieces = Decode(data, chunk);
  Require(pieces.status.code() == whole.status.code() && pieces.sha256 == whole.sha256 &&
              (!whole.status.ok() || pieces.bytes == whole.bytes),
          "decoding in pieces of " + std::to_string(chunk) + " bytes gives " +
              pieces.status.ToString() + ", " + std::to_string(pieces.bytes) + " bytes; at once " +
              whole.status.ToString() + ", " + std::to_string(whole.bytes));
}

}  // namespace zb::fuzz
