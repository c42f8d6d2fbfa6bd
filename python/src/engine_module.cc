// The engine extension module pysym._engine: pysym.Engine, ModuleHandle,
// CompiledCode and _undefined_symbols, everything that needs LLVM's code
// generator or IR parser; and PyInit__engine, the only symbol the shared
// object exports. The package pysym imports it on first use of one of those
// names (pysym/__init__.py's __getattr__), so that importing pysym, resolving
// names, expose() and pysym.llvmlite.install() never map LLVM. It asks the
// core extension (module.cc) for the resolver and the exception classes
// (core_api.h), so both see the same registrations and raise the same types.
#include "python/src/python.h"

#include "python/src/boundary.h"
#include "python/src/compiled_function.h"
#include "python/src/engine_state.h"
#include "python/src/engine_type.h"
#include "python/src/ir_queries.h"

namespace pysym::python {
namespace {

PyModuleDef Definition = {
    PyModuleDef_HEAD_INIT,
    "pysym._engine",
    "pysym's JIT engine (LLVM ORC), loaded on first use of pysym.Engine.\n"
    "See docs/python-jit-authors.md.",
    -1,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

PyObject *initialise() {
  if (!importCoreApi())
    return nullptr;
  OwnedRef Module(PyModule_Create(&Definition));
  if (!Module)
    return nullptr;
  if (!addEngineTypes(Module.get()) || !addCompiledCodeType(Module.get()) ||
      !addIrQueries(Module.get()))
    return nullptr;
  return Module.release();
}

}  // namespace
}  // namespace pysym::python

// Declared by hand rather than with PyMODINIT_FUNC, which before 3.9 does not
// give default visibility, while everything here is built -fvisibility=hidden.
extern "C" __attribute__((visibility("default"))) PyObject *PyInit__engine() {
  return pysym::python::guarded(pysym::python::initialise);
}
