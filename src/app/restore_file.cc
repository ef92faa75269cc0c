#include "app/restore_file.h"

#include "bolt/check.h"
#include "codec/age_decrypt_sink.h"
#include "codec/age_key_file.h"
#include "codec/sha256_sink.h"
#include "codec/zstd_sink.h"
#include "env/atomic_file.h"
#include "env/file_sink.h"
#include "env/file_source.h"
#include "repo/image_assembler.h"

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

Status StoredMismatch(const std::string& who, const std::string& name, uint64_t size,
                      const std::string& sha256, const codec::Sha256Sink& stored) {
  return Status::Corruption(who + ": stored object " + name + " has " + Num(stored.bytes()) +
                            " bytes with SHA-256 " + stored.hex() + ", the manifest says " +
                            Num(size) + " bytes with " + sha256);
}

}  // namespace

// Fetches object `o` of `m`, checks its stored bytes against the manifest
// and decodes it (age, zstd) into `plain`, which it finishes. Decoding
// stops at the object's plain size: more is damage (a zstd bomb).
Status DecodeStoredObject(repo::Repository& repo, const repo::Manifest& m,
                          const repo::StoredObject& o, ByteSink& plain,
                          std::span<const codec::SecretKey> identities) {
  const std::string who = "snapshot " + m.id;
  LimitSink bounded(
      plain, o.plain_size,
      Status::Corruption(who + ": stored object " + o.name +
                         " expands to more than the manifest's " + Num(o.plain_size) + " bytes"));
  // stored bytes -> sha256(stored) -> latch -> age -> zstd -d -> limit -> plain
  std::unique_ptr<codec::ZstdDecompressSink> zstd;
  ByteSink* decode = &bounded;
  if (m.compression == "zstd") {
    zstd = std::make_unique<codec::ZstdDecompressSink>(bounded);
    decode = zstd.get();
  }
  std::unique_ptr<codec::AgeDecryptSink> age;
  if (!m.recipients.empty()) {
    age = std::make_unique<codec::AgeDecryptSink>(
        *decode, std::vector<codec::SecretKey>(identities.begin(), identities.end()));
    decode = age.get();
  }
  Latch latch(*decode);
  codec::Sha256Sink stored(&latch);
  ZB_RETURN_IF_ERROR(repo.FetchObject(o.name, who, stored));
  ZB_RETURN_IF_ERROR(stored.Finish());
  if (stored.bytes() != o.stored_size || stored.hex() != o.stored_sha256) {
    return StoredMismatch(who, o.name, o.stored_size, o.stored_sha256, stored);
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
          who + ": stored object " + o.name +
          " matches its manifest but does not decrypt: " + latch.error().message());
    }
    return Status::Corruption(who + ": stored object " + o.name +
                              " matches its manifest but does not " +
                              (o.role == repo::ObjectRole::kFull ? "decompress" : "rebuild") +
                              ": " + latch.error().message());
  }
  // A full object's short image is the caller's to report, with its hash.
  if (o.role != repo::ObjectRole::kFull && bounded.bytes() != o.plain_size) {
    return Status::Corruption(who + ": stored object " + o.name + " decodes to " +
                              Num(bounded.bytes()) + " bytes, the manifest says " +
                              Num(o.plain_size));
  }
  return Status::OK();
}

