// Replays engine_bitcode_fuzzer's regression inputs, and checks that the target
// compiles and links a real kernel given as bitcode (llvm-as-14 of testdata/kernel.ll), and
// rejects its truncation.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/inputs.h"
#include "fuzz/replay_testing.h"
#include "gtest/gtest.h"
#include "tests/embedded_python.h"

namespace pysym::fuzzing {
namespace {

TEST(EngineBitcodeFuzzerTest, ReplaysEveryRegressionInput) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  for (const std::string &Path : regressionInputs("engine_bitcode")) {
    SCOPED_TRACE(Path);
    Outcome O = runFile(Path);
    EXPECT_NE(O, Outcome::None);
  }
}

TEST(EngineBitcodeFuzzerTest, LinksAKernelAndRejectsItsPrefix) {
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(Python);
  auto Kernel = readInput("fuzz/testdata/kernel.bc");
  ASSERT_TRUE(static_cast<bool>(Kernel)) << llvm::toString(Kernel.takeError());
  EXPECT_EQ(runInput(*Kernel), Outcome::Linked);
  std::vector<std::uint8_t> Prefix(Kernel->begin(), Kernel->begin() + Kernel->size() / 2);
  EXPECT_EQ(runInput(Prefix), Outcome::Rejected);
}

}  // namespace
}  // namespace pysym::fuzzing
