// Recipes run through the embedded interpreter's C API, and fail with reasons instead of crashing.
#include "pysym/resolver/substitutes/data_objects.h"

#include <iterator>
#include <thread>
#include <vector>

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

TEST_F(DataObjectsTest, RecipesRunTogetherEachAsIfAloneWithItsOwnOutcomeInOrder) {
  Owned Zip = testing::evaluate(*Python, "zip");
  Owned Map = testing::evaluate(*Python, "map");
  Owned OSError = testing::evaluate(*Python, "OSError");
  Owned Int = testing::evaluate(*Python, "int");
  // Each failing recipe has a first line no other recipe has, so an error
  // naming the wrong recipe is caught.
  const RecipeRequest Requests[] = {
      {"result = zip", RecipeResult::Type},
      {"raise KeyError('first')", RecipeResult::Type},
      {"result = (  # unclosed", RecipeResult::Type},
      {"shared = int\nresult = shared", RecipeResult::Type},
      {"result = shared  # bound by the recipe before", RecipeResult::Type},
      {"unbound = 1", RecipeResult::Type},
      {"result = 'not a type'", RecipeResult::Type},
      {"result = dict  # a type, no exception class", RecipeResult::ExceptionClass},
      // Names the run itself uses, bound by a recipe, change nothing.
      {"outcomes = 'R'\nrun = None\nsources = ()\nresult = OSError", RecipeResult::ExceptionClass},
      {"result = map", RecipeResult::Type},
  };
  struct Failure {
    size_t Index;
    const char *Fragment;
  } const Failures[] = {
      {1, "raised KeyError('first')"}, {2, "raised SyntaxError"},          {4, "raised NameError"},
      {5, "bound no `result`"},        {6, "`result` is not a type"},      {7, "`result` is not an exception class"},
  };
  std::vector<Expected<capi::Object>> Made = runRecipes(Requests);
  ASSERT_EQ(Made.size(), std::size(Requests));
  std::vector<std::string> Errors(Made.size());
  std::vector<Owned> Objects;
  std::vector<PyObjectPtr> Addresses(Made.size(), nullptr);
  for (size_t I = 0; I < Made.size(); ++I) {
    if (Made[I]) {
      Objects.emplace_back(*Python, *Made[I]);
      Addresses[I] = *Made[I];
    } else {
      Errors[I] = toString(Made[I].takeError());
    }
  }
  EXPECT_EQ(Addresses[0], Zip.get());
  EXPECT_EQ(Addresses[3], Int.get());
  EXPECT_EQ(Addresses[8], OSError.get());
  EXPECT_EQ(Addresses[9], Map.get());
  for (const Failure &F : Failures) {
    std::string_view Recipe = Requests[F.Index].Recipe;
    const std::string &Error = Errors[F.Index];
    EXPECT_EQ(Addresses[F.Index], nullptr) << Recipe;
    EXPECT_EQ(Error.rfind("recipe `" + std::string(Recipe.substr(0, Recipe.find('\n'))), 0), 0u) << Error;
    EXPECT_NE(Error.find(F.Fragment), std::string::npos) << Error;
    // Each alone gives the same error.
    EXPECT_EQ(run(Recipe, Requests[F.Index].Kind).second, Error);
  }
  EXPECT_NE(Errors[4].find("shared"), std::string::npos) << Errors[4];
  EXPECT_FALSE(errorPending());
}

TEST_F(DataObjectsTest, WhenTheRunCannotStartEveryRecipeFailsWithTheReason) {
  const RecipeRequest Requests[] = {{"result = zip", RecipeResult::Type},
                                    {"result = OSError", RecipeResult::ExceptionClass}};
  std::vector<Expected<capi::Object>> Made;
  {
    testing::RecipesBlocked Blocked(*Python);
    Made = runRecipes(Requests);
  }
  ASSERT_EQ(Made.size(), 2u);
  for (size_t I = 0; I < Made.size(); ++I) {
    ASSERT_FALSE(bool(Made[I])) << Requests[I].Recipe;
    std::string Error = toString(Made[I].takeError());
    EXPECT_EQ(Error.rfind("recipe `" + std::string(Requests[I].Recipe) + "`: cannot provide builtins: ", 0), 0u)
        << Error;
  }
  EXPECT_FALSE(errorPending());
  EXPECT_TRUE(runRecipes({}).empty());
}

}  // namespace
}  // namespace pysym::substitutes
