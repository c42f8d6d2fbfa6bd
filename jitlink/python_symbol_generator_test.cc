// The generator attached to plain LLVM 14 LLJITs, the way a JIT author
// would attach it (docs/jit-authors.md), inside the embedded interpreter.
#include "pysym/jitlink/python_symbol_generator.h"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pysym/jitlink/testing/kernel_testing.h"
#include "pysym/jitlink/missing_symbols_error.h"
#include "pysym/jitlink/orc_compat.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "tests/core_error_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using namespace llvm::orc;
using ::testing::HasSubstr;

class PythonSymbolGeneratorTest : public ::testing::Test {
protected:
  void SetUp() override {
    PYSYM_JIT_OR_SKIP(P, N);
    Python = P;
    TheResolver = N;
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto Created = LLJITBuilder().create();
    ASSERT_TRUE(succeeded(Created));
    Jit = std::move(*Created);
    // What ORC would print is the generator's to explain.
    Jit->getExecutionSession().setErrorReporter([](llvm::Error E) { llvm::consumeError(std::move(E)); });
    Generator = &Jit->getMainJITDylib().addGenerator(
        PythonSymbolGenerator::create(*TheResolver, Jit->getDataLayout()));
  }

  void add(llvm::StringRef IR) {
    auto Context = std::make_unique<llvm::LLVMContext>();
    llvm::SMDiagnostic Diagnostic;
    auto M = llvm::parseIR(llvm::MemoryBufferRef(IR, "test"), Diagnostic, *Context);
    ASSERT_NE(M, nullptr) << Diagnostic.getMessage().str();
    ASSERT_TRUE(succeeded(Jit->addIRModule(ThreadSafeModule(std::move(M), std::move(Context)))));
  }

  EmbeddedPython *Python = nullptr;
  Resolver *TheResolver = nullptr;
  std::unique_ptr<LLJIT> Jit;
  PythonSymbolGenerator *Generator = nullptr;
};

TEST_F(PythonSymbolGeneratorTest, DefinesFunctionsAsCallableAndDataAsNot) {
  auto &ES = Jit->getExecutionSession();
  auto &Main = Jit->getMainJITDylib();
  auto Function = ES.lookup({&Main}, Jit->mangleAndIntern("PyLong_FromLong"));
  auto Data = ES.lookup({&Main}, Jit->mangleAndIntern("_Py_NoneStruct"));
  ASSERT_TRUE(succeeded(Function));
  ASSERT_TRUE(succeeded(Data));
  EXPECT_TRUE(Function->getFlags().isCallable());
  EXPECT_TRUE(Function->getFlags().isExported());
  EXPECT_FALSE(Data->getFlags().isCallable());
  EXPECT_TRUE(Data->getFlags().isExported());
  EXPECT_EQ(orc_compat::addressOf(*Function), TheResolver->resolve("PyLong_FromLong").Address);
  EXPECT_EQ(orc_compat::addressOf(*Data),
            reinterpret_cast<std::uint64_t>(Python->apiSymbol("_Py_NoneStruct")));
  const auto Stats = Generator->statistics();
  EXPECT_EQ(Stats.Defined, 2u);
  EXPECT_EQ(Stats.Missed, 0u);
  EXPECT_GE(Stats.Calls, 2u);
  EXPECT_GT(Stats.Time.count(), 0);
  EXPECT_TRUE(Generator->misses().empty());
}

