// Functions for names that PyPy's headers define as macros, so that libpypy exports no symbol for them.
//
// C code compiled against PyPy's headers never references these names; code
// generated for CPython (which exports them as functions) does. Each
// function does what PyPy's macro expands to, and is offered only on PyPy:
// on CPython the names are real functions with real work to do.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_PYPY_HEADER_MACROS_H
#define PYSYM_RESOLVER_SUBSTITUTES_PYPY_HEADER_MACROS_H

#include <cstddef>

#include "pysym/resolver/substitutes/c_api.h"

namespace pysym::substitutes {

/// PyObject_GC_Track(o): nothing. PyPy's object.h: `do { } while(0)`.
void gcTrackNoOp(void *O);
/// PyObject_GC_UnTrack(o): nothing. PyPy's object.h: `do { } while(0)`.
void gcUnTrackNoOp(void *O);
/// PyCFunction_New(ml, self) = PyCMethod_New(ml, self, NULL, NULL)
/// (PyPy's methodobject.h, through PyCFunction_NewEx).
capi::Object cFunctionNew(void *MethodDef, capi::Object Self);
/// PyCFunction_NewEx(ml, self, module) = PyCMethod_New(ml, self, module, NULL).
capi::Object cFunctionNewEx(void *MethodDef, capi::Object Self, capi::Object Module);
/// PyObject_Length(o) = PyObject_Size(o) (PyPy's object.h).
std::ptrdiff_t objectLength(capi::Object O);
/// Py_CompileString(str, filename, start) =
/// Py_CompileStringFlags(str, filename, start, NULL) (PyPy's pythonrun.h).
capi::Object compileString(const char *Source, const char *Filename, int Start);

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_PYPY_HEADER_MACROS_H
