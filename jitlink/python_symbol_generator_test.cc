// The generator attached to plain LLVM 14 LLJITs, the way a JIT author
// would attach it (docs/jit-authors.md), inside the embedded interpreter.
#include "pysym/jitlink/python_symbol_generator.h"

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
    Names = N;
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto Created = LLJITBuilder().create();
    ASSERT_TRUE(succeeded(Created));
    Jit = std::move(*Created);
    // What ORC would print is the generator's to explain.
    Jit->getExecutionSession().setErrorReporter([](llvm::Error E) { llvm::consumeError(std::move(E)); });
    Generator = &Jit->getMainJITDylib().addGenerator(
        PythonSymbolGenerator::create(*Names, Jit->getDataLayout()));
  }

  void add(llvm::StringRef IR) {
    auto Context = std::make_unique<llvm::LLVMContext>();
    llvm::SMDiagnostic Diagnostic;
    auto M = llvm::parseIR(llvm::MemoryBufferRef(IR, "test"), Diagnostic, *Context);
    ASSERT_NE(M, nullptr) << Diagnostic.getMessage().str();
    ASSERT_TRUE(succeeded(Jit->addIRModule(ThreadSafeModule(std::move(M), std::move(Context)))));
  }

  EmbeddedPython *Python = nullptr;
  Resolver *Names = nullptr;
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
  EXPECT_EQ(orc_compat::addressOf(*Function), Names->resolve("PyLong_FromLong").Address);
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
  ASSERT_TRUE(succeeded(Names->addSymbol("PyPysym_LateArrival",
                                         reinterpret_cast<std::uint64_t>(&Target), SymbolKind::Data)));
  auto Found = Lookup();
  EXPECT_TRUE(Names->removeSymbol("PyPysym_LateArrival"));
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
  auto &Prefixed = JD->addGenerator(PythonSymbolGenerator::create(*Names, MachO));
  auto Hit = ES.lookup({&*JD}, ES.intern("_PyLong_FromLong"));
  ASSERT_TRUE(succeeded(Hit));
  EXPECT_EQ(orc_compat::addressOf(*Hit), Names->resolve("PyLong_FromLong").Address);
  EXPECT_FALSE(ES.lookup({&*JD}, ES.intern("PyLong_FromLong")));
  std::vector<Resolution> Misses = Prefixed.misses();
  ASSERT_EQ(Misses.size(), 1u);
  EXPECT_EQ(Misses[0].Name, "PyLong_FromLong");
  ASSERT_FALSE(Misses[0].Tried.empty());
  EXPECT_THAT(Misses[0].Tried[0], HasSubstr("global prefix '_'"));
}

}  // namespace
}  // namespace pysym::testing
