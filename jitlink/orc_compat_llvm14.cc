// LLVM 14's side of orc_compat_version.h and of the per-version calls in
// orc_compat.h.
#include "jitlink/orc_compat_memory_llvm14.h"
#include "jitlink/orc_compat_version.h"
#include "pysym/jitlink/orc_compat.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/ModuleSummaryIndex.h"  // ParsedModuleAndIndex destroys one

#if LLVM_VERSION_MAJOR != 14
#error "jitlink/orc_compat_llvm14.cc is for LLVM 14: each version has its own file (jitlink/BUILD)"
#endif

namespace pysym::orc_compat {

using namespace llvm;
using namespace llvm::orc;

namespace version {

JITEvaluatedSymbol absoluteSymbol(std::uint64_t Address, JITSymbolFlags Flags) {
  return JITEvaluatedSymbol(Address, Flags);
}

Expected<std::unique_ptr<jitlink::JITLinkMemoryManager>> createJITLinkMemoryManager() {
  // LLVM 14's InProcessMemoryManager never unmaps (orc_compat_memory_llvm14.h).
  auto Memory = ReleasingMemoryManager::create();
  if (!Memory)
    return Memory.takeError();
  return std::unique_ptr<jitlink::JITLinkMemoryManager>(std::move(*Memory));
}

// LLVM 14's LLJIT links no process symbols and compiles on no other thread
// unless asked to.
void disableImplicitSetup(LLJITBuilder &) {}

}  // namespace version

void setCodeGenOptLevel(JITTargetMachineBuilder &Target, unsigned Level) {
  static constexpr CodeGenOpt::Level Levels[] = {CodeGenOpt::None, CodeGenOpt::Less,
                                                 CodeGenOpt::Default, CodeGenOpt::Aggressive};
  Target.setCodeGenOptLevel(Levels[Level < 3 ? Level : 3]);
}

std::unique_ptr<Module> parseIRFileNoUpgradeDebugInfo(StringRef Path, SMDiagnostic &Diagnostic,
                                                      LLVMContext &Context) {
  // LLVM 14 reads its own data layouts as they are.
  return parseAssemblyFileWithIndexNoUpgradeDebugInfo(
             Path, Diagnostic, Context, nullptr,
             [](StringRef) -> Optional<std::string> { return None; })
      .Mod;
}

}  // namespace pysym::orc_compat
