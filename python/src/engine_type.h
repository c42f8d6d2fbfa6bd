// pysym.Engine and pysym.ModuleHandle: a JIT that links kernels against this
// interpreter, and the handles of the modules added to it.
#ifndef PYSYM_PYTHON_SRC_ENGINE_TYPE_H
#define PYSYM_PYTHON_SRC_ENGINE_TYPE_H

#include "python/src/python.h"

#include <cstdint>

namespace pysym::python {

/// Creates pysym.Engine, pysym.ModuleHandle and the type behind
/// make_function's callables, and adds them to `Module`. Returns false with
/// an error set on failure.
bool addEngineTypes(PyObject *Module);

/// Called when a callable made from module `ModuleId` of `Engine` (a
/// pysym.Engine) comes to life: remove() refuses that module until the
/// matching releaseFunction.
void pinFunction(PyObject *Engine, std::uint64_t ModuleId);

/// Called when a callable made from module `ModuleId` of `Engine` (a
/// pysym.Engine) dies, so that remove() may unload that module again.
void releaseFunction(PyObject *Engine, std::uint64_t ModuleId);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ENGINE_TYPE_H
