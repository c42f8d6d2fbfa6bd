// The few string operations the core needs beyond std::string_view's own.
#ifndef PYSYM_SUPPORT_TEXT_H
#define PYSYM_SUPPORT_TEXT_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pysym {

/// The pieces of `Text` between occurrences of `Separator`, in order. With
/// `KeepEmpty` false, empty pieces are dropped. Example: split("a::b", ':',
/// false) is {"a", "b"}; split("a::b", ':', true) is {"a", "", "b"}; split("",
/// ':', true) is {""}.
std::vector<std::string_view> split(std::string_view Text, char Separator, bool KeepEmpty);

/// `Text` without leading and trailing whitespace (space, \t, \n, \v, \f, \r).
std::string_view trim(std::string_view Text);

/// Whether `Text` begins (ends) with `Affix`.
inline bool startsWith(std::string_view Text, std::string_view Affix) {
  return Text.substr(0, Affix.size()) == Affix;
}
inline bool endsWith(std::string_view Text, std::string_view Affix) {
  return Text.size() >= Affix.size() && Text.substr(Text.size() - Affix.size()) == Affix;
}

/// `Pieces` with `Separator` between them.
std::string join(const std::vector<std::string> &Pieces, std::string_view Separator);

/// `Value` in lowercase hexadecimal with a 0x prefix: hex(255) is "0xff".
std::string hex(std::uint64_t Value);

}  // namespace pysym

#endif  // PYSYM_SUPPORT_TEXT_H
