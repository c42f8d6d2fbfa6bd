// Optimizes and compiles one module for the engine, turning the code
// generator's error diagnostics into llvm::Error instead of exit(1).
#ifndef PYSYM_JITLINK_COMPILER_H
#define PYSYM_JITLINK_COMPILER_H

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llvm/ExecutionEngine/Orc/IRCompileLayer.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

namespace pysym {

/// Keeps a context's diagnostics from reaching stderr, and its errors from
/// ending the process: without a handler, LLVMContext::diagnose prints an
/// error (an invalid inline-asm mnemonic, say) and calls exit(1). Warnings
/// and remarks are dropped; errors are kept for errorsOf().
class DiagnosticCollector : public llvm::DiagnosticHandler {
public:
  /// Makes a new collector \p Context's handler.
  static void installIn(llvm::LLVMContext &Context);
  /// The errors collected in \p Context since the last call, and clears
  /// them. Empty when \p Context has no collector.
  static std::vector<std::string> takeErrorsOf(llvm::LLVMContext &Context);

  bool handleDiagnostics(const llvm::DiagnosticInfo &Info) override;

private:
  std::mutex Lock;
  std::vector<std::string> Errors;  // guarded by Lock
};

/// Runs LLVM's new-pass-manager default pipeline for \p Level (0-3) over
/// \p M, tuned for the target \p Target describes. Fails when no target
/// machine can be made.
llvm::Error optimizeModule(llvm::Module &M, unsigned Level,
                           llvm::orc::JITTargetMachineBuilder Target);

/// ORC's compile step, safe on several threads at once (each compile gets
/// its own TargetMachine, like ConcurrentIRCompiler). Fails, naming the
/// module, when the code generator reported an error diagnostic to the
/// module's DiagnosticCollector.
class CheckedCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
public:
  explicit CheckedCompiler(llvm::orc::JITTargetMachineBuilder Target);
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module &M) override;

private:
  llvm::orc::JITTargetMachineBuilder Target;
};

}  // namespace pysym

#endif  // PYSYM_JITLINK_COMPILER_H
