// pysym.ModuleHandle: names one module added to a pysym.Engine
// (engine_type.h), which makes the handles and checks those passed back.
#ifndef PYSYM_PYTHON_SRC_MODULE_HANDLE_TYPE_H
#define PYSYM_PYTHON_SRC_MODULE_HANDLE_TYPE_H

#include <cstdint>

#include "python/src/python.h"

namespace pysym::python {

/// Creates pysym.ModuleHandle and adds it to `Module`. Returns false with an
/// error set on failure.
bool addModuleHandleType(PyObject *Module);

/// A new handle of module `Id` of the engine numbered `EngineSerial`, with
/// the name it was added under and its kind ("ir", "bitcode", "object");
/// null with an error set on failure.
PyObject *newHandle(std::uint64_t EngineSerial, std::uint64_t Id, PyObject *Name,
                    const char *Kind);

/// The module id `Object` names, when it is a handle of the engine numbered
/// `EngineSerial`. Fails with TypeError for a non-handle and ValueError for
/// another engine's handle; whether the module is still live is the
/// engine's to say.
bool handleOf(PyObject *Object, std::uint64_t EngineSerial, std::uint64_t &Id);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_MODULE_HANDLE_TYPE_H
