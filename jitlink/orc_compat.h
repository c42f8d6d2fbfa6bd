// pysym's one LLVM-version seam: the ORC and IR-reading calls whose
// spelling or behaviour differs between the LLVM versions pysym builds
// against (14, the default, and 19 with --config=llvm19).
//
// ORC changed between them in ways that touch a definition generator and an
// engine: absolute symbols went from JITEvaluatedSymbol to
// ExecutorSymbolDef, lookups return ExecutorAddr, LLJIT gained a
// process-symbols JITDylib (17) that must be turned off and chooses JITLink
// by itself on ELF x86-64, the code-generator level became an enum class,
// LLVM 14's JITLink memory manager never unmaps, and the IR text parser's
// data-layout callback gained the triple. orc_compat.cc holds what is the
// same on both; orc_compat_version.h lists the few things each version's
// orc_compat_llvm<version>.cc supplies (jitlink/BUILD picks the file).
#ifndef PYSYM_JITLINK_ORC_COMPAT_H
#define PYSYM_JITLINK_ORC_COMPAT_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"
#include "pysym/jitlink/linker.h"

namespace pysym::orc_compat {

/// Symbols to define with llvm::orc::absoluteSymbols.
class AbsoluteSymbols {
public:
  void add(llvm::orc::SymbolStringPtr Name, std::uint64_t Address, bool Callable);
  bool empty() const { return Map.empty(); }
  /// Defines every added symbol in \p JD (DuplicateDefinition if one is there).
  llvm::Error defineIn(llvm::orc::JITDylib &JD);

private:
  llvm::orc::SymbolMap Map;
};

/// The code and relocation models a linking layer can link correctly for
/// references to anywhere in the address space. RuntimeDyld: the large code
/// model with static relocations (64-bit absolute addresses; with the small
/// model a PC-relative reference to data more than 2 GiB away is silently
/// truncated by release builds of RuntimeDyld). JITLink: the small code model
/// with PIC (external data through a GOT it builds, calls through stubs, and
/// out-of-range fixups reported as errors).
struct CodeGenModels {
  llvm::CodeModel::Model Code;
  llvm::Reloc::Model Relocation;
};
CodeGenModels codeGenModelsFor(Linker Kind);

/// Configures \p Builder so that the LLJIT it creates targets \p Target
/// with codeGenModelsFor(Kind), links with \p Kind, compiles with
/// \p Compiler (which must be safe to run on several threads at once: with
/// no compile threads, ORC materializes on whichever thread looks up), sets
/// up no platform (no initializer support, no runtime interposes in the
/// main JITDylib) and links no process-symbol generator anywhere, so every
/// external name goes through the generators pysym attaches.
using CompilerFactory = llvm::orc::LLJITBuilderState::CompileFunctionCreator;
void configureBuilder(llvm::orc::LLJITBuilder &Builder,
                      llvm::orc::JITTargetMachineBuilder Target, Linker Kind,
                      CompilerFactory Compiler);

/// Sets the code generator's optimisation level of \p Target: 0 .. 3, as
/// -O0 .. -O3 (above 3 means 3). Per version (the level's type differs).
void setCodeGenOptLevel(llvm::orc::JITTargetMachineBuilder &Target, unsigned Level);

/// The IR text file \p Path as llvm::parseAssemblyFileWithIndexNoUpgradeDebugInfo
/// reads it, with the data layout of IR written for an older LLVM upgraded
/// the way this LLVM's bitcode reader upgrades it; nullptr (and
/// \p Diagnostic filled in) when it does not parse. Per version (the
/// data-layout callback's signature differs).
std::unique_ptr<llvm::Module> parseIRFileNoUpgradeDebugInfo(llvm::StringRef Path,
                                                            llvm::SMDiagnostic &Diagnostic,
                                                            llvm::LLVMContext &Context);

/// A new JITDylib named \p Name whose link order is only itself (LLVM 17's
/// LLJIT::createJITDylib would also link the process-symbols and platform
/// JITDylibs). Fails when the name is taken.
llvm::Expected<llvm::orc::JITDylib &> createBareJITDylib(llvm::orc::ExecutionSession &ES,
                                                         const std::string &Name);

/// The address of the linker-mangled \p MangledName in \p JD only,
/// materializing what defines it.
llvm::Expected<std::uint64_t> lookupAddress(llvm::orc::ExecutionSession &ES,
                                            llvm::orc::JITDylib &JD,
                                            llvm::StringRef MangledName);

/// The address of what an ORC lookup returned: a JITEvaluatedSymbol on
/// LLVM 14, an ExecutorSymbolDef on 19 (ExecutionSession::lookup).
template <typename LookedUp> std::uint64_t addressOf(const LookedUp &Symbol) {
  return llvm::orc::ExecutorAddr(Symbol.getAddress()).getValue();
}
/// LLJIT::lookup's result on LLVM 19 (on 14 it is a JITEvaluatedSymbol).
inline std::uint64_t addressOf(llvm::orc::ExecutorAddr Address) { return Address.getValue(); }

/// The names a SymbolsNotFound error carries, or an empty list for any other
/// error. The error is only inspected.
std::vector<std::string> namesNotFound(const llvm::ErrorInfoBase &Error);

/// The symbol name in a DuplicateDefinition error, or std::nullopt.
std::optional<std::string> duplicateDefinitionName(const llvm::ErrorInfoBase &Error);

}  // namespace pysym::orc_compat

#endif  // PYSYM_JITLINK_ORC_COMPAT_H
