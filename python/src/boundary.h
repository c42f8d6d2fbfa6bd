// Where C++ meets Python, for both extensions (the core's pysym._pysym and
// the engine's pysym._engine): C++ exceptions become Python exceptions here,
// and typed errors in core_boundary.h (the core's) and engine_boundary.h
// (the engine's), and nowhere else.
#ifndef PYSYM_PYTHON_SRC_BOUNDARY_H
#define PYSYM_PYTHON_SRC_BOUNDARY_H

#include "python/src/python.h"

#include <exception>
#include <new>
#include <string>

namespace pysym::python {

/// Sets RuntimeError for a C++ exception that escaped pysym's C++ code (a
/// bug: the layers below return typed errors), or MemoryError for bad_alloc.
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

/// Sets `Type` with `Message` and returns null.
PyObject *raise(PyObject *Type, const std::string &Message);

/// The UTF-8 text of a str argument, or false with TypeError (naming
/// `What`) or UnicodeEncodeError set. Embedded NULs are kept.
bool utf8Argument(PyObject *Object, const char *What, std::string &Text);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_BOUNDARY_H
