#include "app/restore_file.h"

#include "bolt/check.h"
#include "codec/age_decrypt_sink.h"
#include "codec/age_key_file.h"
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

// "sha256:a, sha256:b": the recipients' fingerprints, to tell an operator
// which key a snapshot needs.
std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string IdentityFingerprints(std::span<const codec::SecretKey> identities) {
  std::vector<std::string> f;
  for (const codec::SecretKey& k : identities) {
    auto pub = codec::PublicKeyOf(k);
    if (pub.ok()) f.push_back(codec::RecipientFingerprint(*pub));
  }
  return Join(f);
}

Status StoredMismatch(const std::string& who, const repo::Manifest& m,
                      const codec::Sha256Sink& stored) {
  return Status::Corruption(who + ": stored object " + m.data_object + " has " +
                            Num(stored.bytes()) + " bytes with SHA-256 " + stored.hex() +
                            ", the manifest says " + Num(m.stored_size) + " bytes with " +
                            m.stored_sha256);
}

}  // namespace

Status RestoreToFile(Env& env, repo::Repository& repo, const repo::Manifest& m,
                     const std::string& path, std::span<const codec::SecretKey> identities) {
  ZB_RETURN_IF_ERROR(env.CreateDir(DirName(path)));
  ZB_ASSIGN_OR_RETURN(auto out, AtomicFile::Create(env, path));
  ZB_RETURN_IF_ERROR(RestoreInto(env, repo, m, *out, identities));
  return out->Commit();
}

Status VerifyStoredObject(repo::Repository& repo, const repo::Manifest& m) {
  codec::Sha256Sink stored(nullptr);
  ZB_RETURN_IF_ERROR(repo.Fetch(m, stored));
  ZB_RETURN_IF_ERROR(stored.Finish());
  if (stored.bytes() != m.stored_size || stored.hex() != m.stored_sha256) {
    return StoredMismatch("snapshot " + m.id, m, stored);
  }
  return Status::OK();
}

Status RestoreInto(Env& env, repo::Repository& repo, const repo::Manifest& m, AtomicFile& out,
                   std::span<const codec::SecretKey> identities) {
  const std::string who = "snapshot " + m.id;
  const bool encrypted = !m.recipients.empty();
  if (encrypted && identities.empty()) {
    return Status::InvalidArgument(who + " is encrypted (to " + Join(m.recipients) +
                                   "); restoring it needs one of their identities");
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
  std::unique_ptr<codec::AgeDecryptSink> age;
  if (encrypted) {
    age = std::make_unique<codec::AgeDecryptSink>(
        *decode, std::vector<codec::SecretKey>(identities.begin(), identities.end()));
    decode = age.get();
  }
  Latch latch(*decode);
  codec::Sha256Sink stored(&latch);
  ZB_RETURN_IF_ERROR(repo.Fetch(m, stored));
  ZB_RETURN_IF_ERROR(stored.Finish());
  if (stored.bytes() != m.stored_size || stored.hex() != m.stored_sha256) {
    return StoredMismatch(who, m, stored);
  }
  if (!latch.error().ok()) {
    if (latch.error().code() != Code::kCorruption) return latch.error();
    if (bounded.exceeded()) return latch.error();
    if (age && age->failure() == codec::AgeDecryptSink::Failure::kNoMatch) {
      return Status::Corruption(who + ": no identity given decrypts it: it is encrypted to " +
                                Join(m.recipients) + ", the identities given are " +
                                IdentityFingerprints(identities));
    }
    if (age && age->failure() != codec::AgeDecryptSink::Failure::kNone) {
      return Status::Corruption(
          who + ": stored object " + m.data_object +
          " matches its manifest but does not decrypt: " + latch.error().message());
    }
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
