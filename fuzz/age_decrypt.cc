// An age file as restore will read a stored object: AgeDecryptSink with one
// identity. The identity is a fixed test key (its secret is the bytes 1..32,
// never used for anything real), so the seeds in fuzz/corpus/age_decrypt,
// which fuzz/make_corpus.sh encrypts to it with the age CLI, get past the
// header and the fuzzer reaches the payload. Its identity string, for the
// age CLI: kFuzzIdentity.
#include "codec/age_decrypt_sink.h"
#include "fuzz/entries.h"
#include "fuzz/require.h"

namespace zb::fuzz {
namespace {

using Failure = codec::AgeDecryptSink::Failure;

// FormatIdentity of the secret below; make_corpus.sh has the same line.
[[maybe_unused]] constexpr std::string_view kFuzzIdentity =
    "AGE-SECRET-KEY-1QYPQXPQ9QCRSSZG2PVXQ6RS0ZQG3YYC5Z5TPWXQERGD3C8G7RUSQGPQYEE";

codec::SecretKey FuzzIdentity() {
  std::array<uint8_t, 32> bytes;
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i + 1);
  return codec::SecretKey(bytes);
}

struct Outcome {
  Status status;
  Failure failure = Failure::kNone;
  std::string plain;  // what the sink forwarded
  bool finished = false;
};

// Decrypts `data` written in pieces of `chunk` bytes (0: all at once).
Outcome Decrypt(ByteSpan data, size_t chunk) {
  StringSink out;
  codec::AgeDecryptSink sink(out, {FuzzIdentity()});
  Outcome o;
  const size_t step = chunk == 0 ? std::max<size_t>(data.size(), 1) : chunk;
  for (size_t off = 0; off < data.size() && o.status.ok(); off += step) {
    o.status = sink.Write(data.subspan(off, std::min(step, data.size() - off)));
  }
  if (o.status.ok()) o.status = sink.Finish();
  o.failure = sink.failure();
  o.plain = out.data();
  o.finished = out.finished();
  return o;
}

}  // namespace

void AgeDecrypt(ByteSpan data) {
  const Outcome whole = Decrypt(data, 0);
  Require(whole.status.ok() || whole.status.code() == Code::kCorruption,
          "a bad age file must be kCorruption: " + whole.status.ToString());
  Require(whole.status.ok() == (whole.failure == Failure::kNone),
          "failure() must say why exactly when it fails: " + whole.status.ToString());
  Require(whole.finished == whole.status.ok(), "the next stage finished on a failure");
  // Nothing is released before the header authenticates, and the payload
  // never holds more plaintext than ciphertext.
  Require(
      whole.failure == Failure::kNone || whole.failure == Failure::kPayload || whole.plain.empty(),
      "plaintext released from a file whose header failed: " + whole.status.ToString());
  Require(whole.plain.size() <= data.size(), "more plaintext than ciphertext");
  // The backend hands the object over in pieces of any size; the outcome
  // must not depend on where they are cut.
  const size_t chunk = data.empty() ? 1 : 1 + std::to_integer<size_t>(data[data.size() - 1]) % 61;
  const Outcome pieces = Decrypt(data, chunk);
  Require(pieces.status.ToString() == whole.status.ToString() && pieces.failure == whole.failure &&
              pieces.plain == whole.plain,
          "decrypting in pieces of " + std::to_string(chunk) + " bytes gives " +
              pieces.status.ToString() + ", " + std::to_string(pieces.plain.size()) +
              " bytes; at once " + whole.status.ToString() + ", " +
              std::to_string(whole.plain.size()));
}

}  // namespace zb::fuzz
