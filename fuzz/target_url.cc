// A --target URL (ZITI_CTRL_BACKUP_TARGETS, the config file's targets:):
// store::ParseTargetUrl, and store::OpenBackend on what it accepts.
#include "store/target_url.h"

#include <optional>

#include "env/clock.h"
#include "fuzz/entries.h"
#include "fuzz/mem_env.h"
#include "fuzz/require.h"
#include "store/open_backend.h"

namespace zb::fuzz {
namespace {

// Time stands still and sleeping returns at once: opening a target must
// not depend on either.
class StillClock final : public Clock {
 public:
  TimePoint Now() override { return TimePoint(std::chrono::seconds(1782000000)); }
  std::chrono::steady_clock::time_point Steady() override { return {}; }
  bool SleepUntil(TimePoint, std::stop_token) override { return true; }
};

// A clean prefix of an object-store target: no leading or trailing '/',
// no empty, "." or ".." segment, no control character.
void RequireCleanPrefix(const std::string& p) {
  Require(p.empty() || (p.front() != '/' && p.back() != '/'),
          "a prefix with a '/' at an end: " + p);
  const std::string wrapped = "/" + p + "/";
  Require(p.empty() || (wrapped.find("//") == std::string::npos &&
                        wrapped.find("/./") == std::string::npos &&
                        wrapped.find("/../") == std::string::npos),
          "a dot or empty segment in a prefix: " + p);
  for (unsigned char c : p) Require(c >= 0x20 && c != 0x7f, "a control character in " + p);
}

}  // namespace

void TargetUrl(ByteSpan data) {
  const std::string url = AsString(data);
  // No file exists and every change is refused: opening a target must not
  // need the file system (creating the directory is the first Put's job).
  OneFileEnv env("/nonexistent", {});
  StillClock clock;
  auto parsed = store::ParseTargetUrl(url);
  std::string object_store;  // "s3://bucket" or "azblob://account/container"
  if (parsed.ok() && parsed->scheme == "file") {
    // What it accepts is an absolute, clean path: no empty, "." or ".."
    // segment, no trailing '/', no control character.
    const std::string& p = parsed->path;
    Require(p.size() > 1 && p[0] == '/' && p.back() != '/', "not a clean absolute path: " + p);
    Require(p.find("//") == std::string::npos && p.find("/./") == std::string::npos &&
                p.find("/../") == std::string::npos,
            "a dot or empty segment: " + p);
    for (unsigned char c : p) Require(c >= 0x20 && c != 0x7f, "a control character in " + p);
  } else if (parsed.ok() && parsed->scheme == "s3") {
    Require(!parsed->bucket.empty() && parsed->bucket.find('/') == std::string::npos,
            "a bad bucket: " + parsed->bucket);
    RequireCleanPrefix(parsed->prefix);
    object_store = "s3://" + parsed->bucket;
  } else if (parsed.ok()) {
    Require(parsed->scheme == "azblob", "an unknown scheme accepted: " + parsed->scheme);
    Require(parsed->account.size() >= 3 && parsed->account.size() <= 24 &&
                parsed->container.size() >= 3 && parsed->container.size() <= 63,
            "a bad account or container: " + parsed->account + "/" + parsed->container);
    RequireCleanPrefix(parsed->prefix);
    object_store = "azblob://" + parsed->account + "/" + parsed->container;
  }
  // Credentials of the right shape for the object stores, so that what
  // they refuse is the URL's doing.
  const store::OpenContext context{
      .env = env,
      .clock = clock,
      .missing = store::MissingDir::kFail,
      .getenv = [](const std::string& name) -> std::optional<std::string> {
        if (name == "AWS_ACCESS_KEY_ID") return "AKIAFUZZ";
        if (name == "AWS_SECRET_ACCESS_KEY") return "fuzz-secret";
        if (name == "AZURE_STORAGE_KEY") return "ZnV6ei1rZXk=";
        return std::nullopt;
      }};
  auto backend = store::OpenBackend(context, url);
  if (parsed.ok() && !backend.ok()) {
    // An object store's settings may still refuse an option's value (a
    // region, an endpoint): a usage error naming the target.
    const std::string message = backend.status().message();
    Require(!object_store.empty() && backend.status().code() == Code::kInvalidArgument &&
                message.starts_with(object_store),
            "a parsed target is refused without naming it: " + message);
    for (unsigned char c : message) {
      Require(c >= 0x20 && c != 0x7f, "a control character in the error: " + message);
    }
    return;
  }
  Require(!backend.ok() || parsed.ok(), "OpenBackend accepts what ParseTargetUrl refuses: " + url);
  if (!backend.ok()) {
    // A malformed URL is a usage error naming it, its control characters
    // written as \xNN (never echoed raw to a terminal or a log).
    std::string shown;
    for (unsigned char c : url) {
      if (c < 0x20 || c == 0x7f) {
        static constexpr char kHex[] = "0123456789abcdef";
        shown += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
      } else {
        shown += static_cast<char>(c);
      }
    }
    const std::string message = backend.status().message();
    Require(backend.status().code() != Code::kInvalidArgument ||
                message.find(shown) != std::string::npos,
            "the error does not name the target: " + message);
    for (unsigned char c : message) {
      Require(c >= 0x20 && c != 0x7f, "a control character in the error: " + message);
    }
    return;
  }
  const std::string described = (*backend)->Describe();
  Require(!described.empty(), "a target with no description");
}

}  // namespace zb::fuzz