TEST_F(PythonSymbolGeneratorTest, RecordsMissesAndExplainsTheFailedLookup) {
  ASSERT_NO_FATAL_FAILURE(add(R"(
declare i8* @PyLong_FromLong(i64)
declare void @PyPysym_Missing(i8*)
define i8* @kernel() {
  %v = call i8* @PyLong_FromLong(i64 3)
  call void @PyPysym_Missing(i8* %v)
  ret i8* %v
}
)"));
  auto Address = Jit->lookup("kernel");
  ASSERT_FALSE(Address);
  llvm::Error Explained = Generator->explainFailure(Address.takeError(), "kernel-module");
  ASSERT_TRUE(Explained.isA<MissingSymbolsError>());
  const std::string Message = llvm::toString(std::move(Explained));
  EXPECT_THAT(Message, HasSubstr("cannot link module 'kernel-module': 1 symbol not found"));
  EXPECT_THAT(Message, HasSubstr("PyPysym_Missing (missing)"));
  EXPECT_THAT(Message, ::testing::Not(HasSubstr("PyLong_FromLong")));
  std::vector<Resolution> Misses = Generator->misses();
  ASSERT_EQ(Misses.size(), 1u);
  EXPECT_EQ(Misses[0].Name, "PyPysym_Missing");
  EXPECT_FALSE(Misses[0].Tried.empty());
  EXPECT_EQ(Generator->statistics().Missed, 1u);
}

TEST_F(PythonSymbolGeneratorTest, WeakReferencesThatMissAreNotRecorded) {
  // JITLink asks this way for extern_weak declarations; LLVM 14's
  // RuntimeDyld asks for them as required, so there they fail the link and
  // are listed like any other miss.
  SymbolLookupSet Wanted;
  Wanted.add(Jit->mangleAndIntern("PyPysym_WeakOnly"), SymbolLookupFlags::WeaklyReferencedSymbol);
  auto Found = Jit->getExecutionSession().lookup(
      makeJITDylibSearchOrder(&Jit->getMainJITDylib()), std::move(Wanted));
  ASSERT_TRUE(succeeded(Found));
  EXPECT_TRUE(Found->empty());
  EXPECT_TRUE(Generator->misses().empty());
  EXPECT_EQ(Generator->statistics().Missed, 1u);
}

TEST_F(PythonSymbolGeneratorTest, AMissLaterRegisteredIsDroppedFromTheList) {
  auto &ES = Jit->getExecutionSession();
  auto &Main = Jit->getMainJITDylib();
  auto Lookup = [&] {
    return ES.lookup({&Main}, Jit->mangleAndIntern("PyPysym_LateArrival"));
  };
  EXPECT_TRUE(failedWith(Lookup().takeError(), "PyPysym_LateArrival"));
  ASSERT_EQ(Generator->misses().size(), 1u);
  static int Target = 0;
  ASSERT_TRUE(succeeded(TheResolver->addSymbol("PyPysym_LateArrival",
                                         reinterpret_cast<std::uint64_t>(&Target), SymbolKind::Data)));
  auto Found = Lookup();
  EXPECT_TRUE(TheResolver->removeSymbol("PyPysym_LateArrival"));
  ASSERT_TRUE(succeeded(Found));
  EXPECT_EQ(orc_compat::addressOf(*Found), reinterpret_cast<std::uint64_t>(&Target));
  EXPECT_TRUE(Generator->misses().empty());
  // Success is passed through unexplained.
  EXPECT_TRUE(succeeded(Generator->explainFailure(llvm::Error::success(), "m")));
}

TEST_F(PythonSymbolGeneratorTest, StripsTheDataLayoutsGlobalPrefix) {
  // A Mach-O layout mangles C names with '_'.
  llvm::DataLayout MachO("e-m:o-i64:64-f80:128-n8:16:32:64-S128");
  ASSERT_EQ(MachO.getGlobalPrefix(), '_');
  auto &ES = Jit->getExecutionSession();
  auto JD = ES.createJITDylib("macho");
  ASSERT_TRUE(succeeded(JD));
  auto &Prefixed = JD->addGenerator(PythonSymbolGenerator::create(*TheResolver, MachO));
  auto Hit = ES.lookup({&*JD}, ES.intern("_PyLong_FromLong"));
  ASSERT_TRUE(succeeded(Hit));
  EXPECT_EQ(orc_compat::addressOf(*Hit), TheResolver->resolve("PyLong_FromLong").Address);
  EXPECT_FALSE(ES.lookup({&*JD}, ES.intern("PyLong_FromLong")));
  std::vector<Resolution> Misses = Prefixed.misses();
  ASSERT_EQ(Misses.size(), 1u);
  EXPECT_EQ(Misses[0].Name, "PyLong_FromLong");
  ASSERT_FALSE(Misses[0].Tried.empty());
  EXPECT_THAT(Misses[0].Tried[0], HasSubstr("global prefix '_'"));
}

TEST_F(PythonSymbolGeneratorTest, KeepsTheMostRecentMissesOnly) {
  // A generator shared by every link of a long-lived JIT sees misses for
  // ever; it keeps a bounded number.
  SymbolLookupSet Wanted;
  const std::size_t Asked = PythonSymbolGenerator::MissesKept + 10;
  for (std::size_t I = 0; I < Asked; ++I)
    Wanted.add(Jit->mangleAndIntern("PyPysym_Missing" + std::to_string(I)));
  EXPECT_FALSE(Jit->getExecutionSession().lookup(
      makeJITDylibSearchOrder(&Jit->getMainJITDylib()), std::move(Wanted)));
  std::vector<Resolution> Misses = Generator->misses();
  ASSERT_EQ(Misses.size(), PythonSymbolGenerator::MissesKept);
  EXPECT_EQ(Generator->statistics().Missed, Asked);
  std::set<std::string> Distinct;
  for (const Resolution &Miss : Misses)
    Distinct.insert(Miss.Name);
  EXPECT_EQ(Distinct.size(), Misses.size());
}

// The engine's arrangement (jit-authors.md): registrations in each
// JITDylib, every other answer in one JITDylib searched after it, which its
// generators fill.
TEST_F(PythonSymbolGeneratorTest, SplitsRegistrationsFromAnswersSharedByManyJITDylibs) {
  auto &ES = Jit->getExecutionSession();
  auto SharedDylib = ES.createJITDylib("shared");
  ASSERT_TRUE(succeeded(SharedDylib));
  auto Shared = std::make_shared<SharedInterpreterNames>(*SharedDylib);
  auto Own = ES.createJITDylib("own");
  ASSERT_TRUE(succeeded(Own));
  auto &Generator =
      Own->addGenerator(PythonSymbolGenerator::create(*TheResolver, Jit->getDataLayout(), Shared));
  static int Hook = 0;
  ASSERT_TRUE(succeeded(TheResolver->addSymbol("PyPysym_SplitHook", reinterpret_cast<std::uint64_t>(&Hook),
                                         SymbolKind::Data)));
  auto Order = makeJITDylibSearchOrder({&*Own, &*SharedDylib});
  auto Registered = ES.lookup(Order, Jit->mangleAndIntern("PyPysym_SplitHook"));
  auto Interpreters = ES.lookup(Order, Jit->mangleAndIntern("PyLong_FromLong"));
  EXPECT_TRUE(TheResolver->removeSymbol("PyPysym_SplitHook"));
  ASSERT_TRUE(succeeded(Registered));
  EXPECT_EQ(orc_compat::addressOf(*Registered), reinterpret_cast<std::uint64_t>(&Hook));
  ASSERT_TRUE(succeeded(Interpreters));
  EXPECT_EQ(orc_compat::addressOf(*Interpreters), TheResolver->find("PyLong_FromLong").Address);
  EXPECT_EQ(Generator.statistics().Defined, 2u);
  // The registration in its own JITDylib alone, the interpreter's name in
  // the shared one alone.
  EXPECT_FALSE(ES.lookup({&*SharedDylib}, Jit->mangleAndIntern("PyPysym_SplitHook")));
  EXPECT_EQ(Shared->defines(llvm::orc::SymbolLookupSet({Jit->mangleAndIntern("PyLong_FromLong"),
                                                        Jit->mangleAndIntern("PyPysym_SplitHook")})),
            std::vector<bool>({true, false}));
  auto InShared = ES.lookup({&*SharedDylib}, Jit->mangleAndIntern("PyLong_FromLong"));
  EXPECT_TRUE(succeeded(InShared));
  EXPECT_FALSE(ES.lookup({&*Own}, Jit->mangleAndIntern("PyLong_FromLong")));

  // A name nothing defines: a miss of the JITDylib's own generator.
  EXPECT_FALSE(ES.lookup(Order, Jit->mangleAndIntern("PyPysym_Nowhere")));
  ASSERT_EQ(Generator.misses().size(), 1u);
  EXPECT_EQ(Generator.misses()[0].Name, "PyPysym_Nowhere");
}

// Lookups from several threads at once, each through its own JITDylib's
// generator into one shared JITDylib: each name is defined there once, and
// none fails as a duplicate definition.
TEST_F(PythonSymbolGeneratorTest, GeneratorsSharingNamesDefineEachOnceUnderConcurrentLookups) {
  auto &ES = Jit->getExecutionSession();
  std::vector<std::string> Wanted;
  for (const std::string &Name : TheResolver->apiNames())
    if (TheResolver->findUnregistered(Name).found() && Wanted.size() < 400)
      Wanted.push_back(Name);
  constexpr int Threads = 4, Rounds = 8;
  for (int Round = 0; Round < Rounds; ++Round) {
    auto SharedDylib = ES.createJITDylib("shared" + std::to_string(Round));
    ASSERT_TRUE(succeeded(SharedDylib));
    auto Shared = std::make_shared<SharedInterpreterNames>(*SharedDylib);
    std::vector<JITDylib *> Own;
    std::vector<PythonSymbolGenerator *> Generators;
    for (int I = 0; I < Threads; ++I) {
      auto Dylib = ES.createJITDylib("own" + std::to_string(Round) + "." + std::to_string(I));
      ASSERT_TRUE(succeeded(Dylib));
      Generators.push_back(&Dylib->addGenerator(
          PythonSymbolGenerator::create(*TheResolver, Jit->getDataLayout(), Shared)));
      Own.push_back(&*Dylib);
    }
    std::atomic<int> Ready{0};
    std::vector<std::string> Failures(Threads);
    std::vector<std::thread> Running;
    for (int I = 0; I < Threads; ++I)
      Running.emplace_back([&, I] {
        SymbolLookupSet Set;
        for (const std::string &Name : Wanted)
          Set.add(Jit->mangleAndIntern(Name));
        Ready.fetch_add(1);
        while (Ready.load() < Threads) {
        }
        auto Found = ES.lookup(makeJITDylibSearchOrder({Own[I], &*SharedDylib}), std::move(Set));
        if (!Found)
          Failures[I] = llvm::toString(Found.takeError());
      });
    for (std::thread &T : Running)
      T.join();
    for (const std::string &Failure : Failures)
      EXPECT_EQ(Failure, "");
    std::uint64_t Defined = 0;
    for (PythonSymbolGenerator *Generator : Generators)
      Defined += Generator->statistics().Defined;
    EXPECT_EQ(Defined, Wanted.size());
    auto Sample = ES.lookup({&*SharedDylib}, Jit->mangleAndIntern(Wanted.back()));
    ASSERT_TRUE(succeeded(Sample));
    EXPECT_EQ(orc_compat::addressOf(*Sample), TheResolver->findUnregistered(Wanted.back()).Address);
  }
}

}  // namespace
}  // namespace pysym::testing
