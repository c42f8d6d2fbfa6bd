// What pysym.llvmlite asks of an LLVM IR module: the names it leaves
// undefined. A private function of the engine extension, which links LLVM's
// IR parser.
#ifndef PYSYM_PYTHON_SRC_IR_QUERIES_H
#define PYSYM_PYTHON_SRC_IR_QUERIES_H

#include "python/src/python.h"

namespace pysym::python {

/// Adds to `Module`:
///   _undefined_symbols(ir, name='ir') -> list of (name, weak): the
///     declarations an LLVM IR module (str) uses, sorted, without LLVM
///     intrinsics; weak is True for extern_weak ones, which may stay
///     undefined. IR that does not parse is a pysym.CompileError naming
///     `name`, the line and the column.
/// Returns false with an error set on failure.
bool addIrQueries(PyObject *Module);

}  // namespace pysym::python

#endif  // PYSYM_PYTHON_SRC_IR_QUERIES_H
