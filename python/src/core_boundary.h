// Where the core's typed errors (symtab/, resolver/) become Python
// exceptions, in the core extension pysym._pysym; the engine's are
// engine_boundary.h's.
#ifndef PYSYM_PYTHON_SRC_CORE_BOUNDARY_H
#define PYSYM_PYTHON_SRC_CORE_BOUNDARY_H

#include "python/src/python.h"

#include "resolver/resolver.h"

namespace pysym::python {

/// Consumes `E`, an error of the core's (the type resolver.h's fallible
/// calls return), and sets the Python exception its type calls for
/// (core_error_mapping.h), with its message:
///   ExposeFailed -> ValueError (InvalidName), OSError (the others)
/// An error of no mapped type becomes `Default`. For a list of errors, the
/// first mapped one decides; the message joins all of theirs. Returns null,
/// for `return raiseCoreError(...)`.
PyObject *raiseCoreError(llvm::Error E, PyObject *Default);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_CORE_BOUNDARY_H
