// "Did you mean": the known words closest to a mistyped one, for messages
// about an unknown command or flag. Pure functions over strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zb {

// The optimal-string-alignment distance between `a` and `b`: how many
// single-character insertions, deletions, substitutions and swaps of two
// adjacent characters turn one into the other ("tagret" -> "target" is 1).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidates closest to `word`, in the order given (several only when
// they tie), or none when even the closest is too far to be a typo of it:
// more than a third of the word's length away (at least 1, at most 3).
// Leading dashes take no part ("--tagret" is compared as "tagret"), and a
// candidate equal to `word` is not a suggestion.
std::vector<std::string> ClosestMatches(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace zb
