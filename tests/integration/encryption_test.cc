// Encrypted backups end to end (spec §10), with keys made by the real
// age-keygen and objects read by the real age and zstd CLIs: a host that
// holds only recipients backs up, prunes, lists, reports status and checks
// stored hashes; restore and full verify need an identity, and a wrong one,
// a changed object or a bad key file fails with nothing written. Keys never
// show in output, argv or the environment of the run.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "testutil/live_writer.h"
#include "testutil/run.h"
#include "testutil/text.h"

namespace zb {
namespace {

using testing::Contains;

using testing::RunZb;

// What the age CLI made: the identity file and its recipient.
struct AgeKey {
  std::string file, recipient, secret;
};

AgeKey MakeKey(const std::string& path) {
  auto r = testing::Run({"age-keygen", "-o", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto y = testing::Run({"age-keygen", "-y", path});
  EXPECT_EQ(y.exit_code, 0) << y.err;
  AgeKey k{path, y.out.substr(0, y.out.find('\n')), ""};
  const std::string text = testing::ReadFileOrDie(path);
  const size_t at = text.find("AGE-SECRET-KEY-1");
  k.secret = text.substr(at, text.find('\n', at) - at);
  return k;
}

// The fingerprint a manifest names, computed as the docs tell operators to.
std::string Fingerprint(const std::string& recipient) {
  auto r = testing::Run({"sh", "-c", "printf %s \"$0\" | sha256sum", recipient});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return "sha256:" + r.out.substr(0, 16);
}

// `age -d -i KEY OBJECT | zstd -d | sha256sum`: what an operator without
// ziti-backup gets back.
std::string DecryptWithCli(const std::string& key, const std::string& object) {
  auto r = testing::Run({"bash", "-c",
                         "set -o pipefail; age -d -i \"$0\" \"$1\" | zstd -q -d | sha256sum", key,
                         object});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, 64);
}

class EncryptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunBoltgen({"gen", "--out", db_, "--size", "512KiB"}).exit_code, 0);
    operator_ = MakeKey(dir_ / "operator.txt");
    escrow_ = MakeKey(dir_ / "escrow.txt");
    stranger_ = MakeKey(dir_ / "stranger.txt");
    testing::WriteFileOrDie(recipients_, "# escrow, kept offline\n\n" + escrow_.recipient + "\n");
  }
  // A backup to both keys (a flag and a recipients file); its id.
  std::string Backup(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"backup",
                                  "--db",
                                  db_,
                                  "--target",
                                  url_,
                                  "--age-recipient",
                                  operator_.recipient,
                                  "--age-recipients-file",
                                  recipients_};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunZb(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return testing::Field(r.out, "id");
  }
  nlohmann::json Manifest(const std::string& id) {
    return nlohmann::json::parse(testing::ReadFileOrDie(target_ + "/" + id + ".json"));
  }
  std::string Fingerprints() {
    return Fingerprint(operator_.recipient) + ", " + Fingerprint(escrow_.recipient);
  }

  testing::TempDir dir_;
  const std::string db_ = dir_ / "ctrl.db", target_ = dir_ / "backups", url_ = "file://" + target_,
                    recipients_ = dir_ / "recipients.txt", restored_ = dir_ / "restored.db";
  AgeKey operator_, escrow_, stranger_;
};

