#include "app/backup_job.h"

#include <future>
#include <map>

#include "app/catch_up.h"
#include "app/chain_step.h"
#include "app/meta_fallback_event.h"
#include "app/prune_job.h"
#include "app/snapshot_retry_log.h"
#include "app/snapshot_verifier.h"
#include "codec/age_key_file.h"
#include "codec/encode_source.h"
#include "env/file_source.h"
#include "repo/page_pack.h"
#include "repo/repository.h"
#include "repo/snapshot_id.h"
#include "snapshot/write_snapshot.h"
#include "store/signing_crypto.h"

namespace zb::app {
namespace {

std::string Num(uint64_t v) { return std::to_string(v); }

// Files of runs that died: staged snapshots' temp files
// "..ziti-backup-<pid>-<id>.db.tmp-*" (where the file system has no unnamed
// files), agent files ".ziti-backup-<pid>-agent-*.db" and staged snapshots
// of older versions, whose process no longer exists. A file with our own
// pid is stale too: a run starts with none of its own, and in a container
// the daemon gets the same pid after every restart.
void RemoveDeadRunsFiles(Env& env, const std::string& dir, Log& log) {
  auto entries = env.List(dir);
  if (!entries.ok()) return;
  for (const FileInfo& e : *entries) {
    std::string_view name = e.name;
    if (name.rfind(".", 0) == 0 && name.substr(1).rfind(snapshot::kRunFilePrefix, 0) == 0)
      name.remove_prefix(1);
    if (e.is_dir || name.rfind(snapshot::kRunFilePrefix, 0) != 0) continue;
    const std::string_view rest = name.substr(snapshot::kRunFilePrefix.size());
    const size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string_view::npos ||
        rest.substr(0, dash).find_first_not_of("0123456789") != std::string_view::npos) {
      continue;
    }
    const int pid = std::stoi(std::string(rest.substr(0, dash)));
    if (pid != env.Pid() && env.ProcessAlive(pid)) continue;
    if (Status s = env.Remove(dir + "/" + e.name); s.ok()) {
      log.Event("backup.cleanup", {{"file", dir + "/" + e.name}});
    } else {
      log.Event("backup.cleanup.fail", {{"file", dir + "/" + e.name}, {"error", s.ToString()}});
    }
  }
}

// The retention of `b`: its own (keep-* in its URL), else the run's.
const retention::Policy& PolicyOf(const BackupOptions& o, const store::Backend* b) {
  auto own = o.target_policies.find(b);
  return own == o.target_policies.end() ? o.policy : own->second;
}

// With Object Lock, every object a chain snapshot lists must stay locked
// at least as long as the snapshot itself: the base and packs it shares
// with older snapshots were locked when they were written, and are locked
// again here when that lock nears its end (the state says when it ends).
// Everything this run puts is locked from now on (S3Backend).
Status LockChain(store::ObjectLocks& locks, TimePoint now, ChainStep& step, Log& log,
                 const std::string& id, const std::string& target) {
  const store::LockPolicy& policy = locks.policy();
  const TimePoint until = policy.RetainUntil(now);
  const int64_t until_s =
      std::chrono::duration_cast<std::chrono::seconds>(until.time_since_epoch()).count();
  const int64_t needed_s =
      std::chrono::duration_cast<std::chrono::seconds>((now + policy.duration).time_since_epoch())
          .count();
  if (step.kind == repo::SnapshotKind::kIncremental && step.next.locked_until < needed_s) {
    for (const repo::StoredObject& o : step.head.objects) {
      ZB_RETURN_IF_ERROR(locks.Extend(o.name, until));
    }
    log.Event("lock.extend", {{"id", id},
                              {"target", target},
                              {"objects", Num(step.head.objects.size())},
                              {"until", FormatRfc3339(until)}});
    step.next.locked_until = until_s;
  } else if (step.kind == repo::SnapshotKind::kBase) {
    step.next.locked_until = until_s;
  }
  return Status::OK();
}

}  // namespace

