// The age flags (spec §10): recipients for commands that write backups,
// an identity file for commands that read encrypted ones. Keys come only
// from files or variables, never from an identity in argv, and errors name
// the flag, the variable and the line, never a key.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "codec/age_key.h"
#include "env/env.h"
#include "repo/manifest.h"

namespace zb::cli {

struct AgeRecipientArgs {
  std::vector<std::string> recipients;  // --age-recipient, repeatable
  std::string recipients_file;
};

void AddAgeRecipientFlags(CLI::App* cmd, AgeRecipientArgs& a);
// Every recipient given (none: backups are not encrypted). kInvalidArgument
// naming the flag and variable, and the file and line, for a bad one.
Result<std::vector<codec::PublicKey>> LoadAgeRecipients(Env& env, const AgeRecipientArgs& a);

void AddAgeIdentityFlag(CLI::App* cmd, std::string& identity_file);
// The identities in `file` (none if it is empty). kInvalidArgument naming
// the flag, variable, file and line. Once keys are loaded the process is
// made non-dumpable: no core file or same-user ptrace can read them.
Result<std::vector<codec::SecretKey>> LoadAgeIdentities(Env& env, const std::string& file);

// kInvalidArgument when `m` is encrypted and no identity was given: names
// the snapshot's recipient fingerprints and how to give one.
Status RequireIdentity(const repo::Manifest& m, const std::vector<codec::SecretKey>& identities);

}  // namespace zb::cli
