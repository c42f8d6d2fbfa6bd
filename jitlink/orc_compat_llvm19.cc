// LLVM 19's side of orc_compat_version.h and of the per-version calls in
// orc_compat.h.
#include "jitlink/orc_compat_version.h"
#include "pysym/jitlink/orc_compat.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/ModuleSummaryIndex.h"  // ParsedModuleAndIndex destroys one
#include "llvm/IR/AutoUpgrade.h"

#if LLVM_VERSION_MAJOR != 19
#error "jitlink/orc_compat_llvm19.cc is for LLVM 19: each version has its own file (jitlink/BUILD)"
#endif

namespace pysym::orc_compat {

using namespace llvm;
using namespace llvm::orc;

namespace version {

ExecutorSymbolDef absoluteSymbol(std::uint64_t Address, JITSymbolFlags Flags) {
  return ExecutorSymbolDef(ExecutorAddr(Address), Flags);
}

Expected<std::unique_ptr<jitlink::JITLinkMemoryManager>> createJITLinkMemoryManager() {
  // Unlike LLVM 14's, this memory manager unmaps a module's slab when the
  // module is removed (jitlink/benchmarks/soak_benchmark.cc measures it).
  auto Memory = jitlink::InProcessMemoryManager::Create();
  if (!Memory)
    return Memory.takeError();
  return std::unique_ptr<jitlink::JITLinkMemoryManager>(std::move(*Memory));
}

void disableImplicitSetup(LLJITBuilder &Builder) {
  // From LLVM 17 LLJIT creates a "<Process Symbols>" JITDylib (a
  // DynamicLibrarySearchGenerator over the whole process) and links it
  // after every JITDylib it creates; turned off, no such JITDylib exists.
  Builder.setLinkProcessSymbolsByDefault(false);
  // Concurrent-compilation support would clone every module into a new
  // context.
  Builder.setSupportConcurrentCompilation(false);
}

}  // namespace version

void setCodeGenOptLevel(JITTargetMachineBuilder &Target, unsigned Level) {
  static constexpr CodeGenOptLevel Levels[] = {CodeGenOptLevel::None, CodeGenOptLevel::Less,
                                               CodeGenOptLevel::Default,
                                               CodeGenOptLevel::Aggressive};
  Target.setCodeGenOptLevel(Levels[Level < 3 ? Level : 3]);
}

std::unique_ptr<Module> parseIRFileNoUpgradeDebugInfo(StringRef Path, SMDiagnostic &Diagnostic,
                                                      LLVMContext &Context) {
  // LLVM 19's bitcode reader upgrades an older LLVM's layout string
  // (x86-64's gained i128:128 in LLVM 18), but its text parser does not, so
  // IR text written for LLVM 14 (clang-14's, Numba 0.5x's) would name a
  // layout other than the JIT's.
  return parseAssemblyFileWithIndexNoUpgradeDebugInfo(
             Path, Diagnostic, Context, nullptr,
             [](StringRef Triple, StringRef Layout) -> std::optional<std::string> {
               return UpgradeDataLayoutString(Layout, Triple);
             })
      .Mod;
}

}  // namespace pysym::orc_compat
