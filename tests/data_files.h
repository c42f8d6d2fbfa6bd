// Where a test finds the name lists in data/ that its BUILD rule passes it.
#ifndef PYSYM_TESTS_DATA_FILES_H
#define PYSYM_TESTS_DATA_FILES_H

#include <cstdlib>
#include <string>

namespace pysym::testing {

/// The path of a list in data/ that a test target passes in environment
/// variable `EnvVar` as `$(rootpath //data:<list>)`, relative to the test's
/// working directory; "" when the variable is unset, which is a mistake in
/// the test's BUILD rule: callers fail with dataFileUnset(EnvVar).
/// Example: dataFile("PYSYM_NUMBA_NAMES") == "data/numba-capi-names.txt".
inline std::string dataFile(const char *EnvVar) {
  const char *Path = std::getenv(EnvVar);
  return Path ? Path : "";
}

/// What a test says when dataFile(EnvVar) is "".
inline std::string dataFileUnset(const char *EnvVar) {
  return std::string(EnvVar) +
         " is not set: the test's BUILD rule must pass the list as "
         "$(rootpath //data:<list>) in env and data";
}

}  // namespace pysym::testing

#endif  // PYSYM_TESTS_DATA_FILES_H
