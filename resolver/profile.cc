#include "pysym/resolver/profile.h"

#include <algorithm>
#include <charconv>

#include "pysym/resolver/profiles.h"
#include "pysym/support/text.h"

namespace pysym {
namespace {

// Takes the decimal number at the start of `Text` into `Value`; false when
// there is none or it overflows. It stops at the first non-digit, which is
// what lets "3.11.2 (main" and "3.11" both parse.
bool takeNumber(std::string_view &Text, unsigned &Value) {
  auto [End, Problem] = std::from_chars(Text.data(), Text.data() + Text.size(), Value);
  if (Problem != std::errc())
    return false;
  Text.remove_prefix(static_cast<std::size_t>(End - Text.data()));
  return true;
}

}  // namespace

PythonVersion parsePythonVersion(std::string_view Text) {
  PythonVersion V;
  std::string_view Rest = Text;
  Rest.remove_prefix(std::min(Rest.find_first_not_of(" \t\n\v\f\r"), Rest.size()));
  unsigned Major = 0, Minor = 0;
  if (!takeNumber(Rest, Major) || !startsWith(Rest, "."))
    return V;
  Rest.remove_prefix(1);
  if (!takeNumber(Rest, Minor))
    return V;
  V.Major = Major;
  V.Minor = Minor;
  return V;
}

Span<const InterpreterProfile *> interpreterProfiles() {
  // PyPy first: its library also carries a few unprefixed CPython names, so the
  // stricter test decides.
  static const InterpreterProfile *const Profiles[] = {&pypyProfile(), &cpythonProfile()};
  return Profiles;
}

bool isPythonApiName(std::string_view Name) {
  return startsWith(Name, "Py") || startsWith(Name, "_Py");
}

PythonVersion versionAfterMarker(std::string_view Path, std::string_view Marker) {
  std::string_view FileName = Path.substr(Path.rfind('/') + 1);
  size_t At = FileName.find(Marker);
  if (At == std::string_view::npos)
    return {};
  return parsePythonVersion(FileName.substr(At + Marker.size()));
}

}  // namespace pysym