int BackupOutcome::succeeded() const {
  int n = 0;
  for (const auto& t : targets) n += t.status.ok();
  return n;
}

Result<BackupOutcome> RunBackup(Env& env, Clock& clock, const std::vector<store::Backend*>& targets,
                                const BackupOptions& o, Log& log) {
  ZB_RETURN_IF_ERROR(retention::Validate(o.policy));
  if (o.zstd_level < 0 || o.zstd_level > 19) {
    return Status::InvalidArgument("zstd level " + Num(o.zstd_level) + " is outside 1..19");
  }
  if (targets.empty()) return Status::InvalidArgument("no backup target");
  // One writer per target: every lock before anything is taken or stored.
  // Busy means another run: exit 4 (or wait). Any other failure (the target
  // is unreachable) makes that target fail, as a failed store would.
  std::map<store::Backend*, std::unique_ptr<store::TargetLock>> locks;  // null: no lock there
  std::vector<std::pair<store::Backend*, Status>> unlockable;
  std::vector<store::Backend*> usable;
  for (store::Backend* b : targets) {
    while (true) {
      auto lock = b->TryLock();
      if (lock.ok()) {
        locks[b] = std::move(lock).value();
        usable.push_back(b);
        break;
      }
      if (lock.status().code() == Code::kAborted) return lock.status();  // SIGTERM
      if (lock.status().code() != Code::kBusy) {
        unlockable.emplace_back(b, lock.status());
        break;
      }
      if (!o.wait) return lock.status();
      log.Event("backup.wait", {{"target", b->Describe()}});
      if (!clock.SleepFor(std::chrono::milliseconds(500))) return Status::Aborted("stopped");
    }
  }
  const auto start = clock.Steady();
  const TimePoint created = std::chrono::floor<std::chrono::seconds>(clock.Now());
  repo::SnapshotId id = repo::MakeSnapshotId(repo::DbNameFromPath(o.db), created);
  // Ids have whole seconds and must be unique in every target: a second
  // backup within the same second takes the next free second. The id is
  // only a name: order comes from the manifest's sequence, and the time
  // from its `created`, so a name ahead of the clock misleads nothing.
  for (bool taken = true; taken;) {
    taken = false;
    for (store::Backend* b : targets) {
      auto existing = b->List(id.ToString() + ".");
      if (existing.ok() && !existing->empty()) taken = true;
    }
    if (taken) id.created += std::chrono::seconds(1);
  }
  BackupOutcome out;
  out.id = id.ToString();
  log.Event("backup.start", {{"id", out.id}, {"db", o.db}, {"targets", Num(targets.size())}});

  // Stage the snapshot beside the DB: same volume, and never inside a target.
  // It is a scratch copy, read once and dropped: an unnamed file, not
  // fsynced, which no crash can leave behind. Where the file system has no
  // unnamed files its temp name carries our pid, so a later run can tell
  // one left by a run that died (kill -9) and remove it.
  const std::string work = o.work_dir.empty() ? DirName(o.db) : o.work_dir;
  RemoveDeadRunsFiles(env, work, log);
  if (work != DirName(o.db)) RemoveDeadRunsFiles(env, DirName(o.db), log);  // agent files
  const std::string staged_name = snapshot::RunFileName(work, env.Pid(), out.id);

  std::optional<bolt::ZitiSummary> ziti;
  std::unique_ptr<AtomicFile> staged;
  snapshot::SourceOptions source_options = o.source;
  source_options.hot.on_retry = [&](const snapshot::RetryInfo& r) {
    LogSnapshotRetry(log, r, {{"id", out.id}});
  };
  source_options.agent.on_fallback = [&](const Status& why) {
    LogAgentFallback(log, why, {{"id", out.id}});
  };
  auto take = [&]() -> Result<snapshot::WriteResult> {
    ZB_ASSIGN_OR_RETURN(auto source, snapshot::ChooseSource(env, clock, o.db, source_options));
    ZB_RETURN_IF_ERROR(env.CreateDir(work));
    ZB_ASSIGN_OR_RETURN(staged, AtomicFile::Create(env, staged_name));
    snapshot::WriteOptions w;
    w.sync = false;
    return snapshot::WriteSnapshotTo(clock, *source, *staged, w, SnapshotVerifier(env, &ziti));
  };
  auto written = take();
  if (!written.ok()) {
    log.Event("backup.fail",
              {{"id", out.id}, {"step", "snapshot"}, {"error", written.status().ToString()}});
    return written.status();
  }
  out.txid = written->image.meta.txid;
  out.method = written->image.method;
  out.plain_bytes = written->bytes;
  if (ziti) out.raft_index = ziti->raft_index;
  if (const auto& f = written->image.meta_fallback) {
    // Stored, but not what the operator expects: said here and in the manifest.
    log.Event(kMetaFallbackEvent, MetaFallbackFields(o.db, *f));
  }
  log.Event("snapshot.ok", {{"id", out.id},
                            {"method", out.method},
                            {"txid", Num(out.txid)},
                            {"bytes", Num(out.plain_bytes)},
                            {"attempts", Num(written->image.attempts)},
                            {"duration", FormatSeconds(written->elapsed)}});

  repo::Manifest m;
  m.id = out.id;
  m.created = created;
  m.data_object = repo::DataName(id, o.zstd_level > 0, !o.recipients.empty());
  m.source = o.db;
  m.method = out.method;
  m.attempts = written->image.attempts;
  if (const auto& f = written->image.meta_fallback) {
    m.meta_fallback = repo::MetaFallback{f->damaged_txid, f->used_txid, f->reason};
  }
  m.page_size = written->image.page_size;
  m.txid = out.txid;
  m.high_water = written->image.meta.pgid;
  m.compression = o.zstd_level > 0 ? "zstd" : "none";
  m.compression_level = o.zstd_level;
  for (const codec::PublicKey& r : o.recipients)
    m.recipients.push_back(codec::RecipientFingerprint(r));
  m.tool_version = o.tool_version;
  m.host = o.host;
  if (ziti) m.ziti = repo::ZitiInfo{ziti->raft_index, ziti->cluster_id, ziti->entities};

  for (const auto& [b, why] : unlockable) {
    log.Event("store.fail", {{"id", out.id}, {"target", b->Describe()}, {"error", why.ToString()}});
    out.targets.push_back({b->Describe(), why, 0});
  }
  // One sequence for the run, after every snapshot in every target: a
  // snapshot keeps its place when `copy` or a catch-up moves it to another
  // target (copies keep the manifest as it is).
  uint64_t sequence = 1;
  // One repository per target for the whole run: it reads each manifest
  // once for the sequence, the chain step, the prune and the catch-up.
  // Its first listing serves the sequence and the chain step.
  std::map<store::Backend*, std::unique_ptr<repo::Repository>> repos;
  std::map<store::Backend*, Result<repo::Listing>> listings;
  for (store::Backend* backend : usable) {
    repo::Repository& repo = *(repos[backend] = std::make_unique<repo::Repository>(*backend));
    const auto& listing = listings.emplace(backend, repo.List()).first->second;
    if (listing.ok()) sequence = std::max(sequence, listing->NextSequence());
  }
  std::vector<CatchUpTarget> stored;
  for (store::Backend* backend : usable) {
    TargetOutcome t{backend->Describe(), Status::OK(), 0};
    const auto target_start = clock.Steady();
    auto store = [&]() -> Status {
      ZB_ASSIGN_OR_RETURN(auto file, env.OpenForRead(staged->temp_path()));
      repo::Repository& repo = *repos[backend];
      const Result<repo::Listing>& listing = listings.at(backend);
      ZB_RETURN_IF_ERROR(listing.status());
      repo::Manifest mine = m;
      mine.sequence = sequence;
      // Incremental: a pack of the changed pages, or a new base.
      std::optional<ChainStep> step;
      const std::string state_path =
          ChainStatePath(o.state_dir.empty() ? work : o.state_dir, o.db, t.target);
      if (o.incremental) {
        ChainInputs in{state_path,    o.db,         t.target, m.page_size,
                       m.compression, m.recipients, o.rebase};
        ZB_ASSIGN_OR_RETURN(step, PlanChainStep(env, repo, *listing, *file, in));
        if (step->kind == repo::SnapshotKind::kBase) {
          log.Event("backup.full",
                    {{"id", out.id}, {"target", t.target}, {"reason", step->reason}});
        } else {
          log.Event("backup.incremental", {{"id", out.id},
                                           {"target", t.target},
                                           {"parent", step->head.id},
                                           {"pages", Num(step->pages.size())},
                                           {"chain", Num(step->head.objects.size())}});
        }
      }
      if (step && backend->locks() != nullptr) {
        ZB_RETURN_IF_ERROR(LockChain(*backend->locks(), clock.Now(), *step, log, out.id, t.target));
      } else if (step) {
        step->next.locked_until = 0;  // what this run writes is not locked
      }
      const bool compressed = o.zstd_level > 0, encrypted = !o.recipients.empty();
      FileSource image(*file);
      std::unique_ptr<ByteSource> pack;
      ByteSource* plain = &image;
      if (step && step->kind == repo::SnapshotKind::kIncremental) {
        mine.data_object = repo::PagesName(id, step->chain, compressed, encrypted);
        RandomAccessFile& f = *file;
        const uint32_t page_size = m.page_size;
        pack = std::make_unique<repo::PagePackSource>(
            repo::PagePackHeader{page_size, m.high_water, m.txid}, step->pages,
            [&f, page_size](uint64_t n, MutableByteSpan to) {
              return f.ReadExactly(n * page_size, to);
            });
        plain = pack.get();
      } else if (step) {
        mine.data_object = repo::BaseName(id, step->chain, compressed, encrypted);
      }
      ZB_ASSIGN_OR_RETURN(auto encoded,
                          codec::EncodeSource::Create(*plain, o.zstd_level, o.recipients));
      // A base's page hashes are taken beside its upload, on the other
      // core: the upload does not wait for them (nor they for it).
      std::future<Result<std::vector<repo::PageHash>>> hashing;
      if (step && step->kind == repo::SnapshotKind::kBase) {
        auto hash = [&env, &staged, &step,
                     page_size = m.page_size]() -> Result<std::vector<repo::PageHash>> {
          ZB_ASSIGN_OR_RETURN(auto own, env.OpenForRead(staged->temp_path()));
          return HashImage(*own, page_size, step->next.key);
        };
        try {
          hashing = std::async(std::launch::async, hash);
        } catch (const std::system_error&) {
          std::promise<Result<std::vector<repo::PageHash>>> now;  // no thread: here and now
          now.set_value(hash());
          hashing = now.get_future();
        }
      }
      Status put = repo.PutData(mine.data_object, *encoded);
      // Without its hashes the base is still a snapshot; only the state
      // cannot be saved, and the next run is a base again.
      Status hashed;
      if (hashing.valid()) {
        auto hashes = hashing.get();
        hashed = hashes.status();
        if (hashes.ok()) step->next.hashes = std::move(hashes).value();
      }
      ZB_RETURN_IF_ERROR(put);
      mine.plain_size = encoded->plain_size();
      mine.plain_sha256 = encoded->plain_sha256();
      mine.stored_size = encoded->stored_size();
      mine.stored_sha256 = encoded->stored_sha256();
      if (step) {
        mine.format = repo::kChainManifestFormat;
        mine.kind = step->kind;
        mine.chain = step->chain;
        repo::StoredObject own{mine.data_object, repo::ObjectRole::kBase, mine.stored_size,
                               mine.stored_sha256, mine.plain_size};
        if (step->kind == repo::SnapshotKind::kIncremental) {
          // The snapshot's plain bytes are its image's, not its pack's.
          mine.plain_size = m.high_water * m.page_size;
          mine.plain_sha256 = step->image_sha256;
          mine.parent = step->head.id;
          mine.objects = step->head.objects;
          own.role = repo::ObjectRole::kPages;
          own.page_count = m.high_water;
          own.txid = m.txid;
        }
        mine.objects.push_back(std::move(own));
      }
      mine.duration_seconds = std::chrono::duration<double>(clock.Steady() - start).count();
      if (const store::ObjectLocks* locks = backend->locks()) {
        // At most what the store is asked for when the manifest goes up.
        mine.lock = repo::ManifestLock{std::string(store::RetentionModeName(locks->policy().mode)),
                                       locks->policy().RetainUntil(clock.Now())};
      }
      if (Status s = repo.Commit(mine); !s.ok()) {
        // The data object is ours alone (the id is unique): unless the
        // manifest made it after all (a failed directory fsync after the
        // rename), remove it rather than leave an orphan for a later prune.
        auto manifest = backend->List(m.id + ".json");
        if (manifest.ok() && manifest->empty()) backend->Delete(mine.data_object).IgnoreError();
        return s;
      }
      if (step) {
        // After the commit point, never before: the state is never ahead
        // of the target. A state that cannot be written costs the next
        // run a base, not this snapshot.
        step->next.head_id = mine.id;
        step->next.head_manifest_sha256 = store::Sha256Hex(repo::ManifestToJson(mine));
        if (Status s = hashed.ok() ? SaveChainState(env, state_path, step->next) : hashed;
            !s.ok()) {
          log.Event("chain.state.fail",
                    {{"id", out.id}, {"target", t.target}, {"error", s.ToString()}});
        }
      }
      if (out.stored_bytes == 0) out.stored_bytes = mine.stored_size;
      log.Event("store.ok", {{"id", out.id},
                             {"target", t.target},
                             {"stored_bytes", Num(mine.stored_size)},
                             {"duration", FormatSeconds(clock.Steady() - target_start)}});
      const retention::Policy& policy = PolicyOf(o, backend);
      auto pruned = PruneTarget(repo, policy, o.zone, clock.Now(),
                                /*exclusive=*/locks[backend] != nullptr, /*dry_run=*/false, &log);
      if (!pruned.ok()) {
        // The snapshot is stored; a failed prune is reported, not fatal.
        log.Event("prune.fail", {{"target", t.target}, {"error", pruned.status().ToString()}});
      } else {
        t.removed = pruned->removed();
      }
      return Status::OK();
    };
    t.status = store();
    if (t.status.ok()) {
      stored.push_back({repos[backend].get(), &PolicyOf(o, backend)});
    }
    if (!t.status.ok()) {
      log.Event("store.fail",
                {{"id", out.id}, {"target", t.target}, {"error", t.status.ToString()}});
    }
    out.targets.push_back(std::move(t));
  }
  // Targets that missed earlier runs get what they lack from the others.
  const std::vector<int> caught = CatchUp(stored, o.zone, log);
  for (size_t i = 0; i < stored.size(); ++i) {
    for (TargetOutcome& t : out.targets) {
      if (t.target == stored[i].repo->backend().Describe()) t.caught_up = caught[i];
    }
  }
  out.elapsed = clock.Steady() - start;
  log.Event(out.succeeded() == static_cast<int>(targets.size()) ? "backup.ok"
            : out.succeeded() > 0                               ? "backup.partial"
                                                                : "backup.fail",
            {{"id", out.id},
             {"txid", Num(out.txid)},
             {"stored_targets", Num(out.succeeded())},
             {"duration", FormatSeconds(out.elapsed)}});
  return out;
}

}  // namespace zb::app
