// Fuzz target: resolver/coverage.h's readNameList on arbitrary bytes
// written to a file, and measureCoverage of what it reads against an
// interpreter analysed offline: PyPy, whose aliases and substitutes give
// the resolution order the most to do (PYSYM_FUZZ_INTERPRETER names
// another executable).
//
// Properties: no crash, no hang, no leak; a failure names the file; a name
// read holds no space, '#' or line break and is never empty; coverage
// resolves every name read, in order, and its counts add up.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <string>

#include "fuzz/outcome.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "pysym/resolver/coverage.h"
#include "pysym/resolver/offline_interpreter.h"

namespace {

using pysym::fuzzing::Outcome;

struct Setup {
  std::unique_ptr<pysym::OfflineInterpreter> Interpreter;
  std::string ListPath;
};

[[noreturn]] void cannotStart(const std::string &Why) {
  std::fprintf(stderr, "name_list_fuzzer: %s\n", Why.c_str());
  std::exit(2);
}

Setup &setup() {
  static Setup *Made = [] {
    const char *Chosen = std::getenv("PYSYM_FUZZ_INTERPRETER");
    const std::string Path = Chosen && *Chosen ? Chosen : "/usr/bin/pypy3";
    auto Interpreter = pysym::OfflineInterpreter::analyze(Path);
    if (!Interpreter)
      cannotStart(pysym::toString(Interpreter.takeError()));
    llvm::SmallString<128> List;
    if (std::error_code EC = llvm::sys::fs::createTemporaryFile("pysym-name-list", "txt", List))
      cannotStart("cannot create a temporary file: " + EC.message());
    return new Setup{std::move(*Interpreter), List.str().str()};
  }();
  return *Made;
}

// One file for the whole run, rewritten for each input; removed at exit.
void removeListFile() { llvm::sys::fs::remove(setup().ListPath); }

void checkNames(const std::vector<pysym::ApiName> &Names) {
  for (const pysym::ApiName &N : Names)
    PYSYM_FUZZ_CHECK(!N.Name.empty() && N.Name.find_first_of(" #\n") == std::string::npos,
                     "readNameList returned a malformed name: '" + N.Name + "'");
}

void checkCoverage(const std::vector<pysym::ApiName> &Names) {
  pysym::Coverage C = pysym::measureCoverage(*setup().Interpreter, Names);
  PYSYM_FUZZ_CHECK(C.Resolutions.size() == Names.size(), "coverage lost or added names");
  for (size_t I = 0; I < Names.size(); ++I)
    PYSYM_FUZZ_CHECK(C.Resolutions[I].Name == Names[I].Name,
                     "coverage resolved another name than the list's: " + C.Resolutions[I].Name);
  PYSYM_FUZZ_CHECK(std::accumulate(C.Counts.begin(), C.Counts.end(), 0u) == Names.size(),
                   "coverage counts do not add up to the names resolved");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  setup();
  std::atexit(removeListFile);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *Data, std::size_t Size) {
  const std::string &Path = setup().ListPath;
  {
    std::error_code EC;
    llvm::raw_fd_ostream Out(Path, EC);
    PYSYM_FUZZ_CHECK(!EC, "cannot write " + Path + ": " + EC.message());
    Out.write(reinterpret_cast<const char *>(Data), Size);
  }
  auto Names = pysym::readNameList(Path);
  if (!Names) {
    std::string Message = pysym::toString(Names.takeError());
    PYSYM_FUZZ_CHECK(llvm::StringRef(Message).contains(Path),
                     "a readNameList error does not name its file: " + Message);
    pysym::fuzzing::recordOutcome(Outcome::Rejected);
    return 0;
  }
  checkNames(*Names);
  checkCoverage(*Names);
  pysym::fuzzing::recordOutcome(Outcome::Accepted);
  return 0;
}
