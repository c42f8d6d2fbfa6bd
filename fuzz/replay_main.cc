// The main() of a fuzz target outside --config=fuzz: runs the target's
// LLVMFuzzerTestOneInput once over each input file, the way a libFuzzer
// binary does when given files instead of a corpus directory to grow.
//
// Usage: <target> [-flag=value ...] FILE|DIRECTORY...
// libFuzzer's flags are accepted and ignored, so one command line works for
// both builds. Exit status: 0 when every input ran (a crash ends the process
// as it would under libFuzzer), 2 when an input cannot be read.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/inputs.h"
#include "llvm/ADT/StringRef.h"
#include "third_party/llvm/compat.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *Data, std::size_t Size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *Argc, char ***Argv);

int main(int Argc, char **Argv) {
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&Argc, &Argv);
  std::vector<std::string> Paths;
  for (int I = 1; I < Argc; ++I)
    if (!pysym::llvm_compat::startsWith(Argv[I], "-"))
      Paths.push_back(Argv[I]);
  auto Files = pysym::fuzzing::expandInputs(Paths);
  if (!Files) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], llvm::toString(Files.takeError()).c_str());
    return 2;
  }
  for (const std::string &File : *Files) {
    auto Bytes = pysym::fuzzing::readInput(File);
    if (!Bytes) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], llvm::toString(Bytes.takeError()).c_str());
      return 2;
    }
    std::fprintf(stderr, "Running: %s\n", File.c_str());
    LLVMFuzzerTestOneInput(Bytes->data(), Bytes->size());
  }
  std::fprintf(stderr, "Replayed %zu inputs without a crash\n", Files->size());
  return 0;
}
