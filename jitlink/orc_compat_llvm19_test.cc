// The facts about LLVM 19's LLJIT defaults that orc_compat_llvm19.cc's
// configuration rests on, checked against the LLVM on this machine.
#include "gtest/gtest.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "pysym/jitlink/orc_compat.h"
#include "pysym/jitlink/testing/orc_compat_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using namespace llvm::orc;

TEST_F(OrcCompatTest, Llvm19LljitDefaultsToJITLinkSmallPicOnElf) {
  // With no linking layer of the caller's, LLJIT picks JITLink and sets the
  // models JITLink needs; pysym installs its own layer, so it must set them.
  LLJITBuilder Builder;
  ASSERT_TRUE(succeeded(Builder.prepareForConstruction()));
  ASSERT_TRUE(Builder.JTMB->getTargetTriple().isOSBinFormatELF());
  EXPECT_EQ(Builder.JTMB->getCodeModel(), llvm::CodeModel::Small);
  EXPECT_EQ(Builder.JTMB->getRelocationModel(), llvm::Reloc::PIC_);
  auto J = LLJITBuilder().create();
  ASSERT_TRUE(succeeded(J));
  EXPECT_NE(dynamic_cast<ObjectLinkingLayer *>(&(*J)->getObjLinkingLayer()), nullptr);
}

TEST_F(OrcCompatTest, Llvm19LljitLinksProcessSymbolsUnlessTurnedOff) {
  // By default every JITDylib LLJIT creates, "main" included, falls back on
  // the whole process's symbols: getpid links.
  auto Default = LLJITBuilder().create();
  ASSERT_TRUE(succeeded(Default));
  EXPECT_NE((*Default)->getProcessSymbolsJITDylib(), nullptr);
  ASSERT_NO_FATAL_FAILURE(add(**Default, (*Default)->getMainJITDylib(), CallsGetpid));
  auto Pid = (*Default)->lookup("pid");
  EXPECT_TRUE(succeeded(Pid));

  // Turned off, the default platform refuses to start ("Native platforms
  // require a process symbols JITDylib"), so the platform goes too.
  EXPECT_TRUE(failedWith(LLJITBuilder().setLinkProcessSymbolsByDefault(false).create().takeError(),
                         "require a process symbols JITDylib"));
  auto Off = LLJITBuilder()
                 .setLinkProcessSymbolsByDefault(false)
                 .setPlatformSetUp(setUpInactivePlatform)
                 .create();
  ASSERT_TRUE(succeeded(Off));
  EXPECT_EQ((*Off)->getProcessSymbolsJITDylib(), nullptr);
  ASSERT_NO_FATAL_FAILURE(add(**Off, (*Off)->getMainJITDylib(), CallsGetpid));
  // Silence the session's report; the lookup's own error is what counts.
  (*Off)->getExecutionSession().setErrorReporter(
      [](llvm::Error E) { llvm::consumeError(std::move(E)); });
  EXPECT_TRUE(failedWith((*Off)->lookup("pid").takeError(), "Failed to materialize"));
}

TEST_F(OrcCompatTest, Llvm19ConfiguredBuildersCreateNoProcessSymbolsJITDylib) {
  for (Linker Kind : {Linker::RuntimeDyld, Linker::JITLink}) {
    auto Host = JITTargetMachineBuilder::detectHost();
    ASSERT_TRUE(succeeded(Host));
    LLJITBuilder Builder;
    orc_compat::configureBuilder(Builder, *Host, Kind, [](JITTargetMachineBuilder T)
        -> llvm::Expected<std::unique_ptr<IRCompileLayer::IRCompiler>> {
      return std::make_unique<ConcurrentIRCompiler>(std::move(T));
    });
    auto J = Builder.create();
    ASSERT_TRUE(succeeded(J));
    EXPECT_EQ((*J)->getProcessSymbolsJITDylib(), nullptr) << toString(Kind).str();
    EXPECT_EQ((*J)->getPlatformJITDylib(), nullptr) << toString(Kind).str();
  }
}

}  // namespace
}  // namespace pysym::testing
