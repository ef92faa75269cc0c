#include "bolt/meta.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace zb::bolt {
namespace {

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

void EncodeMetaBody(const Meta& m, MutableByteSpan out /* >= kMetaSize */) {
  StoreLE<uint32_t>(out, 0, m.magic);
  StoreLE<uint32_t>(out, 4, m.version);
  StoreLE<uint32_t>(out, 8, m.page_size);
  StoreLE<uint32_t>(out, 12, m.flags);
  StoreLE<uint64_t>(out, 16, m.root.root);
  StoreLE<uint64_t>(out, 24, m.root.sequence);
  StoreLE<uint64_t>(out, 32, m.freelist);
  StoreLE<uint64_t>(out, 40, m.pgid);
  StoreLE<uint64_t>(out, 48, m.txid);
  StoreLE<uint64_t>(out, 56, m.checksum);
}

}  // namespace

uint64_t Fnv1a64(ByteSpan data) {
  uint64_t h = 14695981039346656037ull;
  for (std::byte b : data) {
    h ^= std::to_integer<uint8_t>(b);
    h *= 1099511628211ull;
  }
  return h;
}

std::optional<Meta> DecodeMeta(ByteSpan page) {
  auto body = SubSpan(page, kPageHeaderSize, kMetaSize);
  if (!body) return std::nullopt;
  Meta m;
  m.magic = *LoadLE<uint32_t>(*body, 0);
  m.version = *LoadLE<uint32_t>(*body, 4);
  m.page_size = *LoadLE<uint32_t>(*body, 8);
  m.flags = *LoadLE<uint32_t>(*body, 12);
  m.root.root = *LoadLE<uint64_t>(*body, 16);
  m.root.sequence = *LoadLE<uint64_t>(*body, 24);
  m.freelist = *LoadLE<uint64_t>(*body, 32);
  m.pgid = *LoadLE<uint64_t>(*body, 40);
  m.txid = *LoadLE<uint64_t>(*body, 48);
  m.checksum = *LoadLE<uint64_t>(*body, 56);
  return m;
}

uint64_t MetaChecksum(const Meta& m) {
  std::array<std::byte, kMetaSize> buf{};
  EncodeMetaBody(m, buf);
  return Fnv1a64(ByteSpan(buf.data(), kMetaChecksumOffset));
}

Status ValidateMeta(const Meta& m) {
  if (m.magic != kMagic) return Status::Corruption("invalid magic " + Hex(m.magic));
  if (m.version != kVersion) {
    return Status::Corruption("version " + std::to_string(m.version) + " is not " +
                              std::to_string(kVersion));
  }
  uint64_t sum = MetaChecksum(m);
  if (m.checksum != sum) {
    return Status::Corruption("checksum mismatch: stored " + Hex(m.checksum) + ", computed " +
                              Hex(sum));
  }
  return Status::OK();
}

Result<MetaChoice> PickLatest(ByteSpan page0, ByteSpan page1) {
  std::optional<Meta> m[2] = {DecodeMeta(page0), DecodeMeta(page1)};
  Status s[2];
  for (int i = 0; i < 2; ++i) {
    s[i] = m[i] ? ValidateMeta(*m[i]) : Status::Corruption("meta page too short");
  }
  int first = (m[0] && m[1] && m[1]->txid > m[0]->txid) ? 1 : 0;
  for (int i : {first, 1 - first}) {
    if (s[i].ok()) return MetaChoice{*m[i], i, m[1 - i], s[1 - i]};
  }
  return Status::Corruption("no valid meta page: meta 0: " + s[0].message() +
                            "; meta 1: " + s[1].message());
}

std::optional<MetaFallback> DetectMetaFallback(const MetaChoice& choice, uint64_t file_pages) {
  if (choice.other_invalid.ok() || !choice.other) return std::nullopt;
  const Txid used = choice.meta.txid, claimed = choice.other->txid;
  // bbolt's init writes txids 0 and 1 into a 4-page file.
  const bool initial = used <= 1;
  const bool has_commits = file_pages > 4 || claimed > 1;
  if (claimed <= used && !(initial && has_commits)) return std::nullopt;
  return MetaFallback{1 - choice.slot, claimed, used, choice.other_invalid.message(),
                      initial && has_commits};
}

void EncodeMetaPage(Meta m, Pgid id, MutableByteSpan page) {
  std::fill(page.begin(), page.end(), std::byte{0});
  EncodePageHeader(PageHeader{id, kMetaPageFlag, 0, 0}, page);
  m.checksum = MetaChecksum(m);
  EncodeMetaBody(m, page.subspan(kPageHeaderSize, kMetaSize));
}

}  // namespace zb::bolt
