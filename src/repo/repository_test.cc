#include "repo/repository.h"

#include <gtest/gtest.h>

#include "repo/page_pack.h"
#include "store/mem_backend.h"
#include "testutil/fake_clock.h"

namespace zb::repo {
namespace {

using namespace std::chrono_literals;

Manifest Make(const std::string& stamp) {
  Manifest m;
  SnapshotId id = *ParseSnapshotId("ctrl-ha-" + stamp);
  m.id = id.ToString();
  m.created = id.created;
  m.data_object = DataName(id, true, false);
  m.source = "/ziti-controller/ctrl-ha.db";
  m.method = "cold";
  m.plain_sha256 = std::string(64, '1');
  m.stored_sha256 = std::string(64, '2');
  m.compression = "zstd";
  m.compression_level = 3;
  return m;
}

class RepositoryTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  store::MemBackend backend_{clock_};
  Repository repo_{backend_};
  Status StoreSample(const std::string& stamp, const std::string& data) {
    StringSource src(data);
    return repo_.Store(Make(stamp), src);
  }
};

TEST_F(RepositoryTest, StoredSnapshotsAreListedOldestFirstAndFetchable) {
  ASSERT_TRUE(StoreSample("20260102T000000Z", "two").ok());
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  auto l = repo_.List();
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->snapshots.size(), 2u);
  EXPECT_EQ(l->snapshots[0].manifest.id, "ctrl-ha-20260101T000000Z");
  EXPECT_EQ(l->snapshots[1].manifest, Make("20260102T000000Z"));
  EXPECT_TRUE(l->orphans.empty());
  EXPECT_TRUE(l->damaged.empty());
  StringSink out;
  ASSERT_TRUE(repo_.Fetch(l->snapshots[0].manifest, out).ok());
  EXPECT_EQ(out.data(), "one");
}

TEST_F(RepositoryTest, SnapshotsAreListedInCreationOrderWhateverTheirTimes) {
  // The clock stepped back between the two: the later one has the earlier time.
  Manifest first = Make("20260102T000000Z"), second = Make("20260101T000000Z");
  first.sequence = 1;
  second.sequence = 2;
  StringSource a("first"), b("second");
  ASSERT_TRUE(repo_.Store(first, a).ok());
  ASSERT_TRUE(repo_.Store(second, b).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.snapshots.size(), 2u);
  EXPECT_EQ(l.snapshots[0].manifest.id, "ctrl-ha-20260102T000000Z");
  EXPECT_EQ(l.snapshots[1].manifest.id, "ctrl-ha-20260101T000000Z");
  EXPECT_EQ(l.NextSequence(), 3u);
}

TEST_F(RepositoryTest, ManifestsWithoutASequenceComeFirstByTime) {
  ASSERT_TRUE(StoreSample("20260105T000000Z", "old version, later").ok());
  ASSERT_TRUE(StoreSample("20260104T000000Z", "old version, earlier").ok());
  Manifest current = Make("20260101T000000Z");
  current.sequence = 1;
  StringSource data("this version");
  ASSERT_TRUE(repo_.Store(current, data).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.snapshots.size(), 3u);
  EXPECT_EQ(l.snapshots[0].manifest.id, "ctrl-ha-20260104T000000Z");
  EXPECT_EQ(l.snapshots[1].manifest.id, "ctrl-ha-20260105T000000Z");
  EXPECT_EQ(l.snapshots[2].manifest.id, "ctrl-ha-20260101T000000Z");
}

TEST_F(RepositoryTest, DataWithoutManifestIsAnOrphanAndForeignObjectsAreApart) {
  StringSource data("partial");
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260103T000000Z.db.zst", data).ok());
  StringSource lock("");
  ASSERT_TRUE(backend_.Put("backup.lock", lock).ok());
  auto l = *repo_.List();
  EXPECT_TRUE(l.snapshots.empty());
  ASSERT_EQ(l.orphans.size(), 1u);
  EXPECT_EQ(l.orphans[0].name, "ctrl-ha-20260103T000000Z.db.zst");
  ASSERT_EQ(l.foreign.size(), 1u);
  EXPECT_EQ(l.foreign[0].name, "backup.lock");
  EXPECT_TRUE(Repository::Unneeded(l, {}, clock_.Now() - 24h).empty());
  auto old = Repository::Unneeded(l, {}, clock_.Now() + 1s);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].name, "ctrl-ha-20260103T000000Z.db.zst");
}

