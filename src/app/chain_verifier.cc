#include "app/chain_verifier.h"

#include <algorithm>

#include "app/restore_file.h"
#include "codec/sha256_sink.h"
#include "env/file_sink.h"
#include "env/file_source.h"
#include "repo/page_pack.h"

namespace zb::app {
namespace {

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
        known = by_object.emplace(o.name, std::pair(m.id, VerifyStoredObject(repo, m.id, o))).first;
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

// Rebuilds the chains of one target forwards, each object read once: the
// snapshots' object lists form a tree (a base, then packs, and a branch
// where two lists part), walked depth first; at a branch point the image
// is copied for every branch but the last, which goes on in the file.
class Rebuild {
 public:
  Rebuild(Env& env, repo::Repository& repo, const ChainCheck& check,
          std::map<std::string, Status>& out)
      : env_(env), repo_(repo), check_(check), out_(out) {}

  // Every snapshot of `members` (which share their base) checked.
  void Chain(const std::vector<const repo::Manifest*>& members) {
    Image image{NextPath(), nullptr, 0, Status()};
    env_.Remove(image.path).IgnoreError();
    auto file = env_.Create(image.path);
    if (file.ok()) {
      image.file = std::move(file).value();
    } else {
      image.broken = file.status();
    }
    Walk(0, members, image);
    image.file.reset();
    env_.Remove(image.path).IgnoreError();
  }

 private:
  struct Image {
    std::string path;
    std::unique_ptr<WritableFile> file;
    uint64_t end = 0;    // the file's size
    Status broken;       // why the file does not hold the image it should (then every
                         // snapshot further down fails with it)
    std::string reader;  // the snapshot whose object broke it
  };

  std::string NextPath() {
    return check_.scratch_dir + "/chain-" + std::to_string(files_++) + ".db";
  }

  // `members` share objects [0, depth), which `image` holds.
  void Walk(size_t depth, std::vector<const repo::Manifest*> members, Image& image) {
    while (true) {
      std::vector<std::pair<std::string, std::vector<const repo::Manifest*>>> next;
      for (const repo::Manifest* m : members) {
        if (m->objects.size() == depth) {
          CheckHere(*m, image);
          continue;
        }
        const std::string& name = m->objects[depth].name;
        auto it =
            std::find_if(next.begin(), next.end(), [&](const auto& g) { return g.first == name; });
        if (it == next.end()) it = next.insert(next.end(), {name, {}});
        it->second.push_back(m);
      }
      if (next.empty()) break;
      // Every branch but the last on a copy of the image.
      for (size_t k = 0; k + 1 < next.size(); ++k) {
        Image fork = Fork(image);
        Apply(*next[k].second.front(), depth, fork);
        Walk(depth + 1, next[k].second, fork);
        fork.file.reset();
        env_.Remove(fork.path).IgnoreError();
      }
      Apply(*next.back().second.front(), depth, image);
      members = std::move(next.back().second);
      ++depth;
    }
  }

  Image Fork(const Image& from) {
    Image to{NextPath(), nullptr, from.end, from.broken, from.reader};
    if (!to.broken.ok()) return to;
    env_.Remove(to.path).IgnoreError();
    auto src = env_.OpenForRead(from.path);
    auto dst = env_.Create(to.path);
    Status s = !src.ok() ? src.status() : dst.status();
    if (s.ok()) {
      auto copied = env_.CopyRange(**src, 0, **dst, 0, from.end);
      s = !copied.ok()          ? copied.status()
          : *copied != from.end ? Status::IOError("copy of " + from.path + " cut short")
                                : Status();
    }
    if (s.ok()) {
      to.file = std::move(dst).value();
    } else {
      to.broken = s;
    }
    return to;
  }

  // Object `depth` of `reader` applied to `image`.
  void Apply(const repo::Manifest& reader, size_t depth, Image& image) {
    if (!image.broken.ok()) return;
    const repo::StoredObject& o = reader.objects[depth];
    const uint64_t ps = reader.page_size;
    Status s;
    if (o.role == repo::ObjectRole::kBase) {
      FileSink sink(*image.file);
      s = DecodeStoredObject(repo_, reader, o, sink, check_.identities);
      image.end = sink.bytes();
    } else {
      repo::PagePackSink sink({reader.page_size, o.page_count, o.txid}, o.name,
                              PagesInPlace(*image.file, reader.page_size, image.end));
      s = DecodeStoredObject(repo_, reader, o, sink, check_.identities);
      // The image the pack completes: never larger than what its chain
      // wrote (a page count read from a manifest sizes nothing).
      if (s.ok() && o.page_count > image.end / ps) {
        s = Status::Corruption("snapshot " + reader.id + ": object " + o.name +
                               " completes an image of " + std::to_string(o.page_count) +
                               " pages, its chain holds " + std::to_string(image.end / ps));
      } else if (s.ok()) {
        image.end = o.page_count * ps;
        s = image.file->Truncate(image.end);
      }
    }
    image.broken = s;
    image.reader = reader.id;
  }

  void CheckHere(const repo::Manifest& m, const Image& image) {
    Status verdict = image.broken.ok() ? Status() : Of(m.id, image.reader, image.broken);
    if (verdict.ok()) {
      auto file = env_.OpenForRead(image.path);
      verdict = file.status();
      if (verdict.ok()) {
        FileSource source(**file);
        auto sha = codec::Sha256Hex(source);
        verdict = sha.ok() ? CheckImage(env_, image.path, m, image.end, *sha) : sha.status();
      }
    }
    if (verdict.ok() && check_.also) verdict = check_.also(image.path);
    out_[m.id] = verdict;
  }

  Env& env_;
  repo::Repository& repo_;
  const ChainCheck& check_;
  std::map<std::string, Status>& out_;
  int files_ = 0;
};

}  // namespace

std::map<std::string, Status> VerifyChains(Env& env, repo::Repository& repo,
                                           const std::vector<repo::Manifest>& snapshots,
                                           const ChainCheck& check) {
  if (check.hash_only) return HashOnly(repo, snapshots);
  // One tree per base.
  std::vector<std::pair<std::string, std::vector<const repo::Manifest*>>> chains;
  for (const repo::Manifest& m : snapshots) {
    const std::string& base = m.objects.front().name;
    auto it =
        std::find_if(chains.begin(), chains.end(), [&](const auto& c) { return c.first == base; });
    if (it == chains.end()) it = chains.insert(chains.end(), {base, {}});
    it->second.push_back(&m);
  }
  std::map<std::string, Status> out;
  Rebuild rebuild(env, repo, check, out);
  for (const auto& [base, members] : chains) rebuild.Chain(members);
  return out;
}

}  // namespace zb::app
