// What the engine's JIT compiles for: the checks and the preparation of a
// module (module_checks.h) hold each module to it.
#ifndef PYSYM_JITLINK_JIT_TARGET_H
#define PYSYM_JITLINK_JIT_TARGET_H

// Declares Triple and SubtargetFeatures, which live in other headers on
// LLVM 14 and 19; a JitTarget is made from a JITTargetMachineBuilder.
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/DataLayout.h"

namespace pysym {

struct JitTarget {
  llvm::Triple Triple;
  llvm::DataLayout Layout;
  llvm::SubtargetFeatures Features;  // the host's, e.g. +avx2
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_JIT_TARGET_H
