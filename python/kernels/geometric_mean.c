/* A kernel that validates its input and raises ValueError when it is bad. */
#include <math.h>

#include "pysym_kernel.h"

/* geometric_mean(values) -> float, for a non-empty list of positive numbers.
 * Raises ValueError for an empty list or a value <= 0 (or NaN), TypeError for
 * a non-list or a non-number. */
PyObject *geometric_mean(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 1, "geometric_mean(values) takes exactly 1 argument"))
    return NULL;
  PyObject *values = PyTuple_GetItem(args, 0);
  if (!pysym_is_list(values)) {
    PyErr_SetString(PyExc_TypeError, "geometric_mean: values must be a list");
    return NULL;
  }
  Py_ssize_t n = PyList_Size(values);
  if (n == 0) {
    PyErr_SetString(PyExc_ValueError, "geometric_mean: values is empty");
    return NULL;
  }
  double log_sum = 0.0;
  for (Py_ssize_t i = 0; i < n; ++i) {
    double v = PyFloat_AsDouble(PyList_GetItem(values, i));
    if (v == -1.0 && PyErr_Occurred()) return NULL;
    if (!(v > 0.0)) {
      PyErr_SetString(PyExc_ValueError, "geometric_mean: every value must be positive");
      return NULL;
    }
    log_sum += log(v);
  }
  return PyFloat_FromDouble(exp(log_sum / (double)n));
}
