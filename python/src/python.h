// Includes Python.h the way every pysym module source must (first, with
// PY_SSIZE_T_CLEAN), and an owning reference for exception-safe code.
#ifndef PYSYM_PYTHON_SRC_PYTHON_H
#define PYSYM_PYTHON_SRC_PYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <utility>

namespace pysym::python {

/// Owns one strong reference (or none); releases it on destruction.
/// Example: OwnedRef List(PyList_New(0)); if (!List) return nullptr;
class OwnedRef {
public:
  OwnedRef() = default;
  /// Takes ownership of a new reference (which may be null).
  explicit OwnedRef(PyObject *New) : Object(New) {}
  OwnedRef(const OwnedRef &) = delete;
  OwnedRef &operator=(const OwnedRef &) = delete;
  OwnedRef(OwnedRef &&Other) noexcept : Object(Other.release()) {}
  OwnedRef &operator=(OwnedRef &&Other) noexcept {
    std::swap(Object, Other.Object);
    return *this;
  }
  ~OwnedRef() { Py_XDECREF(Object); }

  PyObject *get() const { return Object; }
  explicit operator bool() const { return Object != nullptr; }
  /// Gives the reference to the caller.
  PyObject *release() { return std::exchange(Object, nullptr); }

private:
  PyObject *Object = nullptr;
};

/// A new reference to `Object` (which must not be null).
inline OwnedRef borrowed(PyObject *Object) {
  Py_INCREF(Object);
  return OwnedRef(Object);
}

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_PYTHON_H
