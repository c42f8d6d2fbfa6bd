// Substitutes that need no Python code: reference and identity helpers, PyOS_* string functions, buffer strides, float limits, and thin C-API compositions.
//
// Each has the C signature of the CPython 3.11 function it stands for and
// its semantics, cited in catalogue_coverage.cc.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_PLAIN_FUNCTIONS_H
#define PYSYM_RESOLVER_SUBSTITUTES_PLAIN_FUNCTIONS_H

#include <cstdarg>
#include <cstddef>

#include "pysym/resolver/substitutes/c_api.h"

namespace pysym::substitutes::plain {

using capi::Object;
using Size = std::ptrdiff_t;  // Py_ssize_t

/// Py_NewRef, Py_XNewRef: the object with one more reference (NULL stays NULL).
Object newRef(Object O);
/// Py_Is, Py_IsTrue, Py_IsFalse, Py_IsNone: identity, 1 or 0.
int is(Object X, Object Y);
int isTrue(Object X);
int isFalse(Object X);
int isNone(Object X);
/// _Py_IncRef, _Py_DecRef: Py_IncRef and Py_DecRef.
void incRef(Object O);
void decRef(Object O);

/// PyOS_mystricmp, PyOS_mystrnicmp: ASCII case-insensitive comparison;
/// the difference of the first differing lower-cased bytes.
int myStricmp(const char *S1, const char *S2);
int myStrnicmp(const char *S1, const char *S2, Size Length);
/// PyOS_strtoul, PyOS_strtol: Python/mystrtoul.c. Leading whitespace, an
/// optional sign (strtol), 0x/0o/0b prefixes for base 0 (and for the
/// matching explicit base). On overflow errno is ERANGE and the result is
/// ULONG_MAX (strtoul) or LONG_MAX (strtol); errno is untouched otherwise.
unsigned long strToUL(const char *Text, char **End, int Base);
long strToL(const char *Text, char **End, int Base);

/// PyBuffer_FillContiguousStrides: C ('C', or anything but 'F') or Fortran
/// ('F') contiguous strides for `Shape`.
void fillContiguousStrides(int Dimensions, Size *Shape, Size *Strides, int ItemSize, char Order);

/// PyFloat_GetMax, PyFloat_GetMin: DBL_MAX and DBL_MIN.
double floatGetMax();
double floatGetMin();

/// PyThread_get_thread_native_id: the kernel's thread id (gettid).
unsigned long threadNativeId();
/// PyInterpreterState_Get, PyThreadState_GetInterpreter: the one
/// interpreter, PyInterpreterState_Head(). Only for PyPy, which never has
/// more than one.
void *interpreterStateGet();
void *threadStateGetInterpreter(void *ThreadState);

/// PySequence_In: PySequence_Contains.
int sequenceIn(Object Sequence, Object Value);
/// PyImport_ImportModuleLevel: PyImport_ImportModuleLevelObject with the
/// name decoded from UTF-8.
Object importModuleLevel(const char *Name, Object Globals, Object Locals, Object FromList, int Level);
/// PyErr_FormatV: clears any exception, then sets `Exception` with the text
/// PyUnicode_FromFormatV makes; always NULL.
Object errFormatV(Object Exception, const char *Format, std::va_list Arguments);

}  // namespace pysym::substitutes::plain

#endif  // PYSYM_RESOLVER_SUBSTITUTES_PLAIN_FUNCTIONS_H
