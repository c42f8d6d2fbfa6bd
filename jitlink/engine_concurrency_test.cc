// Eight threads adding, linking, looking up, calling and removing modules
// in one engine at once, each module in its own JITDylib, or all beside one
// module in its JITDylib. Their links meet where the interpreter's names
// are defined: on LLVM 19, links of several threads that met in one
// generator crashed, RuntimeDyld's when the stack frame of a link that had
// waited there was reused (SharedInterpreterNames,
// python_symbol_generator.h), JITLink's when the modules shared a JITDylib
// (Engine::lookup). Meant to run under ThreadSanitizer too (see
// docs/jit-authors.md).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
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

// A module whose `<Prefix>kernel` returns \p Value as a Python int made
// through the generator-resolved C API and `<Prefix>plain` returns it as an
// integer; \p Extra is more IR for the module.
std::string kernelFor(const std::string &Prefix, long Value, const std::string &Extra = "") {
  return "declare i8* @PyLong_FromLong(i64)\n"
         "define i8* @" +
         Prefix + "kernel() {\n  %v = call i8* @PyLong_FromLong(i64 " + std::to_string(Value) +
         ")\n  ret i8* %v\n}\n"
         "define i64 @" +
         Prefix + "plain() {\n  ret i64 " + std::to_string(Value) + "\n}\n" + Extra;
}

// IR defining `<Prefix>references`, which sums the addresses of the C-API
// functions \p Names lists.
std::string referencesTo(const std::string &Prefix, const std::vector<std::string> &Names) {
  std::string IR;
  for (const std::string &Name : Names)
    IR += "declare void @" + Name + "()\n";
  IR += "define i64 @" + Prefix + "references() {\n  %s0 = add i64 0, 0\n";
  for (std::size_t I = 0; I < Names.size(); ++I)
    IR += "  %s" + std::to_string(I + 1) + " = add i64 %s" + std::to_string(I) +
          ", ptrtoint (void ()* @" + Names[I] + " to i64)\n";
  return IR + "  ret i64 %s" + std::to_string(Names.size()) + "\n}\n";
}

// Runs Work(Thread, Report) on each of Threads threads, started at once,
// and expects no thread to report anything.
void runAtOnce(const std::function<void(int, std::string &)> &Work) {
  std::vector<std::string> Reports(Threads);
  std::atomic<bool> Go{false};
  std::vector<std::thread> Workers;
  for (int Thread = 0; Thread < Threads; ++Thread)
    Workers.emplace_back([&, Thread] {
      while (!Go.load())
        std::this_thread::yield();
      Work(Thread, Reports[Thread]);
    });
  Go = true;
  for (std::thread &Worker : Workers)
    Worker.join();
  for (const std::string &Report : Reports)
    EXPECT_EQ(Report, "");
}

// Looks up `<Prefix>plain` and `<Prefix>kernel` of \p Module, made by
// kernelFor with \p Want, calls them, and reports what is wrong to
// \p Report.
void linkAndCall(Engine &Jit, EmbeddedPython &Python, ModuleHandle Module,
                 const std::string &Prefix, long Want, std::string &Report) {
  auto Plain = Jit.lookup(Module, Prefix + "plain");
  auto Kernel = Jit.lookup(Module, Prefix + "kernel");
  if (!Plain || !Kernel) {
    Report += (Plain ? std::string() : llvm::toString(Plain.takeError())) +
              (Kernel ? std::string() : llvm::toString(Kernel.takeError())) + "\n";
    return;
  }
  if (kernel<std::int64_t()>(*Plain)() != Want)
    Report += Prefix + "plain: wrong value\n";
  auto *AsLong = Python.api<long(PyObjectPtr)>("PyLong_AsLong");
  auto Gil = Python.holdGil();
  if (!Gil) {
    Report += llvm::toString(Gil.takeError()) + "\n";
    return;
  }
  PyObjectPtr Made = kernel<PyObjectPtr()>(*Kernel)();
  if (!Made || AsLong(Made) != Want)
    Report += Prefix + "kernel: wrong value\n";
  if (Made)
    decRef(Python, Made);
}