namespace {

// The image of an incremental snapshot (or a base) rebuilt into `out`:
// the packs newest first, then the base (docs/incremental.md). Returns the
// SHA-256 of the rebuilt image, taken in page order as the base streams in.
Result<std::string> AssembleChain(Env& env, repo::Repository& repo, const repo::Manifest& m,
                                  AtomicFile& out, std::span<const codec::SecretKey> identities) {
  repo::ImageAssembler assembler(out.file(), {m.page_size, m.high_water, m.txid});
  // The image's SHA-256 as the base streams in, not in a second pass.
  ZB_ASSIGN_OR_RETURN(auto readback, env.OpenForRead(out.temp_path()));
  codec::Sha256Sink sha(nullptr);
  assembler.HashInOrder(sha, *readback);
  for (auto o = m.objects.rbegin(); o != m.objects.rend(); ++o) {
    std::unique_ptr<ByteSink> sink =
        o->role == repo::ObjectRole::kPages
            ? assembler.PackSink(o->name, {m.page_size, o->page_count, o->txid})
            : assembler.BaseSink(o->name);
    ZB_RETURN_IF_ERROR(DecodeStoredObject(repo, m, *o, *sink, identities));
  }
  if (Status s = assembler.Finish(); !s.ok()) {
    if (s.code() != Code::kCorruption) return s;
    return Status::Corruption("snapshot " + m.id + ": " + s.message());
  }
  return sha.hex();
}

}  // namespace

Status RestoreToFile(Env& env, repo::Repository& repo, const repo::Manifest& m,
                     const std::string& path, std::span<const codec::SecretKey> identities) {
  ZB_RETURN_IF_ERROR(env.CreateDir(DirName(path)));
  ZB_ASSIGN_OR_RETURN(auto out, AtomicFile::Create(env, path));
  ZB_RETURN_IF_ERROR(RestoreInto(env, repo, m, *out, identities));
  return out->Commit();
}

Status VerifyStoredObject(repo::Repository& repo, const std::string& id,
                          const repo::StoredObject& o) {
  codec::Sha256Sink stored(nullptr);
  ZB_RETURN_IF_ERROR(repo.FetchObject(o.name, "snapshot " + id, stored));
  ZB_RETURN_IF_ERROR(stored.Finish());
  if (stored.bytes() != o.stored_size || stored.hex() != o.stored_sha256) {
    return StoredMismatch("snapshot " + id, o.name, o.stored_size, o.stored_sha256, stored);
  }
  return Status::OK();
}

Status VerifyStoredObject(repo::Repository& repo, const repo::Manifest& m) {
  for (const repo::StoredObject& o : repo::ObjectsOf(m)) {
    ZB_RETURN_IF_ERROR(VerifyStoredObject(repo, m.id, o));
  }
  return Status::OK();
}

Status CheckImage(Env& env, const std::string& path, const repo::Manifest& m, uint64_t size,
                  const std::string& sha256) {
  const std::string who = "snapshot " + m.id;
  if (size != m.plain_size || sha256 != m.plain_sha256) {
    return Status::Corruption(who + ": restored DB has " + Num(size) + " bytes with SHA-256 " +
                              sha256 + ", the manifest says " + Num(m.plain_size) + " bytes with " +
                              m.plain_sha256);
  }
  ZB_ASSIGN_OR_RETURN(auto check_file, env.OpenForRead(path));
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

Status RestoreInto(Env& env, repo::Repository& repo, const repo::Manifest& m, AtomicFile& out,
                   std::span<const codec::SecretKey> identities) {
  const std::string who = "snapshot " + m.id;
  if (!m.recipients.empty() && identities.empty()) {
    return Status::InvalidArgument(who + " is encrypted (to " + Join(m.recipients) +
                                   "); restoring it needs one of their identities");
  }
  uint64_t size = 0;
  std::string sha256;
  if (m.kind == repo::SnapshotKind::kFull) {
    FileSink file(out.file());
    codec::Sha256Sink plain(&file);
    ZB_RETURN_IF_ERROR(DecodeStoredObject(repo, m, repo::ObjectsOf(m).front(), plain, identities));
    size = plain.bytes();
    sha256 = plain.hex();
  } else {
    ZB_ASSIGN_OR_RETURN(sha256, AssembleChain(env, repo, m, out, identities));
    size = m.high_water * m.page_size;
  }
  return CheckImage(env, out.temp_path(), m, size, sha256);
}

}  // namespace zb::app
