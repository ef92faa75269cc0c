#include "repo/rebase_rule.h"

#include <cstdio>

namespace zb::repo {
namespace {

std::string Fixed2(long double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2Lf", v);
  return buf;
}

}  // namespace

std::string RebaseReason(const ChainSize& chain, uint64_t next_pack_plain, const RebaseRule& rule) {
  if (chain.base_plain == 0) return "the chain has no base image";
  if (chain.packs >= rule.max_packs) {
    return "the chain has " + std::to_string(chain.packs) + " packs, the most allowed";
  }
  // In long double: byte counts near 2^64 must not wrap.
  const long double packs = static_cast<long double>(chain.packs_plain) + next_pack_plain;
  const long double ratio = packs / chain.base_plain;
  if (ratio > rule.factor) {
    return "the chain's packs would hold " + Fixed2(ratio) + "x its base image (limit " +
           Fixed2(rule.factor) + "x)";
  }
  return "";
}

}  // namespace zb::repo
