/* A kernel that calls _Py_c_pow, which CPython exports and PyPy lacks. */
#include <errno.h>

#include "pysym_kernel.h"

/* complex_power(base, exponent) -> complex, computed by _Py_c_pow exactly as
 * CPython's complex.__pow__ does for non-integer exponents. Raises
 * ZeroDivisionError for 0 to a negative or complex power and ValueError on
 * overflow, as _Py_c_pow reports them through errno. */
PyObject *complex_power(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 2,
                        "complex_power(base, exponent) takes exactly 2 arguments"))
    return NULL;
  Py_complex base = PyComplex_AsCComplex(PyTuple_GetItem(args, 0));
  if (base.real == -1.0 && PyErr_Occurred()) return NULL;
  Py_complex exponent = PyComplex_AsCComplex(PyTuple_GetItem(args, 1));
  if (exponent.real == -1.0 && PyErr_Occurred()) return NULL;

  errno = 0;
  Py_complex result = _Py_c_pow(base, exponent);
  if (errno == EDOM) {
    PyErr_SetString(PyExc_ZeroDivisionError, "complex_power: 0 to a negative or complex power");
    return NULL;
  }
  if (errno == ERANGE) {
    PyErr_SetString(PyExc_ValueError, "complex_power: result too large");
    return NULL;
  }
  return PyComplex_FromCComplex(result);
}
