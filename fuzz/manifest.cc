// Manifest parsing, as list/verify/restore/prune read every <id>.json of a
// target (which anyone with write access to the target can have written).
#include "repo/manifest.h"

#include "fuzz/entries.h"
#include "fuzz/require.h"

namespace zb::fuzz {

void Manifest(ByteSpan data) {
  const std::string json = AsString(data);
  auto m = repo::ParseManifest(json, "fuzz.json");
  if (!m.ok()) {
    Require(m.status().code() == Code::kCorruption,
            "a bad manifest must be kCorruption: " + m.status().ToString());
    return;
  }
  // What we accept we can write back, and it reads back the same.
  const std::string again = repo::ManifestToJson(*m);
  auto back = repo::ParseManifest(again, "fuzz.json");
  Require(back.ok(),
          "ManifestToJson output does not parse: " + back.status().ToString() + "\n" + again);
  Require(*back == *m, "manifest changes on a round trip:\n" + again);
}

}  // namespace zb::fuzz
