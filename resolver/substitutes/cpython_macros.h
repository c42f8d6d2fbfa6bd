// CPython 3.11's own macros, compiled as C against its headers, as references for the substitutes of macros.
//
// Only for a process that embeds CPython 3.11: the macros read CPython's
// struct layout directly. Objects are passed opaquely.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_CPYTHON_MACROS_H
#define PYSYM_RESOLVER_SUBSTITUTES_CPYTHON_MACROS_H

#ifdef __cplusplus
extern "C" {
#endif

int pysym_cpython_PyExceptionInstance_Check(void *Object);
int pysym_cpython_PyExceptionClass_Check(void *Object);
int pysym_cpython_Py_IS_NAN(double X);
int pysym_cpython_Py_IS_INFINITY(double X);
int pysym_cpython_Py_IS_FINITE(double X);

#ifdef __cplusplus
}
#endif

#endif  // PYSYM_RESOLVER_SUBSTITUTES_CPYTHON_MACROS_H