TEST_F(EncryptionTest, AHostWithOnlyRecipientsBacksUpPrunesListsAndReportsStatus) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Backup({"--keep-last", "2"}));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(testing::ListDir(target_),
            (std::vector<std::string>{".ziti-backup.lock", ids[1] + ".db.zst.age", ids[1] + ".json",
                                      ids[2] + ".db.zst.age", ids[2] + ".json"}));
  for (const std::string& id : {ids[1], ids[2]}) {
    const std::string text = testing::ReadFileOrDie(target_ + "/" + id + ".json");
    const auto m = nlohmann::json::parse(text);
    EXPECT_EQ(m["encryption"]["type"], "age");
    EXPECT_EQ(m["encryption"]["recipients"],
              (nlohmann::json{Fingerprint(operator_.recipient), Fingerprint(escrow_.recipient)}));
    EXPECT_EQ(m["data_object"], id + ".db.zst.age");
    // Names keys, never holds them.
    EXPECT_FALSE(Contains(text, "age1")) << text;
    EXPECT_FALSE(Contains(text, "AGE-SECRET-KEY")) << text;
    // Either identity alone opens it with the real CLIs.
    const std::string object = target_ + "/" + id + ".db.zst.age";
    EXPECT_EQ(DecryptWithCli(operator_.file, object), m["plain"]["sha256"]);
    EXPECT_EQ(DecryptWithCli(escrow_.file, object), m["plain"]["sha256"]);
    struct stat st {};
    ASSERT_EQ(::stat(object.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  auto list = RunZb({"list", "--target", url_});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(std::regex_search(list.out, std::regex(ids[2] + " .* zstd +age +cold +full\n")))
      << list.out;
  auto status = RunZb({"status", "--target", url_});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  auto prune = RunZb({"prune", "--target", url_, "--keep-last", "1"});
  ASSERT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_EQ(
      testing::ListDir(target_),
      (std::vector<std::string>{".ziti-backup.lock", ids[2] + ".db.zst.age", ids[2] + ".json"}));
  // The same from the variables, uncompressed: <id>.db.age.
  auto env = testing::Run(
      {"env", "ZITI_CTRL_BACKUP_AGE_RECIPIENTS=" + operator_.recipient + "  " + escrow_.recipient,
       testing::ZbPath(), "backup", "--db", db_, "--target", url_, "--compress", "none"});
  ASSERT_EQ(env.exit_code, 0) << env.err;
  const std::string id = testing::Field(env.out, "id");
  EXPECT_EQ(Manifest(id)["data_object"], id + ".db.age");
  EXPECT_EQ(Manifest(id)["encryption"]["recipients"].size(), 2u);
}

// The config file takes the keys too: a list of recipients, and the
// identity file for restore.
TEST_F(EncryptionTest, TheConfigFileNamesRecipientsAndTheIdentityFile) {
  const std::string config = dir_ / "ziti-backup.yml";
  testing::WriteFileOrDie(config, "targets: [" + url_ + "]\nage_recipients: [" +
                                      operator_.recipient + ", " + escrow_.recipient +
                                      "]\nage_identity_file: " + escrow_.file + "\n");
  auto b = RunZb({"backup", "--db", db_, "--config", config});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::string id = testing::Field(b.out, "id");
  EXPECT_EQ(Manifest(id)["encryption"]["recipients"],
            (nlohmann::json{Fingerprint(operator_.recipient), Fingerprint(escrow_.recipient)}));
  auto r = RunZb({"restore", id, "--to", restored_, "--config", config});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::PeerCheckFile(restored_).txid,
            Manifest(id)["bolt"]["txid"].get<unsigned long long>());
}

TEST_F(EncryptionTest, VerifyWithoutAnIdentityChecksTheStoredBytesAndSaysSo) {
  const std::string id = Backup();
  const auto m = Manifest(id);
  const std::string facts = url_ + " " + id +
                            " txid=" + std::to_string(m["bolt"]["txid"].get<int>()) +
                            " plain_bytes=" + std::to_string(m["plain"]["size"].get<long>()) +
                            " stored_bytes=" + std::to_string(m["stored"]["size"].get<long>());
  auto hash_only = RunZb({"verify", "--target", url_});
  ASSERT_EQ(hash_only.exit_code, 0) << hash_only.err;
  EXPECT_EQ(hash_only.out, "verify ok: " + facts +
                               " checked=stored-sha256 (encrypted: the structure was not checked; "
                               "--identity checks it)\n");
  auto full = RunZb({"verify", "--target", url_, "--identity", escrow_.file});
  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_EQ(full.out, "verify ok: " + facts + "\n");
  auto test = RunZb({"verify", "--target", url_, "--identity", operator_.file, "--restore-test"});
  ASSERT_EQ(test.exit_code, 0) << test.err;
  EXPECT_EQ(test.out, "verify ok: " + facts + " restore-test=ok\n");
  // --restore-test restores: it needs the identity.
  auto no_key = RunZb({"verify", "--target", url_, "--restore-test"});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_EQ(no_key.out, "verify FAILED: " + url_ + " " + id + ": snapshot " + id +
                            " is encrypted (to " + Fingerprints() +
                            "): give an identity file holding one of their keys with --identity "
                            "FILE or ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE\n");
  // A changed byte is found without any key.
  const std::string object = target_ + "/" + id + ".db.zst.age";
  std::string bytes = testing::ReadFileOrDie(object);
  bytes[bytes.size() / 2] ^= 1;
  testing::WriteFileOrDie(object, bytes);
  auto changed = RunZb({"verify", "--target", url_});
  EXPECT_EQ(changed.exit_code, 3);
  EXPECT_TRUE(Contains(changed.out, "verify FAILED: " + url_ + " " + id + ": snapshot " + id +
                                        ": stored object " + id + ".db.zst.age has "))
      << changed.out;
}

TEST_F(EncryptionTest, RestoreNeedsOneOfTheIdentitiesAndAWrongOneWritesNothing) {
  const std::string id = Backup();
  const auto m = Manifest(id);
  testing::WriteFileOrDie(restored_, "the DB an operator still has");
  auto no_key = RunZb({"restore", id, "--to", restored_, "--force", "--target", url_});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_EQ(no_key.err, "ziti-backup: invalid argument: snapshot " + id + " is encrypted (to " +
                            Fingerprints() +
                            "): give an identity file holding one of their keys with --identity "
                            "FILE or ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE\n");
  auto wrong = RunZb({"restore", id, "--to", restored_, "--force", "--target", url_, "--identity",
                      stranger_.file});
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_EQ(wrong.err, "ziti-backup: corruption: snapshot " + id +
                           ": no identity given decrypts it: it is encrypted to " + Fingerprints() +
                           ", the identities given are " + Fingerprint(stranger_.recipient) + "\n");
  EXPECT_EQ(testing::ReadFileOrDie(restored_), "the DB an operator still has");
  EXPECT_EQ(testing::ListDir(dir_.path()).size(), 7u)  // nothing new beside it
      << ::testing::PrintToString(testing::ListDir(dir_.path()));
  // An identity file may hold several: the stranger's and the escrow's.
  const std::string both = dir_ / "both.txt";
  testing::WriteFileOrDie(
      both, testing::ReadFileOrDie(stranger_.file) + testing::ReadFileOrDie(escrow_.file));
  ::chmod(both.c_str(), 0600);
  auto r = testing::Run({"env", "ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE=" + both, testing::ZbPath(),
                         "restore", id, "--to", restored_, "--force", "--target", url_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto check = testing::PeerCheckFile(restored_);
  EXPECT_EQ(check.exit_code, 0) << check.raw;
  EXPECT_EQ(check.txid, m["bolt"]["txid"].get<unsigned long long>());
  EXPECT_EQ(testing::Run({"sh", "-c", "sha256sum < \"$0\"", restored_}).out.substr(0, 64),
            m["plain"]["sha256"]);
  for (const AgeKey* k : {&operator_, &escrow_, &stranger_}) {
    EXPECT_FALSE(Contains(r.out + r.err + wrong.err, k->secret));
  }
}

// Someone with write access to the storage changes the object and makes
// the manifest's hash match: decryption itself must refuse it.
TEST_F(EncryptionTest, AnObjectChangedBehindItsManifestDoesNotDecryptAndNothingIsRestored) {
  const std::string id = Backup({"--compress", "none"});  // 512 KiB: eight 64 KiB chunks
  const std::string object = target_ + "/" + id + ".db.age",
                    manifest = target_ + "/" + id + ".json";
  const std::string original = testing::ReadFileOrDie(object);
  const size_t payload = original.find("\n--- ");
  ASSERT_NE(payload, std::string::npos);
  const size_t chunks = original.find('\n', payload + 1) + 1 + 16;  // after the nonce
  constexpr size_t kSealed = 65536 + 16;
  ASSERT_GT(original.size(), chunks + 3 * kSealed);
  auto forge = [&](const std::string& bytes) {
    testing::WriteFileOrDie(object, bytes);
    auto m = nlohmann::json::parse(testing::ReadFileOrDie(manifest));
    m["stored"]["size"] = bytes.size();
    m["stored"]["sha256"] =
        testing::Run({"sh", "-c", "sha256sum < \"$0\"", object}).out.substr(0, 64);
    testing::WriteFileOrDie(manifest, m.dump(2));
    return RunZb(
        {"restore", id, "--to", restored_, "--target", url_, "--identity", operator_.file});
  };
  std::string swapped = original;
  std::swap_ranges(swapped.begin() + chunks, swapped.begin() + chunks + kSealed,
                   swapped.begin() + chunks + kSealed);
  auto r = forge(swapped);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "ziti-backup: corruption: snapshot " + id + ": stored object " + id +
                       ".db.age matches its manifest but does not decrypt: age payload chunk 0 "
                       "(plaintext offset 0) fails authentication: the object was changed, "
                       "reordered or damaged\n");
  std::string cut = original.substr(0, original.size() - (original.size() - chunks) % kSealed);
  r = forge(cut);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Contains(r.err, "does not decrypt: age payload is truncated after chunk ")) << r.err;
  std::string header = original;
  header[payload - 3] ^= 1;  // inside the last stanza's body
  r = forge(header);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Contains(r.err, "does not decrypt: ")) << r.err;
  EXPECT_FALSE(testing::Run({"test", "-e", restored_}).exit_code == 0) << "a file was restored";
  EXPECT_EQ(testing::ListDir(dir_.path()),
            (std::vector<std::string>{"backups", "ctrl.db", "escrow.txt", "operator.txt",
                                      "recipients.txt", "stranger.txt"}));
}

