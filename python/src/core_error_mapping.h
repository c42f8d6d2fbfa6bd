// Which Python exception each of the core's typed errors (symtab/,
// resolver/) becomes: the table the core extension's boundary
// (core_boundary.h) raises by.
#ifndef PYSYM_PYTHON_SRC_CORE_ERROR_MAPPING_H
#define PYSYM_PYTHON_SRC_CORE_ERROR_MAPPING_H

#include "pysym/support/error.h"
#include "python/src/python_exception.h"

namespace pysym::python {

/// The exception for one of the core's failures, by its payload's type (and,
/// for ExposeFailed, its reason), never by its message:
///   ExposeFailed(InvalidName)              -> ValueError
///   ExposeFailed(WriteFailed, LoadRefused) -> OSError
///   anything else                          -> Default
PythonException coreExceptionFor(const ErrorPayload &Payload);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_CORE_ERROR_MAPPING_H
