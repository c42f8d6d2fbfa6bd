// Test support: LLVM IR compiled to ELF relocatable objects with a chosen
// code and relocation model, the inputs Engine::addObject and checkObject
// take.
#ifndef PYSYM_JITLINK_TESTING_OBJECT_TESTING_H
#define PYSYM_JITLINK_TESTING_OBJECT_TESTING_H

#include <cstdint>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"

namespace pysym::testing {

/// Compiles \p IR (LLVM 14 assembly) for the host into an object file.
llvm::Expected<std::vector<std::uint8_t>> compileToObject(llvm::StringRef IR,
                                                          llvm::CodeModel::Model Code,
                                                          llvm::Reloc::Model Relocation);

}  // namespace pysym::testing

#endif  // PYSYM_JITLINK_TESTING_OBJECT_TESTING_H