TEST_F(EncryptionTest, BadKeyFilesAreExit2NamingTheLineButNeverTheKey) {
  // An identity where a recipient belongs, on line 4.
  testing::WriteFileOrDie(recipients_,
                          "# ours\n" + operator_.recipient + "\n\n" + stranger_.secret + "\n");
  auto r = RunZb({"backup", "--db", db_, "--target", url_, "--age-recipients-file", recipients_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "ziti-backup: invalid argument: --age-recipients-file / "
            "ZITI_CTRL_BACKUP_AGE_RECIPIENTS_FILE: " +
                recipients_ +
                ": line 4: not an age X25519 recipient (it does not start with age1) (that "
                "is a secret identity, which must not be here: give its recipient, "
                "`age-keygen -y FILE` prints it)\n");
  EXPECT_FALSE(Contains(r.err, stranger_.secret.substr(16, 20)));
  EXPECT_EQ(testing::ListDir(dir_.path()).size(), 5u) << "no target was made";
  auto daemon = RunZb({"daemon", "--validate", "--db", db_, "--target", url_,
                       "--age-recipients-file", recipients_});
  EXPECT_EQ(daemon.exit_code, 2);
  EXPECT_EQ(daemon.err, r.err);

  testing::WriteFileOrDie(recipients_, escrow_.recipient + "\n");
  const std::string id = Backup();
  const std::string identity = dir_ / "identity.txt";
  auto restore = [&] {
    return RunZb({"restore", id, "--to", restored_, "--target", url_, "--identity", identity});
  };
  const std::string flag =
      "ziti-backup: invalid argument: --identity / "
      "ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE: ";
  // A recipient where the identity belongs, on line 3.
  testing::WriteFileOrDie(
      identity, "# created: today\n" + escrow_.secret + "\n" + operator_.recipient + "\n");
  r = restore();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, flag + identity +
                       ": line 3: not an age X25519 identity (it does not start with "
                       "age-secret-key-1)\n");
  EXPECT_FALSE(Contains(r.err, escrow_.secret.substr(16, 20)));
  // A damaged identity (one character changed): the checksum fails, the
  // key is not repeated.
  std::string damaged = escrow_.secret;
  damaged[30] = damaged[30] == 'Q' ? 'P' : 'Q';
  testing::WriteFileOrDie(identity, damaged + "\n");
  r = restore();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Contains(r.err, flag + identity + ": line 1: not an age X25519 identity (")) << r.err;
  EXPECT_FALSE(Contains(r.err, damaged.substr(16, 20))) << r.err;
  testing::WriteFileOrDie(identity, "# nothing here yet\n\n");
  r = restore();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, flag + identity + ": no identity in it (only comments or blank)\n");
  // A FIFO (a typo'd path into /proc, a pipe someone left) is refused, not read.
  ::unlink(identity.c_str());
  ASSERT_EQ(::mkfifo(identity.c_str(), 0600), 0);
  r = restore();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Contains(r.err, flag)) << r.err;
  EXPECT_FALSE(testing::Run({"test", "-e", restored_}).exit_code == 0) << "a file was restored";
}

