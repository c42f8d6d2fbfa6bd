// The two object linkers an ORC JIT can use.
#ifndef PYSYM_JITLINK_LINKER_H
#define PYSYM_JITLINK_LINKER_H

#include "llvm/ADT/StringRef.h"

namespace pysym {

/// RuntimeDyld (RTDyldObjectLinkingLayer, MCJIT's linker, LLJIT's default on
/// ELF in LLVM 14) or JITLink (ObjectLinkingLayer, the default from LLVM 17).
enum class Linker { RuntimeDyld, JITLink };

inline llvm::StringRef toString(Linker L) {
  return L == Linker::JITLink ? "JITLink" : "RuntimeDyld";
}

}  // namespace pysym

#endif  // PYSYM_JITLINK_LINKER_H
