#include "store/azure_settings.h"

#include <gtest/gtest.h>

#include <map>

namespace zb::store {
namespace {

// Shaped like a portal key (64 random bytes, base64); not a real one.
constexpr char kKey[] =
    "c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXktc2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldA==";
constexpr char kSas[] = "sv=2021-08-06&ss=b&srt=co&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=SECRETSIG";

// A fake environment: variables in a map.
struct World {
  std::map<std::string, std::string> vars;
  AzureEnvironment Env() const {
    return {[this](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    }};
  }
  Result<AzureSettings> Resolve(const std::string& url) const {
    auto t = ParseTargetUrl(url);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return ResolveAzureSettings(*t, Env());
  }
  // The error of resolving `url`, checked to hold no secret.
  std::string Error(const std::string& url) const {
    auto s = Resolve(url);
    EXPECT_FALSE(s.ok()) << url;
    if (s.ok()) return "";
    EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
    const std::string m = s.status().message();
    for (const char* secret : {"c2VjcmV0", "SECRETSIG", "AccountKey=", "notbase64!"}) {
      EXPECT_EQ(m.find(secret), std::string::npos) << m;
    }
    return m;
  }
};

TEST(AzureSettingsTest, KeyFromTheVariablesOnAzure) {
  World w;
  w.vars["AZURE_STORAGE_ACCOUNT"] = "zitibackups";
  w.vars["AZURE_STORAGE_KEY"] = kKey;
  auto s = w.Resolve("azblob://zitibackups/ctrl/prod/ctrl1");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->endpoint.scheme, "https");
  EXPECT_EQ(s->endpoint.host, "zitibackups.blob.core.windows.net");
  EXPECT_EQ(s->endpoint.port, 443);
  EXPECT_EQ(s->endpoint.ca_bundle, "");
  EXPECT_EQ(s->account_path, "");
  EXPECT_EQ(s->account, "zitibackups");
  EXPECT_EQ(s->container, "ctrl");
  EXPECT_EQ(s->key, kKey);
  EXPECT_EQ(s->sas_token, "");
  EXPECT_EQ(s->Describe(), "azblob://zitibackups/ctrl/prod/ctrl1");
  EXPECT_EQ(s->BlobName("a.json"), "prod/ctrl1/a.json");
  EXPECT_EQ(s->PathOf("prod/ctrl1/a.json"), "/ctrl/prod/ctrl1/a.json");
  EXPECT_EQ(s->PathOf(""), "/ctrl");

  // The account may be left to the URL.
  w.vars.erase("AZURE_STORAGE_ACCOUNT");
  s = w.Resolve("azblob://zitibackups/ctrl");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->Describe(), "azblob://zitibackups/ctrl");
  EXPECT_EQ(s->BlobName("a.json"), "a.json");
}

TEST(AzureSettingsTest, SasTokenFromTheVariables) {
  World w;
  w.vars["AZURE_STORAGE_SAS_TOKEN"] = std::string("?") + kSas;
  w.vars["AZURE_STORAGE_ACCOUNT"] = "";  // empty counts as unset
  auto s = w.Resolve("azblob://acct1/c1c?ca-bundle=/etc/ca.pem");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->sas_token, kSas);
  EXPECT_EQ(s->key, "");
  EXPECT_EQ(s->endpoint.host, "acct1.blob.core.windows.net");
  EXPECT_EQ(s->endpoint.ca_bundle, "/etc/ca.pem");
}

TEST(AzureSettingsTest, ConnectionStringWinsOverTheVariables) {
  World w;
  w.vars["AZURE_STORAGE_ACCOUNT"] = "other";
  w.vars["AZURE_STORAGE_KEY"] = "bm90LXVzZWQ=";
  w.vars["AZURE_STORAGE_CONNECTION_STRING"] =
      std::string("DefaultEndpointsProtocol=https;AccountName=zitibackups;AccountKey=") + kKey +
      ";EndpointSuffix=core.chinacloudapi.cn;";
  auto s = w.Resolve("azblob://zitibackups/ctrl");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->key, kKey);
  EXPECT_EQ(s->endpoint.scheme, "https");
  EXPECT_EQ(s->endpoint.host, "zitibackups.blob.core.chinacloudapi.cn");

  // Keys in any case, spaces around them, a SAS instead of a key, an
  // explicit BlobEndpoint.
  w.vars["AZURE_STORAGE_CONNECTION_STRING"] =
      std::string(" blobendpoint = https://blob.example:8443/ ; SharedAccessSignature=") + kSas;
  s = w.Resolve("azblob://zitibackups/ctrl");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->sas_token, kSas);
  EXPECT_EQ(s->endpoint.host, "blob.example");
  EXPECT_EQ(s->endpoint.port, 8443);
  EXPECT_EQ(s->account_path, "");

  // The URL's endpoint wins over the connection string's.
  s = w.Resolve("azblob://zitibackups/ctrl?endpoint=http://10.0.0.9:10000/zitibackups");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->endpoint.scheme, "http");
  EXPECT_EQ(s->endpoint.host, "10.0.0.9");
  EXPECT_EQ(s->endpoint.port, 10000);
  EXPECT_EQ(s->account_path, "/zitibackups");
  EXPECT_EQ(s->PathOf("a b"), "/zitibackups/ctrl/a b");
}