class EngineConcurrencyTest : public ::testing::TestWithParam<Linker> {
protected:
  void SetUp() override {
    PYSYM_JIT_OR_SKIP(P, N);
    Python = P;
    TheResolver = N;
    auto Created = Engine::create(*N, EngineOptions{1, GetParam(), ""});
    ASSERT_TRUE(succeeded(Created));
    Jit = std::move(*Created);
    ASSERT_NE(Python->api<long(PyObjectPtr)>("PyLong_AsLong"), nullptr);
  }

  EmbeddedPython *Python = nullptr;
  Resolver *TheResolver = nullptr;
  std::unique_ptr<Engine> Jit;
};

TEST_P(EngineConcurrencyTest, ThreadsCompileLinkLookUpAndRemoveAtOnce) {
  runAtOnce([&](int Thread, std::string &Report) {
    for (int Round = 0; Round < Rounds; ++Round) {
      const long Want = Thread * 1000 + Round;
      // Every thread's kernel has the same names, each in its own JITDylib.
      auto Module = Jit->addIR(kernelFor("", Want), "t" + std::to_string(Thread));
      if (!Module) {
        Report += llvm::toString(Module.takeError()) + "\n";
        continue;
      }
      linkAndCall(*Jit, *Python, *Module, "", Want, Report);
      if (auto Err = Jit->remove(*Module))
        Report += llvm::toString(std::move(Err)) + "\n";
    }
  });
}

// Modules beside one another share a JITDylib and its generator, which
// their links from several threads at once reach.
TEST_P(EngineConcurrencyTest, ThreadsLinkModulesBesideOneAnotherAtOnce) {
  auto Anchor = Jit->addIR("define i64 @anchor() {\n  ret i64 7\n}\n", "anchor");
  ASSERT_TRUE(succeeded(Anchor));
  // Many names per link keep the links in the generator longer, so that
  // they meet there more often.
  std::vector<std::string> Functions;
  std::uint64_t Sum = 0;
  for (const std::string &Name : TheResolver->apiNames()) {
    FoundSymbol Hit = TheResolver->find(Name);
    if (Hit.found() && Hit.Kind == SymbolKind::Function && Functions.size() < 200) {
      Functions.push_back(Name);
      Sum += Hit.Address;
    }
  }
  ASSERT_EQ(Functions.size(), 200u);
  runAtOnce([&](int Thread, std::string &Report) {
    for (int Round = 0; Round < Rounds; ++Round) {
      const long Want = Thread * 1000 + Round;
      const std::string Prefix = "t" + std::to_string(Thread) + "r" + std::to_string(Round) + "_";
      // Each calls the anchor, so its link also links to the anchor's module.
      const std::string CallsAnchor = "declare i64 @anchor()\ndefine i64 @" + Prefix +
                                      "anchored() {\n  %a = call i64 @anchor()\n  ret i64 %a\n}\n";
      auto Module = Jit->addIR(kernelFor(Prefix, Want, CallsAnchor + referencesTo(Prefix, Functions)),
                               Prefix, *Anchor);
      if (!Module) {
        Report += llvm::toString(Module.takeError()) + "\n";
        continue;
      }
      linkAndCall(*Jit, *Python, *Module, Prefix, Want, Report);
      auto Anchored = Jit->lookup(*Module, Prefix + "anchored");
      if (!Anchored)
        Report += llvm::toString(Anchored.takeError()) + "\n";
      else if (kernel<std::int64_t()>(*Anchored)() != 7)
        Report += Prefix + "anchored: wrong value\n";
      auto References = Jit->lookup(*Module, Prefix + "references");
      if (!References)
        Report += llvm::toString(References.takeError()) + "\n";
      else if (kernel<std::uint64_t()>(*References)() != Sum)
        Report += Prefix + "references: wrong addresses\n";
      if (auto Err = Jit->remove(*Module))
        Report += llvm::toString(std::move(Err)) + "\n";
    }
  });
}

INSTANTIATE_TEST_SUITE_P(BothLinkers, EngineConcurrencyTest,
                         ::testing::Values(Linker::RuntimeDyld, Linker::JITLink), linkerName);

}  // namespace
}  // namespace pysym::testing
