// Fuzz inputs on disk: the files a replay covers, and their bytes.
#ifndef PYSYM_FUZZ_INPUTS_H
#define PYSYM_FUZZ_INPUTS_H

#include <cstdint>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace pysym::fuzzing {

/// The regular files that \p Paths name, the way libFuzzer reads a corpus: a
/// file stands for itself, a directory for the regular files directly in it
/// (sorted by name, hidden ones included, subdirectories skipped). Fails,
/// naming the path, when one does not exist or cannot be listed.
/// Example: expandInputs({"fuzz/regressions/elf_file"}).
llvm::Expected<std::vector<std::string>> expandInputs(llvm::ArrayRef<std::string> Paths);

/// The bytes of \p Path. Fails, naming it, when it cannot be read.
llvm::Expected<std::vector<std::uint8_t>> readInput(llvm::StringRef Path);

}  // namespace pysym::fuzzing

#endif  // PYSYM_FUZZ_INPUTS_H
