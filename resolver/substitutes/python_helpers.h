// Python-level halves of substitutes: functions in one namespace, created on first use, called through the C API.
//
// Many names CPython implements in C have a Python-level equivalent in every
// interpreter (codecs.lookup_error, sys.warnoptions, str.partition ...).
// Their substitutes are a C function with CPython's signature that converts
// its arguments, calls one function of python_helpers_source.cc and converts
// the result. No struct access and no id(): only exported API.
#ifndef PYSYM_RESOLVER_SUBSTITUTES_PYTHON_HELPERS_H
#define PYSYM_RESOLVER_SUBSTITUTES_PYTHON_HELPERS_H

#include <atomic>
#include <cstddef>
#include <string_view>

#include "pysym/resolver/substitutes/c_api.h"
#include "pysym/support/span.h"

namespace pysym::substitutes::helpers {

using capi::Object;

/// The C-API names call() and the conversions around it (text_functions.h,
/// runtime_functions.h) need: every helper-based definition's Needs.
Span<std::string_view> needs();

/// Calls the helper `Function` with the tuple Py_VaBuildValue makes of
/// `Format` (always parenthesised, e.g. "(Os)") and the arguments. Returns a
/// new reference, or NULL with an exception set. The caller holds the GIL
/// and has no exception pending. The helpers' namespace is created by the
/// first call in the process (PyRun_String of the source); no lock is held
/// while it runs, and the first thread to finish publishes it. If it cannot
/// be created, the call fails with the exception that creating it raised.
/// Example: call("codec_lookup_error", "(z)", "strict").
Object call(const char *Function, const char *Format, ...);

/// Helpers for converting results, each consuming `Result` (NULL passes
/// through as failure):
/// -1 on failure, else 0.
int status(Object Result);
/// -1 on failure, else PyLong_AsSsize_t of the result.
std::ptrdiff_t size(Object Result);
/// -1 on failure, else the result's truth (0 or 1).
int truth(Object Result);
/// The object a borrowed-reference API returns: the result itself after its
/// reference is dropped (the helper returned an object something else owns).
/// NULL on failure, and NULL without an exception when the result is None
/// and `NoneIsNull`.
Object borrowed(Object Result, bool NoneIsNull = false);

/// A C string the process keeps: the first successful helper call's bytes
/// result, copied once into `Cell` (NUL appended). NULL when the helper
/// fails. Takes the GIL itself, as CPython's equivalents need none, and
/// leaves the caller's error state as it was.
const char *keptBytes(std::atomic<char *> &Cell, const char *Function);

/// Raises SystemError "bad argument to internal function" and returns NULL:
/// PyErr_BadInternalCall for a NULL argument CPython would dereference.
Object badInternalCall();

}  // namespace pysym::substitutes::helpers

#endif  // PYSYM_RESOLVER_SUBSTITUTES_PYTHON_HELPERS_H
