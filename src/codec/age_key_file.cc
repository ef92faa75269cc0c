#include "codec/age_key_file.h"

#include <openssl/sha.h>

namespace zb::codec {
namespace {

// Calls `line(n, text)` for each line that is not blank or a comment;
// a trailing '\r' (a file edited on Windows) is not part of the key.
template <class F>
Status ForEachKeyLine(std::string_view text, F line) {
  size_t n = 0;
  while (!text.empty()) {
    ++n;
    const size_t nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    const size_t start = l.find_first_not_of(" \t");
    if (start == std::string_view::npos || l[start] == '#') continue;
    const size_t end = l.find_last_not_of(" \t");
    ZB_RETURN_IF_ERROR(line(n, l.substr(start, end - start + 1)));
  }
  return Status::OK();
}

// A hint for keys age knows but we do not use; says the kind, not the key.
// Bech32's data alphabet has no '1': "age1" followed by another '1' is a
// plugin's ("age1yubikey1...").
std::string Kind(std::string_view key) {
  if (key.starts_with("ssh-")) return " (an SSH key: ziti-backup uses X25519 age keys only)";
  if (key.starts_with("AGE-SECRET-KEY-1")) {
    return " (that is a secret identity, which must not be here: give its recipient, "
           "`age-keygen -y FILE` prints it)";
  }
  if (key.starts_with("AGE-PLUGIN-") ||
      (key.starts_with("age1") && key.find('1', 4) != std::string_view::npos)) {
    return " (a plugin key: ziti-backup uses X25519 age keys only)";
  }
  return "";
}

// Every key line of a key file through `parse`: "line N: ..." for a bad
// one, and an error for a file with none.
template <class Key, class Parse>
Result<std::vector<Key>> ParseKeyFile(std::string_view text, Parse parse, std::string_view what) {
  std::vector<Key> out;
  ZB_RETURN_IF_ERROR(ForEachKeyLine(text, [&](size_t n, std::string_view key) -> Status {
    auto k = parse(key);
    if (!k.ok()) {
      return Status::InvalidArgument("line " + std::to_string(n) + ": " + k.status().message() +
                                     Kind(key));
    }
    out.push_back(*k);
    return Status::OK();
  }));
  if (out.empty()) {
    return Status::InvalidArgument("no " + std::string(what) + " in it (only comments or blank)");
  }
  return out;
}

}  // namespace

Result<std::vector<PublicKey>> ParseRecipientsFile(std::string_view text) {
  return ParseKeyFile<PublicKey>(text, ParseRecipient, "recipient");
}

Result<std::vector<PublicKey>> ParseRecipientList(std::string_view text) {
  std::vector<PublicKey> out;
  size_t n = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find_first_not_of(" \t\n", pos);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(text.size(), text.find_first_of(" \t\n", start));
    const std::string_view key = text.substr(start, end - start);
    pos = end;
    ++n;
    auto k = ParseRecipient(key);
    if (!k.ok()) {
      return Status::InvalidArgument("recipient " + std::to_string(n) + ": " +
                                     k.status().message() + Kind(key));
    }
    out.push_back(*k);
  }
  return out;
}

Result<std::vector<SecretKey>> ParseIdentityFile(std::string_view text) {
  return ParseKeyFile<SecretKey>(text, ParseIdentity, "identity");
}

std::string RecipientFingerprint(const PublicKey& key) {
  const std::string text = FormatRecipient(key);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (int i = 0; i < 8; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace zb::codec