// The identity is given as a file name; while restore holds the key, the
// command line and environment that `ps` and /proc show hold only that name.
// The agent command of --via-agent runs inside the restore, so it looks.
TEST_F(EncryptionTest, TheIdentityIsNeverInArgvTheEnvironmentOrTheOutput) {
  const std::string id = Backup();
  const std::string data = dir_ / "data", live = data + "/ctrl-ha.db";
  ::mkdir(data.c_str(), 0700);
  testing::WriteFileOrDie(data + "/raft.db", "the raft log");
  testing::WriteFileOrDie(live, testing::ReadFileOrDie(db_));
  // The controller stand-in holds the DB's lock, as bbolt does (flock).
  testing::BackgroundProcess controller({"flock", "-x", live, "sleep", "3600"}, dir_ / "ctrl");
  auto held = [&] { return testing::Run({"flock", "-n", "-s", live, "true"}).exit_code != 0; };
  for (int i = 0; i < 6000 && !held(); ++i) ::usleep(10000);
  ASSERT_TRUE(held());
  const std::string seen = dir_ / "seen.txt", script = dir_ / "agent.sh";
  testing::WriteFileOrDie(script,
                          "{ ps -eo args; tr '\\0' '\\n' < /proc/$PPID/cmdline;\n"
                          "  tr '\\0' '\\n' < /proc/$PPID/environ; } > " +
                              seen + "\necho 'Error: not now'\n");
  auto r = testing::Run({"env", "ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE=" + operator_.file,
                         testing::ZbPath(), "restore", id, "--to", live, "--via-agent",
                         "--agent-restore-command", "sh " + script + " {in}", "--target", url_});
  controller.Stop();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Contains(r.err, "(sh exit status 0: not now); nothing was changed")) << r.err;
  const std::string shown = testing::ReadFileOrDie(seen);
  EXPECT_TRUE(Contains(shown, "ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE=" + operator_.file)) << shown;
  EXPECT_TRUE(Contains(shown, "restore\n" + id + "\n--to\n" + live)) << shown;
  const std::string key_body = operator_.secret.substr(16);
  for (const std::string& text : {shown, r.out, r.err}) {
    EXPECT_FALSE(Contains(text, operator_.secret));
    EXPECT_FALSE(Contains(text, key_body));
    std::string lower = key_body;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_FALSE(Contains(text, lower));
  }
}

