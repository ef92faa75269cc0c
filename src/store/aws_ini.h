// The AWS shared config and credentials files (~/.aws/config,
// ~/.aws/credentials) as the AWS CLI reads them: "[section]" headers,
// "key = value" lines, '#' and ';' comment lines, and one level of nested
// keys ("s3 =" followed by indented "addressing_style = path", read as
// "s3.addressing_style"). Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace zb::store {

// Section name -> key -> value. Section names are as written between the
// brackets, trimmed ("profile prod", "default"); keys are lower case.
using AwsIni = std::map<std::string, std::map<std::string, std::string>>;

// kInvalidArgument naming `file` and the line for a line that is none of
// the above. Values are never quoted in errors (they may be secrets).
Result<AwsIni> ParseAwsIni(std::string_view text, std::string_view file);

}  // namespace zb::store
