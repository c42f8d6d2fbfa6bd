// What orc_compat.cc needs from one LLVM version: each is defined in that
// version's orc_compat_llvm<version>.cc (jitlink/BUILD picks the file), and
// nothing else in pysym spells these differences.
#ifndef PYSYM_JITLINK_ORC_COMPAT_VERSION_H
#define PYSYM_JITLINK_ORC_COMPAT_VERSION_H

#include <cstdint>
#include <memory>

#include "llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h"
#include "llvm/ExecutionEngine/JITSymbol.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/Error.h"

namespace pysym::orc_compat::version {

/// An absolute symbol at \p Address, as a SymbolMap holds it
/// (JITEvaluatedSymbol on LLVM 14, ExecutorSymbolDef on 19).
llvm::orc::SymbolMap::mapped_type absoluteSymbol(std::uint64_t Address,
                                                 llvm::JITSymbolFlags Flags);

/// A JITLink memory manager that gives a removed module's memory back.
llvm::Expected<std::unique_ptr<llvm::jitlink::JITLinkMemoryManager>> createJITLinkMemoryManager();

/// Turns off what this version's LLJIT would set up by itself beyond
/// LLVM 14's: no process-symbols JITDylib, no concurrent compilation.
void disableImplicitSetup(llvm::orc::LLJITBuilder &Builder);

}  // namespace pysym::orc_compat::version

#endif  // PYSYM_JITLINK_ORC_COMPAT_VERSION_H
