// Reading what the `ziti agent` commands print. They report some failures
// only in their output: `restore-from-db` exits 0 after "error: ...", and a
// refused `snapshot-db` prints "Error: ...", then its whole usage text, then
// the message again, so the tail of the output is the wrong thing to show.
#pragma once

#include <string>
#include <string_view>

namespace zb::snapshot {

// The line that says what went wrong, without its "Error: " / "error: "
// prefix: the first such line, else the last non-empty line. At most 300
// bytes; empty for empty output.
std::string ZitiErrorLine(std::string_view output);

// Whether `ziti agent cluster restore-from-db FILE` says the controller took
// FILE: a line "success, initialized from [FILE]" and no error line.
bool RestoreFromDbTook(std::string_view output, std::string_view file);

// The controller rewrites these anywhere in the path given to snapshot-db
// (with or without the surrounding "__"), so a path holding one names
// another file. Returns the first one `path` contains, or "".
std::string_view ControllerPathToken(std::string_view path);

}  // namespace zb::snapshot
