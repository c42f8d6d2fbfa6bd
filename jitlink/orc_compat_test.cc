// The compat layer's behaviour, the same on every LLVM version, and a fact
// about RuntimeDyld the engine's design rests on. The facts about each
// version's LLJIT defaults are in orc_compat_llvm<N>_test.cc.
#include "pysym/jitlink/orc_compat.h"

#include <unistd.h>

#include "gtest/gtest.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "pysym/jitlink/testing/orc_compat_testing.h"
#include "tests/error_testing.h"

namespace pysym::testing {
namespace {

using namespace llvm::orc;

TEST_F(OrcCompatTest, ConfiguredBuildersUseTheChosenLinkerAndNoProcessSymbols) {
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
    if (Kind == Linker::JITLink)
      EXPECT_NE(dynamic_cast<ObjectLinkingLayer *>(&(*J)->getObjLinkingLayer()), nullptr);
    else
      EXPECT_NE(dynamic_cast<RTDyldObjectLinkingLayer *>(&(*J)->getObjLinkingLayer()), nullptr);

    auto &ES = (*J)->getExecutionSession();
    std::vector<std::string> Missing;
    ES.setErrorReporter([&](llvm::Error E) {
      llvm::handleAllErrors(std::move(E), [&](const llvm::ErrorInfoBase &Info) {
        for (std::string &Name : orc_compat::namesNotFound(Info))
          Missing.push_back(Name);
      });
    });
    auto JD = orc_compat::createBareJITDylib(ES, "bare");
    ASSERT_TRUE(succeeded(JD));
    EXPECT_TRUE(failedWith(orc_compat::createBareJITDylib(ES, "bare").takeError(), "already exists"));
    ASSERT_NO_FATAL_FAILURE(add(**J, *JD, CallsGetpid));
    auto Address = orc_compat::lookupAddress(ES, *JD, (*J)->mangle("pid"));
    ASSERT_FALSE(Address);
    llvm::Error Err = Address.takeError();
    bool Failed = false;
    llvm::handleAllErrors(std::move(Err), [&](const llvm::ErrorInfoBase &Info) {
      // The same ORC error type on every supported LLVM version.
      Failed = Info.isA<llvm::orc::FailedToMaterialize>();
    });
    EXPECT_TRUE(Failed);
    EXPECT_EQ(Missing, std::vector<std::string>{"getpid"});

    // Defined as absolute symbols, with the callable flag where asked.
    orc_compat::AbsoluteSymbols Symbols;
    Symbols.add(ES.intern("getpid"), reinterpret_cast<std::uint64_t>(&::getpid), true);
    Symbols.add(ES.intern("some_data"), 0x1234, false);
    ASSERT_TRUE(succeeded(Symbols.defineIn(*JD)));
    auto Pid = orc_compat::lookupAddress(ES, *JD, "getpid");
    ASSERT_TRUE(succeeded(Pid));
    EXPECT_EQ(*Pid, reinterpret_cast<std::uint64_t>(&::getpid));
    orc_compat::AbsoluteSymbols Again;
    Again.add(ES.intern("some_data"), 0x1234, false);
    llvm::Error Duplicate = Again.defineIn(*JD);
    std::optional<std::string> Clash;
    llvm::handleAllErrors(std::move(Duplicate), [&](const llvm::ErrorInfoBase &Info) {
      Clash = orc_compat::duplicateDefinitionName(Info);
    });
    EXPECT_EQ(Clash, std::optional<std::string>("some_data"));
  }
}

TEST_F(OrcCompatTest, RuntimeDyldWithTheSmallCodeModelTruncatesFarDataSilently) {
  // Why the engine never pairs them: an address more than 2 GiB from the
  // JIT's code comes back wrong, and the release builds of LLVM 14 and 19
  // say nothing.
  auto Host = JITTargetMachineBuilder::detectHost();
  ASSERT_TRUE(succeeded(Host));
  Host->setCodeModel(llvm::CodeModel::Small);
  Host->setRelocationModel(llvm::Reloc::Static);
  // RuntimeDyld named explicitly: LLVM 19's LLJIT would pick JITLink, which
  // reports the out-of-range fixup instead.
  auto J = LLJITBuilder()
               .setJITTargetMachineBuilder(*Host)
               .setObjectLinkingLayerCreator([](ExecutionSession &ES, const llvm::Triple &) {
                 return std::unique_ptr<ObjectLayer>(std::make_unique<RTDyldObjectLinkingLayer>(
                     ES, [] { return std::make_unique<llvm::SectionMemoryManager>(); }));
               })
               .create();
  ASSERT_TRUE(succeeded(J));
  ASSERT_NO_FATAL_FAILURE(add(**J, (*J)->getMainJITDylib(), R"(
@far = external dso_local global i8
define i8* @far_address() {
  ret i8* @far
}
)"));
  // Never dereferenced: only the address matters. 64 GiB below the code's
  // region is beyond any 32-bit reach.
  const std::uint64_t Far = (reinterpret_cast<std::uint64_t>(&::getpid) - (std::uint64_t(64) << 30));
  orc_compat::AbsoluteSymbols Symbols;
  Symbols.add((*J)->mangleAndIntern("far"), Far, false);
  ASSERT_TRUE(succeeded(Symbols.defineIn((*J)->getMainJITDylib())));
  auto Address = (*J)->lookup("far_address");
  ASSERT_TRUE(succeeded(Address));
  auto *Function = reinterpret_cast<void *(*)()>(orc_compat::addressOf(*Address));
  EXPECT_NE(reinterpret_cast<std::uint64_t>(Function()), Far);
}

TEST_F(OrcCompatTest, ModelsPerLinker) {
  EXPECT_EQ(orc_compat::codeGenModelsFor(Linker::RuntimeDyld).Code, llvm::CodeModel::Large);
  EXPECT_EQ(orc_compat::codeGenModelsFor(Linker::RuntimeDyld).Relocation, llvm::Reloc::Static);
  EXPECT_EQ(orc_compat::codeGenModelsFor(Linker::JITLink).Code, llvm::CodeModel::Small);
  EXPECT_EQ(orc_compat::codeGenModelsFor(Linker::JITLink).Relocation, llvm::Reloc::PIC_);
}

}  // namespace
}  // namespace pysym::testing
