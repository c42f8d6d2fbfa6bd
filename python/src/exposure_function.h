// pysym._expose: the extension's side of pysym.expose(), which defines the
// resolver's answers process-wide (resolver/exposure.h) so that dlsym,
// ctypes and llvmlite find CPython's names. The package wraps its result in
// pysym.Exposed (python/lib/pysym/exposure.py).
#ifndef PYSYM_PYTHON_SRC_EXPOSURE_FUNCTION_H
#define PYSYM_PYTHON_SRC_EXPOSURE_FUNCTION_H

#include "python/src/python.h"

namespace pysym::python {

/// Adds to `Module`:
///   _expose(names=None) -> dict: exposeToProcess for the process's
///     resolver, with the default set (None) or the names of an iterable of
///     str. Every name is checked before anything is exposed: one str (or
///     bytes) instead of an iterable, something not iterable, or an element
///     that is not a str is a TypeError; an empty name or one containing a
///     NUL is a ValueError. The C++ API's failures: ExposeFailed InvalidName
///     is a ValueError, WriteFailed and LoadRefused are OSError (the
///     environment refused: no memfd and no writable $TMPDIR, or a loader
///     that refuses the object); in each case nothing was exposed. The keys:
///       names          str: every requested name the report covers, exposed
///                      or skipped, in request order, separated by NUL
///                      (which no name contains);
///       statuses       bytes: one index into status_names per name;
///       addresses      bytes: one native uint64 per name, 0 when skipped;
///       status_names   tuple of str: the Resolution.status values, then
///                      the skip reasons 'already_defined', 'not_ready',
///                      'not_python_api', 'missing';
///       why            {name: sentence} for each skipped name: the reason
///                      and its detail;
///       added (int), source ('none', 'memfd', 'temporary file'),
///       fallback_reason (str), soname (str), seconds (float).
///     Called holding the GIL, as every function of the module is: the C++
///     call takes the GIL itself only to create data substitutes, and
///     nothing under its process-wide lock runs Python.
/// Returns false with an error set on failure.
bool addExposureFunction(PyObject *Module);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_EXPOSURE_FUNCTION_H
