// Where the core's typed errors (symtab/, resolver/) become Python
// exceptions, in the core extension pysym._pysym; the engine's are
// engine_boundary.h's.
#ifndef PYSYM_PYTHON_SRC_CORE_BOUNDARY_H
#define PYSYM_PYTHON_SRC_CORE_BOUNDARY_H

#include "python/src/python.h"

#include "pysym/resolver/resolver.h"
#include "pysym/support/error.h"

namespace pysym::python {

/// Handles `E`, a failure of the core's, and sets the Python exception its
/// payload's type calls for (core_error_mapping.h), with its message:
///   ExposeFailed -> ValueError (InvalidName), OSError (the others)
/// A payload of no mapped type becomes `Default`. Returns null, for
/// `return raiseCoreError(...)`.
PyObject *raiseCoreError(Error E, PyObject *Default);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_CORE_BOUNDARY_H
