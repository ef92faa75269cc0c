// `ziti-backup keygen --output FILE`: a new age X25519 identity, written
// in age-keygen's format to FILE (mode 0600, never over an existing file:
// replacing a key loses every backup encrypted to it), and its recipient
// ("age1...") on stdout. The identity belongs where restores happen, not on
// the backup host, which needs only the recipient.
#include <openssl/crypto.h>

#include <ostream>

#include "cli/command.h"
#include "codec/age_key.h"
#include "env/atomic_file.h"

namespace zb::cli {
namespace {

Status RunKeygen(CommandContext& ctx, const std::string& output) {
  if (output.empty()) return Status::InvalidArgument("--output FILE is required");
  if (ctx.env.Stat(output).ok()) {
    return Status::InvalidArgument(output +
                                   " exists; keygen never replaces a key (backups encrypted to "
                                   "it could not be restored): choose another name");
  }
  auto dir = ctx.env.Stat(DirName(output));
  if (!dir.ok() || !dir->is_dir) {
    return Status::InvalidArgument("--output " + output + ": directory " + DirName(output) +
                                   " does not exist");
  }
  ZB_ASSIGN_OR_RETURN(codec::SecretKey key, codec::GenerateSecretKey());
  ZB_ASSIGN_OR_RETURN(codec::PublicKey pub, codec::PublicKeyOf(key));
  ZB_ASSIGN_OR_RETURN(std::string text, codec::FormatIdentityFile(key, ctx.clock.Now()));
  struct Wipe {
    std::string& s;
    ~Wipe() { OPENSSL_cleanse(s.data(), s.size()); }
  } wipe{text};
  ZB_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(ctx.env, output));
  ZB_RETURN_IF_ERROR(file->file().WriteAt(0, AsBytes(text)));
  ZB_RETURN_IF_ERROR(file->file().Sync());
  // A link, unlike a rename, never replaces a file that appeared meanwhile.
  if (Status linked = ctx.env.Link(file->temp_path(), output); !linked.ok()) {
    file->Abandon();
    if (ctx.env.Stat(output).ok()) {
      return Status::InvalidArgument(output + " exists; keygen never replaces a key");
    }
    return linked;
  }
  file->Abandon();
  ZB_RETURN_IF_ERROR(ctx.env.SyncDir(DirName(output)));
  ctx.out << codec::FormatRecipient(pub) << "\n";
  return Status::OK();
}

}  // namespace

void RegisterKeygen(CLI::App& app, CommandContext& ctx) {
  auto output = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "keygen",
      "Create an age X25519 identity for encrypted backups: written to --output (mode 0600,\n"
      "in age-keygen's format, never over an existing file); its recipient (age1...) is\n"
      "printed. Keep the identity where you restore, not on the backup host: backing up\n"
      "needs only the recipient.");
  cmd->add_option("--output,-o", *output, "The identity file to create")->required();
  cmd->callback([&ctx, output] { ctx.result = RunKeygen(ctx, *output); });
}

}  // namespace zb::cli
