// What another linker needs from pysym (llvmlite's MCJIT add_symbol, its ORC
// import_symbol): the whole API pysym resolves. Private functions of the
// core extension, for pysym.llvmlite; the names an IR module leaves
// undefined need LLVM's parser and are the engine's (ir_queries.h).
#ifndef PYSYM_PYTHON_SRC_LINK_QUERIES_H
#define PYSYM_PYTHON_SRC_LINK_QUERIES_H

#include "python/src/python.h"

namespace pysym::python {

/// Adds to `Module`:
///   _api_table() -> (names, statuses, addresses, status_names): every
///     Python API name that resolves without a registration
///     (Resolver::apiNames) and how it resolves now, as four objects rather
///     than a tuple per name, since on PyPy each object made through cpyext
///     is costly: names is one str, newline-separated; statuses is bytes, one
///     index into status_names (Resolution.status values) per name;
///     addresses is bytes, one native uint64 per name, 0 when missing.
///   _api_symbols(names) -> list of (name, status, address): how each name
///     of an iterable resolves, as address_of_symbol answers (address None
///     when 'missing'). One str instead of an iterable, or a name that is
///     not a str, is a TypeError.
/// Returns false with an error set on failure.
bool addLinkQueries(PyObject *Module);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_LINK_QUERIES_H
