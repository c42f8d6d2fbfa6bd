"""Compiler options for all of pysym, kept in one place."""

# C++17 without exceptions, as LLVM itself is built: library code returns
# llvm::Error and throws nothing (docs/architecture.md, "## Errors").
PYSYM_COPTS = [
    "-std=c++17",
    "-fno-exceptions",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
]

PYSYM_TEST_COPTS = PYSYM_COPTS

# For the few targets that catch C++ exceptions so that none crosses a
# boundary; each says why beside its copts.
PYSYM_EXCEPTIONS_COPTS = PYSYM_COPTS + ["-fexceptions"]
