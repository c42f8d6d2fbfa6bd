// Includes Python.h the way every pysym module source must (first, with
// PY_SSIZE_T_CLEAN), an owning reference for exception-safe code, and the
// keyword list of argument parsing.
#ifndef PYSYM_PYTHON_SRC_PYTHON_H
#define PYSYM_PYTHON_SRC_PYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <utility>

/// The keyword names of a PyArg_ParseTupleAndKeywords call, as `Keywords`:
/// it takes `char **` before 3.13.
/// Example: PYSYM_KEYWORDS("data", "name");
#define PYSYM_KEYWORDS(...)                                                                       \
  static const char *KeywordNames[] = {__VA_ARGS__, nullptr};                                     \
  char **Keywords = const_cast<char **>(KeywordNames)

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

/// Creates the type `Spec` describes into `*Type`, which keeps a reference,
/// and adds it to `Module` as `Name`. Returns false with an error set on
/// failure.
inline bool addType(PyObject *Module, PyType_Spec *Spec, PyTypeObject **Type, const char *Name) {
  *Type = reinterpret_cast<PyTypeObject *>(PyType_FromSpec(Spec));
  if (!*Type)
    return false;
  Py_INCREF(*Type);  // one kept here, one stolen by the module
  if (PyModule_AddObject(Module, Name, reinterpret_cast<PyObject *>(*Type)) < 0) {
    Py_DECREF(*Type);
    return false;
  }
  return true;
}

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_PYTHON_H
