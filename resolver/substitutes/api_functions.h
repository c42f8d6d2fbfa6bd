// Substitutes for C-API functions and macros, written on the public C API of whichever interpreter runs.
//
// Each is a plain function with the C signature of the name it stands for,
// so that JIT-compiled code can call it where it would call CPython's. They
// call the interpreter only through c_api.h, and only once the SubstituteSet
// that offers them has bound every name they need. Like CPython's own, they
// expect the caller to hold the GIL.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_API_FUNCTIONS_H
#define PYSYM_RESOLVER_SUBSTITUTES_API_FUNCTIONS_H

#include <cstddef>

#include "pysym/resolver/substitutes/c_api.h"

namespace pysym::substitutes {

/// _PyDict_NewPresized(minused): a new empty dict. CPython's size hint only
/// saves rehashing, so PyDict_New gives the same observable result.
capi::Object dictNewPresized(std::ptrdiff_t MinUsed);

/// _PySet_Update(set, iterable): adds each item of `Iterable` to `Set`.
/// Returns 0, or -1 with an exception set: SystemError (PyErr_BadInternalCall)
/// when `Set` is not a set or set subclass (a frozenset is not), the
/// iteration's error otherwise (TypeError for a non-iterable).
int setUpdate(capi::Object Set, capi::Object Iterable);

/// _PyObject_Dump(op): writes the object's address, type, type name and repr
/// to stderr in CPython 3.11's layout, keeping any pending exception. The
/// reference count line says it is unknown: no C-API function reads it.
void objectDump(capi::Object O);

/// PySys_FormatStdout(format, ...): formats with PyUnicode_FromFormatV and
/// writes the text with sys.stdout.write; if that fails, writes it to C
/// stdout instead. A pending exception is kept.
void sysFormatStdout(const char *Format, ...);
/// PySys_FormatStderr(format, ...): the same for sys.stderr and C stderr.
void sysFormatStderr(const char *Format, ...);

/// PyExceptionInstance_Check(x): 1 when x's type (its real type, not
/// __class__) is BaseException or a subclass, else 0.
int exceptionInstanceCheck(capi::Object O);
/// PyExceptionClass_Check(x): 1 when x is a type that is BaseException or a
/// subclass, else 0.
int exceptionClassCheck(capi::Object O);

/// PyErr_GetHandledException(): a new reference to the exception being
/// handled (what sys.exception() returns), or NULL when there is none. Sets
/// no error.
capi::Object errGetHandledException();
/// PyErr_SetHandledException(exc): makes `Exception` (an exception instance)
/// the one being handled; NULL or None clears it.
void errSetHandledException(capi::Object Exception);

}  // namespace pysym::substitutes

#endif  // PYSYM_RESOLVER_SUBSTITUTES_API_FUNCTIONS_H
