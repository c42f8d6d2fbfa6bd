// Checks an LLVM IR module before it reaches ORC, so that input the code
// generator cannot compile is an error instead of an abort of the host
// process.
#ifndef PYSYM_JITLINK_MODULE_CHECKS_H
#define PYSYM_JITLINK_MODULE_CHECKS_H

#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "pysym/jitlink/jit_target.h"

namespace pysym {

/// Fails, naming \p Name and the offending function or global, when \p M:
///   - fails llvm::verifyModule (broken debug info alone is not a failure:
///     prepareModule strips it, as LLVM's own readers do);
///   - names a target triple of another architecture, object format or
///     operating system, or a data layout other than the JIT's;
///   - calls another target's intrinsic, or an x86 intrinsic of an
///     extension the host lacks (LLVM 14: "Cannot select", an abort);
///   - divides, takes a remainder of, or converts to or from floating point
///     an integer wider than 128 bits (LLVM 14: "Unsupported library call
///     operation", an abort);
///   - uses a calling convention the x86-64 backend does not implement, or a
///     garbage collector (LLVM 14 aborts on unknown ones);
///   - names a global with a NUL byte (object files end names at the
///     first NUL, so the linker would define or resolve another name);
///   - uses thread-local storage (neither JIT linker of LLVM 14 supports
///     its relocations) or static constructors/destructors (this engine
///     does not run them; failing is better than silently skipping them).
/// An empty triple or data layout is not a failure. Each failure is a
/// RejectedInputError of Check::Module (engine_errors.h).
llvm::Error checkModule(const llvm::Module &M, llvm::StringRef Name, const JitTarget &Target);

/// Readies a module that passed checkModule (and only such a module) for
/// compilation: fills in an empty triple and data layout, upgrades debug
/// info the way LLVM's readers do (stripping it when broken or outdated;
/// see ir_reader.h for why the readers do not), makes every
/// declaration non-dso_local (so position-independent code reaches far
/// interpreter data through the GOT instead of a 32-bit displacement), and
/// adds every discardable externally visible definition (linkonce, weak) to
/// llvm.compiler.used, so the optimizer cannot delete a symbol ORC has been
/// promised.
void prepareModule(llvm::Module &M, const JitTarget &Target);

}  // namespace pysym

#endif  // PYSYM_JITLINK_MODULE_CHECKS_H
