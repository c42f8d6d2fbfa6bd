#include "fuzz/embedded_host.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace pysym::fuzzing {

namespace {

[[noreturn]] void cannotStart(const std::string &Why) {
  std::fprintf(stderr, "pysym fuzz host: %s\n", Why.c_str());
  std::exit(2);
}

EmbeddedHost *startHost() {
  // overwrite=0: an explicit choice (or embedded_cc_test's) wins.
  setenv("PYSYM_EMBEDDED_PYTHON", "cpython", /*overwrite=*/0);
  auto Python = testing::processInterpreter();
  if (!Python)
    cannotStart(llvm::toString(Python.takeError()));
  if (!*Python)
    cannotStart(testing::processInterpreterSkipReason());
  if ((*Python)->flavor() == testing::Flavor::PyPy && !(*Python)->cApiReady())
    if (auto Err = (*Python)->run("import cpyext"))
      cannotStart("import cpyext: " + llvm::toString(std::move(Err)));
  auto TheResolver = Resolver::forCurrentProcess();
  if (!TheResolver)
    cannotStart(pysym::toString(TheResolver.takeError()));
  // Both live for the rest of the process, as the interpreter does.
  return new EmbeddedHost{**Python, *TheResolver->release()};
}

}  // namespace

EmbeddedHost &embeddedHost() {
  static EmbeddedHost *Host = startHost();
  return *Host;
}

}  // namespace pysym::fuzzing
