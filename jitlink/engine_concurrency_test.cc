// Eight threads adding, linking, looking up, calling and removing modules
// in one engine at once, each module in its own JITDylib. Meant to run
// under ThreadSanitizer too (see docs/jit-authors.md).
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/testing/kernel_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

constexpr int Threads = 8;
constexpr int Rounds = 6;

// Every thread's kernel has the same name; each returns its own value, as a
// Python int made through the generator-resolved C API.
std::string kernelFor(int Thread, int Round) {
  return "declare i8* @PyLong_FromLong(i64)\n"
         "define i8* @kernel() {\n"
         "  %v = call i8* @PyLong_FromLong(i64 " +
         std::to_string(Thread * 1000 + Round) +
         ")\n"
         "  ret i8* %v\n"
         "}\n"
         "define i64 @plain() {\n"
         "  ret i64 " +
         std::to_string(Thread * 1000 + Round) + "\n}\n";
}

class EngineConcurrencyTest : public ::testing::TestWithParam<Linker> {};

TEST_P(EngineConcurrencyTest, ThreadsCompileLinkLookUpAndRemoveAtOnce) {
  PYSYM_JIT_OR_SKIP(Python, Names);
  auto Jit = Engine::create(*Names, EngineOptions{1, GetParam()});
  ASSERT_TRUE(succeeded(Jit));
  auto *AsLong = Python->api<long(PyObjectPtr)>("PyLong_AsLong");
  ASSERT_NE(AsLong, nullptr);

  std::atomic<int> Failures{0};
  std::vector<std::string> Reports(Threads);
  std::atomic<bool> Go{false};
  auto Work = [&](int Thread) {
    while (!Go.load())
      std::this_thread::yield();
    for (int Round = 0; Round < Rounds; ++Round) {
      const long Want = Thread * 1000 + Round;
      auto Module = (*Jit)->addIR(kernelFor(Thread, Round), "t" + std::to_string(Thread));
      if (!Module) {
        Reports[Thread] += llvm::toString(Module.takeError()) + "\n";
        ++Failures;
        continue;
      }
      auto Plain = (*Jit)->lookup(*Module, "plain");
      auto Kernel = (*Jit)->lookup(*Module, "kernel");
      if (!Plain || !Kernel) {
        Reports[Thread] += (Plain ? std::string() : llvm::toString(Plain.takeError())) +
                           (Kernel ? std::string() : llvm::toString(Kernel.takeError())) + "\n";
        ++Failures;
      } else {
        bool Right = kernel<std::int64_t()>(*Plain)() == Want;
        {
          auto Gil = Python->holdGil();
          if (!Gil) {
            Reports[Thread] += llvm::toString(Gil.takeError()) + "\n";
            ++Failures;
          } else {
            PyObjectPtr Made = kernel<PyObjectPtr()>(*Kernel)();
            Right = Right && Made && AsLong(Made) == Want;
            if (Made)
              decRef(*Python, Made);
          }
        }
        if (!Right) {
          Reports[Thread] += "wrong value in round " + std::to_string(Round) + "\n";
          ++Failures;
        }
      }
      if (auto Err = (*Jit)->remove(*Module)) {
        Reports[Thread] += llvm::toString(std::move(Err)) + "\n";
        ++Failures;
      }
    }
  };
  std::vector<std::thread> Workers;
  for (int Thread = 0; Thread < Threads; ++Thread)
    Workers.emplace_back(Work, Thread);
  Go = true;
  for (std::thread &Worker : Workers)
    Worker.join();
  for (const std::string &Report : Reports)
    EXPECT_EQ(Report, "");
  EXPECT_EQ(Failures.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(BothLinkers, EngineConcurrencyTest,
                         ::testing::Values(Linker::RuntimeDyld, Linker::JITLink), linkerName);

}  // namespace
}  // namespace pysym::testing
