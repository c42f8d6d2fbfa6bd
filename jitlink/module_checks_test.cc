#include "pysym/jitlink/module_checks.h"

#include "gtest/gtest.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

class ModuleChecksTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::InitializeNativeTarget();
    auto Host = llvm::orc::JITTargetMachineBuilder::detectHost();
    ASSERT_TRUE(succeeded(Host));
    auto Layout = Host->getDefaultDataLayoutForTarget();
    ASSERT_TRUE(succeeded(Layout));
    Target = std::make_unique<JitTarget>(JitTarget{Host->getTargetTriple(), *Layout, Host->getFeatures()});
  }

  std::unique_ptr<llvm::Module> parse(llvm::StringRef IR) {
    llvm::SMDiagnostic Diagnostic;
    auto M = llvm::parseAssemblyString(IR, Diagnostic, Context);
    EXPECT_NE(M, nullptr) << Diagnostic.getMessage().str();
    return M;
  }

  llvm::Error check(llvm::StringRef IR) {
    auto M = parse(IR);
    return M ? checkModule(*M, "m", *Target) : llvm::Error::success();
  }

  llvm::LLVMContext Context;
  std::unique_ptr<JitTarget> Target;
};

TEST_F(ModuleChecksTest, AcceptsPlainKernelsWithOrWithoutTripleAndLayout) {
  EXPECT_TRUE(succeeded(check("define i64 @f() {\n  ret i64 1\n}\n")));
  EXPECT_TRUE(succeeded(check("target triple = \"x86_64-unknown-linux-gnu\"\n"
                              "define i64 @f() {\n  ret i64 1\n}\n")));
  // Baseline x86-64 intrinsics need no feature.
  EXPECT_TRUE(succeeded(check(R"(
declare <4 x float> @llvm.x86.sse.rcp.ps(<4 x float>)
define <4 x float> @f(<4 x float> %a) {
  %r = call <4 x float> @llvm.x86.sse.rcp.ps(<4 x float> %a)
  ret <4 x float> %r
}
)")));
  // 128 bits is the widest division LLVM 14 lowers, and it does.
  EXPECT_TRUE(succeeded(check("define i128 @f(i128 %a, i128 %b) {\n"
                              "  %r = sdiv i128 %a, %b\n  ret i128 %r\n}\n")));
}

TEST_F(ModuleChecksTest, NamesTheModuleAndTheOffender) {
  EXPECT_TRUE(failedWith(check("define cc 200 void @victim() {\n  ret void\n}\n"),
                         "module 'm': function victim uses calling convention 200"));
  EXPECT_TRUE(failedWith(check("declare void @g()\ndefine void @f() {\n"
                               "  call cc 201 void @g()\n  ret void\n}\n"),
                         "makes a call with calling convention 201"));
  EXPECT_TRUE(failedWith(check("define i256 @f(i256 %a) {\n"
                               "  %r = urem i256 %a, 7\n  ret i256 %r\n}\n"),
                         "function f divides or converts an integer wider than 128 bits"));
  EXPECT_TRUE(failedWith(check("@g = external thread_local global i32\n"), "global g is thread-local"));
  // Found by fuzz/engine_bitcode_fuzzer: the object's symbol ends at the
  // NUL, so the module's own definition would look up at address 0.
  // The IR parser refuses such names; bitcode carries them.
  for (const char *IR : {"define void @kernel() {\n  ret void\n}\n",
                         "declare void @kernel()\n"}) {
    auto M = parse(IR);
    ASSERT_NE(M, nullptr);
    M->getFunction("kernel")->setName(llvm::StringRef("k\0ernel", 7));
    EXPECT_TRUE(failedWith(checkModule(*M, "m", *Target),
                           "module 'm': the name \"k\\000ernel\" holds a NUL byte"));
  }
  EXPECT_TRUE(failedWith(check("declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()\n"
                               "define i32 @f() {\n"
                               "  %r = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()\n  ret i32 %r\n}\n"),
                         "intrinsic of the nvvm target"));
}

TEST_F(ModuleChecksTest, RefusesX86IntrinsicsOfExtensionsTheHostLacks) {
  Target->Features = llvm::SubtargetFeatures("+sse2,-avx2");
  EXPECT_TRUE(failedWith(check(R"(
declare <8 x i32> @llvm.x86.avx2.psllv.d.256(<8 x i32>, <8 x i32>)
define <8 x i32> @f(<8 x i32> %a) {
  %r = call <8 x i32> @llvm.x86.avx2.psllv.d.256(<8 x i32> %a, <8 x i32> %a)
  ret <8 x i32> %r
}
)"),
                         "needs the CPU feature 'avx2'"));
}

TEST_F(ModuleChecksTest, PrepareFillsTheTargetAndProtectsPromisedSymbols) {
  auto M = parse(R"(
@data = external hidden global i8
declare dso_local void @callee()
define linkonce_odr i64 @helper() {
  ret i64 1
}
define i8* @f() {
  call void @callee()
  ret i8* @data
}
)");
  ASSERT_NE(M, nullptr);
  ASSERT_TRUE(succeeded(checkModule(*M, "m", *Target)));
  prepareModule(*M, *Target);
  EXPECT_EQ(M->getTargetTriple(), Target->Triple.str());
  EXPECT_EQ(M->getDataLayout(), Target->Layout);
  EXPECT_FALSE(M->getNamedValue("data")->isDSOLocal());
  EXPECT_FALSE(M->getNamedValue("callee")->isDSOLocal());
  const llvm::GlobalVariable *Used = M->getNamedGlobal("llvm.compiler.used");
  ASSERT_NE(Used, nullptr);
  EXPECT_NE(Used->getInitializer()->getNumOperands(), 0u);
  // Still a valid module.
  EXPECT_TRUE(succeeded(checkModule(*M, "m", *Target)));
}

}  // namespace
}  // namespace pysym::testing
