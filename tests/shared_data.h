// Where a test finds the workplace's shared name lists (../shared/data).
#ifndef PYSYM_TESTS_SHARED_DATA_H
#define PYSYM_TESTS_SHARED_DATA_H

#include <cstdlib>
#include <string>

namespace pysym::testing {

/// The path of a shared list that a test target passes in environment
/// variable `EnvVar` as `$(rootpaths @shared_data//:<list>)`, relative to the
/// test's working directory; "" when the list is absent on this machine (the
/// test then reports itself skipped, naming `Missing`).
inline std::string sharedDataFile(const char *EnvVar) {
  const char *Path = std::getenv(EnvVar);
  return Path ? std::string(Path) : std::string();
}

/// What a skipped test says when a list is absent.
inline std::string sharedDataMissing(const char *File) {
  return std::string("../shared/data/") + File +
         " is not beside this checkout (see third_party/shared_data.bzl)";
}

}  // namespace pysym::testing

#endif  // PYSYM_TESTS_SHARED_DATA_H
