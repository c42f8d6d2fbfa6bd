// What the fuzz targets' replay tests share: running an entry point over
// committed inputs and over bytes made in the test.
#ifndef PYSYM_FUZZ_REPLAY_TESTING_H
#define PYSYM_FUZZ_REPLAY_TESTING_H

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/outcome.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *Data, std::size_t Size);

namespace pysym::fuzzing {

/// The committed regression inputs of \p Target: the files in
/// fuzz/regressions/<Target>/ among the test's runfiles, sorted. Empty when
/// the target has none; a test failure when the directory cannot be read.
std::vector<std::string> regressionInputs(llvm::StringRef Target);

/// Runs the linked entry point once over \p Bytes; returns what it recorded.
Outcome runInput(llvm::ArrayRef<std::uint8_t> Bytes);
Outcome runInput(llvm::StringRef Text);

/// Runs the entry point over the file at \p Path (a test failure when it
/// cannot be read).
Outcome runFile(const std::string &Path);

}  // namespace pysym::fuzzing

#endif  // PYSYM_FUZZ_REPLAY_TESTING_H
