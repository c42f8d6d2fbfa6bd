// Replays resolver_fuzzer's regression inputs in each embedded interpreter,
// and checks that the target reaches both a hit and a miss.
#include <string>

#include "fuzz/replay_testing.h"
#include "gtest/gtest.h"
#include "tests/embedded_python.h"

namespace pysym::fuzzing {
namespace {

TEST(ResolverFuzzerTest, ReplaysEveryRegressionInput) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  for (const std::string &Path : regressionInputs("resolver")) {
    SCOPED_TRACE(Path);
    Outcome O = runFile(Path);
    EXPECT_TRUE(O == Outcome::Rejected || O == Outcome::Accepted) << toString(O);
  }
}

TEST(ResolverFuzzerTest, FindsTheCApiAndMissesWhatNoImageHas) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  EXPECT_EQ(runInput(llvm::StringRef("PyLong_FromLong")), Outcome::Accepted);
  EXPECT_EQ(runInput(llvm::StringRef("Py_no_such_function_anywhere")), Outcome::Rejected);
}

TEST(ResolverFuzzerTest, SurvivesEmptyAndNulNames) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  EXPECT_EQ(runInput(llvm::StringRef()), Outcome::Rejected);
  EXPECT_EQ(runInput(llvm::StringRef("Py\0Long", 7)), Outcome::Rejected);
}

}  // namespace
}  // namespace pysym::fuzzing
