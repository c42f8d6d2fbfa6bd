// Replays name_list_fuzzer's regression inputs, and checks that the target
// reads and resolves a good list and reports a bad one.
#include <string>

#include "fuzz/replay_testing.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"

namespace pysym::fuzzing {
namespace {

// The interpreter the target analyses unless PYSYM_FUZZ_INTERPRETER says
// otherwise; without it the target cannot start.
constexpr const char *PyPy = "/usr/bin/pypy3";

#define SKIP_WITHOUT_PYPY()                                                                        \
  do {                                                                                             \
    if (!llvm::sys::fs::exists(PyPy))                                                              \
      GTEST_SKIP() << PyPy << " is absent on this machine";                                        \
  } while (false)

TEST(NameListFuzzerTest, ReplaysEveryRegressionInput) {
  SKIP_WITHOUT_PYPY();
  for (const std::string &Path : regressionInputs("name_list")) {
    SCOPED_TRACE(Path);
    Outcome O = runFile(Path);
    EXPECT_TRUE(O == Outcome::Rejected || O == Outcome::Accepted) << toString(O);
  }
}

TEST(NameListFuzzerTest, ReadsAGoodListAndRejectsABadKind) {
  SKIP_WITHOUT_PYPY();
  EXPECT_EQ(runInput(llvm::StringRef("# Numba's kind\nF PyLong_FromLong\ndata _Py_NoneStruct\n"
                                     "_Py_c_pow\n")),
            Outcome::Accepted);
  EXPECT_EQ(runInput(llvm::StringRef("X PyLong_FromLong\n")), Outcome::Rejected);
  EXPECT_EQ(runInput(llvm::StringRef("F too many fields\n")), Outcome::Rejected);
}

}  // namespace
}  // namespace pysym::fuzzing
