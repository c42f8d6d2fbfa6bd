#include "pysym/resolver/impostor_library_testing.h"

#include <dlfcn.h>

#include <cstdlib>

namespace pysym::testing {

std::string impostorLibraryPath() {
  const char *Dir = std::getenv("TEST_SRCDIR");
  const char *Workspace = std::getenv("TEST_WORKSPACE");
  return std::string(Dir ? Dir : ".") + "/" + (Workspace ? Workspace : "pysym") +
         "/resolver/testdata/libhijack.so";
}

void *ImpostorLibraryTest::Impostor = nullptr;

void ImpostorLibraryTest::SetUpTestSuite() {
  if (!Impostor) Impostor = dlopen(impostorLibraryPath().c_str(), RTLD_NOW | RTLD_GLOBAL);
}

}  // namespace pysym::testing
