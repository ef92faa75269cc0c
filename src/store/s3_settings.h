// S3Settings: everything an S3 target needs to send a request, resolved
// once from its URL and the AWS conventions an operator already uses
// (the same precedence as the AWS CLI; the URL's options come first because
// they are per target). Pure: the environment and the files come in through
// S3Environment, so tests need no real home directory.
//
//   credentials  profile= in the URL > AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY
//                (+ AWS_SESSION_TOKEN) > the AWS_PROFILE (else "default")
//                profile in the credentials file, then in the config file
//   region       region= > AWS_REGION > AWS_DEFAULT_REGION > profile > us-east-1
//   endpoint     endpoint= > AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL >
//                profile endpoint_url > https://s3.<region>.amazonaws.com
//   CA bundle    ca-bundle= > AWS_CA_BUNDLE > profile ca_bundle > system store
//   lock         object-lock=, object-lock-mode= (no other source)
//   style        style= > profile s3.addressing_style > auto: virtual-host
//                on *.amazonaws.com for a bucket name that is a DNS label
//                without dots, else path style (MinIO, Ceph, IP addresses)
// Files: AWS_SHARED_CREDENTIALS_FILE (else $HOME/.aws/credentials) and
// AWS_CONFIG_FILE (else $HOME/.aws/config); a missing file is no error.
// Instance roles, SSO and web identity tokens are not read.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/result.h"
#include "net/http_message.h"
#include "store/endpoint_url.h"
#include "store/object_lock.h"
#include "store/sigv4.h"
#include "store/target_url.h"

namespace zb::store {

struct S3Settings {
  // Where requests go: with virtual-host style the bucket is part of host.
  net::HttpEndpoint endpoint;
  std::string bucket;
  std::string prefix;  // as in TargetUrl: no leading or trailing '/'
  std::string region;
  bool path_style = true;
  AwsCredentials credentials;
  // object-lock= in the URL: every object written is locked (object_lock.h).
  std::optional<LockPolicy> lock;
  // "s3://bucket/prefix", for messages (never a credential).
  std::string Describe() const;
  // The key of object `name`: "<prefix>/<name>", or "<name>".
  std::string Key(std::string_view name) const;
  // The request path of `key` (unencoded): "/bucket/key" or "/key".
  std::string PathOf(std::string_view key) const;
};

struct S3Environment {
  // An environment variable's value; nullopt when unset. An empty value
  // counts as unset, as in the AWS CLI.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // A file's text; kNotFound if it does not exist.
  std::function<Result<std::string>(const std::string&)> read_file;
};

// kInvalidArgument naming the URL and the setting that is wrong or missing;
// never a secret.
Result<S3Settings> ResolveS3Settings(const TargetUrl& url, const S3Environment& env);

}  // namespace zb::store
