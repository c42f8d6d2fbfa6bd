// A process with no Python in it gets a clear error, not a guess.
#include "gtest/gtest.h"
#include "pysym/resolver/resolver.h"
#include "tests/core_error_testing.h"

namespace pysym {
namespace {

TEST(NoInterpreter, ForCurrentProcessSaysNoneIsLoaded) {
  auto R = Resolver::forCurrentProcess();
  EXPECT_TRUE(testing::failedWith(R, "no Python interpreter is loaded in this process"));
}

}  // namespace
}  // namespace pysym
