// Python API names resolve only from the interpreter image, even when a
// library loaded before it, RTLD_GLOBAL, exports the same names.
#include <dlfcn.h>

#include <cstdlib>

#include "gtest/gtest.h"
#include "resolver/resolver.h"
#include "tests/embedded_python.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

using testing::succeeded;

std::string hijackPath() {
  const char *Dir = std::getenv("TEST_SRCDIR");
  const char *Workspace = std::getenv("TEST_WORKSPACE");
  return std::string(Dir ? Dir : ".") + "/" + (Workspace ? Workspace : "pysym") +
         "/resolver/testdata/libhijack.so";
}

class HijackTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    // Before the interpreter starts, so it comes first in the global scope.
    Hijack = dlopen(hijackPath().c_str(), RTLD_NOW | RTLD_GLOBAL);
  }
  static void *Hijack;
};
void *HijackTest::Hijack = nullptr;

TEST_F(HijackTest, ApiNamesNeverComeFromAnotherImage) {
  ASSERT_NE(Hijack, nullptr) << dlerror();
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  // The global scope prefers the impostor: that is what must not happen.
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "Py_IncRef"), dlsym(Hijack, "Py_IncRef"));

  Resolution Res = (*R)->resolve("Py_IncRef");
  ASSERT_TRUE(Res.found()) << describe(Res);
  EXPECT_EQ(Res.Address, reinterpret_cast<std::uint64_t>(Py->apiSymbol("Py_IncRef")));
  EXPECT_EQ(Res.Image, Py->library().str());
  EXPECT_TRUE(llvm::StringRef(Res.Note).contains("also exported by " + hijackPath())) << describe(Res);

  Resolution OnlyThere = (*R)->resolve("PyHijack_OnlyHere");
  EXPECT_EQ(OnlyThere.Status, ResolutionStatus::Missing);
  EXPECT_TRUE(llvm::StringRef(OnlyThere.Note).contains("it is not the interpreter, so it is not used"))
      << describe(OnlyThere);

  // Names that are not Python API may come from any image.
  Resolution Marker = (*R)->resolve("pysym_hijack_marker");
  EXPECT_EQ(Marker.Status, ResolutionStatus::System);
  EXPECT_EQ(Marker.Address, reinterpret_cast<std::uint64_t>(dlsym(Hijack, "pysym_hijack_marker")));
}

TEST_F(HijackTest, AnImpostorIsNotTakenForTheInterpreter) {
  ASSERT_NE(Hijack, nullptr) << dlerror();
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(succeeded(R));
  EXPECT_EQ((*R)->interpreter().ImagePath, Py->library().str());
}

}  // namespace
}  // namespace pysym
