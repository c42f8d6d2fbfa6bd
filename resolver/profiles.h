// The interpreter profiles pysym ships, for profile.cc's registry and tests.
#ifndef PYSYM_RESOLVER_PROFILES_H
#define PYSYM_RESOLVER_PROFILES_H

#include "pysym/resolver/profile.h"
#include "pysym/support/span.h"

namespace pysym {

const InterpreterProfile &cpythonProfile();
const InterpreterProfile &pypyProfile();

/// A CPython name that a later version exports under another name.
struct CPythonRename {
  const char *OldName;
  const char *NewName;
  PythonVersion Since;  // the first version that exports NewName instead
};

/// The renames the CPython profile follows, for its tests and for docs.
Span<CPythonRename> cpythonRenames();

/// The version in a file name after `Marker`: ("/usr/bin/python3.11", "python") -> 3.11.
PythonVersion versionAfterMarker(std::string_view Path, std::string_view Marker);

}  // namespace pysym

#endif  // PYSYM_RESOLVER_PROFILES_H
