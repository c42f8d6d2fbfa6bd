/* A kernel that iterates any iterable through the iterator protocol. */
#include "pysym_kernel.h"

/* iterable_sum(iterable) -> the sum of its items with `+`, starting from 0.
 * Works for lists, tuples, ranges, sets, generators and anything else
 * iterable; raises TypeError for a non-iterable or items that do not add,
 * and passes on any exception the iterator raises. */
PyObject *iterable_sum(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 1, "iterable_sum(iterable) takes exactly 1 argument"))
    return NULL;
  PyObject *iterator = PyObject_GetIter(PyTuple_GetItem(args, 0));
  if (iterator == NULL) return NULL;
  PyObject *total = PyLong_FromLong(0);
  PyObject *item;
  while (total != NULL && (item = PyIter_Next(iterator)) != NULL) {
    PyObject *next = PyNumber_Add(total, item);
    Py_DecRef(item);
    Py_DecRef(total);
    total = next;
  }
  Py_DecRef(iterator);
  if (total != NULL && PyErr_Occurred()) {
    Py_DecRef(total);
    return NULL;
  }
  return total;
}
