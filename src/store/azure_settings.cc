#include "store/azure_settings.h"

#include <map>

#include "store/endpoint_url.h"
#include "store/http_text.h"
#include "store/sas_token.h"
#include "store/signing_crypto.h"

namespace zb::store {
namespace {

constexpr char kConnectionString[] = "AZURE_STORAGE_CONNECTION_STRING";

std::optional<std::string> Var(const AzureEnvironment& env, const std::string& name) {
  auto v = env.getenv(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// "Key=Value;Key=Value;" with the keys lower-cased (the SDKs read them in
// any case); a value keeps any '=' after the first (keys and SAS tokens hold
// them). Errors name keys, never values.
Result<std::map<std::string, std::string>> ParseConnectionString(std::string_view text) {
  std::map<std::string, std::string> out;
  for (size_t pos = 0; pos <= text.size();) {
    size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(pos, end - pos);
    pos = end + 1;
    if (Trim(part).empty()) continue;
    const size_t eq = part.find('=');
    const std::string key = eq == std::string_view::npos ? "" : Trim(part.substr(0, eq));
    if (key.empty()) {
      return Status::InvalidArgument(std::string(kConnectionString) +
                                     " (not shown) is not Key=Value pairs separated by ';'");
    }
    if (!out.emplace(AsciiLower(key), Trim(part.substr(eq + 1))).second) {
      return Status::InvalidArgument(std::string(kConnectionString) + " (not shown) sets " + key +
                                     " twice");
    }
  }
  return out;
}

std::string Get(const std::map<std::string, std::string>& m, const std::string& lower_key) {
  auto it = m.find(lower_key);
  return it == m.end() ? "" : it->second;
}

// Where the credentials came from, what they say, and what the connection
// string adds about the endpoint.
struct Credentials {
  std::string where;    // the variable, for messages
  std::string account;  // "" when they do not say (a SAS alone)
  std::string key, sas;
  std::string blob_endpoint, protocol, suffix;  // from a connection string only
};

Result<Credentials> FromConnectionString(const std::string& text) {
  ZB_ASSIGN_OR_RETURN(auto cs, ParseConnectionString(text));
  Credentials c;
  c.where = kConnectionString;
  const std::string dev = AsciiLower(Get(cs, "usedevelopmentstorage"));
  if (!dev.empty() && dev != "true" && dev != "false") {
    return Status::InvalidArgument(c.where + ": UseDevelopmentStorage must be true or false");
  }
  if (dev == "true") {
    if (!Get(cs, "developmentstorageproxyuri").empty()) {
      return Status::InvalidArgument(c.where + ": DevelopmentStorageProxyUri is not supported");
    }
    // Azurite's defaults, which the string's own keys override.
    c.account = kDevelopmentAccount;
    c.key = kDevelopmentKey;
    c.blob_endpoint = std::string("http://127.0.0.1:10000/") + kDevelopmentAccount;
  }
  if (cs.contains("accountname")) c.account = Get(cs, "accountname");
  if (cs.contains("blobendpoint")) c.blob_endpoint = Get(cs, "blobendpoint");
  if (cs.contains("accountkey")) c.key = Get(cs, "accountkey");
  c.sas = Get(cs, "sharedaccesssignature");
  c.protocol = Get(cs, "defaultendpointsprotocol");
  c.suffix = Get(cs, "endpointsuffix");
  if (c.key.empty() && c.sas.empty()) {
    return Status::InvalidArgument(c.where +
                                   " (not shown) has no AccountKey or "
                                   "SharedAccessSignature");
  }
  if (!c.key.empty() && !c.sas.empty()) {
    return Status::InvalidArgument(c.where +
                                   " (not shown) has both an AccountKey and a "
                                   "SharedAccessSignature; keep one");
  }
  if (!c.key.empty() && c.account.empty()) {
    return Status::InvalidArgument(c.where + " (not shown) has an AccountKey but no AccountName");
  }
  return c;
}

Result<Credentials> FromVariables(const AzureEnvironment& env) {
  Credentials c;
  c.account = Var(env, "AZURE_STORAGE_ACCOUNT").value_or("");
  c.key = Var(env, "AZURE_STORAGE_KEY").value_or("");
  c.sas = Var(env, "AZURE_STORAGE_SAS_TOKEN").value_or("");
  if (c.key.empty() && c.sas.empty()) {
    return Status::InvalidArgument(
        "no Azure credentials: set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_KEY or "
        "AZURE_STORAGE_SAS_TOKEN (Azure AD and managed identities are not read)");
  }
  if (!c.key.empty() && !c.sas.empty()) {
    return Status::InvalidArgument(
        "both AZURE_STORAGE_KEY and AZURE_STORAGE_SAS_TOKEN are set; unset one");
  }
  c.where = c.key.empty() ? "AZURE_STORAGE_SAS_TOKEN" : "AZURE_STORAGE_KEY";
  return c;
}

}  // namespace

std::string AzureSettings::Describe() const {
  return "azblob://" + account + "/" + container + (prefix.empty() ? "" : "/" + prefix);
}

std::string AzureSettings::BlobName(std::string_view name) const {
  return prefix.empty() ? std::string(name) : prefix + "/" + std::string(name);
}

std::string AzureSettings::PathOf(std::string_view blob) const {
  return account_path + "/" + container + (blob.empty() ? "" : "/" + std::string(blob));
}

Result<AzureSettings> ResolveAzureSettings(const TargetUrl& url, const AzureEnvironment& env) {
  AzureSettings s;
  s.account = url.account;
  s.container = url.container;
  s.prefix = url.prefix;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(s.Describe() + ": " + why);
  };

  const auto connection_string = Var(env, kConnectionString);
  auto credentials =
      connection_string ? FromConnectionString(*connection_string) : FromVariables(env);
  if (!credentials.ok()) return bad(credentials.status().message());
  Credentials& c = *credentials;
  if (!c.account.empty() && c.account != s.account) {
    return bad(connection_string
                   ? c.where + " is for account \"" + c.account + "\", not \"" + s.account + "\""
                   : "AZURE_STORAGE_ACCOUNT is \"" + c.account +
                         "\", but the target's account is \"" + s.account + "\"");
  }
  if (!c.key.empty()) {
    std::optional<std::string> raw = DecodeBase64(c.key);
    const bool ok = raw && !raw->empty();
    if (raw) Wipe(*raw);
    if (!ok) {
      return bad((connection_string ? "the AccountKey in " : "") + c.where +
                 " (not shown) is not base64 (one line, padded with '=', as the portal shows "
                 "it)");
    }
    s.key = std::move(c.key);
  } else {
    auto sas = NormalizeSasToken(c.sas);
    if (!sas.ok()) return bad(c.where + ": " + sas.status().message());
    s.sas_token = std::move(*sas);
  }

  std::string endpoint = url.Option("endpoint");
  if (endpoint.empty()) endpoint = c.blob_endpoint;
  if (endpoint.empty()) {
    const std::string protocol = c.protocol.empty() ? "https" : AsciiLower(c.protocol);
    if (protocol != "https" && protocol != "http") {
      return bad(c.where + ": DefaultEndpointsProtocol must be https or http");
    }
    endpoint = protocol + "://" + s.account + ".blob." +
               (c.suffix.empty() ? std::string("core.windows.net") : c.suffix);
  }
  // A path names the account (path style); the rest is host and port.
  const size_t authority = endpoint.find("://");
  const size_t slash =
      authority == std::string::npos ? std::string::npos : endpoint.find('/', authority + 3);
  std::string path = slash == std::string::npos ? "" : endpoint.substr(slash);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (!path.empty() && path != "/" + s.account) {
    return bad("endpoint \"" + endpoint + "\" has the path \"" + path +
               "\"; a path-style endpoint's path is the account, \"/" + s.account + "\"");
  }
  auto parsed = ParseEndpointUrl(endpoint.substr(0, slash));
  if (!parsed.ok()) {
    return bad(parsed.status().message());
  }
  s.endpoint = *parsed;
  s.account_path = path;
  s.endpoint.ca_bundle = url.Option("ca-bundle");
  return s;
}

}  // namespace zb::store
