"""Compiler options for all of pysym, kept in one place."""

# C++17 with exceptions: Boost.DLL throws, and pysym catches its exceptions
# where they enter (see docs/architecture.md). LLVM's own -fno-exceptions is
# deliberately not used.
PYSYM_COPTS = [
    "-std=c++17",
    "-fexceptions",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
]

PYSYM_TEST_COPTS = PYSYM_COPTS
