#include "pysym/jitlink/ir_reader.h"

#include "gtest/gtest.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

// Invalid (a use before its definition) and declaring current debug info:
// LLVM 14's own readers would call report_fatal_error on it.
constexpr const char *InvalidWithDebugInfo = R"(
define i32 @f(i32 %a) {
entry:
  br label %next
next:
  ret i32 %x
other:
  %x = add i32 %a, 1
  br label %next
}
!llvm.module.flags = !{!0}
!0 = !{i32 2, !"Debug Info Version", i32 3}
)";

TEST(IrReaderTest, ReadsTextWithoutVerifyingSoInvalidModulesDoNotAbort) {
  llvm::LLVMContext Context;
  auto M = readIRText(InvalidWithDebugInfo, "kernel", Context);
  ASSERT_TRUE(succeeded(M));
  EXPECT_EQ((*M)->getModuleIdentifier(), "kernel");
  EXPECT_EQ((*M)->getSourceFileName(), "kernel");
  EXPECT_TRUE(llvm::verifyModule(**M, nullptr));  // invalid, and reported by us later
}

TEST(IrReaderTest, UpgradesLlvm14sDataLayoutToThisLlvmsAsBitcodeDoes) {
  // clang-14's x86-64 layout; LLVM 18 added i128:128 to it.
  const std::string Text = R"(target triple = "x86_64-pc-linux-gnu"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
define i64 @f() {
  ret i64 1
}
)";
  llvm::LLVMContext Context;
  auto FromText = readIRText(Text, "kernel", Context);
  ASSERT_TRUE(succeeded(FromText));
  llvm::InitializeNativeTarget();
  auto Host = llvm::orc::JITTargetMachineBuilder::detectHost();
  ASSERT_TRUE(succeeded(Host));
  auto Layout = Host->getDefaultDataLayoutForTarget();
  ASSERT_TRUE(succeeded(Layout));
  EXPECT_EQ((*FromText)->getDataLayout(), *Layout)
      << (*FromText)->getDataLayoutStr() << " vs " << Layout->getStringRepresentation();
  // An absent layout stays absent: the engine fills in its own.
  auto Bare = readIRText("define i64 @g() {\n  ret i64 2\n}\n", "bare", Context);
  ASSERT_TRUE(succeeded(Bare));
  EXPECT_TRUE((*Bare)->getDataLayoutStr().empty());
}

TEST(IrReaderTest, ParseErrorsNameTheModuleLineAndColumn) {
  llvm::LLVMContext Context;
  EXPECT_TRUE(failedWith(readIRText("define i64 @f() {\n  ret i64 %none\n}\n", "kernel", Context)
                             .takeError(),
                         "module 'kernel': IR does not parse: kernel:2:"));
  EXPECT_TRUE(failedWith(readIRText(llvm::StringRef("x\0y", 3), "kernel", Context).takeError(),
                         "NUL byte at offset 1"));
}

TEST(IrReaderTest, BitcodeRoundTripsAndDropsDebugInfoInsteadOfVerifying) {
  llvm::LLVMContext Context;
  auto Text = readIRText(R"(
define i64 @f() !dbg !3 {
  ret i64 7, !dbg !6
}
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, emissionKind: FullDebug)
!1 = !DIFile(filename: "k.c", directory: "/")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = distinct !DISubprogram(name: "f", scope: !1, file: !1, line: 1, type: !4, unit: !0, spFlags: DISPFlagDefinition)
!4 = !DISubroutineType(types: !5)
!5 = !{}
!6 = !DILocation(line: 1, scope: !3)
)",
                         "with_debug", Context);
  ASSERT_TRUE(succeeded(Text));
  llvm::SmallVector<char, 0> Bytes;
  llvm::raw_svector_ostream Out(Bytes);
  llvm::WriteBitcodeToFile(**Text, Out);
  std::vector<std::uint8_t> Bitcode(Bytes.begin(), Bytes.end());

  llvm::LLVMContext Other;
  auto M = readBitcode(Bitcode, "from_bitcode", Other);
  ASSERT_TRUE(succeeded(M));
  EXPECT_NE((*M)->getFunction("f"), nullptr);
  EXPECT_EQ((*M)->getFunction("f")->getSubprogram(), nullptr);
  EXPECT_FALSE(llvm::verifyModule(**M, nullptr));

  EXPECT_TRUE(failedWith(readBitcode({1, 2, 3}, "junk", Other).takeError(), "not LLVM bitcode"));
  std::vector<std::uint8_t> Half(Bitcode.begin(), Bitcode.begin() + Bitcode.size() / 2);
  EXPECT_TRUE(failedWith(readBitcode(Half, "half", Other).takeError(), "bitcode does not load"));
}

}  // namespace
}  // namespace pysym::testing
