#include "fuzz/replay_testing.h"

#include "fuzz/inputs.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"

namespace pysym::fuzzing {

std::vector<std::string> regressionInputs(llvm::StringRef Target) {
  const std::string Directory = "fuzz/regressions/" + Target.str();
  // A target with no committed inputs has no directory among the runfiles.
  if (!llvm::sys::fs::is_directory(Directory))
    return {};
  auto Files = expandInputs({Directory});
  if (!Files) {
    ADD_FAILURE() << llvm::toString(Files.takeError());
    return {};
  }
  return *Files;
}

Outcome runInput(llvm::ArrayRef<std::uint8_t> Bytes) {
  recordOutcome(Outcome::None);
  LLVMFuzzerTestOneInput(Bytes.data(), Bytes.size());
  return lastOutcome();
}

Outcome runInput(llvm::StringRef Text) {
  return runInput(llvm::ArrayRef<std::uint8_t>(Text.bytes_begin(), Text.bytes_end()));
}

Outcome runFile(const std::string &Path) {
  auto Bytes = readInput(Path);
  if (!Bytes) {
    ADD_FAILURE() << llvm::toString(Bytes.takeError());
    return Outcome::None;
  }
  return runInput(*Bytes);
}

}  // namespace pysym::fuzzing
