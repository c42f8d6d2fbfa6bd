// The callables Engine.make_function returns: builtin functions whose C
// entry point is JIT-compiled code.
#ifndef PYSYM_PYTHON_SRC_COMPILED_FUNCTION_H
#define PYSYM_PYTHON_SRC_COMPILED_FUNCTION_H

#include "python/src/python.h"

#include <cstdint>

namespace pysym::python {

/// Creates the owner type (pysym.CompiledCode) at module init. Returns false
/// with an error set on failure.
bool addCompiledCodeType(PyObject *Module);

/// How a callable keeps its module loaded: `Take` when it comes to life,
/// `Release` when it dies, each given the engine and the module id. The
/// engine supplies them, so this file needs nothing of the engine's.
struct ModulePin {
  void (*Take)(PyObject *Engine, std::uint64_t ModuleId);
  void (*Release)(PyObject *Engine, std::uint64_t ModuleId);
};

/// A builtin function named `Name` (a str) with docstring `Doc` (a str or
/// None) that calls the compiled wrapper at `Address`, of the signature
///     PyObject *(*)(PyObject *self, PyObject *args, PyObject *kwargs)
/// directly, as CPython calls any METH_VARARGS | METH_KEYWORDS builtin:
/// `kwargs` is NULL when the call has no keyword arguments. Its `__self__`,
/// also the `self` the wrapper receives, is a pysym.CompiledCode that holds a
/// reference to `Engine` and, through `Pin`, pins module `ModuleId` until the
/// function dies. Returns null with an error set on failure.
PyObject *newCompiledFunction(PyObject *Engine, std::uint64_t ModuleId, std::uint64_t Address,
                              PyObject *Name, PyObject *Doc, ModulePin Pin);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_COMPILED_FUNCTION_H
