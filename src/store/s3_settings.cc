#include "store/s3_settings.h"

#include <algorithm>

#include "store/aws_ini.h"
#include "store/http_text.h"

namespace zb::store {
namespace {

using Section = std::map<std::string, std::string>;

std::optional<std::string> Var(const S3Environment& env, const std::string& name) {
  auto v = env.getenv(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

// The named profile's settings from one file; an empty section if the file
// or the profile is missing.
Result<Section> ProfileFrom(const S3Environment& env, const std::string& path,
                            const std::string& section) {
  auto text = env.read_file(path);
  if (text.status().code() == Code::kNotFound) return Section{};
  ZB_RETURN_IF_ERROR(text.status());
  ZB_ASSIGN_OR_RETURN(AwsIni ini, ParseAwsIni(*text, path));
  auto it = ini.find(section);
  return it == ini.end() ? Section{} : it->second;
}

std::string Get(const Section& s, const std::string& key) {
  auto it = s.find(key);
  return it == s.end() ? "" : it->second;
}

// A bucket that can be the first label of a host name with a certificate
// for "*.s3.<region>.amazonaws.com": lower case, digits, '-', no dots.
bool IsDnsLabel(std::string_view b) {
  return b.size() >= 3 && b.size() <= 63 && b.front() != '-' && b.back() != '-' &&
         std::all_of(b.begin(), b.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

}  // namespace

std::string S3Settings::Describe() const {
  return "s3://" + bucket + (prefix.empty() ? "" : "/" + prefix);
}

std::string S3Settings::Key(std::string_view name) const {
  return prefix.empty() ? std::string(name) : prefix + "/" + std::string(name);
}

std::string S3Settings::PathOf(std::string_view key) const {
  return path_style ? "/" + bucket + "/" + std::string(key) : "/" + std::string(key);
}

Result<S3Settings> ResolveS3Settings(const TargetUrl& url, const S3Environment& env) {
  S3Settings s;
  s.bucket = url.bucket;
  s.prefix = url.prefix;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(s.Describe() + ": " + why);
  };
  const std::string home = Var(env, "HOME").value_or("");
  const std::string credentials_file =
      Var(env, "AWS_SHARED_CREDENTIALS_FILE").value_or(home + "/.aws/credentials");
  const std::string config_file = Var(env, "AWS_CONFIG_FILE").value_or(home + "/.aws/config");
  const std::string url_profile = url.Option("profile");
  const std::string profile =
      !url_profile.empty() ? url_profile : Var(env, "AWS_PROFILE").value_or("default");
  auto in_credentials = ProfileFrom(env, credentials_file, profile);
  if (!in_credentials.ok()) return bad(in_credentials.status().message());
  auto in_config =
      ProfileFrom(env, config_file, profile == "default" ? profile : "profile " + profile);
  if (!in_config.ok()) return bad(in_config.status().message());

  // Credentials: all from one place, never a key from one and a secret from
  // another.
  const auto env_key = Var(env, "AWS_ACCESS_KEY_ID");
  const auto env_secret = Var(env, "AWS_SECRET_ACCESS_KEY");
  if (url_profile.empty() && (env_key || env_secret)) {
    if (!env_key || !env_secret) {
      return bad(std::string(env_key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                 " is not set, but " + (env_key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                 " is; set both");
    }
    s.credentials = {*env_key, *env_secret, Var(env, "AWS_SESSION_TOKEN").value_or("")};
  } else {
    for (const Section* from : {&*in_credentials, &*in_config}) {
      if (from->count("aws_access_key_id") != 0 || from->count("aws_secret_access_key") != 0) {
        s.credentials = {Get(*from, "aws_access_key_id"), Get(*from, "aws_secret_access_key"),
                         Get(*from, "aws_session_token")};
        break;
      }
    }
    if (s.credentials.access_key_id.empty() || s.credentials.secret_access_key.empty()) {
      const std::string where =
          "profile \"" + profile + "\" in " + credentials_file + " or " + config_file;
      return bad(s.credentials.access_key_id.empty() && s.credentials.secret_access_key.empty()
                     ? "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                       "aws_access_key_id and aws_secret_access_key in " +
                           where + " (instance roles and SSO are not read)"
                     : "aws_access_key_id and aws_secret_access_key must both be set in " + where);
    }
  }
  for (const std::string* v : {&s.credentials.access_key_id, &s.credentials.secret_access_key,
                               &s.credentials.session_token}) {
    if (HasControlCharacter(*v)) return bad("the S3 credentials hold a control character");
  }

  s.region = url.Option("region");
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (s.region.empty()) s.region = Var(env, name).value_or("");
  }
  if (s.region.empty()) s.region = Get(*in_config, "region");
  if (s.region.empty()) s.region = "us-east-1";
  if (!IsHttpToken(s.region) || s.region.find('/') != std::string::npos) {
    return bad("region \"" + s.region + "\" is not a region name");
  }

  std::string endpoint = url.Option("endpoint");
  for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    if (endpoint.empty()) endpoint = Var(env, name).value_or("");
  }
  if (endpoint.empty()) endpoint = Get(*in_config, "endpoint_url");
  const bool aws = endpoint.empty();
  if (aws) endpoint = "https://s3." + s.region + ".amazonaws.com";
  auto parsed = ParseEndpointUrl(endpoint);
  if (!parsed.ok()) return bad(parsed.status().message());
  s.endpoint = *parsed;

  s.endpoint.ca_bundle = url.Option("ca-bundle");
  if (s.endpoint.ca_bundle.empty()) s.endpoint.ca_bundle = Var(env, "AWS_CA_BUNDLE").value_or("");
  if (s.endpoint.ca_bundle.empty()) s.endpoint.ca_bundle = Get(*in_config, "ca_bundle");

  std::string style = url.Option("style");
  if (style.empty()) style = Get(*in_config, "s3.addressing_style");
  if (style.empty()) style = "auto";
  if (style == "auto") {
    style = (aws || s.endpoint.host.ends_with(".amazonaws.com")) && IsDnsLabel(s.bucket) ? "virtual"
                                                                                         : "path";
  }
  if (style != "path" && style != "virtual") {
    return bad("style \"" + style + "\" must be auto, path or virtual");
  }
  s.path_style = style == "path";
  auto lock = ParseLockPolicy(url);
  if (!lock.ok()) return bad(lock.status().message());
  s.lock = *lock;
  if (!s.path_style) {
    if (s.bucket.find('.') != std::string::npos && s.endpoint.scheme == "https") {
      return bad("bucket \"" + s.bucket +
                 "\" has a dot, which no TLS certificate of a virtual host covers; use "
                 "style=path");
    }
    s.endpoint.host = s.bucket + "." + s.endpoint.host;
  }
  return s;
}

}  // namespace zb::store
