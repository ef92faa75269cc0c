#include "cli/age_flags.h"

#include <openssl/crypto.h>
#include <sys/prctl.h>

#include "cli/command.h"
#include "codec/age_key_file.h"

namespace zb::cli {
namespace {

constexpr char kRecipientsVar[] = "ZITI_CTRL_BACKUP_AGE_RECIPIENTS";
constexpr char kRecipientsFileVar[] = "ZITI_CTRL_BACKUP_AGE_RECIPIENTS_FILE";
constexpr char kIdentityVar[] = "ZITI_CTRL_BACKUP_AGE_IDENTITY_FILE";
// Key files hold a few lines; a larger one is a mistake (a DB given as a key).
constexpr uint64_t kMaxKeyFileBytes = 1 << 20;

// A missing or unreadable key file is a configuration error, like a bad one.
Result<std::string> ReadKeyFile(Env& env, const std::string& path, const std::string& names) {
  auto text = ReadSmallFile(env, path, kMaxKeyFileBytes);
  if (!text.ok()) return Status::InvalidArgument(names + ": " + text.status().message());
  return text;
}

// Wipes a string that held key text before it goes.
struct Wiped {
  std::string& s;
  ~Wiped() { OPENSSL_cleanse(s.data(), s.size()); }
};

}  // namespace

void AddAgeRecipientFlags(CLI::App* cmd, AgeRecipientArgs& a) {
  cmd->add_option("--age-recipient", a.recipients,
                  "Encrypt every stored object to this age X25519 recipient (age1...);\n"
                  "repeatable, the variable is space-separated. Any one identity decrypts")
      ->envname(kRecipientsVar)
      ->delimiter(' ');
  AddEnvOption(cmd, "--age-recipients-file", a.recipients_file, kRecipientsFileVar,
               "A file of age recipients, one per line, # comments (age -R's format);\n"
               "added to --age-recipient");
}

Result<std::vector<codec::PublicKey>> LoadAgeRecipients(Env& env, const AgeRecipientArgs& a) {
  std::string joined;
  for (const std::string& r : a.recipients) joined += r + " ";
  auto keys = codec::ParseRecipientList(joined);
  if (!keys.ok()) {
    return keys.status().WithContext(std::string("--age-recipient / ") + kRecipientsVar);
  }
  if (!a.recipients_file.empty()) {
    const std::string names = std::string("--age-recipients-file / ") + kRecipientsFileVar;
    ZB_ASSIGN_OR_RETURN(std::string text, ReadKeyFile(env, a.recipients_file, names));
    auto more = codec::ParseRecipientsFile(text);
    if (!more.ok()) return more.status().WithContext(names + ": " + a.recipients_file);
    keys->insert(keys->end(), more->begin(), more->end());
  }
  return keys;
}

void AddAgeIdentityFlag(CLI::App* cmd, std::string& identity_file) {
  AddEnvOption(cmd, "--identity", identity_file, kIdentityVar,
               "The age identity file (age-keygen's format; several identities allowed)\n"
               "that decrypts encrypted snapshots; keep it off the controller host");
}

Result<std::vector<codec::SecretKey>> LoadAgeIdentities(Env& env, const std::string& file) {
  if (file.empty()) return std::vector<codec::SecretKey>();
  const std::string names = std::string("--identity / ") + kIdentityVar;
  ZB_ASSIGN_OR_RETURN(std::string text, ReadKeyFile(env, file, names));
  Wiped wipe{text};
  auto keys = codec::ParseIdentityFile(text);
  if (!keys.ok()) return keys.status().WithContext(names + ": " + file);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  return keys;
}

Status RequireIdentity(const repo::Manifest& m, const std::vector<codec::SecretKey>& identities) {
  if (m.recipients.empty() || !identities.empty()) return Status::OK();
  std::string to;
  for (const std::string& r : m.recipients) to += (to.empty() ? "" : ", ") + r;
  return Status::InvalidArgument("snapshot " + m.id + " is encrypted (to " + to +
                                 "): give an identity file holding one of their keys with "
                                 "--identity FILE or " +
                                 kIdentityVar);
}

}  // namespace zb::cli
