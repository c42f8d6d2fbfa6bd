// The facts about LLVM 14's LLJIT defaults that orc_compat_llvm14.cc's
// configuration rests on, checked against the LLVM on this machine.
#include "gtest/gtest.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/Target/TargetMachine.h"
#include "pysym/jitlink/testing/orc_compat_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using namespace llvm::orc;

TEST_F(OrcCompatTest, Llvm14LljitDefaultsToRuntimeDyldLargeStaticOnElf) {
  auto Host = JITTargetMachineBuilder::detectHost();
  ASSERT_TRUE(succeeded(Host));
  ASSERT_TRUE(Host->getTargetTriple().isOSBinFormatELF());
  auto Machine = JITTargetMachineBuilder(*Host).createTargetMachine();
  ASSERT_TRUE(succeeded(Machine));
  EXPECT_EQ((*Machine)->getCodeModel(), llvm::CodeModel::Large);
  EXPECT_EQ((*Machine)->getRelocationModel(), llvm::Reloc::Static);
  auto J = LLJITBuilder().create();
  ASSERT_TRUE(succeeded(J));
  EXPECT_NE(dynamic_cast<RTDyldObjectLinkingLayer *>(&(*J)->getObjLinkingLayer()), nullptr);
}

TEST_F(OrcCompatTest, Llvm14LljitLinksNoProcessSymbolsByDefault) {
  auto J = LLJITBuilder().create();
  ASSERT_TRUE(succeeded(J));
  ASSERT_NO_FATAL_FAILURE(add(**J, (*J)->getMainJITDylib(), CallsGetpid));
  // Silence the session's report; the lookup's own error is what counts.
  (*J)->getExecutionSession().setErrorReporter([](llvm::Error E) { llvm::consumeError(std::move(E)); });
  EXPECT_TRUE(failedWith((*J)->lookup("pid").takeError(), "Failed to materialize"));
}

}  // namespace
}  // namespace pysym::testing