const std::string kChain = "0123456789abcdef";

// An incremental snapshot named `stamp` whose chain is `chain` (base first,
// its own pack last).
Manifest Chained(const std::string& stamp, const std::vector<std::string>& chain) {
  Manifest m = Make(stamp);
  m.format = kChainManifestFormat;
  m.page_size = 4096;
  m.high_water = 4;
  m.plain_size = 4 * 4096;
  m.kind = chain.size() == 1 ? SnapshotKind::kBase : SnapshotKind::kIncremental;
  m.chain = kChain;
  for (size_t i = 0; i < chain.size(); ++i) {
    SnapshotId id = *ParseSnapshotId("ctrl-ha-" + chain[i]);
    StoredObject o{i == 0 ? BaseName(id, kChain, true, false) : PagesName(id, kChain, true, false),
                   i == 0 ? ObjectRole::kBase : ObjectRole::kPages,
                   1,
                   std::string(64, '2'),
                   i == 0 ? 4 * 4096 : PagePackSize(4096, 1),
                   i == 0 ? 0u : 4u,
                   0};
    m.objects.push_back(o);
  }
  m.data_object = m.objects.back().name;
  m.stored_size = 1;
  if (m.kind == SnapshotKind::kIncremental) m.parent = "ctrl-ha-" + chain[chain.size() - 2];
  return m;
}

// The incremental format's objects are shared: kept while any manifest
// names them, swept once none does, and never while a manifest that
// cannot be read exists (it could name anything).
TEST_F(RepositoryTest, ChainObjectsGoOnlyWhenNoManifestNamesThem) {
  const Manifest base = Chained("20260101T000000Z", {"20260101T000000Z"});
  const Manifest one = Chained("20260102T000000Z", {"20260101T000000Z", "20260102T000000Z"});
  const Manifest two = Chained("20260103T000000Z", {"20260101T000000Z", "20260103T000000Z"});
  for (const Manifest* m : {&base, &one, &two}) {
    StringSource data("x");
    ASSERT_TRUE(repo_.Store(*m, data).ok()) << m->id;
  }
  StringSource stray("x");
  ASSERT_TRUE(backend_.Put("ctrl-ha-20251231T000000Z.pages-0123456789abcdef.zst", stray).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.snapshots.size(), 3u);
  EXPECT_EQ(l.snapshots[2].manifest, two);
  EXPECT_EQ(l.chain_objects.size(), 4u);
  ASSERT_EQ(l.orphans.size(), 1u) << "only the pack no manifest names";
  EXPECT_EQ(l.orphans[0].name, "ctrl-ha-20251231T000000Z.pages-0123456789abcdef.zst");
  auto names = [](const std::vector<store::ObjectInfo>& v) {
    std::vector<std::string> out;
    for (const auto& o : v) out.push_back(o.name);
    return out;
  };
  const TimePoint later = clock_.Now() + 1s;
  // Dropping the base's snapshot keeps its object: the others name it.
  EXPECT_EQ(names(Repository::Unneeded(l, {base.id}, later)),
            std::vector<std::string>{"ctrl-ha-20251231T000000Z.pages-0123456789abcdef.zst"});
  EXPECT_EQ(names(Repository::Unneeded(l, {base.id, one.id}, later)),
            (std::vector<std::string>{"ctrl-ha-20251231T000000Z.pages-0123456789abcdef.zst",
                                      "ctrl-ha-20260102T000000Z.pages-0123456789abcdef.zst"}));
  EXPECT_EQ(names(Repository::Unneeded(l, {base.id, one.id, two.id}, later)),
            (std::vector<std::string>{"ctrl-ha-20251231T000000Z.pages-0123456789abcdef.zst",
                                      "ctrl-ha-20260101T000000Z.base-0123456789abcdef.zst",
                                      "ctrl-ha-20260102T000000Z.pages-0123456789abcdef.zst",
                                      "ctrl-ha-20260103T000000Z.pages-0123456789abcdef.zst"}));
  // Nothing younger than the cutoff.
  EXPECT_TRUE(Repository::Unneeded(l, {base.id, one.id, two.id}, clock_.Now()).empty());
  // Removing a snapshot never removes a chain object by its id.
  ASSERT_TRUE(repo_.Remove(*ParseSnapshotId(base.id)).ok());
  EXPECT_TRUE(backend_.List("ctrl-ha-20260101T000000Z.base-0123456789abcdef.zst")->size() == 1);
  // A damaged manifest anywhere stops the sweep.
  StringSource damaged("{");
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260104T000000Z.json", damaged).ok());
  l = *repo_.List();
  EXPECT_TRUE(l.orphans.empty());
  EXPECT_TRUE(Repository::Unneeded(l, {one.id, two.id}, later).empty());
}

