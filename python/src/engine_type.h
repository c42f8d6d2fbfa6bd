// pysym.Engine: a JIT that links kernels against this interpreter.
#ifndef PYSYM_PYTHON_SRC_ENGINE_TYPE_H
#define PYSYM_PYTHON_SRC_ENGINE_TYPE_H

#include "python/src/python.h"

namespace pysym::python {

/// Creates pysym.Engine and its companion types and adds them to `Module`.
/// Returns false with an error set on failure.
bool addEngineTypes(PyObject *Module);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ENGINE_TYPE_H
