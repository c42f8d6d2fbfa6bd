// The Python exceptions pysym's typed C++ errors become. Which error becomes
// which is decided by the error's type alone, in two tables kept free of
// Python.h so that a plain C++ test checks them: core_error_mapping.h (the
// resolver's errors, raised by the core extension) and
// engine_error_mapping.h (the engine's, raised by the engine extension).
#ifndef PYSYM_PYTHON_SRC_PYTHON_EXCEPTION_H
#define PYSYM_PYTHON_SRC_PYTHON_EXCEPTION_H

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

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_PYTHON_EXCEPTION_H
