// `ziti-backup verify`: re-check stored snapshots. Each one is restored
// into a private directory (0700, made fresh under the work directory)
// through every check (stored SHA-256, decompression, plain SHA-256,
// structure, txid) and the file removed again;
// --restore-test also takes bbolt's lock on it, as the controller would.
// An encrypted snapshot is checked that far only with --identity; without
// one (a host that only backs up) its stored bytes are checked against the
// manifest's size and SHA-256, and the output says the structure was not.
#include <map>
#include <ostream>

#include "app/chain_verifier.h"
#include "app/restore_file.h"
#include "cli/age_flags.h"
#include "cli/command.h"
#include "cli/damaged.h"
#include "cli/scratch_dir.h"
#include "cli/targets.h"

namespace zb::cli {
namespace {

struct VerifyArgs {
  std::string targets;
  std::string which;  // an id, "latest", or empty (latest)
  bool all = false;
  bool restore_test = false;
  std::string work_dir;
  std::string identity_file;
};

Status RunVerify(CommandContext& ctx, const VerifyArgs& a) {
  if (a.all && !a.which.empty()) {
    return Status::InvalidArgument("give a snapshot id, latest or --all, not both");
  }
  ZB_ASSIGN_OR_RETURN(std::vector<codec::SecretKey> identities,
                      LoadAgeIdentities(ctx.env, a.identity_file));
  ZB_ASSIGN_OR_RETURN(Targets t, OpenTargets(ctx, a.targets, store::MissingDir::kFail));
  const bool named = !a.all && !a.which.empty() && a.which != "latest";
  // A named snapshot's manifest in each target, read first: one that no
  // target holds is a mistyped id (as for restore), not a failed check.
  std::vector<Result<repo::Manifest>> loaded;
  if (named) {
    bool anywhere = false;
    for (store::Backend* b : t.all) {
      loaded.push_back(repo::Repository(*b).Load(a.which));
      anywhere |= loaded.back().status().code() != Code::kNotFound;
    }
    if (!anywhere) return NoSuchSnapshot(a.which, t);
  }
  // Restored copies go into a directory of our own (cli/scratch_dir.h).
  ZB_ASSIGN_OR_RETURN(auto scratch_dir,
                      ScratchDir::Create(ctx.env, a.work_dir, ".ziti-backup-verify-"));
  const std::string& scratch = scratch_dir->path();
  int failed = 0, checked = 0, empty = 0;
  Status io;  // the first error that is not about the data
  for (size_t i = 0; i < t.all.size(); ++i) {
    store::Backend* b = t.all[i];
    repo::Repository repo(*b);
    std::vector<repo::Manifest> chosen;
    if (!named) {
      ZB_ASSIGN_OR_RETURN(repo::Listing l, repo.List());
      for (const auto& d : l.damaged) {
        ctx.out << "verify FAILED: " << b->Describe() << " " << d.id << ": " << DamagedReason(d)
                << "\n";
        ++failed;
        ++checked;
      }
      if (l.snapshots.empty()) {
        ctx.out << "verify: " << b->Describe() << " has no snapshots\n";
        // No latest to check is a failure; --all of nothing is not.
        if (!a.all) ++empty;
      } else if (a.all) {
        for (auto& s : l.snapshots) chosen.push_back(s.manifest);
      } else {
        chosen.push_back(l.snapshots.back().manifest);
      }
    } else if (const Result<repo::Manifest>& m = loaded[i]; m.ok()) {
      chosen.push_back(*m);
    } else if (m.status().code() == Code::kNotFound) {
      // Targets keep snapshots for different times: not a failure here.
      ctx.out << "verify: " << b->Describe() << " has no snapshot " << a.which << "\n";
    } else {
      ctx.out << "verify FAILED: " << b->Describe() << " " << a.which << ": "
              << m.status().message() << "\n";
      ++failed;
      ++checked;
      if (m.status().code() != Code::kCorruption && io.ok()) io = m.status();
    }
    // Without a key only the stored bytes can be checked (and
    // --restore-test asked for more than that).
    auto hash_only = [&](const repo::Manifest& m) {
      return !m.recipients.empty() && identities.empty() && !a.restore_test;
    };
    auto lock_test = [&](const std::string& path) -> Status {
      if (!a.restore_test) return Status::OK();
      return ctx.env.TryLock(path, LockMode::kExclusive).status();  // as a bbolt writer would
    };
    // Incremental chains are checked together, each object read once.
    std::vector<repo::Manifest> chains[2];  // [hash_only]
    std::map<std::string, Status> chain_verdicts;
    for (const repo::Manifest& m : chosen) {
      if (m.kind == repo::SnapshotKind::kFull) continue;
      if (hash_only(m) || RequireIdentity(m, identities).ok()) chains[hash_only(m)].push_back(m);
    }
    for (bool h : {false, true}) {
      chain_verdicts.merge(
          app::VerifyChains(ctx.env, repo, chains[h], {scratch, identities, h, lock_test}));
    }
    for (const repo::Manifest& m : chosen) {
      ++checked;
      const std::string path = scratch + "/" + m.id + ".db";
      Status s = hash_only(m) ? Status::OK() : RequireIdentity(m, identities);
      if (s.ok() && m.kind != repo::SnapshotKind::kFull) {
        s = chain_verdicts[m.id];
      } else if (s.ok() && hash_only(m)) {
        s = app::VerifyStoredObject(repo, m);
      } else if (s.ok()) {
        s = app::RestoreToFile(ctx.env, repo, m, path, identities);
        if (s.ok()) s = lock_test(path);
      }
      ctx.env.Remove(path).IgnoreError();
      if (s.ok()) {
        ctx.out << "verify ok: " << b->Describe() << " " << m.id << " txid=" << m.txid
                << " plain_bytes=" << m.plain_size << " stored_bytes=" << m.stored_size
                << (a.restore_test ? " restore-test=ok" : "")
                << (hash_only(m) ? " checked=stored-sha256 (encrypted: the structure was not "
                                   "checked; --identity checks it)"
                                 : "")
                << "\n";
      } else {
        ctx.out << "verify FAILED: " << b->Describe() << " " << m.id << ": " << s.message() << "\n";
        ++failed;
        if (s.code() != Code::kCorruption && io.ok()) io = s;
      }
    }
  }
  if (failed == 0 && empty == 0) return Status::OK();
  if (!io.ok()) return io;
  if (failed == 0) {
    return Status::Corruption("no latest snapshot to verify in " + std::to_string(empty) +
                              (empty == 1 ? " target" : " targets") + " (named above)");
  }
  return Status::Corruption(std::to_string(failed) + " of " + std::to_string(checked) +
                            " snapshots failed verification (named above)");
}

}  // namespace

void RegisterVerify(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify",
      "Re-check stored snapshots: the stored bytes against the manifest's size and SHA-256,\n"
      "decompression, the restored bytes against theirs, the structural check and the txid.\n"
      "Checks the newest snapshot unless given an id or --all. Exit 0 ok, 3 when any\n"
      "snapshot fails (each failure names the snapshot and what differs), 1 for I/O errors,\n"
      "2 for an id that no target holds.\n"
      "Encrypted snapshots: without --identity only the stored bytes are checked (the output\n"
      "says so); with it, everything above. --restore-test needs the identity.");
  cmd->add_option("SNAPSHOT", a->which, "A snapshot id, or latest");
  cmd->add_flag("--all", a->all, "Every snapshot in every target");
  cmd->add_flag("--restore-test", a->restore_test,
                "Also take bbolt's lock on the restored file, as the controller would");
  AddAgeIdentityFlag(cmd, a->identity_file);
  cmd->add_option("--target", a->targets, "Space-separated target URLs")
      ->envname("ZITI_CTRL_BACKUP_TARGETS");
  cmd->add_option("--work-dir", a->work_dir,
                  "Where snapshots are restored to check them, in a private directory made\n"
                  "there for the run and removed after it ($TMPDIR)");
  cmd->callback([&ctx, a] { ctx.result = RunVerify(ctx, *a); });
}

}  // namespace zb::cli
