// The text formats age keeps keys in: a recipients file (`age -R`: one
// "age1..." per line, '#' comments and blank lines ignored) and an identity
// file (`age-keygen`: "AGE-SECRET-KEY-1..." lines, with the same comments).
// Errors name the line by number and say what is wrong, never what the
// line holds: it may be a secret. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "codec/age_key.h"

namespace zb::codec {

// kInvalidArgument "line N: ..." for a line that is not an X25519
// recipient (SSH keys and plugin recipients included: we cannot use them),
// and for a file with no recipient at all.
Result<std::vector<PublicKey>> ParseRecipientsFile(std::string_view text);

// Space-separated recipients (a variable or repeated flags joined):
// kInvalidArgument "recipient N: ...".
Result<std::vector<PublicKey>> ParseRecipientList(std::string_view text);

// kInvalidArgument "line N: ..." likewise, and for a file with no identity.
Result<std::vector<SecretKey>> ParseIdentityFile(std::string_view text);

// How a manifest names a recipient without holding it: "sha256:" and the
// first 16 hex digits of the SHA-256 of its "age1..." text, so an operator
// can match it with `printf %s age1... | sha256sum`.
std::string RecipientFingerprint(const PublicKey& key);

}  // namespace zb::codec
