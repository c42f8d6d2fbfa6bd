// Where C++ meets Python: C++ exceptions and llvm::Errors become Python
// exceptions here, and nowhere else.
#ifndef PYSYM_PYTHON_SRC_BOUNDARY_H
#define PYSYM_PYTHON_SRC_BOUNDARY_H

#include "python/src/python.h"

#include <exception>
#include <new>
#include <string>

#include "llvm/Support/Error.h"

namespace pysym::python {

/// Sets RuntimeError for a C++ exception that escaped pysym's C++ code (a
/// bug: the layers below return llvm::Error), or MemoryError for bad_alloc.
void setErrorFromCurrentException() noexcept;

/// Runs `Body`, which returns a new reference or null with a Python error
/// set, so that no C++ exception crosses into the interpreter.
/// Example: return guarded([&] { return PyLong_FromLong(1); });
template <typename Body> PyObject *guarded(Body &&Run) noexcept {
  try {
    return Run();
  } catch (...) {
    setErrorFromCurrentException();
    return nullptr;
  }
}

/// As `guarded`, for slots that return an int (0 on success, -1 with an
/// error set).
template <typename Body> int guardedInt(Body &&Run) noexcept {
  try {
    return Run();
  } catch (...) {
    setErrorFromCurrentException();
    return -1;
  }
}

/// Consumes `E` and sets the Python exception its type calls for, with its
/// message: the one place where pysym's typed errors become Python
/// exceptions, chosen by type (error_mapping.h's exceptionFor), never by
/// wording:
///   MissingSymbolsError  -> pysym.LinkError, `.missing` its Resolutions
///   UndefinedSymbolError -> KeyError(symbol)
///   AmbiguousSymbolError -> ValueError ("... (pass module=handle)")
///   UnknownModuleError   -> ValueError
///   RejectedInputError   -> pysym.CompileError
///   ExposeFailed         -> ValueError (InvalidName), OSError (the others)
/// An error of no mapped type becomes `Default` (a pysym.LinkError so raised
/// has an empty `.missing`). For a list of errors, the first mapped one
/// decides; the message joins all of theirs. Returns null, for
/// `return raise(...)`.
PyObject *raise(llvm::Error E, PyObject *Default);

/// Sets `Type` with `Message` and returns null.
PyObject *raise(PyObject *Type, const std::string &Message);

/// The UTF-8 text of a str argument, or false with TypeError (naming
/// `What`) or UnicodeEncodeError set. Embedded NULs are kept.
bool utf8Argument(PyObject *Object, const char *What, std::string &Text);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_BOUNDARY_H
