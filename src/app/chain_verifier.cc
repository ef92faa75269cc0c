#include "app/chain_verifier.h"

#include <algorithm>
#include <set>

#include "app/restore_file.h"
#include "codec/sha256_sink.h"
#include "env/file_sink.h"
#include "env/file_source.h"
#include "repo/page_pack.h"

namespace zb::app {
namespace {

// Whether `a`'s objects are the first objects of `b`'s.
bool PrefixOf(const repo::Manifest& a, const repo::Manifest& b) {
  return a.objects.size() <= b.objects.size() &&
         std::equal(a.objects.begin(), a.objects.end(), b.objects.begin());
}

// `why`, said of snapshot `id` rather than of the one whose pass read the
// object (the error names the object, which is what they share).
Status Of(const std::string& id, const std::string& reader, const Status& why) {
  std::string message = why.message();
  const std::string prefix = "snapshot " + reader + ": ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  return Status(why.code(), "snapshot " + id + ": " + message);
}

std::map<std::string, Status> HashOnly(repo::Repository& repo,
                                       const std::vector<repo::Manifest>& snapshots) {
  // Each object read once: its verdict, and the snapshot it was read for.
  std::map<std::string, std::pair<std::string, Status>> by_object;
  std::map<std::string, Status> out;
  for (const repo::Manifest& m : snapshots) {
    Status verdict;
    for (const repo::StoredObject& o : m.objects) {
      auto known = by_object.find(o.name);
      if (known == by_object.end()) {
        repo::Manifest just_one = m;
        just_one.kind = repo::SnapshotKind::kFull;
        just_one.data_object = o.name;
        just_one.stored_size = o.stored_size;
        just_one.stored_sha256 = o.stored_sha256;
        known =
            by_object.emplace(o.name, std::pair(m.id, VerifyStoredObject(repo, just_one))).first;
      }
      const auto& [reader, status] = known->second;
      if (!status.ok()) {
        verdict = Of(m.id, reader, status);
        break;
      }
    }
    out[m.id] = verdict;
  }
  return out;
}

// Writes each page of a pack at its place in `file`, keeping track of
// where the file ends.
class PagesInPlace {
 public:
  PagesInPlace(WritableFile& file, uint32_t page_size, uint64_t& end)
      : file_(file), page_size_(page_size), end_(end) {}
  Status operator()(uint64_t n, ByteSpan page) {
    end_ = std::max(end_, (n + 1) * page_size_);
    return file_.WriteAt(n * page_size_, page);
  }

 private:
  WritableFile& file_;
  uint32_t page_size_;
  uint64_t& end_;
};

// One forward pass over `longest`'s objects, checking each of `members`
// (whose objects are prefixes of it) when the file holds its image.
void Pass(Env& env, repo::Repository& repo, const repo::Manifest& longest,
          const std::vector<const repo::Manifest*>& members, const ChainCheck& check,
          std::map<std::string, Status>& out) {
  const std::string path = check.scratch_dir + "/chain.db";
  env.Remove(path).IgnoreError();
  Status broken;  // once an object fails, every later image of the pass fails with it
  auto file = env.Create(path);
  if (!file.ok()) broken = file.status();
  const uint64_t ps = longest.page_size;
  uint64_t end = 0;  // the file's size
  for (size_t i = 0; i < longest.objects.size(); ++i) {
    const repo::StoredObject& o = longest.objects[i];
    if (broken.ok()) {
      if (o.role == repo::ObjectRole::kBase) {
        FileSink sink(**file);
        broken = DecodeStoredObject(repo, longest, o, sink, check.identities);
        end = sink.bytes();
      } else {
        repo::PagePackSink sink({longest.page_size, o.page_count, o.txid}, o.name,
                                PagesInPlace(**file, longest.page_size, end));
        broken = DecodeStoredObject(repo, longest, o, sink, check.identities);
        // The image the pack completes: never larger than what its chain
        // wrote (a page count read from a manifest sizes nothing).
        if (broken.ok() && o.page_count > end / ps) {
          broken = Status::Corruption("snapshot " + longest.id + ": object " + o.name +
                                      " completes an image of " + std::to_string(o.page_count) +
                                      " pages, its chain holds " + std::to_string(end / ps));
        } else if (broken.ok()) {
          end = o.page_count * ps;
          broken = (*file)->Truncate(end);
        }
      }
    }
    for (const repo::Manifest* m : members) {
      if (m->objects.size() != i + 1) continue;
      Status verdict = broken.ok() ? Status() : Of(m->id, longest.id, broken);
      if (verdict.ok()) {
        auto image = env.OpenForRead(path);
        verdict = image.status();
        if (verdict.ok()) {
          FileSource source(**image);
          auto sha = codec::Sha256Hex(source);
          auto size = (*image)->Size();
          verdict = !sha.ok() ? sha.status() : !size.ok() ? size.status() : Status();
          if (verdict.ok()) verdict = CheckImage(env, path, *m, *size, *sha);
        }
      }
      if (verdict.ok() && check.also) verdict = check.also(path);
      out[m->id] = verdict;
    }
  }
  env.Remove(path).IgnoreError();
}

}  // namespace

std::map<std::string, Status> VerifyChains(Env& env, repo::Repository& repo,
                                           const std::vector<repo::Manifest>& snapshots,
                                           const ChainCheck& check) {
  if (check.hash_only) return HashOnly(repo, snapshots);
  std::vector<const repo::Manifest*> order;
  for (const repo::Manifest& m : snapshots) order.push_back(&m);
  // The longest chains first: each pass then covers every shorter one on
  // its way.
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return a->objects.size() > b->objects.size();
  });
  std::map<std::string, Status> out;
  std::set<std::string> done;
  for (const repo::Manifest* longest : order) {
    if (done.count(longest->id)) continue;
    std::vector<const repo::Manifest*> members;
    for (const repo::Manifest* m : order) {
      if (!done.count(m->id) && PrefixOf(*m, *longest)) {
        members.push_back(m);
        done.insert(m->id);
      }
    }
    Pass(env, repo, *longest, members, check, out);
  }
  return out;
}

}  // namespace zb::app
