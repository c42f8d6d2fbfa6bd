// exposeToProcess never shadows a definition that exists: a library loaded
// RTLD_GLOBAL before the interpreter defines Py_IncRef, and keeps it.
#include <dlfcn.h>

#include <cstdlib>

#include "gtest/gtest.h"
#include "resolver/exposure.h"
#include "tests/embedded_python.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

std::string hijackPath() {
  const char *Dir = std::getenv("TEST_SRCDIR");
  const char *Workspace = std::getenv("TEST_WORKSPACE");
  return std::string(Dir ? Dir : ".") + "/" + (Workspace ? Workspace : "pysym") +
         "/resolver/testdata/libhijack.so";
}

class ExposureShadowTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    // Before the interpreter starts, so it comes first in the global scope.
    Hijack = dlopen(hijackPath().c_str(), RTLD_NOW | RTLD_GLOBAL);
  }
  static void *Hijack;
};
void *ExposureShadowTest::Hijack = nullptr;

TEST_F(ExposureShadowTest, ADefinitionInTheGlobalScopeKeepsItsName) {
  ASSERT_NE(Hijack, nullptr) << dlerror();
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(testing::succeeded(R));
  void *Impostor = dlsym(Hijack, "Py_IncRef");
  ASSERT_NE(Impostor, nullptr);
  auto Report = exposeToProcess(**R);
  ASSERT_TRUE(testing::succeeded(Report));

  const SkippedName *Skip = nullptr;
  for (const SkippedName &S : Report->Skipped)
    if (S.Name == "Py_IncRef")
      Skip = &S;
  ASSERT_NE(Skip, nullptr) << "Py_IncRef must be reported skipped";
  EXPECT_EQ(Skip->Why, ExposeSkip::AlreadyDefined);
  EXPECT_NE(Skip->Detail.find(hijackPath()), std::string::npos) << Skip->Detail;
  for (const ExposedName &E : Report->Exposed)
    EXPECT_NE(E.Name, "Py_IncRef") << "nothing is loaded for a name already defined";
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "Py_IncRef"), Impostor);
  // The rest is exposed as usual.
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "Py_DecRef"), Py->apiSymbol("Py_DecRef"));
  EXPECT_GT(Report->Added, 700u);
}

}  // namespace
}  // namespace pysym
