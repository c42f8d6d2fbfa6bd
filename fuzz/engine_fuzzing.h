// What the engine's fuzz targets share: two long-lived engines (one per
// linker) inside an embedded interpreter, and one step that adds an input,
// links what it defines and removes it again, checking the engine's
// contract at each step.
#ifndef PYSYM_FUZZ_ENGINE_FUZZING_H
#define PYSYM_FUZZ_ENGINE_FUZZING_H

#include <cstdint>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace pysym::fuzzing {

/// Which Engine::add* an input goes to.
enum class EngineInput { IR, Bitcode, Object };

/// The module name every fuzz input is added under; errors must name it.
constexpr llvm::StringLiteral EngineInputName = "fuzz-input";

/// Starts embeddedHost() and the engines (RuntimeDyld and JITLink, default
/// options otherwise); ends the process with a message when they cannot be
/// made. Idempotent: call it from LLVMFuzzerInitialize.
void startEngines();

/// Adds \p Bytes as \p Kind to each engine. When the add succeeds, looks up
/// a few of the names the module defines (which compiles and links it on
/// the looking-up thread), then removes the module. Records the outcome:
/// Rejected when no engine accepted it, Linked when a lookup succeeded,
/// Accepted otherwise. Properties, from jitlink/engine.h: nothing aborts,
/// prints or hangs; an add's error names the module; an accepted module is
/// removable exactly once, after which its names no longer look up; a
/// successful lookup is a non-zero address.
void addLinkAndRemove(EngineInput Kind, llvm::ArrayRef<std::uint8_t> Bytes);

}  // namespace pysym::fuzzing

#endif  // PYSYM_FUZZ_ENGINE_FUZZING_H
