// For tests: resolver/testdata/libhijack.so, a library that exports Python API
// names (Py_IncRef...) and is loaded RTLD_GLOBAL before the interpreter, so
// that it comes first in the loader's global scope.
#ifndef PYSYM_RESOLVER_IMPOSTOR_LIBRARY_TESTING_H
#define PYSYM_RESOLVER_IMPOSTOR_LIBRARY_TESTING_H

#include <string>

#include "gtest/gtest.h"

namespace pysym::testing {

/// The library's path in the test's runfiles.
std::string impostorLibraryPath();

/// A fixture that loads the library once per suite, before any test starts
/// an interpreter. `Impostor` is its dlopen handle, null (with dlerror()
/// set) when it could not be loaded.
class ImpostorLibraryTest : public ::testing::Test {
protected:
  static void SetUpTestSuite();
  static void *Impostor;
};

}  // namespace pysym::testing

#endif  // PYSYM_RESOLVER_IMPOSTOR_LIBRARY_TESTING_H
