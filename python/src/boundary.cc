#include "python/src/boundary.h"

namespace pysym::python {

void setErrorFromCurrentException() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc &) {
    PyErr_NoMemory();
  } catch (const std::exception &E) {
    PyErr_Format(PyExc_RuntimeError, "pysym internal error (C++ exception): %s", E.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "pysym internal error: an unknown C++ exception");
  }
}

PyObject *raise(PyObject *Type, const std::string &Message) {
  PyErr_SetString(Type, Message.c_str());
  return nullptr;
}

bool utf8Argument(PyObject *Object, const char *What, std::string &Text) {
  if (!PyUnicode_Check(Object)) {
    PyErr_Format(PyExc_TypeError, "%s must be str, not %s", What, Py_TYPE(Object)->tp_name);
    return false;
  }
  Py_ssize_t Size = 0;
  const char *Data = PyUnicode_AsUTF8AndSize(Object, &Size);
  if (!Data)
    return false;
  Text.assign(Data, static_cast<size_t>(Size));
  return true;
}

}  // namespace pysym::python
