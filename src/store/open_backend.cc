#include "store/open_backend.h"

#include "store/azure_backend.h"
#include "store/azure_settings.h"
#include "store/s3_backend.h"
#include "store/s3_settings.h"
#include "store/target_url.h"

namespace zb::store {

// The AWS config and credentials files are a few lines; more is not one.
constexpr uint64_t kMaxAwsFileBytes = 1 << 20;

Result<std::unique_ptr<Backend>> OpenBackend(const OpenContext& ctx, const std::string& url) {
  ZB_ASSIGN_OR_RETURN(TargetUrl parsed, ParseTargetUrl(url));
  if (parsed.scheme == "s3") {
    S3Environment environment{
        [&](const std::string& name) -> std::optional<std::string> {
          return ctx.getenv ? ctx.getenv(name) : std::nullopt;
        },
        [&](const std::string& path) { return ReadSmallFile(ctx.env, path, kMaxAwsFileBytes); }};
    ZB_ASSIGN_OR_RETURN(S3Settings settings, ResolveS3Settings(parsed, environment));
    S3BackendOptions options;
    options.owner = ctx.owner;
    return std::unique_ptr<Backend>(new S3Backend(std::move(settings), ctx.clock, options));
  }
  if (parsed.scheme == "azblob") {
    AzureEnvironment environment{[&](const std::string& name) -> std::optional<std::string> {
      return ctx.getenv ? ctx.getenv(name) : std::nullopt;
    }};
    ZB_ASSIGN_OR_RETURN(AzureSettings settings, ResolveAzureSettings(parsed, environment));
    AzureBackendOptions options;
    options.owner = ctx.owner;
    return std::unique_ptr<Backend>(new AzureBackend(std::move(settings), ctx.clock, options));
  }
  // The in-memory backend is a test double and is not reachable from a URL.
  return std::unique_ptr<Backend>(new LocalBackend(ctx.env, parsed.path, ctx.missing));
}

Result<std::unique_ptr<Backend>> OpenBackend(Env& env, Clock& clock, const std::string& url,
                                             MissingDir missing) {
  return OpenBackend(OpenContext{.env = env, .clock = clock, .missing = missing}, url);
}

}  // namespace zb::store
