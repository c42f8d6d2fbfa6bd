// Where a test finds the workplace's shared name lists (../shared/data).
#ifndef PYSYM_TESTS_SHARED_DATA_H
#define PYSYM_TESTS_SHARED_DATA_H

#include <cstdlib>
#include <string>

namespace pysym::testing {

/// The path of a shared list that a test target passes in environment
/// variable `EnvVar` as `$(rootpaths @shared_data//:<list>)`, relative to the
/// test's working directory; "" when the list is absent on this machine (the
/// test then reports itself skipped, naming the file).
inline std::string sharedDataFile(const char *EnvVar) {
  const char *Path = std::getenv(EnvVar);
  std::string File = Path ? Path : "";
  // third_party/shared_data.bzl stands an empty absent-<file> in for a list
  // it did not find.
  size_t Slash = File.rfind('/');
  if (File.compare(Slash == std::string::npos ? 0 : Slash + 1, 7, "absent-") == 0)
    return "";
  return File;
}

/// What a skipped test says when a list is absent.
inline std::string sharedDataMissing(const char *File) {
  return std::string("../shared/data/") + File +
         " is not beside this checkout (see third_party/shared_data.bzl)";
}

}  // namespace pysym::testing

#endif  // PYSYM_TESTS_SHARED_DATA_H
