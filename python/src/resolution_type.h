// pysym.Resolution: one resolver answer as an immutable Python object.
#ifndef PYSYM_PYTHON_SRC_RESOLUTION_TYPE_H
#define PYSYM_PYTHON_SRC_RESOLUTION_TYPE_H

#include "python/src/python.h"

#include "pysym/resolver/resolution.h"

namespace pysym::python {

/// Creates the type (once, at module init) and adds it to `Module` as
/// `Resolution`. Returns false with an error set on failure.
bool addResolutionType(PyObject *Module);

/// A new pysym.Resolution for `R`, or null with an error set. Its read-only
/// attributes: name, status ('registered', 'exact', 'alias', 'substitute',
/// 'system', 'missing'), address (int, None when missing), target, image,
/// kind ('function' or 'data'), tried (tuple of str), note, found (bool).
PyObject *newResolution(const Resolution &R);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_RESOLUTION_TYPE_H