TEST_F(RepositoryTest, UnreadableManifestMakesItsSnapshotDamagedNotItsDataAnOrphan) {
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  ASSERT_TRUE(StoreSample("20260102T000000Z", "two").ok());
  StringSource truncated(ManifestToJson(Make("20260102T000000Z")).substr(0, 40));
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.json", truncated).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.snapshots.size(), 1u);
  EXPECT_TRUE(l.orphans.empty()) << "the data of a damaged snapshot is not an orphan";
  ASSERT_EQ(l.damaged.size(), 1u);
  EXPECT_EQ(l.damaged[0].id, "ctrl-ha-20260102T000000Z");
  EXPECT_EQ(l.damaged[0].manifest, "ctrl-ha-20260102T000000Z.json");
  EXPECT_EQ(l.damaged[0].data_objects, std::vector<std::string>{"ctrl-ha-20260102T000000Z.db.zst"});
  EXPECT_EQ(l.damaged[0].why.code(), Code::kCorruption);
  EXPECT_FALSE(l.damaged[0].newer_format);
  EXPECT_EQ(l.DamagedCount(), 1u);
}

TEST_F(RepositoryTest, ManifestOfANewerFormatIsReportedAsSuch) {
  std::string newer = ManifestToJson(Make("20260102T000000Z"));
  newer.replace(newer.find("\"format\": 1"), 11, "\"format\": 3");
  newer.replace(newer.find("\"txid\""), 6, "\"tx\"");  // and a layout we do not know
  StringSource manifest(newer), data("two");
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.db.zst", data).ok());
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.json", manifest).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.damaged.size(), 1u);
  EXPECT_TRUE(l.damaged[0].newer_format);
  EXPECT_EQ(l.damaged[0].why.message(),
            "manifest ctrl-ha-20260102T000000Z.json: format 3 is newer than this ziti-backup "
            "reads (2)");
  EXPECT_EQ(l.DamagedCount(), 0u);
  EXPECT_TRUE(l.orphans.empty());
}

TEST_F(RepositoryTest, ManifestNamingAnotherSnapshotsDataIsDamaged) {
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  Manifest hostile = Make("20260102T000000Z");
  hostile.data_object = "ctrl-ha-20260101T000000Z.db.zst";
  StringSource manifest(ManifestToJson(hostile));
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.json", manifest).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.snapshots.size(), 1u);
  ASSERT_EQ(l.damaged.size(), 1u);
  EXPECT_EQ(l.damaged[0].why.message(),
            "manifest ctrl-ha-20260102T000000Z.json: data_object "
            "\"ctrl-ha-20260101T000000Z.db.zst\" is not ctrl-ha-20260102T000000Z.db.zst, the "
            "name its id and encoding give");
  EXPECT_TRUE(l.damaged[0].data_objects.empty());
}

TEST_F(RepositoryTest, ManifestOfAnotherIdIsDamaged) {
  StringSource manifest(ManifestToJson(Make("20260101T000000Z")));
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.json", manifest).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.damaged.size(), 1u);
  EXPECT_EQ(l.damaged[0].why.message(),
            "manifest ctrl-ha-20260102T000000Z.json names snapshot ctrl-ha-20260101T000000Z");
}

TEST_F(RepositoryTest, OversizedManifestIsDamagedAndNotHeldInMemory) {
  StringSource huge(std::string(kMaxManifestBytes + 1, ' '));
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.json", huge).ok());
  auto l = *repo_.List();
  ASSERT_EQ(l.damaged.size(), 1u);
  EXPECT_EQ(l.damaged[0].why.message(),
            "manifest ctrl-ha-20260102T000000Z.json: more than 1048576 bytes, more than a "
            "manifest can be");
}

