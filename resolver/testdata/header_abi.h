// Object layouts as each interpreter's own headers declare them, for checking
// the facts the resolver reports.
//
// Each function is defined in its own translation unit, compiled against one
// header set only (abi_cpython.cc, abi_cpython_debug.cc, abi_pypy.cc), since
// CPython's and PyPy's Python.h declare the same names differently. This
// header itself includes no Python.h.
#ifndef PYSYM_RESOLVER_TESTDATA_HEADER_ABI_H
#define PYSYM_RESOLVER_TESTDATA_HEADER_ABI_H

#include <cstddef>
#include <optional>

#include "pysym/resolver/interpreter_info.h"

namespace pysym::testing {

/// What one header set says, computed with sizeof and offsetof.
struct HeaderAbi {
  const char *Headers = "";  // the header directory, for messages
  AbiFacts Abi;
  bool PyDebug = false;      // pyconfig.h defines Py_DEBUG
  bool TraceRefs = false;    // pyconfig.h defines Py_TRACE_REFS
  // offsetof(PyTypeObject, tp_basicsize): lets a test read a live type's
  // instance size without the resolver's help.
  std::size_t BasicsizeOffset = 0;
};

/// Debian's CPython 3.11 headers (/usr/include/python3.11).
HeaderAbi cpythonHeaderAbi();
/// Debian's CPython 3.11 debug headers (/usr/include/python3.11d, from
/// libpython3.11-dbg); std::nullopt when they were absent at build time.
std::optional<HeaderAbi> cpythonDebugHeaderAbi();
/// Debian's PyPy 3.9 headers (/usr/include/pypy3.9).
HeaderAbi pypyHeaderAbi();

}  // namespace pysym::testing

#endif  // PYSYM_RESOLVER_TESTDATA_HEADER_ABI_H
