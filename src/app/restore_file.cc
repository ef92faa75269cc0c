#include "app/restore_file.h"

#include "bolt/check.h"
#include "codec/sha256_sink.h"
#include "codec/zstd_sink.h"
#include "env/atomic_file.h"
#include "env/file_sink.h"

namespace zb::app {
namespace {

std::string Num(uint64_t v) { return std::to_string(v); }

// Forwards to `next` until it fails, then keeps accepting bytes and keeps
// the first error: the stored hash must see every stored byte even when the
// bytes do not decompress, so the report names the cause (the stored object
// differs) rather than the symptom.
class Latch final : public ByteSink {
 public:
  explicit Latch(ByteSink& next) : next_(next) {}
  Status Write(ByteSpan data) override {
    if (error_.ok()) error_ = next_.Write(data);
    return Status::OK();
  }
  Status Finish() override {
    if (error_.ok()) error_ = next_.Finish();
    return Status::OK();
  }
  const Status& error() const { return error_; }

 private:
  ByteSink& next_;
  Status error_;
};

}  // namespace

Status RestoreToFile(Env& env, repo::Repository& repo, const repo::Manifest& m,
                     const std::string& path) {
  ZB_RETURN_IF_ERROR(env.CreateDir(DirName(path)));
  ZB_ASSIGN_OR_RETURN(auto out, AtomicFile::Create(env, path));
  ZB_RETURN_IF_ERROR(RestoreInto(env, repo, m, *out));
  return out->Commit();
}

Status RestoreInto(Env& env, repo::Repository& repo, const repo::Manifest& m, AtomicFile& out) {
  const std::string who = "snapshot " + m.id;
  if (!m.recipients.empty()) {
    return Status::InvalidArgument(who + " is encrypted; this ziti-backup cannot decrypt yet");
  }
  FileSink file(out.file());
  // stored bytes -> sha256(stored) -> latch -> zstd -d -> sha256(plain) -> limit -> file
  // Nothing past the manifest's size is written: a longer stream stops there.
  LimitSink bounded(
      file, m.plain_size,
      Status::Corruption(who + ": stored object " + m.data_object +
                         " expands to more than the manifest's " + Num(m.plain_size) + " bytes"));
  codec::Sha256Sink plain(&bounded);
  std::unique_ptr<codec::ZstdDecompressSink> zstd;
  ByteSink* decode = &plain;
  if (m.compression == "zstd") {
    zstd = std::make_unique<codec::ZstdDecompressSink>(plain);
    decode = zstd.get();
  }
  Latch latch(*decode);
  codec::Sha256Sink stored(&latch);
  ZB_RETURN_IF_ERROR(repo.Fetch(m, stored));
  ZB_RETURN_IF_ERROR(stored.Finish());
  if (stored.bytes() != m.stored_size || stored.hex() != m.stored_sha256) {
    return Status::Corruption(who + ": stored object " + m.data_object + " has " +
                              Num(stored.bytes()) + " bytes with SHA-256 " + stored.hex() +
                              ", the manifest says " + Num(m.stored_size) + " bytes with " +
                              m.stored_sha256);
  }
  if (!latch.error().ok()) {
    if (latch.error().code() != Code::kCorruption) return latch.error();
    if (bounded.exceeded()) return latch.error();
    return Status::Corruption(
        who + ": stored object " + m.data_object +
        " matches its manifest but does not decompress: " + latch.error().message());
  }
  if (plain.bytes() != m.plain_size || plain.hex() != m.plain_sha256) {
    return Status::Corruption(who + ": restored DB has " + Num(plain.bytes()) +
                              " bytes with SHA-256 " + plain.hex() + ", the manifest says " +
                              Num(m.plain_size) + " bytes with " + m.plain_sha256);
  }
  ZB_ASSIGN_OR_RETURN(auto check_file, env.OpenForRead(out.temp_path()));
  ZB_ASSIGN_OR_RETURN(bolt::CheckReport r, bolt::Check(*check_file));
  if (!r.clean()) {
    return Status::Corruption(who +
                              ": restored DB fails the structural check: " + Num(r.finding_count) +
                              " findings, the first: " + r.findings.front().ToString());
  }
  if (r.meta->txid != m.txid) {
    return Status::Corruption(who + ": restored DB holds txid " + Num(r.meta->txid) +
                              ", the manifest says " + Num(m.txid));
  }
  return Status::OK();
}

}  // namespace zb::app
