// The fuzz entry points: each takes arbitrary bytes, runs one of
// ziti-backup's readers of untrusted input on them, and aborts (printing
// why) when a property that must hold for every input fails: a reader
// returns an error or a value, never crashes, and what it accepts obeys
// the checks written beside each entry. Memory and time are bounded by the
// runner (fuzz/run.sh: -rss_limit_mb, -malloc_limit_mb, -timeout); the
// entries themselves allocate in proportion to their input only.
//
// Shared by the libFuzzer targets (fuzz/target_main.cc, built with clang
// under -DZB_FUZZ=ON) and by fuzz/replay_test.cc in the normal g++ build,
// which feeds every file of fuzz/corpus/<target>/ and
// fuzz/regressions/<target>/ through them, so a crash once found stays
// fixed in ctest. Not thread-safe; one input at a time.
#pragma once

#include <span>

#include "base/bytes.h"

namespace zb::fuzz {

// bolt::Check on the bytes as a bbolt file, with the inspect collectors
// (stats, OpenZiti summary) watching the walk.
void BoltCheck(ByteSpan data);
// repo::ParseManifest; what it accepts must print and parse back equal.
void Manifest(ByteSpan data);
// schedule::Schedule::Parse and Next, and schedule::ParseCrontab.
void Cron(ByteSpan data);
// The two YAML readers: app::LocateDb on the bytes as the controller's
// config.yml, and app::ReadConfigFile on them as our own config file.
void CtrlConfig(ByteSpan data);
// A --target URL: store::OpenBackend.
void TargetUrl(ByteSpan data);
// A stored data object as restore decodes it: zstd -d -> SHA-256 -> out.
void StoredObject(ByteSpan data);
// codec::AgeDecryptSink with a fixed test identity: errors are kCorruption
// with failure() set, no plaintext before the header authenticates, and
// the same outcome whatever the write sizes.
void AgeDecrypt(ByteSpan data);

struct Target {
  const char* name;  // the folder under fuzz/corpus and fuzz/regressions
  void (*run)(ByteSpan);
};
// Every entry above, by name.
std::span<const Target> Targets();

}  // namespace zb::fuzz
