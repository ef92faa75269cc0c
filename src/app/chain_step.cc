#include "app/chain_step.h"

#include <algorithm>
#include <cstdint>

#include "codec/sha256_sink.h"
#include "env/atomic_file.h"
#include "repo/page_hashes.h"
#include "repo/page_pack.h"
#include "store/signing_crypto.h"

namespace zb::app {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "none" : out;
}

// Why `state` cannot continue its chain in this target, or "". Fills
// `head` with the chain head's manifest when it can.
std::string StaleReason(repo::Repository& repo, const repo::Listing& listing,
                        const repo::ChainState& state, const ChainInputs& in,
                        repo::Manifest& head) {
  if (state.db != in.db) return "the chain state is for another DB (" + state.db + ")";
  if (state.target != in.target) return "the chain state is for another target";
  if (state.page_size != in.page_size) {
    return "the page size changed from " + std::to_string(state.page_size) + " to " +
           std::to_string(in.page_size);
  }
  const repo::SnapshotEntry* found = nullptr;
  for (const repo::SnapshotEntry& s : listing.snapshots) {
    if (s.manifest.id == state.head_id) found = &s;
  }
  if (!found) return "the chain head " + state.head_id + " is not in the target";
  const repo::Manifest& m = found->manifest;
  if (m.kind == repo::SnapshotKind::kFull || m.chain != repo::ChainTag(state.key)) {
    return "the chain head " + state.head_id + " is not of the chain state's chain";
  }
  // The manifest as stored must be the one the state was made with: a
  // head replaced under the same name (a copy from elsewhere) is another.
  auto text = repo.ListedManifest(state.head_id + ".json");
  if (!text.ok()) return "the chain head's manifest cannot be read: " + text.status().message();
  if (store::Sha256Hex(*text) != state.head_manifest_sha256) {
    return "the chain head " + state.head_id + " is not the one the chain state was made with";
  }
  if (m.page_size != state.page_size || m.high_water != state.hashes.size()) {
    return "the chain state does not match its head's image";
  }
  if (m.compression != in.compression) {
    return "the compression changed from " + m.compression + " to " + in.compression;
  }
  if (m.recipients != in.recipients) {
    return "the age recipients changed from " + Join(m.recipients) + " to " + Join(in.recipients);
  }
  // A chain whose objects are not all there would only grow a snapshot
  // that cannot be restored.
  for (const repo::StoredObject& o : m.objects) {
    const bool present = std::any_of(
        listing.chain_objects.begin(), listing.chain_objects.end(),
        [&](const store::ObjectInfo& i) { return i.name == o.name && i.size == o.stored_size; });
    if (!present) return "the chain's object " + o.name + " is missing or has another size";
  }
  head = m;
  return "";
}

}  // namespace

std::string ChainStatePath(const std::string& dir, const std::string& db,
                           const std::string& target) {
  // A hash keeps the name short and free of URL characters.
  const std::string tag = store::Sha256Hex(db + "\n" + target).substr(0, 16);
  return dir + "/.ziti-backup-chain-" + tag + ".state";
}

Result<ChainStep> PlanChainStep(Env& env, repo::Repository& repo, const repo::Listing& listing,
                                RandomAccessFile& image, const ChainInputs& in) {
  ChainStep step;
  std::optional<repo::ChainState> state;
  // Sized by the file itself: 16 bytes a page, whatever the DB's size.
  if (auto bytes = ReadSmallFile(env, in.state_path, UINT64_MAX); !bytes.ok()) {
    step.reason = bytes.status().code() == Code::kNotFound
                      ? "no chain state for this target yet"
                      : "the chain state cannot be read: " + bytes.status().message();
  } else if (auto decoded = repo::DecodeChainState(*bytes); !decoded.ok()) {
    step.reason = "the chain state is damaged: " + decoded.status().message();
  } else if (std::string why = StaleReason(repo, listing, *decoded, in, step.head); !why.empty()) {
    step.reason = why;
  } else {
    state = std::move(decoded).value();
  }

  if (state) {
    codec::Sha256Sink whole(nullptr);
    ZB_ASSIGN_OR_RETURN(std::vector<repo::PageHash> hashes,
                        HashImage(image, in.page_size, state->key, &whole));
    ZB_RETURN_IF_ERROR(whole.Finish());
    step.pages = repo::ChangedPages(state->hashes, hashes);
    const std::vector<repo::StoredObject>& objects = step.head.objects;
    repo::ChainSize chain{objects.front().plain_size, 0, objects.size() - 1};
    for (size_t i = 1; i < objects.size(); ++i) chain.packs_plain += objects[i].plain_size;
    step.reason =
        repo::RebaseReason(chain, repo::PagePackSize(in.page_size, step.pages.size()), in.rule);
    if (step.reason.empty()) {
      step.kind = repo::SnapshotKind::kIncremental;
      step.image_sha256 = whole.hex();
      step.next.key = state->key;
      step.next.hashes = std::move(hashes);
      step.next.locked_until = state->locked_until;
    }
  }
  if (step.kind == repo::SnapshotKind::kBase) {
    // A new chain, a new key: nothing of the old chain's hashes carries
    // over. Its hashes are the caller's to take (HashImage) while the base
    // goes up.
    step.pages.clear();
    step.head = {};
    ZB_ASSIGN_OR_RETURN(step.next.key, repo::NewPageHashKey());
  }
  step.chain = repo::ChainTag(step.next.key);
  step.next.db = in.db;
  step.next.target = in.target;
  step.next.page_size = in.page_size;
  return step;
}

Result<std::vector<repo::PageHash>> HashImage(RandomAccessFile& image, uint32_t page_size,
                                              const repo::PageHashKey& key, ByteSink* also) {
  ZB_ASSIGN_OR_RETURN(repo::PageHasher hasher, repo::PageHasher::Create(key));
  return repo::HashPages(image, page_size, hasher, also);
}

Status SaveChainState(Env& env, const std::string& path, const repo::ChainState& state) {
  // A run killed inside an earlier save's rename may have left its temp
  // name; the caller holds the target's lock, so no other run writes this
  // state.
  const std::string dir = DirName(path), stale = AtomicTempPrefix(path);
  if (auto entries = env.List(dir); entries.ok()) {
    for (const FileInfo& e : *entries) {
      if (e.name.rfind(stale, 0) == 0) env.Remove(dir + "/" + e.name).IgnoreError();
    }
  }
  return WriteFileAtomically(env, path, repo::EncodeChainState(state));
}

}  // namespace zb::app
