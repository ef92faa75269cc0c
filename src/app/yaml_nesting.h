// CheckYamlNesting: refuses YAML nested deeper than `max_depth` before
// yaml-cpp sees it. yaml-cpp's parser recurses once per level, so a config
// of 100000 '[' would use the stack in proportion to the file (0.7 stops at
// depth 2000 with an obscure message; other versions do not stop at all).
// The scan is one pass over the text: flow collections ([ {) outside
// quotes and comments, plus block collections by indentation (and compact
// "- - x" sequences), skipping block scalars (| >). It may count a level
// too many in odd corners, never too few for what yaml-cpp would recurse
// on, and a real controller config is a handful of levels deep. Pure.
#pragma once

#include <string_view>

#include "base/status.h"

namespace zb::app {

// The default limit for the config files we read.
inline constexpr int kMaxYamlDepth = 64;

// kInvalidArgument "nested more than 64 levels deep (line 3)".
Status CheckYamlNesting(std::string_view text, int max_depth = kMaxYamlDepth);

}  // namespace zb::app
