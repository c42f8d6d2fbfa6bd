// Where the engine's modules get the names they do not define: the
// interpreter's answers, defined once per engine in a JITDylib every
// module links against; registrations, in each module's own JITDylib when
// it links; and misses, explained per module. The interpreter only has to
// be there for the Resolver, so this runs in CPython alone (BUILD).
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pysym/jitlink/engine.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/jitlink/testing/kernel_testing.h"
#include "pysym/jitlink/testing/object_testing.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

extern "C" int pysym_names_test_first() { return 1; }
extern "C" int pysym_names_test_second() { return 2; }

namespace pysym::testing {
namespace {

// A module whose `address` returns the address \p Name links to.
std::string addressOf(const std::string &Name) {
  return "declare void @" + Name + "()\n" +
         "define i64 @address() {\n"
         "  ret i64 ptrtoint (void ()* @" +
         Name + " to i64)\n}\n";
}

std::uint64_t address(int (*Function)()) { return reinterpret_cast<std::uint64_t>(Function); }

// The names of the misses a failed lookup lists, or why it did not.
std::vector<std::string> missesOf(llvm::Expected<std::uint64_t> Lookup) {
  if (Lookup)
    return {"<linked>"};
  std::vector<std::string> Names;
  llvm::handleAllErrors(
      Lookup.takeError(),
      [&](const MissingSymbolsError &E) {
        for (const Resolution &Miss : E.missing())
          Names.push_back(Miss.Name);
      },
      [&](const llvm::ErrorInfoBase &E) { Names.push_back("<not a miss: " + E.message() + ">"); });
  return Names;
}

class EngineNamesTest : public ::testing::TestWithParam<Linker> {
protected:
  void SetUp() override {
    PYSYM_JIT_OR_SKIP(P, N);
    TheResolver = N;
    auto Created = Engine::create(*TheResolver, EngineOptions{0, GetParam()});
    ASSERT_TRUE(succeeded(Created));
    Jit = std::move(*Created);
  }
  void TearDown() override {
    if (TheResolver)  // registrations are the process's: leave none behind
      for (const char *Name : {"pysym_names_test_hook", "PyLong_FromLong"})
        TheResolver->removeSymbol(Name);
  }

  // Adds a module that takes the address of \p Name, and links it.
  llvm::Expected<std::uint64_t> linkAddressOf(const std::string &Name) {
    auto Module = Jit->addIR(addressOf(Name), "address_of_" + Name);
    if (!Module)
      return Module.takeError();
    auto Kernel = Jit->lookup(*Module, "address");
    if (!Kernel)
      return Kernel.takeError();
    return kernel<std::uint64_t()>(*Kernel)();
  }

