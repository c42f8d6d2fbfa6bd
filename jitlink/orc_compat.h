// The only place in pysym that spells LLVM-version-dependent ORC API.
//
// pysym builds against LLVM 14 (the default) and LLVM 19 (--config=llvm19).
// ORC changed between them in ways that touch a definition generator and an
// engine: absolute symbols went from JITEvaluatedSymbol to
// ExecutorSymbolDef, lookups return ExecutorAddr, LLJIT gained a
// process-symbols JITDylib (17) that must be turned off and chooses JITLink
// by itself on ELF x86-64, the code-generator level became an enum class,
// and LLVM 14's JITLink memory manager never unmaps. Everything else in
// jitlink/ calls these functions; each LLVM version implements them in its
// own file, orc_compat_llvm<version>.cc, chosen by jitlink/BUILD.
#ifndef PYSYM_JITLINK_ORC_COMPAT_H
#define PYSYM_JITLINK_ORC_COMPAT_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jitlink/linker.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"

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
/// -O0 .. -O3 (above 3 means 3).
void setCodeGenOptLevel(llvm::orc::JITTargetMachineBuilder &Target, unsigned Level);

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
