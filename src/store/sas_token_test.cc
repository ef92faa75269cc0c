#include "store/sas_token.h"

#include <gtest/gtest.h>

namespace zb::store {
namespace {

// Shaped like a service SAS from the portal (signature made up).
constexpr char kSas[] =
    "sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2026-07-01T00:00:00Z&st=2026-06-01T00:00:00Z"
    "&spr=https&sig=SECRETSIG%2Fabc%2B%3D";

TEST(SasTokenTest, AQueryStringWithOrWithoutItsQuestionMark) {
  EXPECT_EQ(*NormalizeSasToken(kSas), kSas);
  EXPECT_EQ(*NormalizeSasToken(std::string("?") + kSas), kSas);
  EXPECT_EQ(*NormalizeSasToken("sig=a&sp="), "sig=a&sp=");
}

TEST(SasTokenTest, RefusedWithoutRepeatingTheToken) {
  const auto error = [](const std::string& token) {
    auto r = NormalizeSasToken(token);
    EXPECT_FALSE(r.ok()) << token;
    if (r.ok()) return std::string();
    EXPECT_EQ(r.status().message().find("SECRET"), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    return r.status().message();
  };
  const std::string prefix = "the SAS token (not shown) is not a query string: ";
  EXPECT_EQ(error(""), prefix + "it is empty");
  EXPECT_EQ(error("?"), prefix + "it is empty");
  EXPECT_EQ(error(std::string(kSas) + " "),
            prefix + "it holds a space, '#', a control byte or another byte a URL cannot hold");
  EXPECT_EQ(error(std::string(kSas) + "\n"),
            prefix + "it holds a space, '#', a control byte or another byte a URL cannot hold");
  EXPECT_EQ(error(std::string(kSas) + "#x"),
            prefix + "it holds a space, '#', a control byte or another byte a URL cannot hold");
  EXPECT_EQ(error("??sig=SECRET"),
            prefix + "it holds a space, '#', a control byte or another byte a URL cannot hold");
  EXPECT_EQ(error(std::string(kSas) + "&"), prefix + "every part between '&' must be name=value");
  EXPECT_EQ(error("sig=SECRET&&sv=1"), prefix + "every part between '&' must be name=value");
  EXPECT_EQ(error("=SECRET"), prefix + "every part between '&' must be name=value");
  EXPECT_EQ(error("sig=SECRET%2"), prefix + "a '%' does not start an escape of two hex digits");
  EXPECT_EQ(error("sig=SECRET%zz"), prefix + "a '%' does not start an escape of two hex digits");
  EXPECT_EQ(error("https://a.blob.core.windows.net/c?sv=1&sig=SECRET"),
            prefix + "it is a whole URL; give only the part after '?'");
  EXPECT_EQ(error("sv=2022-11-02&sp=SECRET"), prefix + "it has no sig= parameter");
}

}  // namespace
}  // namespace zb::store
