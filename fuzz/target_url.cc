// A --target URL (ZITI_CTRL_BACKUP_TARGETS, the config file's targets:):
// store::ParseTargetUrl, and store::OpenBackend on what it accepts (file://
// and s3://; nothing is sent anywhere).
#include "store/target_url.h"

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

}  // namespace

void TargetUrl(ByteSpan data) {
  const std::string url = AsString(data);
  // No file exists and every change is refused: opening a target must not
  // need the file system (creating the directory is the first Put's job).
  OneFileEnv env("/nonexistent", {});
  StillClock clock;
  auto parsed = store::ParseTargetUrl(url);
  if (parsed.ok() && parsed->scheme == "s3") {
    // A bucket and a clean prefix: no leading, trailing or doubled '/', no
    // "." or ".." segment, no control character.
    const std::string& p = parsed->prefix;
    Require(!parsed->bucket.empty(), "no bucket in " + url);
    Require(p.empty() || (p.front() != '/' && p.back() != '/'), "an unclean prefix: " + p);
    Require(p.find("//") == std::string::npos && ("/" + p + "/").find("/./") == std::string::npos &&
                ("/" + p + "/").find("/../") == std::string::npos,
            "a dot or empty segment: " + p);
    for (unsigned char c : p) Require(c >= 0x20 && c != 0x7f, "a control character in " + p);
    // With credentials (fake ones: nothing is sent) it opens, or says
    // which setting of that target is wrong.
    const store::OpenContext context{
        .env = env,
        .clock = clock,
        .missing = store::MissingDir::kFail,
        .getenv = [](const std::string& name) -> std::optional<std::string> {
          if (name == "AWS_ACCESS_KEY_ID") return "AKIAFUZZ";
          if (name == "AWS_SECRET_ACCESS_KEY") return "fuzz";
          if (name == "HOME") return "/nonexistent";
          return std::nullopt;
        }};
    auto backend = store::OpenBackend(context, url);
    if (!backend.ok()) {
      const std::string message = backend.status().message();
      Require(backend.status().code() == Code::kInvalidArgument &&
                  message.starts_with("s3://" + parsed->bucket),
              "an s3 target that parses fails to open without naming it: " + message);
      for (unsigned char c : message) {
        Require(c >= 0x20 && c != 0x7f, "a control character in the error: " + message);
      }
    }
    return;
  }
  if (parsed.ok()) {
    // What it accepts is an absolute, clean path: no empty, "." or ".."
    // segment, no trailing '/', no control character.
    const std::string& p = parsed->path;
    Require(p.size() > 1 && p[0] == '/' && p.back() != '/', "not a clean absolute path: " + p);
    Require(p.find("//") == std::string::npos && p.find("/./") == std::string::npos &&
                p.find("/../") == std::string::npos,
            "a dot or empty segment: " + p);
    for (unsigned char c : p) Require(c >= 0x20 && c != 0x7f, "a control character in " + p);
  }
  auto backend = store::OpenBackend(env, clock, url, store::MissingDir::kFail);
  Require(backend.ok() == parsed.ok(), "OpenBackend and ParseTargetUrl disagree on " + url);
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
