// Where the engine's typed errors (jitlink/) become Python exceptions, in the
// engine extension pysym._engine; the core's are core_boundary.h's.
#ifndef PYSYM_PYTHON_SRC_ENGINE_BOUNDARY_H
#define PYSYM_PYTHON_SRC_ENGINE_BOUNDARY_H

#include "python/src/python.h"

#include "llvm/Support/Error.h"

namespace pysym::python {

/// Consumes `E` and sets the Python exception its type calls for
/// (engine_error_mapping.h's engineExceptionFor), with its message, never
/// chosen by its wording:
///   MissingSymbolsError  -> pysym.LinkError, `.missing` its Resolutions
///   UndefinedSymbolError -> KeyError(symbol)
///   AmbiguousSymbolError -> ValueError ("... (pass module=handle)")
///   UnknownModuleError   -> ValueError
///   RejectedInputError   -> pysym.CompileError
/// An error of no mapped type becomes `Default` (a pysym.LinkError so raised
/// has an empty `.missing`). For a list of errors, the first mapped one
/// decides; the message joins all of theirs. Returns null, for
/// `return raiseEngineError(...)`.
PyObject *raiseEngineError(llvm::Error E, PyObject *Default);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ENGINE_BOUNDARY_H
