// Which Python exception each of pysym's typed C++ errors becomes, decided by
// the error's type alone. The boundary (boundary.h) raises what this table
// says; it is kept free of Python.h so that a plain C++ test can check it.
#ifndef PYSYM_PYTHON_SRC_ERROR_MAPPING_H
#define PYSYM_PYTHON_SRC_ERROR_MAPPING_H

#include "llvm/Support/Error.h"

namespace pysym::python {

/// The Python exceptions typed errors become.
enum class PythonException {
  Default,       // no mapped type: the exception the caller names
  LinkError,     // pysym.LinkError, its `.missing` the MissingSymbolsError's list
  KeyError,      // KeyError(symbol): UndefinedSymbolError
  ValueError,    // AmbiguousSymbolError, UnknownModuleError, ExposeFailed(InvalidName)
  CompileError,  // pysym.CompileError (a ValueError): RejectedInputError
  OSError,       // ExposeFailed(WriteFailed, LoadRefused)
};

/// The exception for one error, by its type (and, for ExposeFailed, its
/// reason), never by its message:
///   MissingSymbolsError          -> LinkError
///   UndefinedSymbolError         -> KeyError
///   AmbiguousSymbolError         -> ValueError
///   UnknownModuleError           -> ValueError
///   RejectedInputError           -> CompileError
///   ExposeFailed(InvalidName)    -> ValueError
///   ExposeFailed(WriteFailed, LoadRefused) -> OSError
///   anything else                -> Default
PythonException exceptionFor(const llvm::ErrorInfoBase &Info);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_ERROR_MAPPING_H
