// AzureSettings: everything an azblob:// target needs to send a request,
// resolved once from its URL and the variables the Azure CLI and SDKs
// already read. Pure: the environment comes in through AzureEnvironment, so
// tests need no real one.
//
//   credentials  AZURE_STORAGE_CONNECTION_STRING (its AccountKey or
//                SharedAccessSignature) > AZURE_STORAGE_KEY or
//                AZURE_STORAGE_SAS_TOKEN (with AZURE_STORAGE_ACCOUNT, which
//                may be left out: the URL names the account). Never a key
//                from one place and an account from another; a key and a
//                SAS together are refused rather than guessed between.
//   endpoint     endpoint= > the connection string's BlobEndpoint, else its
//                DefaultEndpointsProtocol (https) and EndpointSuffix
//                (core.windows.net) > https://<account>.blob.core.windows.net.
//                An endpoint with a path is path style, and its path must
//                be the account: http://127.0.0.1:10000/devstoreaccount1.
//   CA bundle    ca-bundle= > the system store
// "UseDevelopmentStorage=true" is Azurite on its default port with its
// published account and key, as in the SDKs. Azure AD, managed identities
// and the CLI's login are not read.
//
// The account the credentials belong to must be the URL's: a key signs for
// one account only, and a mismatch would otherwise fail later as an
// unexplained 403.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/result.h"
#include "net/http_message.h"
#include "store/target_url.h"

namespace zb::store {

struct AzureSettings {
  net::HttpEndpoint endpoint;
  // "" for <account>.blob.core.windows.net; "/<account>" on a path-style
  // endpoint (Azurite, Azure Stack), where the account leads every path.
  std::string account_path;
  std::string account;
  std::string container;
  std::string prefix;  // as in TargetUrl: no leading or trailing '/'
  // Exactly one of these: the base64 account key (Shared Key), or a SAS
  // token without its '?' (store/sas_token.h).
  std::string key;
  std::string sas_token;

  // "azblob://account/container/prefix", for messages (never a secret).
  std::string Describe() const;
  // The blob of object `name`: "<prefix>/<name>", or "<name>".
  std::string BlobName(std::string_view name) const;
  // The request path (unencoded) of a blob, or of the container for "".
  std::string PathOf(std::string_view blob) const;
};

struct AzureEnvironment {
  // An environment variable's value; nullopt when unset. An empty value
  // counts as unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
};

// kInvalidArgument naming the URL and the setting or variable that is wrong
// or missing; never a key, a token or a connection string's text.
Result<AzureSettings> ResolveAzureSettings(const TargetUrl& url, const AzureEnvironment& env);

// Azurite's published development account and key ("Use the Azurite
// emulator" in Microsoft's docs): the same in every Azurite, not a secret.
inline constexpr char kDevelopmentAccount[] = "devstoreaccount1";
inline constexpr char kDevelopmentKey[] =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

}  // namespace zb::store
