// What pysym knows about a Python interpreter: which one, and its ABI facts.
#ifndef PYSYM_RESOLVER_INTERPRETER_INFO_H
#define PYSYM_RESOLVER_INTERPRETER_INFO_H

#include <cstddef>
#include <string>

namespace pysym {

/// Layout facts code generators otherwise guess. PyPy's object header is
/// {ob_refcnt, ob_pypy_link, ob_type}; CPython's is {ob_refcnt, ob_type},
/// preceded by two trace-list pointers in a Py_TRACE_REFS build.
struct AbiFacts {
  std::size_t PointerSize = 0;
  std::size_t SsizeTSize = 0;
  std::size_t RefcntOffset = 0;  // offsetof(PyObject, ob_refcnt)
  std::size_t TypeOffset = 0;    // offsetof(PyObject, ob_type)
  std::size_t ObjectSize = 0;    // sizeof(PyObject)
};

struct InterpreterInfo {
  std::string Implementation;  // "cpython" or "pypy": the profile's name
  std::string Version;         // Python language version, e.g. "3.11.2"
  std::string FullVersion;     // as the image reports it (Py_GetVersion), when known
  bool Debug = false;
  std::string ImagePath;       // the image that exports the C API
  // PyPy only: whether cpyext has started, so its data objects are filled in.
  // Always true on CPython.
  bool ApiDataReady = true;
  AbiFacts Abi;
};

}  // namespace pysym

#endif  // PYSYM_RESOLVER_INTERPRETER_INFO_H
