/* The smallest wrapper: measures what a call through pysym costs. */
#include "pysym_kernel.h"

/* identity(x) -> x. */
PyObject *identity(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (pysym_expect_args(args, kwargs, 1, "identity(x) takes exactly 1 argument")) return NULL;
  PyObject *x = PyTuple_GetItem(args, 0);
  Py_IncRef(x);
  return x;
}
