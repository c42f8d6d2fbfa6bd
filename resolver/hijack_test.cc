// Python API names resolve only from the interpreter image, even when a
// library loaded before it, RTLD_GLOBAL, exports the same names.
#include <dlfcn.h>

#include <cstdlib>

#include "gtest/gtest.h"
#include "pysym/resolver/resolver.h"
#include "pysym/resolver/impostor_library_testing.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

using testing::succeeded;

// The library loaded before the interpreter, by the fixture.
using HijackTest = testing::ImpostorLibraryTest;

TEST_F(HijackTest, ApiNamesNeverComeFromAnotherImage) {
  ASSERT_NE(Impostor, nullptr) << dlerror();
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  // The global scope prefers the impostor: that is what must not happen.
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "Py_IncRef"), dlsym(Impostor, "Py_IncRef"));

  Resolution Res = (*R)->resolve("Py_IncRef");
  ASSERT_TRUE(Res.found()) << describe(Res);
  EXPECT_EQ(Res.Address, reinterpret_cast<std::uint64_t>(Py->apiSymbol("Py_IncRef")));
  EXPECT_EQ(Res.Image, Py->library().str());
  EXPECT_TRUE(llvm::StringRef(Res.Note).contains("also exported by " + testing::impostorLibraryPath())) << describe(Res);

  Resolution OnlyThere = (*R)->resolve("PyHijack_OnlyHere");
  EXPECT_EQ(OnlyThere.Status, ResolutionStatus::Missing);
  EXPECT_TRUE(llvm::StringRef(OnlyThere.Note).contains("it is not the interpreter, so it is not used"))
      << describe(OnlyThere);

  // Names that are not Python API may come from any image.
  Resolution Marker = (*R)->resolve("pysym_hijack_marker");
  EXPECT_EQ(Marker.Status, ResolutionStatus::System);
  EXPECT_EQ(Marker.Address, reinterpret_cast<std::uint64_t>(dlsym(Impostor, "pysym_hijack_marker")));
}

TEST_F(HijackTest, AnImpostorIsNotTakenForTheInterpreter) {
  ASSERT_NE(Impostor, nullptr) << dlerror();
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  EXPECT_EQ((*R)->interpreter().ImagePath, Py->library().str());
}

}  // namespace
}  // namespace pysym