TEST_F(RepositoryTest, MissingDataAndMissingSnapshotAreClearErrors) {
  Manifest m = Make("20260101T000000Z");
  StringSource manifest(ManifestToJson(m));
  ASSERT_TRUE(backend_.Put(m.id + ".json", manifest).ok());
  StringSink out;
  Status s = repo_.Fetch(m, out);
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(),
            "snapshot ctrl-ha-20260101T000000Z: its data object "
            "ctrl-ha-20260101T000000Z.db.zst is missing from mem://");
  EXPECT_EQ(repo_.Load("ctrl-ha-20270101T000000Z").status().message(),
            "no snapshot ctrl-ha-20270101T000000Z in mem://");
}

TEST_F(RepositoryTest, RemoveDeletesOnlyTheNamesTheIdGives) {
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  ASSERT_TRUE(StoreSample("20260102T000000Z", "two").ok());
  for (const char* name : {"ctrl-ha-20260101T000000Z.db", "ctrl-ha-20260101T000000Z.db.zst.age",
                           "notes.txt", "ctrl-ha-20260101T000000Z.dbx"}) {
    StringSource data("x");
    ASSERT_TRUE(backend_.Put(name, data).ok());
  }
  ASSERT_TRUE(repo_.Remove(*ParseSnapshotId("ctrl-ha-20260101T000000Z")).ok());
  std::vector<std::string> left;
  const auto objects = *backend_.List("");
  for (const auto& o : objects) left.push_back(o.name);
  EXPECT_EQ(left, (std::vector<std::string>{"ctrl-ha-20260101T000000Z.dbx",
                                            "ctrl-ha-20260102T000000Z.db.zst",
                                            "ctrl-ha-20260102T000000Z.json", "notes.txt"}));
}

// Forwards to a MemBackend and counts the objects read.
class CountingBackend final : public store::Backend {
 public:
  explicit CountingBackend(store::Backend& next) : next_(next) {}
  Status Put(std::string_view name, ByteSource& data) override { return next_.Put(name, data); }
  Status Get(std::string_view name, ByteSink& out) override {
    ++gets;
    return next_.Get(name, out);
  }
  Result<std::vector<store::ObjectInfo>> List(std::string_view prefix) override {
    return next_.List(prefix);
  }
  Status Delete(std::string_view name) override { return next_.Delete(name); }
  std::string Describe() const override { return next_.Describe(); }
  int gets = 0;

 private:
  store::Backend& next_;
};

TEST_F(RepositoryTest, ListingAgainReadsOnlyTheManifestsThatChanged) {
  ASSERT_TRUE(StoreSample("20260101T000000Z", "one").ok());
  ASSERT_TRUE(StoreSample("20260102T000000Z", "two").ok());
  CountingBackend counted(backend_);
  Repository repo(counted);
  ASSERT_EQ(repo.List()->snapshots.size(), 2u);
  EXPECT_EQ(counted.gets, 2);
  ASSERT_EQ(repo.List()->snapshots.size(), 2u);
  EXPECT_EQ(counted.gets, 2) << "nothing changed: nothing read";

  // A manifest rewritten (another size, a later time) is read again, and
  // what it says now is what the listing says.
  clock_.Advance(1s);
  Manifest changed = Make("20260102T000000Z");
  changed.method = "hot";
  StringSource text(ManifestToJson(changed));
  ASSERT_TRUE(backend_.Put("ctrl-ha-20260102T000000Z.json", text).ok());
  auto l = repo.List();
  EXPECT_EQ(counted.gets, 3);
  EXPECT_EQ(l->snapshots[1].manifest.method, "hot");

  // A removed snapshot is gone from the listing and a new one is read.
  ASSERT_TRUE(repo.Remove(*ParseSnapshotId("ctrl-ha-20260101T000000Z")).ok());
  ASSERT_TRUE(StoreSample("20260103T000000Z", "three").ok());
  l = repo.List();
  ASSERT_EQ(l->snapshots.size(), 2u);
  EXPECT_EQ(l->snapshots[0].manifest.id, "ctrl-ha-20260102T000000Z");
  EXPECT_EQ(l->snapshots[1].manifest.id, "ctrl-ha-20260103T000000Z");
  EXPECT_EQ(counted.gets, 4);
}

}  // namespace
}  // namespace zb::repo
