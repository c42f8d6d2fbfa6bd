// What orc_compat_test's files share: a fixture with the native target set
// up, and a way to add IR text to an LLJIT.
#ifndef PYSYM_JITLINK_TESTING_ORC_COMPAT_TESTING_H
#define PYSYM_JITLINK_TESTING_ORC_COMPAT_TESTING_H

#include <memory>

#include "gtest/gtest.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "tests/error_testing.h"

namespace pysym::testing {

class OrcCompatTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  }

  // Adds `IR` to `JD` of `J`.
  void add(llvm::orc::LLJIT &J, llvm::orc::JITDylib &JD, llvm::StringRef IR) {
    auto Context = std::make_unique<llvm::LLVMContext>();
    llvm::SMDiagnostic Diagnostic;
    auto M = llvm::parseIR(llvm::MemoryBufferRef(IR, "test"), Diagnostic, *Context);
    ASSERT_NE(M, nullptr) << Diagnostic.getMessage().str();
    ASSERT_TRUE(succeeded(
        J.addIRModule(JD, llvm::orc::ThreadSafeModule(std::move(M), std::move(Context)))));
  }
};

/// A function that calls getpid, which only a process-symbols generator
/// would resolve.
inline constexpr const char *CallsGetpid = R"(
declare i32 @getpid()
define i32 @pid() {
  %r = call i32 @getpid()
  ret i32 %r
}
)";

}  // namespace pysym::testing

#endif  // PYSYM_JITLINK_TESTING_ORC_COMPAT_TESTING_H