// Backups of a DB a live writer keeps changing, encrypted: each restores
// (with the identity) to exactly the state the writer logged at its txid,
// and the age and zstd CLIs give back the same bytes.
TEST_F(EncryptionTest, BackupsOfALiveDbRestoreToTheLoggedStates) {
  const std::string live = dir_ / "ctrl-ha.db";
  ASSERT_EQ(testing::RunBoltgen({"gen", "--out", live, "--size", "4MiB", "--churn"}).exit_code, 0);
  testing::LiveWriter writer(dir_.path(), live, 200);
  ASSERT_TRUE(writer.ready()) << writer.Stderr();
  unsigned long long previous = 0;
  std::vector<std::string> ids;
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(writer.WaitForCommitAfter(previous)) << writer.Stderr();
    auto r = testing::RunZbPaced(
        writer, {"backup", "--db", live, "--target", url_, "--age-recipient", operator_.recipient});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Contains(r.out, " method=hot ")) << r.out;
    previous = std::stoull(testing::Field(r.out, "txid"));
    ids.push_back(testing::Field(r.out, "id"));
  }
  ASSERT_EQ(writer.Stop(), 0);
  std::map<unsigned long long, std::string> logged = writer.Digests();
  for (const std::string& id : ids) {
    const std::string out = dir_ / (id + ".db");
    auto r = RunZb({"restore", id, "--to", out, "--target", url_, "--identity", operator_.file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto check = testing::PeerCheckFile(out);
    EXPECT_EQ(check.exit_code, 0) << check.raw;
    EXPECT_EQ(check.txid, Manifest(id)["bolt"]["txid"].get<unsigned long long>());
    ASSERT_TRUE(logged.count(check.txid)) << "txid " << check.txid << " not in the writer log";
    EXPECT_EQ(check.digest, logged[check.txid]) << id;
    EXPECT_EQ(DecryptWithCli(operator_.file, target_ + "/" + id + ".db.zst.age"),
              Manifest(id)["plain"]["sha256"]);
  }
}

}  // namespace
}  // namespace zb
