#include "repo/chain_state.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "repo/page_pack.h"
#include "store/signing_crypto.h"

namespace zb::repo {
namespace {

constexpr std::string_view kMagic = "ZBCHAIN1\n";
constexpr size_t kMaxJsonLine = 64 * 1024;
constexpr size_t kDigestBytes = 32;

std::string Sha256Of(std::string_view bytes) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), d, &n, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(d), n);
}

bool FromHex(const std::string& hex, PageHashKey& key) {
  if (hex.size() != 2 * key.size()) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < key.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    key[i] = static_cast<std::byte>(hi << 4 | lo);
  }
  return true;
}

Status Bad(const std::string& why) { return Status::Corruption("chain state: " + why); }

}  // namespace

std::string ChainTag(const PageHashKey& key) {
  std::string text = "ziti-backup chain tag\n";
  text.append(reinterpret_cast<const char*>(key.data()), key.size());
  return store::Sha256Hex(text).substr(0, 16);
}

std::string EncodeChainState(const ChainState& s) {
  nlohmann::json head = {
      {"db", s.db},
      {"target", s.target},
      {"head_id", s.head_id},
      {"head_manifest_sha256", s.head_manifest_sha256},
      {"page_size", s.page_size},
      {"pages", s.hashes.size()},
      {"key",
       store::LowerHex(std::span(reinterpret_cast<const uint8_t*>(s.key.data()), s.key.size()))}};
  if (s.locked_until != 0) head["locked_until"] = s.locked_until;
  std::string out(kMagic);
  out += head.dump();
  out += '\n';
  for (const PageHash& h : s.hashes) {
    out.append(reinterpret_cast<const char*>(h.data()), h.size());
  }
  out += Sha256Of(out);
  return out;
}

Result<ChainState> DecodeChainState(std::string_view bytes) {
  if (!bytes.starts_with(kMagic)) return Bad("not a chain state file (no ZBCHAIN1)");
  if (bytes.size() < kMagic.size() + kDigestBytes) return Bad("cut short");
  const std::string_view body = bytes.substr(0, bytes.size() - kDigestBytes);
  if (Sha256Of(body) != bytes.substr(body.size())) return Bad("its checksum does not match");
  const size_t eol = body.find('\n', kMagic.size());
  if (eol == std::string_view::npos || eol - kMagic.size() > kMaxJsonLine) {
    return Bad("no header line");
  }
  const nlohmann::json head =
      nlohmann::json::parse(body.substr(kMagic.size(), eol - kMagic.size()), nullptr, false);
  if (!head.is_object()) return Bad("its header is not JSON");
  ChainState s;
  uint64_t pages = 0;
  std::string key;
  try {
    s.db = head.at("db").get<std::string>();
    s.target = head.at("target").get<std::string>();
    s.head_id = head.at("head_id").get<std::string>();
    s.head_manifest_sha256 = head.at("head_manifest_sha256").get<std::string>();
    const uint64_t page_size = head.at("page_size").get<uint64_t>();
    if (!ValidPageSize(page_size)) return Bad("page size " + std::to_string(page_size));
    s.page_size = static_cast<uint32_t>(page_size);
    pages = head.at("pages").get<uint64_t>();
    key = head.at("key").get<std::string>();
    s.locked_until = head.value("locked_until", int64_t{0});
  } catch (const nlohmann::json::exception&) {
    return Bad("its header lacks a field or has one of the wrong type");
  }
  if (!FromHex(key, s.key)) return Bad("its key is not 128 hex digits");
  // The count must be exactly what the file holds: nothing is sized by it.
  const std::string_view hashes = body.substr(eol + 1);
  if (hashes.size() % sizeof(PageHash) != 0 || hashes.size() / sizeof(PageHash) != pages) {
    return Bad("it says " + std::to_string(pages) + " pages but holds " +
               std::to_string(hashes.size()) + " bytes of hashes");
  }
  s.hashes.resize(pages);
  for (uint64_t i = 0; i < pages; ++i) {
    std::copy_n(reinterpret_cast<const std::byte*>(hashes.data()) + i * sizeof(PageHash),
                sizeof(PageHash), s.hashes[i].begin());
  }
  return s;
}

std::vector<uint64_t> ChangedPages(const std::vector<PageHash>& before,
                                   const std::vector<PageHash>& now) {
  std::vector<uint64_t> out;
  for (uint64_t i = 0; i < now.size(); ++i) {
    if (i >= before.size() || before[i] != now[i]) out.push_back(i);
  }
  return out;
}

}  // namespace zb::repo
