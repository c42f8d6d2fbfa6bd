/* Expands CPython 3.11's macros exactly as a C extension compiled against its headers would. */
#include "Python.h"

#include "pysym/resolver/substitutes/cpython_macros.h"

int pysym_cpython_PyExceptionInstance_Check(void *Object) {
  return PyExceptionInstance_Check((PyObject *)Object);
}

int pysym_cpython_PyExceptionClass_Check(void *Object) {
  return PyExceptionClass_Check((PyObject *)Object);
}

int pysym_cpython_Py_IS_NAN(double X) { return Py_IS_NAN(X); }

int pysym_cpython_Py_IS_INFINITY(double X) { return Py_IS_INFINITY(X); }

int pysym_cpython_Py_IS_FINITE(double X) { return Py_IS_FINITE(X); }
