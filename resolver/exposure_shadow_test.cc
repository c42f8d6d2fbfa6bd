// exposeToProcess never shadows a definition that exists: a library loaded
// RTLD_GLOBAL before the interpreter defines Py_IncRef, and keeps it.
#include <dlfcn.h>

#include <cstdlib>

#include "gtest/gtest.h"
#include "pysym/resolver/exposure.h"
#include "pysym/resolver/impostor_library_testing.h"
#include "tests/embedded_python.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym {
namespace {

// The library loaded before the interpreter, by the fixture.
using ExposureShadowTest = testing::ImpostorLibraryTest;

TEST_F(ExposureShadowTest, ADefinitionInTheGlobalScopeKeepsItsName) {
  ASSERT_NE(Impostor, nullptr) << dlerror();
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Py);
  auto R = Resolver::forCurrentProcess();
  ASSERT_TRUE(testing::succeeded(R));
  void *ImpostorIncRef = dlsym(Impostor, "Py_IncRef");
  ASSERT_NE(ImpostorIncRef, nullptr);
  auto Report = exposeToProcess(**R);
  ASSERT_TRUE(testing::succeeded(Report));

  const SkippedName *Skip = nullptr;
  for (const SkippedName &S : Report->Skipped)
    if (S.Name == "Py_IncRef")
      Skip = &S;
  ASSERT_NE(Skip, nullptr) << "Py_IncRef must be reported skipped";
  EXPECT_EQ(Skip->Why, ExposeSkip::AlreadyDefined);
  EXPECT_NE(Skip->Detail.find(testing::impostorLibraryPath()), std::string::npos) << Skip->Detail;
  for (const ExposedName &E : Report->Exposed)
    EXPECT_NE(E.Name, "Py_IncRef") << "nothing is loaded for a name already defined";
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "Py_IncRef"), ImpostorIncRef);
  // The rest is exposed as usual.
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "Py_DecRef"), Py->apiSymbol("Py_DecRef"));
  EXPECT_GT(Report->Added, 700u);
}

}  // namespace
}  // namespace pysym
