// The interpreter and Resolver that the engine and resolver fuzz targets
// run inside, started once per process.
#ifndef PYSYM_FUZZ_EMBEDDED_HOST_H
#define PYSYM_FUZZ_EMBEDDED_HOST_H

#include "pysym/resolver/resolver.h"
#include "tests/embedded_python.h"

namespace pysym::fuzzing {

/// The process's embedded interpreter, as tests/embedded_python.h starts it
/// (dlopen RTLD_LOCAL), with its C API started (cpyext on PyPy), and the
/// Resolver for it. The interpreter is PYSYM_EMBEDDED_PYTHON's ("cpython"
/// or "pypy"; cpython when unset, so that a fuzzer binary runs without
/// setup). Started on the first call.
///
/// A fuzz target without its host would report every input as a crash, so
/// when the interpreter is absent or does not start this prints why on
/// stderr and ends the process with status 2: it is a tool's main, not
/// library code.
struct EmbeddedHost {
  testing::EmbeddedPython &Python;
  Resolver &TheResolver;
};
EmbeddedHost &embeddedHost();

}  // namespace pysym::fuzzing

#endif  // PYSYM_FUZZ_EMBEDDED_HOST_H