TEST(AzureSettingsTest, DevelopmentStorageIsAzuriteOnItsDefaultPort) {
  World w;
  w.vars["AZURE_STORAGE_CONNECTION_STRING"] = "UseDevelopmentStorage=true";
  auto s = w.Resolve("azblob://devstoreaccount1/backups/ziti");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->key, kDevelopmentKey);
  EXPECT_EQ(s->endpoint.scheme, "http");
  EXPECT_EQ(s->endpoint.host, "127.0.0.1");
  EXPECT_EQ(s->endpoint.port, 10000);
  EXPECT_EQ(s->account_path, "/devstoreaccount1");
  EXPECT_EQ(s->PathOf("ziti/a.json"), "/devstoreaccount1/backups/ziti/a.json");

  // Azurite's own connection string, as its docs print it.
  w.vars["AZURE_STORAGE_CONNECTION_STRING"] =
      std::string("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=") +
      kDevelopmentKey + ";BlobEndpoint=http://127.0.0.1:20123/devstoreaccount1;";
  s = w.Resolve("azblob://devstoreaccount1/backups");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->endpoint.port, 20123);
  EXPECT_EQ(s->account_path, "/devstoreaccount1");

  EXPECT_EQ(w.Error("azblob://zitibackups/backups"),
            "azblob://zitibackups/backups: AZURE_STORAGE_CONNECTION_STRING is for account "
            "\"devstoreaccount1\", not \"zitibackups\"");
}

TEST(AzureSettingsTest, MistakesAreNamedWithoutTheSecrets) {
  World w;
  EXPECT_EQ(w.Error("azblob://acct1/c1c"),
            "azblob://acct1/c1c: no Azure credentials: set AZURE_STORAGE_CONNECTION_STRING, or "
            "AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN (Azure AD and managed identities are "
            "not read)");
  w.vars["AZURE_STORAGE_KEY"] = "notbase64!";
  EXPECT_EQ(w.Error("azblob://acct1/c1c"),
            "azblob://acct1/c1c: AZURE_STORAGE_KEY (not shown) is not base64 (one line, padded "
            "with '=', as the portal shows it)");
  w.vars["AZURE_STORAGE_KEY"] = kKey;
  w.vars["AZURE_STORAGE_ACCOUNT"] = "acct2";
  EXPECT_EQ(w.Error("azblob://acct1/c1c"),
            "azblob://acct1/c1c: AZURE_STORAGE_ACCOUNT is \"acct2\", but the target's account is "
            "\"acct1\"");
  w.vars["AZURE_STORAGE_ACCOUNT"] = "acct1";
  w.vars["AZURE_STORAGE_SAS_TOKEN"] = kSas;
  EXPECT_EQ(w.Error("azblob://acct1/c1c"),
            "azblob://acct1/c1c: both AZURE_STORAGE_KEY and AZURE_STORAGE_SAS_TOKEN are set; "
            "unset one");
  w.vars.erase("AZURE_STORAGE_KEY");
  w.vars["AZURE_STORAGE_SAS_TOKEN"] = "sv=1&SECRETSIG";
  EXPECT_EQ(w.Error("azblob://acct1/c1c"),
            "azblob://acct1/c1c: AZURE_STORAGE_SAS_TOKEN: the SAS token (not shown) is not a "
            "query string: every part between '&' must be name=value");
  w.vars["AZURE_STORAGE_SAS_TOKEN"] = kSas;
  EXPECT_EQ(w.Error("azblob://acct1/c1c?endpoint=ftp://x"),
            "azblob://acct1/c1c: endpoint \"ftp://x\" must start with https:// or http://");
  EXPECT_EQ(w.Error("azblob://acct1/c1c?endpoint=http://127.0.0.1:10000/devstoreaccount1"),
            "azblob://acct1/c1c: endpoint \"http://127.0.0.1:10000/devstoreaccount1\" has the "
            "path \"/devstoreaccount1\"; a path-style endpoint's path is the account, \"/acct1\"");
  EXPECT_EQ(w.Error("azblob://acct1/c1c?endpoint=http://h:0"),
            "azblob://acct1/c1c: endpoint \"http://h:0\": the port must be 1 to 65535");

  const auto cs = [&](const std::string& text) {
    w.vars["AZURE_STORAGE_CONNECTION_STRING"] = text;
    return w.Error("azblob://acct1/c1c");
  };
  const std::string at = "azblob://acct1/c1c: AZURE_STORAGE_CONNECTION_STRING";
  EXPECT_EQ(cs("AccountName=acct1;notbase64!"),
            at + " (not shown) is not Key=Value pairs separated by ';'");
  EXPECT_EQ(cs("AccountName=acct1;AccountKey=c2VjcmV0;accountkey=c2VjcmV0"),
            at + " (not shown) sets accountkey twice");
  EXPECT_EQ(cs("AccountName=acct1"),
            at + " (not shown) has no AccountKey or SharedAccessSignature");
  EXPECT_EQ(
      cs(std::string("AccountName=acct1;AccountKey=") + kKey + ";SharedAccessSignature=" + kSas),
      at + " (not shown) has both an AccountKey and a SharedAccessSignature; keep one");
  EXPECT_EQ(cs(std::string("AccountKey=") + kKey),
            at + " (not shown) has an AccountKey but no AccountName");
  EXPECT_EQ(cs("AccountName=acct1;AccountKey=notbase64!"),
            "azblob://acct1/c1c: the AccountKey in AZURE_STORAGE_CONNECTION_STRING (not shown) is "
            "not base64 (one line, padded with '=', as the portal shows it)");
  EXPECT_EQ(
      cs(std::string("AccountName=acct1;AccountKey=") + kKey + ";DefaultEndpointsProtocol=ftp"),
      at + ": DefaultEndpointsProtocol must be https or http");
  EXPECT_EQ(cs("UseDevelopmentStorage=yes"), at + ": UseDevelopmentStorage must be true or false");
  EXPECT_EQ(cs("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://p"),
            at + ": DevelopmentStorageProxyUri is not supported");
}

}  // namespace
}  // namespace zb::store
