// pysym.Engine and pysym.ModuleHandle: a JIT that links kernels against this
// interpreter, and the handles of the modules added to it.
#ifndef PYSYM_PYTHON_SRC_ENGINE_TYPE_H
#define PYSYM_PYTHON_SRC_ENGINE_TYPE_H

#include "python/src/python.h"

namespace pysym::python {

/// Creates pysym.Engine and pysym.ModuleHandle and adds them to `Module`.
/// Returns false with an error set on failure. (make_function's callables
/// are compiled_function.h's; module init adds their type.)
bool addEngineTypes(PyObject *Module);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ENGINE_TYPE_H
