/* Kernels that isolate what the C API costs per object, to explain why
 * black_scholes (lists) and black_scholes_array (buffers) run at different
 * speeds in PyPy: each does one kind of C-API work per item and nothing else.
 * Compiled like the example kernels (python/kernel_ir.bzl). */
#include "pysym_kernel.h"

static int count_argument(PyObject *args, PyObject *kwargs, const char *usage, long *count) {
  if (pysym_expect_args(args, kwargs, 1, usage)) return -1;
  *count = PyLong_AsLong(PyTuple_GetItem(args, 0));
  return *count == -1 && PyErr_Occurred() ? -1 : 0;
}

static PyObject *none(void) {
  Py_IncRef(Py_None);
  return Py_None;
}

/* make_floats(n) -> None: makes n float objects and drops each at once
 * (PyFloat_FromDouble, Py_DecRef). */
PyObject *make_floats(PyObject *self, PyObject *args, PyObject *kwargs) {
  long n;
  if (count_argument(args, kwargs, "make_floats(n) takes exactly 1 argument", &n)) return NULL;
  for (long i = 0; i < n; ++i) {
    PyObject *f = PyFloat_FromDouble((double)i);
    if (f == NULL) return NULL;
    Py_DecRef(f);
  }
  return none();
}

/* fill_list(n) -> list of n floats, made as black_scholes makes its prices
 * (PyList_New, PyFloat_FromDouble, PyList_SetItem). */
PyObject *fill_list(PyObject *self, PyObject *args, PyObject *kwargs) {
  long n;
  if (count_argument(args, kwargs, "fill_list(n) takes exactly 1 argument", &n)) return NULL;
  PyObject *list = PyList_New(n);
  if (list == NULL) return NULL;
  for (long i = 0; i < n; ++i) {
    PyObject *f = PyFloat_FromDouble((double)i);
    if (f == NULL || PyList_SetItem(list, i, f) < 0) {
      Py_DecRef(list);
      return NULL;
    }
  }
  return list;
}

/* read_list(values) -> None: reads each item of a list of floats as
 * black_scholes reads its inputs (PyList_GetItem, PyFloat_AsDouble). */
PyObject *read_list(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 1, "read_list(values) takes exactly 1 argument")) return NULL;
  PyObject *values = PyTuple_GetItem(args, 0);
  Py_ssize_t n = PyList_Size(values);
  if (n < 0) return NULL;
  for (Py_ssize_t i = 0; i < n; ++i)
    if (PyFloat_AsDouble(PyList_GetItem(values, i)) == -1.0 && PyErr_Occurred()) return NULL;
  return none();
}
