// Which Python exception each of the engine's typed errors (jitlink/)
// becomes: the table the engine extension's boundary (engine_boundary.h)
// raises by.
#ifndef PYSYM_PYTHON_SRC_ENGINE_ERROR_MAPPING_H
#define PYSYM_PYTHON_SRC_ENGINE_ERROR_MAPPING_H

#include "llvm/Support/Error.h"
#include "python/src/python_exception.h"

namespace pysym::python {

/// The exception for one of the engine's errors, by its type, never by its
/// message:
///   MissingSymbolsError          -> LinkError
///   UndefinedSymbolError         -> KeyError
///   AmbiguousSymbolError         -> ValueError
///   UnknownModuleError           -> ValueError
///   RejectedInputError           -> CompileError
///   anything else                -> Default
PythonException engineExceptionFor(const llvm::ErrorInfoBase &Info);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ENGINE_ERROR_MAPPING_H
