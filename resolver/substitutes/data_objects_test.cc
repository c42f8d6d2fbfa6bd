// Recipes run through the embedded interpreter's C API, and fail with reasons instead of crashing.
#include "pysym/resolver/substitutes/data_objects.h"

#include <thread>

#include "gtest/gtest.h"
#include "pysym/resolver/substitutes/substitute_testing.h"

namespace pysym::substitutes {
namespace {

using testing::Owned;
using testing::PyObjectPtr;

class DataObjectsTest : public ::testing::Test {
protected:
  void SetUp() override {
    PYSYM_EMBEDDED_PYTHON_OR_SKIP(Started);
    Python = Started;
    // Binding the set binds every entry recipes call.
    auto Set = testing::bindToEmbedded(*Python);
    ASSERT_TRUE(bool(Set)) << llvm::toString(Set.takeError());
    Substitutes = std::move(*Set);
  }

  // The recipe's object (its reference released), or the error's text.
  std::pair<PyObjectPtr, std::string> run(std::string_view Recipe, RecipeResult Kind) {
    Expected<capi::Object> Made = runRecipe(Recipe, Kind);
    if (!Made)
      return {nullptr, toString(Made.takeError())};
    Owned Keep(*Python, *Made);
    return {*Made, ""};
  }

  bool errorPending() {
    auto Gil = Python->holdGil();
    return Gil && Python->api<PyObjectPtr()>("PyErr_Occurred")() != nullptr;
  }

  testing::EmbeddedPython *Python = nullptr;
  std::unique_ptr<SubstituteSet> Substitutes;
};

TEST_F(DataObjectsTest, RecipeYieldsThePythonVisibleObjectItself) {
  Owned Enumerate = testing::evaluate(*Python, "enumerate");
  Owned OSError = testing::evaluate(*Python, "OSError");
  Owned ListIterator = testing::evaluate(*Python, "type(iter([]))");
  EXPECT_EQ(run("result = enumerate", RecipeResult::Type).first, Enumerate.get());
  EXPECT_EQ(run("result = OSError", RecipeResult::ExceptionClass).first, OSError.get());
  EXPECT_EQ(run("import sys\nvalue = [0]\nresult = type(iter(value))", RecipeResult::Type).first,
            ListIterator.get());
  EXPECT_FALSE(errorPending());
}

TEST_F(DataObjectsTest, RecipeFailuresNameTheRecipeAndTheReasonAndLeaveNoException) {
  struct Case {
    const char *Recipe;
    RecipeResult Expected;
    const char *Fragment;
  } Cases[] = {
      {"result = 5", RecipeResult::Type, "is not a type"},
      {"result = int", RecipeResult::ExceptionClass, "is not an exception class"},
      {"result = ValueError()", RecipeResult::ExceptionClass, "is not an exception class"},
      {"x = 1", RecipeResult::Type, "bound no `result`"},
      {"raise KeyError('boom')", RecipeResult::Type, "KeyError('boom')"},
      {"result = (", RecipeResult::Type, "SyntaxError"},
      {"import no_such_module_for_pysym\nresult = int", RecipeResult::Type, "no_such_module_for_pysym"},
  };
  for (const Case &C : Cases) {
    auto [Object, Error] = run(C.Recipe, C.Expected);
    EXPECT_EQ(Object, nullptr) << C.Recipe;
    EXPECT_NE(Error.find(C.Fragment), std::string::npos) << Error;
    EXPECT_NE(Error.find(std::string_view(C.Recipe).substr(0, std::string_view(C.Recipe).find('\n'))), std::string::npos) << Error;
    EXPECT_FALSE(errorPending()) << C.Recipe;
  }
}

TEST_F(DataObjectsTest, RecipeRunsWhetherOrNotTheCallerHoldsTheGilAndFromAnyThread) {
  Owned Zip = testing::evaluate(*Python, "zip");
  {
    auto Gil = Python->holdGil();
    ASSERT_TRUE(bool(Gil));
    EXPECT_EQ(run("result = zip", RecipeResult::Type).first, Zip.get());
  }
  PyObjectPtr FromThread = nullptr;
  std::thread Other([&] { FromThread = run("result = zip", RecipeResult::Type).first; });
  Other.join();
  EXPECT_EQ(FromThread, Zip.get());
}

}  // namespace
}  // namespace pysym::substitutes
