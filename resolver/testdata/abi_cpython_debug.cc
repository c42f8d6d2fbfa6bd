// CPython 3.11's debug-build object layout, from Debian's debug headers
// (/usr/include/python3.11d, on the include path through this target's
// copts). Py_DEBUG comes from their pyconfig.h, as for an extension built
// for python3.11d; nothing here defines it.
#include "pysym/resolver/testdata/header_abi.h"

#if __has_include(<Python.h>)
#include <Python.h>

#include "resolver/testdata/header_abi_layout.inc"

#ifndef Py_DEBUG
#error "the headers found as <Python.h> are not CPython's debug headers (no Py_DEBUG)"
#endif

std::optional<pysym::testing::HeaderAbi> pysym::testing::cpythonDebugHeaderAbi() {
  return layoutOfIncludedHeaders("/usr/include/python3.11d");
}

#else

std::optional<pysym::testing::HeaderAbi> pysym::testing::cpythonDebugHeaderAbi() {
  return std::nullopt;
}

#endif
