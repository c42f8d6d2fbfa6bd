// Reads LLVM IR text and bitcode into modules without the paths on which
// LLVM 14 aborts the process for an invalid module.
#ifndef PYSYM_JITLINK_IR_READER_H
#define PYSYM_JITLINK_IR_READER_H

#include <cstdint>
#include <memory>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

namespace pysym {

// Why this exists: LLVM 14's parseAssembly and the bitcode reader's
// materializeAll call UpgradeDebugInfo, which verifies any module that
// declares "Debug Info Version" 3 and calls report_fatal_error when the
// verifier fails. So an invalid module with that flag would end the host
// process before pysym's own verifier ran.

/// Parses \p Text (LLVM 14 assembly) into a module in \p Context named
/// \p Name, without verifying or upgrading its debug info: run
/// checkModule, then prepareModule, which upgrades it. Its data layout is
/// upgraded to this LLVM's, as the bitcode reader does. Fails, naming
/// \p Name with line and column, when the text does not parse or contains
/// a NUL byte, with a RejectedInputError of Check::Parse (engine_errors.h).
llvm::Expected<std::unique_ptr<llvm::Module>> readIRText(llvm::StringRef Text, llvm::StringRef Name,
                                                         llvm::LLVMContext &Context);

/// Reads \p Bytes (LLVM bitcode, up to LLVM 14's format) into a fully
/// materialized module in \p Context named \p Name. Debug info is dropped,
/// since keeping it would mean the verify-or-abort upgrade. LLVM's reader
/// first runs on the bytes in a forked child process, since it aborts or
/// reads out of bounds on some malformed bitcode; the module comes from
/// what LLVM's writer made of the child's. Fails when the bytes are not
/// bitcode or do not load, and when the reader crashes on them or takes
/// more than 20 seconds: RejectedInputError (Check::Parse) for bytes it
/// refuses, a plain error when the system (fork, memfd) fails.
llvm::Expected<std::unique_ptr<llvm::Module>> readBitcode(llvm::ArrayRef<std::uint8_t> Bytes,
                                                          llvm::StringRef Name,
                                                          llvm::LLVMContext &Context);

}  // namespace pysym

#endif  // PYSYM_JITLINK_IR_READER_H
