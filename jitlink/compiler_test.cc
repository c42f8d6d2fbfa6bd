#include "pysym/jitlink/compiler.h"

#include "gtest/gtest.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

class CompilerTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    auto Host = llvm::orc::JITTargetMachineBuilder::detectHost();
    ASSERT_TRUE(succeeded(Host));
    Target = std::make_unique<llvm::orc::JITTargetMachineBuilder>(*Host);
    DiagnosticCollector::installIn(Context);
  }
  std::unique_ptr<llvm::Module> parse(llvm::StringRef IR) {
    llvm::SMDiagnostic Diagnostic;
    auto M = llvm::parseAssemblyString(IR, Diagnostic, Context);
    EXPECT_NE(M, nullptr) << Diagnostic.getMessage().str();
    if (M)
      M->setDataLayout(*Target->getDefaultDataLayoutForTarget());
    return M;
  }
  llvm::LLVMContext Context;
  std::unique_ptr<llvm::orc::JITTargetMachineBuilder> Target;
};

TEST_F(CompilerTest, OptimizesWithTheDefaultPipeline) {
  constexpr const char *Loop = R"(
define i64 @f() {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %next = add i64 %i, 1
  %more = icmp slt i64 %next, 10
  br i1 %more, label %loop, label %done
done:
  ret i64 %next
}
)";
  auto Unoptimized = parse(Loop);
  ASSERT_TRUE(succeeded(optimizeModule(*Unoptimized, 0, *Target)));
  EXPECT_GT(Unoptimized->getFunction("f")->size(), 1u);
  auto Optimized = parse(Loop);
  ASSERT_TRUE(succeeded(optimizeModule(*Optimized, 2, *Target)));
  const llvm::Function &F = *Optimized->getFunction("f");
  ASSERT_EQ(F.size(), 1u);  // the loop folded to `ret i64 10`
  const auto *Return = llvm::dyn_cast<llvm::ReturnInst>(F.getEntryBlock().getTerminator());
  ASSERT_NE(Return, nullptr);
  EXPECT_TRUE(llvm::isa<llvm::ConstantInt>(Return->getReturnValue()));
}

TEST_F(CompilerTest, CodeGeneratorErrorsBecomeErrorsNotExit) {
  auto M = parse(R"(
define void @f() {
  call void asm sideeffect "not_an_instruction", ""()
  ret void
}
)");
  M->setModuleIdentifier("asm_kernel");
  CheckedCompiler Compile(*Target);
  auto Object = Compile(*M);
  EXPECT_TRUE(failedWith(Object, "module 'asm_kernel' does not compile:"));
  // Collected errors are handed out once.
  EXPECT_TRUE(DiagnosticCollector::takeErrorsOf(Context).empty());

  auto Good = parse("define i64 @g() {\n  ret i64 1\n}\n");
  auto GoodObject = Compile(*Good);
  ASSERT_TRUE(succeeded(GoodObject));
  EXPECT_GT((*GoodObject)->getBufferSize(), 0u);
}

}  // namespace
}  // namespace pysym::testing
