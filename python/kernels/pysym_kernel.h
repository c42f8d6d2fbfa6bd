/* The C API for kernels that pysym links into CPython and PyPy alike.
 *
 * Include this instead of Python.h when writing a kernel that is compiled
 * once to LLVM IR and linked by pysym into whichever interpreter runs it.
 *
 * Why not Python.h: CPython's and PyPy's headers describe different objects.
 * PyPy's PyObject header is {ob_refcnt, ob_pypy_link, ob_type}, CPython's is
 * {ob_refcnt, ob_type}, and their macros (Py_INCREF, Py_TYPE, PyTuple_GET_ITEM,
 * PyList_SET_ITEM, ...) read and write those fields directly, so code compiled
 * against one is wrong in the other. PyPy's headers also rename every function
 * (PyLong_FromLong becomes PyPyLong_FromLong), while pysym links by CPython's
 * names and maps them to what the running interpreter exports.
 *
 * So this header:
 *   - keeps PyObject opaque (an incomplete struct): no field can be touched;
 *   - declares the C API as plain functions, under CPython's names;
 *   - defines no macro that reads a struct field. Reference counting goes
 *     through Py_IncRef/Py_DecRef, which both interpreters export as functions.
 *
 * Every kernel exposes wrappers of the CPython calling convention that Numba
 * also emits for each compiled function:
 *     PyObject *f(PyObject *self, PyObject *args, PyObject *kwargs);
 * `args` is a tuple, `kwargs` a dict or NULL, and `self` is whatever object
 * pysym.Engine.make_function chose (kernels should ignore it). Return a new
 * reference, or NULL with an exception set.
 */
#ifndef PYSYM_KERNEL_H
#define PYSYM_KERNEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _object PyObject; /* opaque on purpose */
typedef ptrdiff_t Py_ssize_t;

/* CPython's value type for complex numbers; the same layout in PyPy. */
typedef struct {
  double real;
  double imag;
} Py_complex;

/* Data: each PyExc_X is a cell holding the exception class. */
extern PyObject *PyExc_TypeError;
extern PyObject *PyExc_ValueError;
extern PyObject *PyExc_BufferError;
extern PyObject *PyExc_ZeroDivisionError;

/* The None object itself (its address is Py_None), and the list type. */
extern struct _object _Py_NoneStruct;
#define Py_None (&_Py_NoneStruct)
extern struct _object PyList_Type;

/* Reference counting, as functions: never as field accesses. */
void Py_IncRef(PyObject *o);
void Py_DecRef(PyObject *o);

/* Errors. */
void PyErr_SetString(PyObject *type, const char *message);
PyObject *PyErr_Occurred(void);

/* Numbers. */
PyObject *PyFloat_FromDouble(double v);
double PyFloat_AsDouble(PyObject *o); /* -1.0 with an exception on failure */
PyObject *PyLong_FromLong(long v);
long PyLong_AsLong(PyObject *o);
PyObject *PyNumber_Add(PyObject *a, PyObject *b);
Py_complex PyComplex_AsCComplex(PyObject *o);
PyObject *PyComplex_FromCComplex(Py_complex c);
/* CPython's complex power; PyPy lacks it and pysym substitutes one. */
Py_complex _Py_c_pow(Py_complex base, Py_complex exponent);

/* Tuples, lists, sequences and iteration. */
Py_ssize_t PyTuple_Size(PyObject *tuple);
PyObject *PyTuple_GetItem(PyObject *tuple, Py_ssize_t index); /* borrowed */
PyObject *PyList_New(Py_ssize_t size);
Py_ssize_t PyList_Size(PyObject *list);
PyObject *PyList_GetItem(PyObject *list, Py_ssize_t index); /* borrowed */
int PyList_SetItem(PyObject *list, Py_ssize_t index, PyObject *item); /* steals item */
PyObject *PyObject_GetIter(PyObject *o);
PyObject *PyIter_Next(PyObject *iterator); /* NULL at the end or on error */
Py_ssize_t PyDict_Size(PyObject *dict);
int PyObject_IsInstance(PyObject *o, PyObject *cls); /* 1, 0, or -1 with an exception */

/* The buffer protocol: a kernel reads and writes an object's memory (an
 * array('d'), a memoryview, a NumPy array) without one object per element.
 *
 * Py_buffer starts with the same eleven fields in both interpreters, which are
 * all a kernel reads. CPython's struct ends there (80 bytes); PyPy's cpyext
 * appends `int flags` and two Py_ssize_t[36] arrays (sizeof 672 in PyPy
 * 7.3.11, /usr/include/pypy3.9/cpyext_object.h) and fills them in
 * PyObject_GetBuffer, so the struct a kernel passes must have room for them:
 * `interpreter_private` reserves it. Never copy a Py_buffer: PyPy's `shape`
 * and `strides` may point into the struct itself. */
typedef struct {
  void *buf;
  PyObject *obj; /* owned; PyBuffer_Release drops it */
  Py_ssize_t len; /* bytes */
  Py_ssize_t itemsize;
  int readonly;
  int ndim;
  char *format; /* struct-module syntax, e.g. "d"; NULL means "B" */
  Py_ssize_t *shape;
  Py_ssize_t *strides;
  Py_ssize_t *suboffsets;
  void *internal;
  unsigned char interpreter_private[1024 - 80];
} Py_buffer;

/* Request flags, the same in both interpreters. */
#define PyBUF_WRITABLE 0x0001
#define PyBUF_FORMAT 0x0004
#define PyBUF_ND 0x0008 /* with its shape */
#define PyBUF_STRIDES (0x0010 | PyBUF_ND) /* with its strides too */

/* 0, or -1 with an exception (BufferError, TypeError) set. */
int PyObject_GetBuffer(PyObject *o, Py_buffer *view, int flags);
void PyBuffer_Release(Py_buffer *view);

/* Whether `o` is a list (or a subclass). CPython's PyList_Check is a macro
 * that reads the type's flags, so kernels ask through a function instead. */
static inline int pysym_is_list(PyObject *o) { return PyObject_IsInstance(o, &PyList_Type) == 1; }

/* Checks that a wrapper got exactly `count` positional arguments and no
 * keyword arguments; otherwise raises TypeError with `usage` as the message.
 * Returns 0 on success, -1 with an exception set. Uses functions only, so it
 * works in every interpreter.
 * Example: if (pysym_expect_args(args, kwargs, 1, "f(x) takes 1 argument")) return NULL;
 */
static inline int pysym_expect_args(PyObject *args, PyObject *kwargs, Py_ssize_t count,
                                    const char *usage) {
  if ((kwargs != NULL && PyDict_Size(kwargs) != 0) || PyTuple_Size(args) != count) {
    PyErr_SetString(PyExc_TypeError, usage);
    return -1;
  }
  return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* PYSYM_KERNEL_H */