  Resolver *TheResolver = nullptr;
  std::unique_ptr<Engine> Jit;
};

TEST_P(EngineNamesTest, DefinesEachInterpreterNameOncePerEngineWhateverTheModules) {
  const std::uint64_t Interpreter = TheResolver->find("PyLong_FromLong").Address;
  ASSERT_NE(Interpreter, 0u);
  std::vector<ModuleHandle> Modules;
  for (int I = 0; I < 3; ++I) {
    auto Module = Jit->addIR(addressOf("PyLong_FromLong"), "module" + std::to_string(I));
    ASSERT_TRUE(succeeded(Module));
    auto Kernel = Jit->lookup(*Module, "address");
    ASSERT_TRUE(succeeded(Kernel));
    EXPECT_EQ(kernel<std::uint64_t()>(*Kernel)(), Interpreter);
    Modules.push_back(*Module);
  }
  EXPECT_EQ(Jit->generatorStatistics().Defined, 1u);

  // Removing the modules leaves the name to the next ones, still defined once.
  for (ModuleHandle Module : Modules)
    ASSERT_TRUE(succeeded(Jit->remove(Module)));
  auto Again = linkAddressOf("PyLong_FromLong");
  ASSERT_TRUE(succeeded(Again));
  EXPECT_EQ(*Again, Interpreter);
  EXPECT_EQ(Jit->generatorStatistics().Defined, 1u);
}

TEST_P(EngineNamesTest, EachLinkSeesTheRegistrationsOfItsTime) {
  const std::string Hook = "pysym_names_test_hook";
  ASSERT_TRUE(succeeded(TheResolver->addSymbol(Hook, address(pysym_names_test_first))));
  auto First = linkAddressOf(Hook);
  ASSERT_TRUE(succeeded(First));
  EXPECT_EQ(*First, address(pysym_names_test_first));

  // Replaced: the next module sees the new address.
  ASSERT_TRUE(succeeded(TheResolver->addSymbol(Hook, address(pysym_names_test_second))));
  auto Second = linkAddressOf(Hook);
  ASSERT_TRUE(succeeded(Second));
  EXPECT_EQ(*Second, address(pysym_names_test_second));

  // Removed: the next module misses it, and says so.
  ASSERT_TRUE(TheResolver->removeSymbol(Hook));
  EXPECT_EQ(missesOf(linkAddressOf(Hook)), std::vector<std::string>{Hook});

  // Registered again: a miss is not kept either.
  ASSERT_TRUE(succeeded(TheResolver->addSymbol(Hook, address(pysym_names_test_first))));
  auto Third = linkAddressOf(Hook);
  ASSERT_TRUE(succeeded(Third));
  EXPECT_EQ(*Third, address(pysym_names_test_first));
}

TEST_P(EngineNamesTest, AnOverrideOfAnInterpreterNameAlreadyLinkedIsSeenAndUndone) {
  const std::uint64_t Interpreter = TheResolver->find("PyLong_FromLong").Address;
  auto Before = linkAddressOf("PyLong_FromLong");  // now defined in the shared JITDylib
  ASSERT_TRUE(succeeded(Before));
  EXPECT_EQ(*Before, Interpreter);

  ASSERT_TRUE(succeeded(TheResolver->addSymbol("PyLong_FromLong", address(pysym_names_test_first),
                                         SymbolKind::Function, /*AllowOverride=*/true)));
  auto Overridden = linkAddressOf("PyLong_FromLong");
  ASSERT_TRUE(succeeded(Overridden));
  EXPECT_EQ(*Overridden, address(pysym_names_test_first));

  ASSERT_TRUE(TheResolver->removeSymbol("PyLong_FromLong"));
  auto After = linkAddressOf("PyLong_FromLong");
  ASSERT_TRUE(succeeded(After));
  EXPECT_EQ(*After, Interpreter);
}

TEST_P(EngineNamesTest, ExplainsEachModulesMissesAloneEvenWhenLookedUpAgain) {
  auto A = Jit->addIR(addressOf("pysym_names_test_missing_a"), "a");
  auto B = Jit->addIR(addressOf("pysym_names_test_missing_b"), "b");
  ASSERT_TRUE(succeeded(A));
  ASSERT_TRUE(succeeded(B));
  const std::vector<std::string> OfA{"pysym_names_test_missing_a"};
  const std::vector<std::string> OfB{"pysym_names_test_missing_b"};
  EXPECT_EQ(missesOf(Jit->lookup(*A, "address")), OfA);
  EXPECT_EQ(missesOf(Jit->lookup(*B, "address")), OfB);
  // The second lookup of a failed module links nothing, so ORC reports no
  // names: the module's own references narrow the engine's misses.
  EXPECT_EQ(missesOf(Jit->lookup(*A, "address")), OfA);
  EXPECT_EQ(missesOf(Jit->lookup(*B, "address")), OfB);

  // An object's references come from its symbol table.
  auto Object = compileToObject(addressOf("pysym_names_test_missing_c"), Jit->codeModel(),
                                Jit->relocationModel());
  ASSERT_TRUE(succeeded(Object));
  auto C = Jit->addObject(*Object, "c");
  ASSERT_TRUE(succeeded(C));
  const std::vector<std::string> OfC{"pysym_names_test_missing_c"};
  EXPECT_EQ(missesOf(Jit->lookup(*C, "address")), OfC);
  EXPECT_EQ(missesOf(Jit->lookup(*C, "address")), OfC);
  EXPECT_EQ(missesOf(Jit->lookup(*A, "address")), OfA);
}

INSTANTIATE_TEST_SUITE_P(BothLinkers, EngineNamesTest,
                         ::testing::Values(Linker::RuntimeDyld, Linker::JITLink), linkerName);

}  // namespace
}  // namespace pysym::testing
