// What the engine's tests share: the embedded interpreter with its C API
// started, one Resolver for the process, the kernels' IR, and a few C-API
// calls for checking results.
#ifndef PYSYM_JITLINK_TESTING_KERNEL_TESTING_H
#define PYSYM_JITLINK_TESTING_KERNEL_TESTING_H

#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "pysym/jitlink/linker.h"
#include "pysym/resolver/resolver.h"
#include "tests/embedded_python.h"

namespace pysym::testing {

/// The text of <directory>/<Name>.ll, a data dependency of the test: the
/// directory is $PYSYM_KERNEL_DIR if set (tests/kernels/opaque for the
/// opaque-pointer spelling), else tests/kernels.
llvm::Expected<std::string> readKernel(llvm::StringRef Name);

/// Starts the C API (cpyext on PyPy) and makes the process's Resolver on
/// first use; later calls return the same one. Fails the test on error.
void startJit(EmbeddedPython &Python, Resolver *&TheResolver);

/// repr(Object) as UTF-8, through PyObject_Repr. The caller holds the GIL.
std::string repr(const EmbeddedPython &Python, PyObjectPtr Object);

/// Releases a reference. The caller holds the GIL.
void decRef(const EmbeddedPython &Python, PyObjectPtr Object);

/// A kernel's address as a function pointer.
template <typename Fn> Fn *kernel(std::uint64_t Address) {
  return reinterpret_cast<Fn *>(static_cast<std::uintptr_t>(Address));
}

/// For INSTANTIATE_TEST_SUITE_P over both linkers.
std::string linkerName(const ::testing::TestParamInfo<Linker> &Info);

}  // namespace pysym::testing

/// In a TEST body: binds `EmbeddedPython *PythonVar` and `Resolver *ResolverVar`,
/// skipping by name when the interpreter's library is absent.
#define PYSYM_JIT_OR_SKIP(PythonVar, ResolverVar)                                  \
  PYSYM_EMBEDDED_PYTHON_OR_SKIP(PythonVar);                                     \
  ::pysym::Resolver *ResolverVar = nullptr;                                        \
  ASSERT_NO_FATAL_FAILURE(::pysym::testing::startJit(*PythonVar, ResolverVar))

#endif  // PYSYM_JITLINK_TESTING_KERNEL_TESTING_H
