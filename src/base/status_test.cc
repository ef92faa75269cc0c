#include "base/status.h"

#include <gtest/gtest.h>

#include <string>

#include "base/result.h"

namespace zb {
namespace {

TEST(StatusTest, CarriesCodeMessageAndContext) {
  Status s = Status::Corruption("page 7: bad").WithContext("db.db");
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.ToString(), "corruption: db.db: page 7: bad");
  EXPECT_EQ(Status::OK().ToString(), "ok");
  EXPECT_TRUE(Status::IOError("x", true).retryable());
}

Result<int> Half(int v) {
  if (v % 2) return Status::InvalidArgument(std::to_string(v) + " is odd");
  return v / 2;
}

Status Quarter(int v, int* out) {
  ZB_ASSIGN_OR_RETURN(int h, Half(v));
  ZB_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::OK();
}

TEST(ResultTest, PropagatesTheFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  EXPECT_EQ(Quarter(6, &out).message(), "3 is odd");
}

}  // namespace
}  // namespace zb
